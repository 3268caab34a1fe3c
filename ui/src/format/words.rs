//! Words and numbers every topic shows: counts, money, attempts, typed text and decimal strings,
//! in the window's language (`crate::i18n`).

use crate::i18n::{t, tf, Value};

/// Which required fields of a form are still blank, by label.
pub fn missing_fields<'a>(fields: &[(&'a str, &str)]) -> Vec<&'a str> {
    fields.iter().filter(|(_, v)| v.trim().is_empty()).map(|(label, _)| *label).collect()
}

/// `100000` → `100,000` (`100 000` in Polish).
pub fn grouped(n: i64) -> String {
    crate::i18n::number(n)
}

/// `100,000 lots`, or `12 of 100,000 lots` when a filter leaves fewer; `key` is the catalogue's
/// count of the rows (`lots-count`, `orders-count`: a `$count` with its plural forms).
pub fn count_label(matching: i64, all: i64, filtered: bool, key: &str) -> String {
    let whole = tf(key, &[("count", Value::from(all))]);
    if filtered {
        tf("count-of", &[("matching", Value::from(matching)), ("all", whole.into())])
    } else {
        whole
    }
}

pub(super) fn typed_text(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|t| !t.is_empty())
}

/// Money strings compare as exact decimals, never as floats.
pub(super) fn decimal_key(s: &str) -> (bool, u128, String) {
    let neg = s.starts_with('-');
    let (whole, frac) = s.trim_start_matches('-').split_once('.').unwrap_or((s.trim_start_matches('-'), ""));
    let whole: u128 = whole.parse().unwrap_or(0);
    let frac = format!("{frac:0<8}");
    (!neg, if neg { u128::MAX - whole } else { whole }, frac)
}

/// A missing value (`—`).
pub fn unknown() -> String {
    t("unknown")
}

/// `A, B and C` (`A, B i C`): names joined as the language lists them.
pub fn and_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => tf("and-list", &[("items", rest.join(", ").into()), ("last", last.as_str().into())]),
    }
}

pub fn attempts(n: i64) -> String {
    tf("attempts", &[("count", Value::from(n))])
}

/// An amount and its currency as the window's language writes them (digits unchanged).
pub fn money(amount: &str, currency: &str) -> String {
    crate::i18n::money(amount, currency)
}

/// `2.3200` → `2.32`, `1.00` → `1`, `0.0512` stays: a decimal string without trailing zeros.
/// Text that is not a plain decimal shows as it came.
pub fn trim_decimal(s: &str) -> String {
    let s = s.trim();
    let digits = s.trim_start_matches('-');
    let plain = !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit() || c == '.') && digits.matches('.').count() <= 1;
    if !plain || !s.contains('.') {
        return s.to_string();
    }
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Whether a decimal string is zero (BrickLink sends `0.00` for an unknown size or weight).
pub(super) fn is_zero(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.chars().all(|c| c == '0' || c == '.' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_fields_lists_blank_ones_in_order() {
        assert_eq!(missing_fields(&[("Consumer key", "x"), ("Token", "  "), ("Secret", "")]), vec!["Token", "Secret"]);
        assert!(missing_fields(&[("API key", "k")]).is_empty());
    }

    #[test]
    fn pln_totals_stay_exact_decimal_strings() {
        assert_eq!(money("1234.50", "PLN"), "1,234.50 PLN");
        assert_eq!(money("0.10", "PLN"), "0.10 PLN");
    }
}
