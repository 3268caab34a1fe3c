//! Credentials live only in the OS keyring (Secret Service on Linux), one entry per provider:
//! service = `Config::keyring_service`, user = the provider name, password = a small JSON
//! document. They never touch SQLite, logs, stdout or IPC; outside this module they travel as
//! [`Secret`]s, and status reports only *whether* they are set.
//!
//! Every function here blocks on D-Bus: the engine calls them from a blocking thread.

use brickdesk_ipc::{CredentialStatus, Provider};
use serde::{Deserialize, Serialize};

use crate::base::secret::Secret;
use crate::error::{Error, Result};
use crate::marketplaces::credentials::{AllegroCredentials, AllegroTokens, BricklinkCredentials, BrickowlCredentials, Credentials};

impl Credentials {
    /// What BrickDesk wrote to the keyring, read back (Allegro's entry also holds its tokens).
    fn parse_stored(provider: Provider, json: &str) -> Result<Credentials> {
        if provider != Provider::Allegro {
            return Credentials::parse(provider, json);
        }
        let what = "stored Allegro credentials".to_string();
        let bad = |detail: String| Error::InvalidInput { what: what.clone(), detail };
        let w: AllegroWire = serde_json::from_str(json).map_err(|e| bad(describe_json_error(&e)))?;
        let tokens = match (w.access_token, w.refresh_token, w.access_expires_at) {
            (Some(a), Some(r), Some(at)) => Some(AllegroTokens {
                access_token: Secret::new(a),
                refresh_token: Secret::new(r),
                access_expires_at: at.parse().map_err(|_| bad("access_expires_at is not a time".into()))?,
            }),
            _ => None,
        };
        Ok(Credentials::Allegro(AllegroCredentials {
            client_id: Secret::new(required("client_id", w.client_id).map_err(&bad)?),
            client_secret: Secret::new(required("client_secret", w.client_secret).map_err(&bad)?),
            tokens,
            unlinked: w.unlinked,
            sandbox: w.sandbox,
        }))
    }

    /// Parses what a seller pastes (CLI stdin or the Settings form) and checks every field.
    pub fn parse(provider: Provider, json: &str) -> Result<Credentials> {
        let what = format!("{} credentials JSON", provider.display_name());
        let bad = |detail: String| Error::InvalidInput { what: what.clone(), detail };
        match provider {
            Provider::Bricklink => {
                let w: BricklinkWire = serde_json::from_str(json).map_err(|e| bad(describe_json_error(&e)))?;
                Ok(Credentials::Bricklink(BricklinkCredentials {
                    consumer_key: Secret::new(required("consumer_key", w.consumer_key).map_err(&bad)?),
                    consumer_secret: Secret::new(required("consumer_secret", w.consumer_secret).map_err(&bad)?),
                    token_value: Secret::new(required("token_value", w.token_value).map_err(&bad)?),
                    token_secret: Secret::new(required("token_secret", w.token_secret).map_err(&bad)?),
                }))
            }
            Provider::Brickowl => {
                let w: BrickowlWire = serde_json::from_str(json).map_err(|e| bad(describe_json_error(&e)))?;
                Ok(Credentials::Brickowl(BrickowlCredentials { api_key: Secret::new(required("api_key", w.api_key).map_err(&bad)?) }))
            }
            Provider::Allegro => {
                let w: AllegroInputWire = serde_json::from_str(json).map_err(|e| bad(describe_json_error(&e)))?;
                Ok(Credentials::Allegro(AllegroCredentials {
                    client_id: Secret::new(required("client_id", w.client_id).map_err(&bad)?),
                    client_secret: Secret::new(required("client_secret", w.client_secret).map_err(&bad)?),
                    tokens: None,
                    unlinked: None,
                    sandbox: w.sandbox,
                }))
            }
        }
    }

