//! The add-lot form and the inline edit: what the seller typed, read as the engine's input.

use brickdesk_ipc::{DecimalInput, InventoryAddInput, InventoryLot, InventoryUpdateInput};

use super::catalog::{price, ITEM_TYPES};
use super::words::decimal_key;
use crate::i18n::{t, tf};

/// A price as typed: `0.12`, `.5`, `3` or with a decimal comma (`0,12`); `None` unless it is a
/// plain non-negative amount.
pub fn typed_price(s: &str) -> Option<String> {
    let t = s.trim();
    let t = if t.contains(',') && !t.contains('.') { t.replacen(',', ".", 1) } else { t.to_string() };
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let plain = t.chars().all(|c| c.is_ascii_digit() || c == '.') && t.matches('.').count() <= 1;
    (plain && digits > 0).then_some(t)
}

/// A whole number, 0 or more.
fn typed_count(s: &str) -> Option<i64> {
    s.trim().parse::<i64>().ok().filter(|n| *n >= 0)
}

/// What to fix in a quantity as typed (`typed` quoted as it came).
fn bad_quantity(typed: &str) -> String {
    tf("lots-form-bad-quantity", &[("got", format!("{:?}", typed.trim()).into())])
}

/// What to fix in a price as typed.
fn bad_price(typed: &str) -> String {
    tf("lots-form-bad-price", &[("got", format!("{:?}", typed.trim()).into())])
}

/// The add-lot form's fields, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LotForm {
    pub item_no: String,
    pub item_type: String,
    pub color_id: String,
    pub condition: String,
    pub quantity: String,
    pub price: String,
    pub location: String,
    pub description: String,
}

/// What the add form sends, or what to fix (every problem, in the form's order). The engine checks
/// again and its refusals are shown as they come.
pub fn lot_add_input(f: &LotForm, currency: Option<&str>) -> Result<InventoryAddInput, String> {
    let mut problems: Vec<String> = Vec::new();
    let item_no = f.item_no.trim();
    if item_no.is_empty() {
        problems.push(t("lots-form-need-item-no"));
    }
    let color_id = match f.color_id.trim() {
        "" => {
            problems.push(t("lots-form-need-colour"));
            0
        }
        c => typed_count(c.trim_start_matches('#')).unwrap_or_else(|| {
            problems.push(tf("lots-form-bad-colour", &[("got", format!("{c:?}").into())]));
            0
        }),
    };
    let condition = f.condition.trim().to_ascii_uppercase();
    if condition != "N" && condition != "U" {
        problems.push(t("lots-form-bad-condition"));
    }
    let quantity = typed_count(&f.quantity).unwrap_or_else(|| {
        problems.push(bad_quantity(&f.quantity));
        0
    });
    let price = typed_price(&f.price).unwrap_or_else(|| {
        problems.push(bad_price(&f.price));
        String::new()
    });
    if !problems.is_empty() {
        return Err(problems.join(" "));
    }
    let item_type = f.item_type.trim();
    Ok(InventoryAddInput {
        item_no: item_no.to_string(),
        item_type: if item_type.is_empty() { ITEM_TYPES[0].to_string() } else { item_type.to_ascii_uppercase() },
        color_id,
        condition,
        quantity,
        unit_price: DecimalInput::Text(price),
        location: f.location.trim().to_string(),
        description: f.description.trim().to_string(),
        currency: currency.map(str::to_string),
    })
}

