//! Parts as sellers know them: a colour's name without its number, an item type's name, and the
//! address of an item's picture in the shell's image cache.

use crate::i18n::t;

/// `Red` (the catalog's name), or `#5` while the catalog has none; `-1` is a colour no catalog
/// maps.
pub fn colour_label(id: i64, name: &str) -> String {
    match (id, name.trim()) {
        (_, n) if !n.is_empty() => n.to_string(),
        (-1, _) => t("part-colour-unknown"),
        (id, _) => format!("#{id}"),
    }
}

/// BrickLink's item types by name (`PART` → Part / Część); an unknown code shows as it came.
pub fn item_type_label(code: &str) -> String {
    match code.trim().to_ascii_uppercase().as_str() {
        "PART" => t("part-type-part"),
        "SET" => t("part-type-set"),
        "MINIFIG" => t("part-type-minifig"),
        "BOOK" => t("part-type-book"),
        "GEAR" => t("part-type-gear"),
        "CATALOG" => t("part-type-catalog"),
        "INSTRUCTION" => t("part-type-instruction"),
        "ORIGINAL_BOX" => t("part-type-original-box"),
        "UNSORTED_LOT" => t("part-type-unsorted-lot"),
        _ => code.to_string(),
    }
}

/// Where the window loads an item's picture from: the shell's `thumb:` scheme, which serves it
/// from the on-disk cache (fetching it once). Only BrickLink's `https:` and scheme-relative
/// addresses are taken; anything else has no picture.
pub fn thumb_src(url: &str) -> Option<String> {
    let u = url.trim();
    let remote = if u.starts_with("https://") { u.to_string() } else { format!("https://{}", u.strip_prefix("//")?) };
    Some(format!("thumb://localhost/?u={}", percent_encode(&remote)))
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_read_by_name_and_types_by_word() {
        assert_eq!(colour_label(5, "Red"), "Red");
        assert_eq!(colour_label(5, " "), "#5");
        assert_eq!(colour_label(-1, ""), "unknown");
        assert_eq!(item_type_label("MINIFIG"), "Minifigure");
        assert_eq!(item_type_label("WHATEVER"), "WHATEVER");
    }

    #[test]
    fn pictures_come_through_the_cache_and_only_from_https() {
        assert_eq!(
            thumb_src("//img.bricklink.com/ItemImage/PN/5/3001.png").as_deref(),
            Some("thumb://localhost/?u=https%3A%2F%2Fimg.bricklink.com%2FItemImage%2FPN%2F5%2F3001.png")
        );
        assert!(thumb_src("https://img.bricklink.com/a b.png").unwrap().ends_with("a%20b.png"));
        assert_eq!(thumb_src("http://example.com/x.png"), None);
        assert_eq!(thumb_src("javascript:alert(1)"), None);
        assert_eq!(thumb_src(""), None);
    }
}
