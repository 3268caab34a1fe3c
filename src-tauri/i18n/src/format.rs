//! Numbers, decimal amounts, money and dates written the way a language writes them. Amounts stay
//! decimal strings from end to end: only their separators change, never their digits.

use crate::Lang;

/// The thousands separator: a comma in English, a no-break space in Polish, a period in German.
fn group_separator(lang: Lang) -> &'static str {
    match lang {
        Lang::En => ",",
        Lang::Pl => "\u{a0}",
        Lang::De => ".",
    }
}

fn decimal_separator(lang: Lang) -> char {
    match lang {
        Lang::En => '.',
        Lang::Pl | Lang::De => ',',
    }
}

/// Groups the digits of a whole number: `100000` → `100,000` / `100 000` / `100.000`. Polish
/// leaves four digits alone (`1234`), as its style guides (and CLDR) do; German groups them
/// (`1.234`), as English does.
fn group_digits(lang: Lang, digits: &str) -> String {
    if lang == Lang::Pl && digits.len() <= 4 {
        return digits.to_string();
    }
    let sep = group_separator(lang);
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * sep.len());
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// A whole number: `-12345` → `-12,345` / `-12 345` / `-12.345`.
pub fn number(lang: Lang, n: i64) -> String {
    let grouped = group_digits(lang, &n.unsigned_abs().to_string());
    if n < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// A decimal string as the language writes it: `1234.50` → `1,234.50` / `1234,50` / `1.234,50`.
/// Text that is not a plain decimal comes back as it came.
pub fn decimal(lang: Lang, s: &str) -> String {
    let s = s.trim();
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s),
    };
    let (whole, frac) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let plain = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    if !plain {
        return s.to_string();
    }
    let mut out = format!("{sign}{}", group_digits(lang, whole));
    if let Some(f) = frac {
        out.push(decimal_separator(lang));
        out.push_str(f);
    }
    out
}

/// An amount with its currency: `12.50 EUR`, German `1.234,50 EUR` (the code, not `€`, so amounts
/// in different currencies read alike); Polish writes złoty as `zł` (`1234,50 zł`).
pub fn money(lang: Lang, amount: &str, currency: &str) -> String {
    let amount = decimal(lang, amount);
    match (lang, currency) {
        (Lang::Pl, "PLN") => format!("{amount} zł"),
        (_, "") => amount,
        _ => format!("{amount} {currency}"),
    }
}

/// A calendar date: `2026-12-06` in English (as BrickLink and BrickStore show it), `06.12.2026`
/// in Polish and German.
pub fn date(lang: Lang, year: i32, month: u32, day: u32) -> String {
    match lang {
        Lang::En => format!("{year:04}-{month:02}-{day:02}"),
        Lang::Pl | Lang::De => format!("{day:02}.{month:02}.{year:04}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_group_as_each_language_does() {
        assert_eq!(number(Lang::En, 100_000), "100,000");
        assert_eq!(number(Lang::Pl, 100_000), "100\u{a0}000");
        assert_eq!(number(Lang::Pl, 1234), "1234");
        assert_eq!(number(Lang::En, 1234), "1,234");
        assert_eq!(number(Lang::En, -1_234_567), "-1,234,567");
        assert_eq!(number(Lang::Pl, 0), "0");
        assert_eq!(number(Lang::De, 100_000), "100.000");
        assert_eq!(number(Lang::De, 1234), "1.234");
        assert_eq!(number(Lang::De, 999), "999");
        assert_eq!(number(Lang::De, 1_234_567), "1.234.567");
        assert_eq!(number(Lang::De, -1_234_567), "-1.234.567");
    }

    #[test]
    fn decimals_keep_their_digits_and_change_only_separators() {
        assert_eq!(decimal(Lang::En, "1234.50"), "1,234.50");
        assert_eq!(decimal(Lang::Pl, "1234.50"), "1234,50");
        assert_eq!(decimal(Lang::Pl, "12345.0512"), "12\u{a0}345,0512");
        assert_eq!(decimal(Lang::Pl, "-0.10"), "-0,10");
        assert_eq!(decimal(Lang::Pl, "n/a"), "n/a");
        assert_eq!(decimal(Lang::Pl, "1."), "1.");
        assert_eq!(decimal(Lang::De, "1234.50"), "1.234,50");
        assert_eq!(decimal(Lang::De, "1234567.0512"), "1.234.567,0512");
        assert_eq!(decimal(Lang::De, "-0.10"), "-0,10");
        assert_eq!(decimal(Lang::De, "12"), "12");
        assert_eq!(decimal(Lang::De, "n/a"), "n/a");
    }

    #[test]
    fn money_names_zloty_in_polish() {
        assert_eq!(money(Lang::Pl, "1234.50", "PLN"), "1234,50 zł");
        assert_eq!(money(Lang::En, "1234.50", "PLN"), "1,234.50 PLN");
        assert_eq!(money(Lang::Pl, "3.20", "EUR"), "3,20 EUR");
    }

    #[test]
    fn money_in_german_keeps_the_currency_code_after_the_amount() {
        assert_eq!(money(Lang::De, "1234.50", "EUR"), "1.234,50 EUR");
        assert_eq!(money(Lang::De, "1234.50", "PLN"), "1.234,50 PLN");
        assert_eq!(money(Lang::De, "0.12", ""), "0,12");
    }

    #[test]
    fn dates_read_as_each_language_writes_them() {
        assert_eq!(date(Lang::En, 2026, 12, 6), "2026-12-06");
        assert_eq!(date(Lang::Pl, 2026, 12, 6), "06.12.2026");
        assert_eq!(date(Lang::De, 2026, 12, 6), "06.12.2026");
    }
}
