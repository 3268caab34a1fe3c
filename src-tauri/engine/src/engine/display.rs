//! How the window looks and speaks: its language and theme, kept in `settings`.

use brickdesk_ipc::DisplaySettings;
use rusqlite::OptionalExtension;

use super::Engine;
use crate::error::{Error, Result};

const LANGUAGE: &str = "display.language";
const THEME: &str = "display.theme";
const THEMES: [&str; 3] = ["", "light", "dark"];

impl Engine {
    /// The seller's language and theme; empty where the OS decides.
    pub async fn display_settings(&self) -> Result<DisplaySettings> {
        self.store
            .read(|c| {
                let get = |key: &str| -> Result<String> {
                    Ok(c.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?.unwrap_or_default())
                };
                Ok(DisplaySettings { language: get(LANGUAGE)?, theme: get(THEME)?, os_language: String::new() })
            })
            .await
    }

    /// Saves the language (`en`, `pl`, `de` or empty) and theme (`light`, `dark` or empty).
    pub async fn set_display_settings(&self, s: DisplaySettings) -> Result<DisplaySettings> {
        if !s.language.is_empty() && brickdesk_i18n::Lang::from_code(&s.language).is_none() {
            let codes: Vec<&str> = brickdesk_i18n::Lang::ALL.iter().map(|l| l.code()).collect();
            return Err(Error::InvalidInput {
                what: "language".into(),
                detail: format!("{:?} is not one BrickDesk speaks: {}, or empty to follow the OS", s.language, codes.join(", ")),
            });
        }
        if !THEMES.contains(&s.theme.as_str()) {
            return Err(Error::InvalidInput {
                what: "theme".into(),
                detail: format!("{:?}: light, dark, or empty to follow the OS", s.theme),
            });
        }
        let (language, theme) = (s.language.clone(), s.theme.clone());
        self.store
            .write(move |tx| {
                for (key, value) in [(LANGUAGE, language), (THEME, theme)] {
                    tx.execute(
                        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        [key, value.as_str()],
                    )?;
                }
                Ok(())
            })
            .await?;
        self.display_settings().await
    }
}
