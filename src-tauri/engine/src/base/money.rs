//! Exact money: integer ten-thousandths of a currency unit. BrickLink sends 4-decimal strings,
//! BrickOwl 3, Allegro 2; all fit without rounding. Never `f64`.

use std::fmt;

/// An amount in ten-thousandths of a currency unit (`"0.1200"` = 1200).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct MoneyE4(pub i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an exact decimal amount: {input:?} ({why})")]
pub struct MoneyError {
    pub input: String,
    pub why: &'static str,
}

impl MoneyE4 {
    pub const ZERO: MoneyE4 = MoneyE4(0);

    /// Parses `"12"`, `"0.12"`, `"-1.5000"`, `" 3.141 "`; more than 4 decimals is an error, not a
    /// rounding, because it would mean the marketplace changed its precision.
    pub fn parse(input: &str) -> Result<MoneyE4, MoneyError> {
        let err = |why| MoneyError { input: input.to_string(), why };
        let s = input.trim();
        let (neg, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if whole.is_empty() && frac.is_empty() {
            return Err(err("empty"));
        }
        if !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("unexpected character"));
        }
        if frac.len() > 4 {
            return Err(err("more than 4 decimals"));
        }
        let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| err("too large"))? };
        let mut frac_val: i64 = if frac.is_empty() { 0 } else { frac.parse().map_err(|_| err("bad decimals"))? };
        for _ in frac.len()..4 {
            frac_val *= 10;
        }
        let v = whole.checked_mul(10_000).and_then(|w| w.checked_add(frac_val)).ok_or_else(|| err("too large"))?;
        Ok(MoneyE4(if neg { -v } else { v }))
    }

    /// `decimals` places (2 for display, 4 for BrickLink, 3 for BrickOwl), truncating nothing: an
    /// amount with more significant decimals than asked keeps them.
    pub fn to_string_with(self, decimals: usize) -> String {
        let neg = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let whole = abs / 10_000;
        let mut frac = format!("{:04}", abs % 10_000);
        while frac.len() > decimals && frac.ends_with('0') {
            frac.pop();
        }
        let sign = if neg { "-" } else { "" };
        if frac.is_empty() {
            format!("{sign}{whole}")
        } else {
            format!("{sign}{whole}.{frac}")
        }
    }

    pub fn checked_mul(self, quantity: i64) -> Option<MoneyE4> {
        self.0.checked_mul(quantity).map(MoneyE4)
    }

    pub fn checked_add(self, other: MoneyE4) -> Option<MoneyE4> {
        self.0.checked_add(other.0).map(MoneyE4)
    }
}

impl fmt::Display for MoneyE4 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_string_with(2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_marketplace_formats_exactly() {
        for (s, v) in [
            ("0.1200", 1200),
            ("139.9900", 1_399_900),
            ("0.720", 7200),
            ("9.99", 99_900),
            ("12", 120_000),
            ("-1.5", -15_000),
            (".5", 5000),
            ("+3", 30_000),
        ] {
            assert_eq!(MoneyE4::parse(s).unwrap(), MoneyE4(v), "{s}");
        }
        for bad in ["", "-", "1.23456", "1,5", "abc", "1e3", "99999999999999999999"] {
            assert!(MoneyE4::parse(bad).is_err(), "{bad:?} should fail");
        }
    }

    #[test]
    fn formats_without_losing_precision() {
        assert_eq!(MoneyE4(1200).to_string_with(4), "0.1200");
        assert_eq!(MoneyE4(1200).to_string_with(2), "0.12");
        assert_eq!(MoneyE4(1234).to_string_with(2), "0.1234");
        assert_eq!(MoneyE4(-15_000).to_string_with(2), "-1.50");
        assert_eq!(MoneyE4(120_000).to_string_with(0), "12");
        assert_eq!(MoneyE4(3).to_string_with(2), "0.0003");
    }

    #[test]
    fn sums_of_many_cents_are_exact() {
        // 0.1 added 1,000 times is exactly 100 — the classic f64 failure.
        let tenth = MoneyE4::parse("0.1").unwrap();
        let sum = (0..1000).fold(MoneyE4::ZERO, |acc, _| acc.checked_add(tenth).unwrap());
        assert_eq!(sum.to_string_with(2), "100.00");
    }
}
