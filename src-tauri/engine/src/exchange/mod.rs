//! Files in and out: BrickStore's BSX (`bsx.rs`), BrickLink's mass-upload XML (`blxml.rs`) and
//! CSV from any spreadsheet (`csv.rs`) become the same rows, which `plan.rs` turns into what an
//! import does (new lots, lots added to, rows refused with their row number) and writes through
//! the ledger in one transaction once confirmed; the same three formats are written out, and
//! orders go out as CSV for bookkeeping (`orders_csv.rs`).
//!
//! May import: `stock/`, `store/`, `marketplaces/types.rs`, the kernel and `base/`. Only
//! `engine/` imports it. No network: a file names lots, it never reaches a marketplace.

pub mod blxml;
pub mod bsx;
pub mod csv;
pub mod orders_csv;
pub mod plan;

use brickdesk_ipc::{DecimalInput, InventoryAddInput};

/// One lot as a file states it, before BrickDesk validates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    /// The row the seller finds it at: the CSV line, or the XML item's position (from 1).
    pub row: usize,
    /// The lot, or why the row cannot be one.
    pub lot: std::result::Result<InventoryAddInput, String>,
}

/// What a file holds, as rows, with what BrickDesk cannot keep.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub rows: Vec<FileRow>,
    /// Fields BrickDesk keeps nowhere, and on how many rows (tier prices, sale, stockroom…).
    pub dropped: std::collections::BTreeMap<String, usize>,
    /// CSV: how each column was read.
    pub columns: Vec<(String, String)>,
}

impl Parsed {
    pub fn drop_field(&mut self, what: &str) {
        *self.dropped.entry(what.to_string()).or_default() += 1;
    }
}

/// BrickLink's one-letter item types (BSX `ItemTypeID`, BrickLink XML `ITEMTYPE`) and
/// BrickDesk's names for them.
const TYPES: [(char, &str); 8] = [
    ('P', "PART"),
    ('S', "SET"),
    ('M', "MINIFIG"),
    ('B', "BOOK"),
    ('G', "GEAR"),
    ('C', "CATALOG"),
    ('I', "INSTRUCTION"),
    ('O', "ORIGINAL_BOX"),
];

pub fn type_of_letter(letter: &str) -> Option<&'static str> {
    let mut chars = letter.trim().chars();
    let (c, rest) = (chars.next()?, chars.next());
    if rest.is_some() {
        return None;
    }
    TYPES.iter().find(|(l, _)| *l == c.to_ascii_uppercase()).map(|(_, t)| *t)
}

pub fn letter_of_type(item_type: &str) -> Option<char> {
    TYPES.iter().find(|(_, t)| t.eq_ignore_ascii_case(item_type.trim())).map(|(l, _)| *l)
}

/// A price as files write it, as a decimal text BrickDesk parses exactly: `0,12` (a Polish
/// spreadsheet) is `0.12`; a currency sign or code around it is dropped. Never through `f64`.
pub fn price_text(s: &str) -> String {
    let t: String = s
        .trim()
        .trim_start_matches(['$', '€', '£'])
        .trim_end_matches(|c: char| c.is_alphabetic() || c == '€' || c == '$' || c == '£')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    if t.contains(',') && !t.contains('.') {
        t.replace(',', ".")
    } else {
        // `1,234.50`: thousands separators.
        t.replace(',', "")
    }
}

/// A whole number as files write it (`12`, ` 12 `, `12.0` from a spreadsheet).
pub fn whole(s: &str) -> Option<i64> {
    let t = s.trim();
    t.parse::<i64>().ok().or_else(|| t.strip_suffix(".0").or_else(|| t.strip_suffix(",0")).and_then(|w| w.parse().ok()))
}

