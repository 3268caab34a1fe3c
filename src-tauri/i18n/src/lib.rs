//! BrickDesk's message catalogue: every string the window and the OS notifications show, in
//! English, Polish and German, as [Fluent](https://projectfluent.org) files under
//! `locales/<lang>/`, one file per area of the window. The window (wasm) and the shell
//! (notifications, tray) both read it through [`Catalogue`]; [`format`] writes numbers, money and
//! dates the way the language does.
//!
//! A key missing from a language is a test failure (`tests/catalogue.rs`), never a blank: at run
//! time a missing key shows as the key itself.

pub mod format;

pub use fluent_bundle::FluentValue as Value;
use fluent_bundle::{FluentArgs, FluentBundle, FluentResource};
use unic_langid::LanguageIdentifier;

/// A language the window speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Pl,
    De,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Pl, Lang::De];

    /// The code stored in settings and sent over IPC (`en`, `pl`, `de`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Pl => "pl",
            Lang::De => "de",
        }
    }

    /// The language's own name, as a language picker shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Pl => "Polski",
            Lang::De => "Deutsch",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The language of an OS or browser locale (`pl_PL.UTF-8`, `pl-PL`, `en_GB`, `C`), when the
    /// window speaks it.
    pub fn from_locale(locale: &str) -> Option<Lang> {
        let lang = locale.split(['_', '-', '.', '@']).next()?.to_ascii_lowercase();
        Lang::from_code(&lang)
    }

    /// The language the OS asks for: the first of `LC_ALL`, `LC_MESSAGES`, `LANGUAGE` (its first
    /// entry) and `LANG` that is set, or English. `lookup` reads one variable (the process's
    /// environment in the shell).
    pub fn from_env(lookup: impl Fn(&str) -> Option<String>) -> Lang {
        for var in ["LC_ALL", "LC_MESSAGES", "LANGUAGE", "LANG"] {
            let Some(value) = lookup(var).filter(|v| !v.trim().is_empty()) else { continue };
            let first = value.split(':').next().unwrap_or_default();
            // `C` and `POSIX` ask for no language in particular: English.
            return Lang::from_locale(first).unwrap_or(Lang::En);
        }
        Lang::En
    }

    fn files(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Lang::En => EN,
            Lang::Pl => PL,
            Lang::De => DE,
        }
    }
}

macro_rules! locale_files {
    ($lang:literal: $($area:literal),* $(,)?) => {
        &[$(($area, include_str!(concat!("../locales/", $lang, "/", $area, ".ftl")))),*]
    };
}

/// The areas of the window, one `.ftl` file each per language.
pub const AREAS: [&str; 7] = ["app", "orders", "inventory", "lots", "catalog", "settings", "shell"];
static EN: &[(&str, &str)] = locale_files!("en": "app", "orders", "inventory", "lots", "catalog", "settings", "shell");
static PL: &[(&str, &str)] = locale_files!("pl": "app", "orders", "inventory", "lots", "catalog", "settings", "shell");
static DE: &[(&str, &str)] = locale_files!("de": "app", "orders", "inventory", "lots", "catalog", "settings", "shell");

/// One language's messages, ready to format.
pub struct Catalogue {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
}

impl Catalogue {
    /// The catalogue of `lang`. A file that does not parse keeps the messages that did (the
    /// catalogue test fails on it).
    pub fn new(lang: Lang) -> Catalogue {
        let id: LanguageIdentifier = lang.code().parse().unwrap_or_default();
        let mut bundle = FluentBundle::new(vec![id]);
        // Unicode isolation marks around arguments would show as boxes in some fonts and break
        // the window tests' text comparisons; the window has no right-to-left language.
        bundle.set_use_isolating(false);
        bundle.set_formatter(Some(match lang {
            Lang::En => format_number::<{ Lang::En as u8 }>,
            Lang::Pl => format_number::<{ Lang::Pl as u8 }>,
            Lang::De => format_number::<{ Lang::De as u8 }>,
        }));
        for (_, source) in lang.files() {
            let resource = match FluentResource::try_new(source.to_string()) {
                Ok(r) => r,
                Err((r, _)) => r,
            };
            // Duplicates are reported by the test; the first definition stays.
            let _ = bundle.add_resource(resource);
        }
        Catalogue { lang, bundle }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The message `key` with no arguments.
    pub fn text(&self, key: &str) -> String {
        self.text_with(key, &[])
    }

    /// The message `key` with its arguments (`$name` in the file).
    pub fn text_with(&self, key: &str, args: &[(&str, Value)]) -> String {
        let Some(pattern) = self.bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_string();
        };
        let mut fluent_args = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let mut errors = Vec::new();
        self.bundle.format_pattern(pattern, Some(&fluent_args), &mut errors).into_owned()
    }

    /// Whether the language has the message.
    pub fn has(&self, key: &str) -> bool {
        self.bundle.has_message(key)
    }
}

/// Numbers in messages are grouped the way the language writes them.
fn format_number<const L: u8>(value: &Value, _: &intl_memoizer::IntlLangMemoizer) -> Option<String> {
    let lang = Lang::ALL.into_iter().find(|&l| l as u8 == L).unwrap_or(Lang::En);
    match value {
        Value::Number(n) if n.value.fract() == 0.0 && n.value.abs() < 9.0e15 => Some(format::number(lang, n.value as i64)),
        _ => None,
    }
}

/// Every message of a language's files: `(area, key)`, in file order, for the tests.
pub fn keys(lang: Lang) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for (area, source) in lang.files() {
        if let Ok(resource) = FluentResource::try_new(source.to_string()) {
            for entry in resource.entries() {
                if let fluent_syntax::ast::Entry::Message(m) = entry {
                    out.push((*area, m.id.name.to_string()));
                }
            }
        }
    }
    out
}

/// Parse errors of a language's files, as `area: error`, for the tests.
pub fn parse_errors(lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    for (area, source) in lang.files() {
        if let Err((_, errors)) = FluentResource::try_new(source.to_string()) {
            out.extend(errors.into_iter().map(|e| format!("{area}.ftl: {e:?}")));
        }
    }
    out
}

/// Every message of `lang` that is plain text (no arguments, no selectors): `(key, text)`. The
/// window tests look for English ones left on a Polish page.
pub fn plain_texts(lang: Lang) -> Vec<(String, String)> {
    use fluent_syntax::ast::PatternElement;
    let mut out = Vec::new();
    for (_, source) in lang.files() {
        if let Ok(resource) = FluentResource::try_new(source.to_string()) {
            for entry in resource.entries() {
                if let fluent_syntax::ast::Entry::Message(m) = entry {
                    let Some(pattern) = &m.value else { continue };
                    let mut text = String::new();
                    let plain = pattern.elements.iter().all(|e| match e {
                        PatternElement::TextElement { value } => {
                            text.push_str(value);
                            true
                        }
                        PatternElement::Placeable { .. } => false,
                    });
                    if plain {
                        out.push((m.id.name.to_string(), text));
                    }
                }
            }
        }
    }
    out
}
