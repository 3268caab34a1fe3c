//! The window's words: every string it shows comes from the message catalogue
//! (`src-tauri/i18n/locales/<lang>/*.ftl`) through [`t`] and [`tf`], and numbers, amounts and dates
//! through [`number`], [`decimal`], [`money`] and [`date`].
//!
//! The language is one thread-local catalogue, English until the shell says otherwise. Changing
//! it in Settings swaps the catalogue (`set_lang`) and bumps `state::Display::lang`, which the
//! app's root tracks to draw the whole window again: no string needs its own signal, and no
//! restart is needed. Nothing here is reactive or touches the page, so `format/` uses it and its
//! host tests run in English.

use std::cell::RefCell;

pub use brickdesk_i18n::Lang;
pub use brickdesk_i18n::Value;
use brickdesk_i18n::{format, Catalogue};

thread_local! {
    static CURRENT: RefCell<Catalogue> = RefCell::new(Catalogue::new(Lang::En));
}

/// The message `key` in the window's language.
pub fn t(key: &str) -> String {
    CURRENT.with(|c| c.borrow().text(key))
}

/// The message `key` with its arguments (`$name` in the catalogue).
pub fn tf(key: &str, args: &[(&str, Value)]) -> String {
    CURRENT.with(|c| c.borrow().text_with(key, args))
}

/// The window's language.
pub fn lang() -> Lang {
    CURRENT.with(|c| c.borrow().lang())
}

/// Swaps the catalogue (the caller redraws).
pub fn set_lang(lang: Lang) {
    if self::lang() != lang {
        CURRENT.with(|c| *c.borrow_mut() = Catalogue::new(lang));
    }
}

/// `100000` → `100,000` / `100 000`.
pub fn number(n: i64) -> String {
    format::number(lang(), n)
}

/// A decimal string with the language's separators (digits unchanged).
pub fn decimal(s: &str) -> String {
    format::decimal(lang(), s)
}

/// An amount and its currency as the language writes them.
pub fn money(amount: &str, currency: &str) -> String {
    format::money(lang(), amount, currency)
}

/// A calendar date as the language writes it.
pub fn date(year: i32, month: u32, day: u32) -> String {
    format::date(lang(), year, month, day)
}