/// A lot as a row states it.
#[allow(clippy::too_many_arguments)]
pub fn lot(
    item_no: &str,
    item_type: &str,
    color_id: i64,
    condition: &str,
    quantity: i64,
    price: &str,
    location: &str,
    description: &str,
    currency: Option<&str>,
) -> InventoryAddInput {
    InventoryAddInput {
        item_no: item_no.trim().to_string(),
        item_type: item_type.to_string(),
        color_id,
        condition: condition.trim().to_string(),
        quantity,
        unit_price: DecimalInput::Text(price_text(price)),
        location: location.trim().to_string(),
        description: description.trim().to_string(),
        currency: currency.map(str::to_string),
    }
}

/// The items of an XML inventory: each `item` element's child elements (name → text), in
/// order, and the attributes of the element that holds them (BSX's `Inventory Currency`).
#[derive(Debug, Default)]
pub struct XmlItems {
    pub items: Vec<std::collections::BTreeMap<String, String>>,
    pub holder: std::collections::BTreeMap<String, String>,
}

/// Reads `item` elements with a real XML parser (quick-xml). Since quick-xml 0.41 an entity
/// (`&amp;`, `&#261;`) arrives as its own event between text events: both are joined here, or
/// `A & B` in a remark would lose its `&`. A malformed file is an error naming the position.
pub fn read_items(xml: &str, item: &str) -> std::result::Result<XmlItems, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = XmlItems::default();
    let mut current: Option<std::collections::BTreeMap<String, String>> = None;
    let mut field: Option<String> = None;
    let mut text = String::new();
    let mut last_open: Option<(String, std::collections::BTreeMap<String, String>)> = None;
    loop {
        let at = reader.buffer_position();
        let event = reader.read_event().map_err(|e| format!("not readable XML near byte {at}: {e}"))?;
        match event {
            Event::Start(e) | Event::Empty(e) if current.is_none() => {
                let name = e.name().as_ref().to_string();
                if name == item {
                    current = Some(Default::default());
                    if let Some((_, attrs)) = last_open.take() {
                        if out.holder.is_empty() {
                            out.holder = attrs;
                        }
                    }
                } else {
                    let attrs = e
                        .attributes()
                        .flatten()
                        .map(|a| {
                            let v = a.normalized_value(quick_xml::XmlVersion::default()).map(|v| v.into_owned()).unwrap_or_default();
                            (a.key.as_ref().to_string(), v)
                        })
                        .collect();
                    last_open = Some((name, attrs));
                }
            }
            Event::Start(e) => {
                field = Some(e.name().as_ref().to_string());
                text.clear();
            }
            // `<Retain/>`: present, empty.
            Event::Empty(e) => {
                if let Some(c) = current.as_mut() {
                    c.insert(e.name().as_ref().to_string(), String::new());
                }
            }
            Event::Text(t) if field.is_some() => text.push_str(&t.xml10_content()),
            Event::CData(t) if field.is_some() => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if field.is_some() => {
                let name = r.xml10_content();
                match r.resolve_char_ref().map_err(|e| format!("near byte {at}: {e}"))? {
                    Some(c) => text.push(c),
                    None => match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(s) => text.push_str(s),
                        None => return Err(format!("unknown entity &{name}; near byte {at}")),
                    },
                }
            }
            Event::End(e) => {
                let name = e.name().as_ref().to_string();
                if name == item {
                    if let Some(c) = current.take() {
                        out.items.push(c);
                    }
                } else if let (Some(f), Some(c)) = (field.take(), current.as_mut()) {
                    c.insert(f, std::mem::take(&mut text).trim().to_string());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if current.is_some() {
        return Err(format!("the file ends inside an <{item}>"));
    }
    Ok(out)
}

/// Escapes text for an XML element.
pub fn xml_text(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_and_numbers_read_as_spreadsheets_write_them() {
        assert_eq!(price_text(" 0,12 zł"), "0.12");
        assert_eq!(price_text("$1,234.50"), "1234.50");
        assert_eq!(price_text("0.0450 PLN"), "0.0450");
        assert_eq!((whole(" 12 "), whole("12.0"), whole("1.5")), (Some(12), Some(12), None));
        assert_eq!((type_of_letter("p"), type_of_letter("PP"), letter_of_type("MINIFIG")), (Some("PART"), None, Some('M')));
    }
}
