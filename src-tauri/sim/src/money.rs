//! Fixed-point decimals as integers (never `f64`): BrickLink money is 4 decimals, BrickOwl prices
//! 3 decimals and BrickOwl order totals 2 decimals.

use serde_json::Value;

/// Parses `"12"`, `"12.5"`, `"0.1200"`, `"+3.2"`, `"-1"` into an integer scaled by `10^scale`.
/// Digits beyond `scale` are rounded half away from zero. `None` for anything else (exponents,
/// spaces inside, empty strings, overflow).
pub(crate) fn parse_fixed(s: &str, scale: u32) -> Option<i64> {
    let s = s.trim();
    let (neg, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part.bytes().all(|b| b.is_ascii_digit()) || !frac_part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if int_part.len() > 14 {
        return None;
    }
    let mut value: i64 = if int_part.is_empty() { 0 } else { int_part.parse().ok()? };
    let frac = frac_part.as_bytes();
    for i in 0..scale as usize {
        let d = frac.get(i).map_or(0, |b| i64::from(b - b'0'));
        value = value.checked_mul(10)?.checked_add(d)?;
    }
    if frac.get(scale as usize).is_some_and(|b| *b >= b'5') {
        value = value.checked_add(1)?;
    }
    Some(if neg { -value } else { value })
}

/// Formats a scaled integer with exactly `scale` decimals: `fmt_fixed(1200, 4) == "0.1200"`.
pub(crate) fn fmt_fixed(v: i64, scale: u32) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    if scale == 0 {
        return format!("{sign}{a}");
    }
    let p = 10u64.pow(scale);
    format!("{sign}{}.{:0width$}", a / p, a % p, width = scale as usize)
}

/// Changes the scale of a fixed-point value, rounding half away from zero when digits are dropped.
pub(crate) fn rescale(v: i64, from: u32, to: u32) -> i64 {
    if to >= from {
        v.saturating_mul(10i64.pow(to - from))
    } else {
        let d = 10i64.pow(from - to);
        let half = d / 2;
        if v >= 0 {
            v.saturating_add(half) / d
        } else {
            v.saturating_sub(half) / d
        }
    }
}

/// A decimal sent as a JSON string or number.
pub(crate) fn json_fixed(v: &Value, scale: u32) -> Option<i64> {
    match v {
        Value::String(s) => parse_fixed(s, scale),
        Value::Number(n) => parse_fixed(&n.to_string(), scale),
        _ => None,
    }
}

/// An integer sent as a JSON number or a string of digits (Jackson-style coercion).
pub(crate) fn json_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => parse_int(s),
        _ => None,
    }
}

/// An optionally signed decimal integer (no spaces inside, no exponent).
pub(crate) fn parse_int(s: &str) -> Option<i64> {
    let t = s.trim();
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats_exactly() {
        assert_eq!(parse_fixed("0.1200", 4), Some(1200));
        assert_eq!(parse_fixed("12", 4), Some(120_000));
        assert_eq!(parse_fixed(".5", 4), Some(5000));
        assert_eq!(parse_fixed("-1.5", 2), Some(-150));
        assert_eq!(parse_fixed("0.12345", 4), Some(1235));
        assert_eq!(parse_fixed("1e5", 4), None);
        assert_eq!(parse_fixed("", 4), None);
        assert_eq!(parse_fixed(".", 4), None);
        assert_eq!(parse_fixed("1 2", 4), None);
        assert_eq!(fmt_fixed(1200, 4), "0.1200");
        assert_eq!(fmt_fixed(-5, 3), "-0.005");
        assert_eq!(fmt_fixed(123_456, 2), "1234.56");
        assert_eq!(rescale(1235, 4, 3), 124);
        assert_eq!(rescale(1234, 4, 3), 123);
        assert_eq!(rescale(-1235, 4, 3), -124);
        assert_eq!(rescale(12, 2, 4), 1200);
        assert_eq!(parse_int("+3"), Some(3));
        assert_eq!(parse_int("-"), None);
    }
}