    fn to_stored_json(&self) -> String {
        // Serialising these plain structs cannot fail (strings only).
        match self {
            Credentials::Bricklink(c) => serde_json::json!({
                "consumer_key": c.consumer_key.expose(),
                "consumer_secret": c.consumer_secret.expose(),
                "token_value": c.token_value.expose(),
                "token_secret": c.token_secret.expose(),
            })
            .to_string(),
            Credentials::Brickowl(c) => serde_json::json!({ "api_key": c.api_key.expose() }).to_string(),
            Credentials::Allegro(c) => serde_json::json!({
                "client_id": c.client_id.expose(),
                "client_secret": c.client_secret.expose(),
                "access_token": c.tokens.as_ref().map(|t| t.access_token.expose()),
                "refresh_token": c.tokens.as_ref().map(|t| t.refresh_token.expose()),
                "access_expires_at": c.tokens.as_ref().map(|t| crate::base::clock::format_ts(t.access_expires_at)),
                "unlinked": c.unlinked,
                "sandbox": c.sandbox,
            })
            .to_string(),
        }
    }
}

/// What the seller enters: the app registration only (tokens come from the device flow).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AllegroInputWire {
    client_id: String,
    client_secret: String,
    /// The registration is on Allegro's sandbox (apps.developer.allegro.pl.allegrosandbox.pl).
    #[serde(default)]
    sandbox: bool,
}

/// The keyring entry: the registration plus the tokens, written whole in one `set` so the
/// single-use refresh token and its access token never part.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AllegroWire {
    client_id: String,
    client_secret: String,
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    access_expires_at: Option<String>,
    #[serde(default)]
    unlinked: Option<String>,
    #[serde(default)]
    sandbox: bool,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BricklinkWire {
    consumer_key: String,
    consumer_secret: String,
    token_value: String,
    token_secret: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BrickowlWire {
    api_key: String,
}

fn required(field: &str, value: String) -> std::result::Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(format!("field `{field}` is empty"));
    }
    if v.chars().any(char::is_control) {
        return Err(format!("field `{field}` contains control characters"));
    }
    Ok(v.to_string())
}

/// serde_json's message, minus anything that could echo the input back (it never does for these
/// errors, but line/column is all a seller needs).
fn describe_json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof => {
            format!("not valid JSON (line {}, column {})", e.line(), e.column())
        }
        Category::Data | Category::Io => e.to_string(),
    }
}

/// How long to wait before asking the keyring again after it went away mid-call.
const KEYRING_RESTART_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// Runs one keyring call, and once more if the Secret Service failed on the D-Bus level
/// (`PlatformFailure`: "Message recipient disconnected from message bus without replying" when
/// gnome-keyring-daemon dies mid-call, which it does on known races between clients). The
/// session restarts it (systemd, or D-Bus activation) and the second call reaches the new one.
/// Every call here is whole (read, replace, delete), so asking twice changes nothing. Anything
/// else, a missing entry or a locked or absent keyring, is the answer and is not asked again.
fn once_more_after_a_restart<T>(call: impl Fn() -> keyring::Result<T>) -> keyring::Result<T> {
    match call() {
        Err(keyring::Error::PlatformFailure(first)) => {
            tracing::warn!("the OS keyring failed mid-call ({first}); asking once more");
            std::thread::sleep(KEYRING_RESTART_WAIT);
            call()
        }
        answer => answer,
    }
}

/// Reads and writes the OS keyring under one service name.
#[derive(Debug, Clone)]
pub struct Keyring {
    service: String,
}

impl Keyring {
    pub fn new(service: impl Into<String>) -> Keyring {
        Keyring { service: service.into() }
    }

    fn entry(&self, provider: Provider, action: &'static str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, provider.as_str()).map_err(|source| Error::Keyring { action, provider, source })
    }

    pub fn set(&self, creds: &Credentials) -> Result<()> {
        let provider = creds.provider();
        let entry = self.entry(provider, "saving")?;
        let stored = creds.to_stored_json();
        once_more_after_a_restart(|| entry.set_password(&stored)).map_err(|source| Error::Keyring { action: "saving", provider, source })
    }

    /// `Ok(None)` when nothing is stored for `provider`.
    pub fn get(&self, provider: Provider) -> Result<Option<Credentials>> {
        let entry = self.entry(provider, "reading")?;
        match once_more_after_a_restart(|| entry.get_password()) {
            Ok(stored) => Credentials::parse_stored(provider, &stored)
                .map(Some)
                .map_err(|e| Error::CorruptCredentials { provider, detail: e.to_string() }),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(source) => Err(Error::Keyring { action: "reading", provider, source }),
        }
    }

