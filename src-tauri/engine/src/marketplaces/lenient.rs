//! Deserialisers for marketplace numbers that arrive as strings or numbers ("12" or 12), and
//! money that must stay exact. Pitfall 5 in shared/marketplaces/README.md.

use serde::{Deserialize, Deserializer};

use crate::base::money::MoneyE4;

#[derive(Deserialize)]
#[serde(untagged)]
enum StrOrNum {
    Str(String),
    Num(serde_json::Number),
}

impl StrOrNum {
    fn text(self) -> String {
        match self {
            StrOrNum::Str(s) => s,
            StrOrNum::Num(n) => n.to_string(),
        }
    }
}

/// An integer sent as `12` or `"12"`.
pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let t = StrOrNum::deserialize(d)?.text();
    t.trim().parse().map_err(|_| serde::de::Error::custom(format!("expected an integer, got {t:?}")))
}

/// Like [`int`], but `null`, absent or `""` is `None`.
pub fn opt_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Option::<StrOrNum>::deserialize(d)? {
        None => Ok(None),
        Some(v) => {
            let t = v.text();
            if t.trim().is_empty() {
                return Ok(None);
            }
            t.trim().parse().map(Some).map_err(|_| serde::de::Error::custom(format!("expected an integer, got {t:?}")))
        }
    }
}

/// Any scalar as text (ids that are numbers in one API and strings in another).
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(StrOrNum::deserialize(d)?.text())
}

/// An exact amount sent as `"0.1200"` or `0.12`.
pub fn money<'de, D: Deserializer<'de>>(d: D) -> Result<MoneyE4, D::Error> {
    let t = StrOrNum::deserialize(d)?.text();
    MoneyE4::parse(&t).map_err(serde::de::Error::custom)
}

/// Like [`money`], but `null` or absent is zero.
pub fn money_or_zero<'de, D: Deserializer<'de>>(d: D) -> Result<MoneyE4, D::Error> {
    match Option::<StrOrNum>::deserialize(d)? {
        None => Ok(MoneyE4::ZERO),
        Some(v) => {
            let t = v.text();
            if t.trim().is_empty() {
                return Ok(MoneyE4::ZERO);
            }
            MoneyE4::parse(&t).map_err(serde::de::Error::custom)
        }
    }
}

/// Any scalar as text; `null` or absent is `None`.
pub fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<StrOrNum>::deserialize(d)?.map(StrOrNum::text))
}