/// The currency new lots are priced in: the one most lots use (ties: the first alphabetically);
/// `None` without lots (the engine's default).
pub fn lots_currency(lots: &[InventoryLot]) -> Option<String> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for l in lots.iter().map(|l| l.currency.trim()).filter(|c| !c.is_empty()) {
        match counts.iter_mut().find(|(c, _)| *c == l) {
            Some((_, n)) => *n += 1,
            None => counts.push((l, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    counts.first().map(|(c, _)| c.to_string())
}

/// The inline edit of quantity, price and location: only what changed (`Ok(None)`: nothing did).
pub fn lot_edit_input(lot: &InventoryLot, quantity: &str, price: &str, location: &str) -> Result<Option<InventoryUpdateInput>, String> {
    let mut problems: Vec<String> = Vec::new();
    let q = typed_count(quantity);
    if q.is_none() {
        problems.push(bad_quantity(quantity));
    }
    let p = typed_price(price);
    if p.is_none() {
        problems.push(bad_price(price));
    }
    let (Some(q), Some(p)) = (q, p) else { return Err(problems.join(" ")) };
    let location = location.trim();
    let input = InventoryUpdateInput {
        quantity: (q != lot.quantity).then_some(q),
        unit_price: (decimal_key(&p) != decimal_key(lot.unit_price.trim())).then_some(DecimalInput::Text(p)),
        location: (location != lot.location.trim()).then(|| location.to_string()),
        ..InventoryUpdateInput::default()
    };
    Ok((input != InventoryUpdateInput::default()).then_some(input))
}

/// The price the edit field starts with: at least two decimals, no trailing zeros beyond
/// (`0.1200` → `0.12`, `0.0512` stays).
pub fn edit_price(unit_price: &str) -> String {
    price(unit_price)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::catalog::{colour_choice, colour_hint, colour_typed};
    use crate::format::inventory::tests::lot;
    use brickdesk_ipc::CatalogColor;

    fn form(item_no: &str, color: &str, quantity: &str, price: &str) -> LotForm {
        LotForm {
            item_no: item_no.into(),
            item_type: "PART".into(),
            color_id: color.into(),
            condition: "N".into(),
            quantity: quantity.into(),
            price: price.into(),
            location: " B-02 ".into(),
            description: String::new(),
        }
    }

    #[test]
    fn the_add_form_sends_a_clean_lot_or_says_what_to_fix() {
        let input = lot_add_input(&form(" 3003 ", "#11", "20", "0,08"), Some("EUR")).unwrap();
        assert_eq!(input.item_no, "3003");
        assert_eq!(input.color_id, 11);
        assert_eq!(input.quantity, 20);
        assert_eq!(input.unit_price, DecimalInput::Text("0.08".into()), "a decimal comma is read as a point");
        assert_eq!(input.location, "B-02");
        assert_eq!(input.currency.as_deref(), Some("EUR"));
        assert_eq!(lot_add_input(&form("3003", "0", "0", ".5"), None).unwrap().unit_price, DecimalInput::Text(".5".into()));

        let e = lot_add_input(&form("", "red", "-1", "cheap"), None).unwrap_err();
        assert!(e.starts_with("Item no. is required"), "{e}");
        for part in ["Colour id must be a number", "Quantity must be a whole number", "Price must be an amount like 0.12"] {
            assert!(e.contains(part), "{part:?} missing in {e}");
        }
        assert!(lot_add_input(&form("3001", "", "1", "1"), None).unwrap_err().contains("Colour id is required"));
        let mut used = form("3001", "5", "1", "1");
        used.condition = "x".into();
        assert!(lot_add_input(&used, None).unwrap_err().contains("new (N) or used (U)"));
        assert_eq!(typed_price("1.2.3"), None);
        assert_eq!(typed_price("-1"), None);
        assert_eq!(typed_price("."), None);
        assert_eq!(typed_price(" 3 ").as_deref(), Some("3"));
    }

    #[test]
    fn new_lots_use_the_stores_usual_currency() {
        let mut a = lot(1, &[]);
        a.currency = "EUR".into();
        let b = lot(2, &[]);
        assert_eq!(lots_currency(&[a.clone(), a.clone(), b.clone()]).as_deref(), Some("EUR"));
        assert_eq!(lots_currency(&[b, a]).as_deref(), Some("EUR"), "a tie goes to the first alphabetically");
        assert_eq!(lots_currency(&[]), None);
    }

    #[test]
    fn an_inline_edit_sends_only_what_changed() {
        let l = lot(1, &[]);
        assert_eq!(lot_edit_input(&l, "40", "0.1200", " A-01 "), Ok(None), "nothing changed");
        let e = lot_edit_input(&l, "35", "0.15", "A-02").unwrap().unwrap();
        assert_eq!(e.quantity, Some(35));
        assert_eq!(e.unit_price, Some(DecimalInput::Text("0.15".into())));
        assert_eq!(e.location.as_deref(), Some("A-02"));
        assert_eq!((e.description, e.condition), (None, None));
        let only_qty = lot_edit_input(&l, "12", "0.12", "A-01").unwrap().unwrap();
        assert_eq!((only_qty.quantity, only_qty.unit_price, only_qty.location), (Some(12), None, None));
        let err = lot_edit_input(&l, "many", "x", "A-01").unwrap_err();
        assert!(err.contains("Quantity") && err.contains("Price"), "{err}");
        assert_eq!(edit_price("0.1200"), "0.12");
        assert_eq!(edit_price("2"), "2.00");
    }

    fn cc(id: i64, name: &str) -> CatalogColor {
        CatalogColor { color_id: id, name: name.into(), hex: String::new(), quantity: 0 }
    }

    #[test]
    fn the_colour_field_takes_a_name_a_choice_or_an_id() {
        let colors = vec![cc(11, "Black"), cc(5, "Red"), cc(86, "")];
        assert_eq!(colour_choice(&colors[0]), "Black (#11)");
        assert_eq!(colour_choice(&colors[2]), "#86", "a colour whose name is not fetched yet");
        assert_eq!(colour_typed(" 11 ", &colors), "11");
        assert_eq!(colour_typed("#5", &colors), "#5");
        assert_eq!(colour_typed("Black (#11)", &colors), "11");
        assert_eq!(colour_typed("Light Bluish Gray (#86)", &[]), "86", "a choice reads without the list");
        assert_eq!(colour_typed(" black ", &colors), "11");
        assert_eq!(colour_typed("blak", &colors), "blak", "an unknown name stays as typed");
        assert_eq!(colour_typed("", &colors), "");
        assert_eq!(colour_hint("5", &colors).as_deref(), Some("Red"));
        assert_eq!(colour_hint("Black (#11)", &colors).as_deref(), Some("Black"));
        assert_eq!(colour_hint("86", &colors), None);
        assert_eq!(colour_hint("3", &colors), None);
        // What the form sends once the field became an id.
        let mut f = form("3001", &colour_typed("red", &colors), "1", "1");
        assert_eq!(lot_add_input(&f, None).unwrap().color_id, 5);
        f.color_id = colour_typed("blak", &colors);
        assert!(lot_add_input(&f, None).unwrap_err().contains("Colour id must be a number"));
    }
}