    /// Removes `provider`'s credentials; removing what is not there is not an error.
    pub fn delete(&self, provider: Provider) -> Result<()> {
        let entry = self.entry(provider, "deleting")?;
        match once_more_after_a_restart(|| entry.delete_credential()) {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(source) => Err(Error::Keyring { action: "deleting", provider, source }),
        }
    }

    pub fn status(&self, provider: Provider) -> Result<CredentialStatus> {
        let (set, active) = match self.get(provider) {
            // Allegro: set once the app registration is saved, active once the account is linked.
            Ok(Some(c)) => (true, c.usable()),
            Ok(None) => (false, false),
            // Something is stored but unusable: it is set, and the engine will not use it.
            Err(Error::CorruptCredentials { .. }) => (true, false),
            Err(e) => return Err(e),
        };
        Ok(CredentialStatus { provider, set, active })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_complete_bricklink_json() {
        let c = Credentials::parse(
            Provider::Bricklink,
            r#"{"consumer_key":"ck","consumer_secret":"cs","token_value":"tv","token_secret":"ts"}"#,
        )
        .unwrap();
        let Credentials::Bricklink(b) = c else { panic!("wrong provider") };
        assert_eq!(b.token_secret.expose(), "ts");
    }

    #[test]
    fn rejects_bad_input_with_the_field_name() {
        let cases = [
            (Provider::Bricklink, r#"{"consumer_key":"ck"}"#, "consumer_secret"),
            (Provider::Bricklink, r#"{"consumer_key":"ck","consumer_secret":" ","token_value":"t","token_secret":"s"}"#, "consumer_secret"),
            (Provider::Brickowl, r#"{"api_key":"k","extra":1}"#, "extra"),
            (Provider::Brickowl, r#"{"api_key": 5}"#, "invalid type"),
            (Provider::Brickowl, "{not json", "not valid JSON"),
            (Provider::Brickowl, "", "not valid JSON"),
        ];
        for (p, json, expect) in cases {
            let e = Credentials::parse(p, json).unwrap_err().to_string();
            assert!(e.contains(expect), "{json:?} -> {e}");
        }
    }

    #[test]
    fn parse_errors_never_echo_secret_values() {
        let e = Credentials::parse(Provider::Brickowl, r#"{"api_key":"TOPSECRET","bogus":"x"}"#).unwrap_err();
        assert!(!e.to_string().contains("TOPSECRET"));
        let c = Credentials::parse(Provider::Brickowl, r#"{"api_key":"TOPSECRET"}"#).unwrap();
        assert!(!format!("{c:?}").contains("TOPSECRET"));
    }
}

#[cfg(test)]
mod allegro_tests {
    use super::*;

    #[test]
    fn allegro_input_is_the_registration_only_and_the_stored_entry_round_trips_its_tokens() {
        let e = Credentials::parse(Provider::Allegro, r#"{"client_id":"c","client_secret":"s","refresh_token":"r"}"#).unwrap_err();
        assert!(e.to_string().contains("refresh_token"), "{e}");
        let Credentials::Allegro(mut c) = Credentials::parse(Provider::Allegro, r#"{"client_id":"c","client_secret":"s"}"#).unwrap() else {
            panic!("wrong provider")
        };
        assert!(!Credentials::Allegro(c.clone()).usable(), "not linked yet");
        c.tokens = Some(AllegroTokens {
            access_token: Secret::new("A".into()),
            refresh_token: Secret::new("R".into()),
            access_expires_at: "2026-11-23T22:00:00Z".parse().unwrap(),
        });
        let stored = Credentials::Allegro(c.clone()).to_stored_json();
        let Credentials::Allegro(back) = Credentials::parse_stored(Provider::Allegro, &stored).unwrap() else { panic!("wrong provider") };
        assert_eq!(back.tokens, c.tokens);
        assert!(!format!("{back:?}").contains("\"R\""), "tokens never print");
    }
}
