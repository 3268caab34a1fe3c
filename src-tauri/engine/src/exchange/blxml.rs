//! BrickLink's mass-upload XML (`INVENTORY/ITEM`: `ITEMTYPE`, `ITEMID`, `COLOR`, `PRICE`, `QTY`,
//! `CONDITION`, `REMARKS`, `DESCRIPTION`, …), as BrickLink's *Upload* page takes it and
//! BrickStore exports it. `REMARKS` is BrickDesk's bin and `DESCRIPTION` its description, as
//! everywhere BrickDesk talks to BrickLink. Tier prices, sale %, bulk, stockroom, retain and
//! sub-condition are counted as dropped. A file states no currency: the store's is taken.

use brickdesk_ipc::InventoryLot;

use super::{lot, read_items, type_of_letter, whole, xml_text, FileRow, Parsed};

const DROPPED: [(&str, &str); 9] = [
    ("TQ1", "tier prices"),
    ("TP1", "tier prices"),
    ("SALE", "sale %"),
    ("BULK", "bulk"),
    ("STOCKROOM", "stockroom"),
    ("RETAIN", "retain"),
    ("SUBCONDITION", "sub-condition (complete / incomplete / sealed)"),
    ("MYCOST", "cost"),
    ("MINQTY", "minimum buy"),
];

pub fn read(xml: &str, currency: Option<&str>) -> std::result::Result<Parsed, String> {
    let items = read_items(xml, "ITEM")?;
    if items.items.is_empty() && !xml.contains("INVENTORY") {
        return Err("not a BrickLink XML file: no INVENTORY and no ITEM".into());
    }
    let mut parsed = Parsed::default();
    for (i, item) in items.items.iter().enumerate() {
        let get = |k: &str| item.get(k).map(String::as_str).unwrap_or("");
        for (tag, what) in DROPPED {
            if !matches!(get(tag), "" | "0" | "N" | "1") {
                parsed.drop_field(what);
            }
        }
        let lot = (|| {
            let item_type =
                type_of_letter(get("ITEMTYPE")).ok_or_else(|| format!("item type {:?} is not one BrickDesk keeps", get("ITEMTYPE")))?;
            let color = if get("COLOR").is_empty() {
                0
            } else {
                whole(get("COLOR")).ok_or_else(|| format!("colour {:?} is not a BrickLink colour id", get("COLOR")))?
            };
            let quantity = whole(get("QTY")).ok_or_else(|| format!("quantity {:?} is not a whole number", get("QTY")))?;
            if get("ITEMID").is_empty() {
                return Err("no ITEMID".to_string());
            }
            let condition = if get("CONDITION").is_empty() { "N" } else { get("CONDITION") };
            Ok(lot(get("ITEMID"), item_type, color, condition, quantity, get("PRICE"), get("REMARKS"), get("DESCRIPTION"), currency))
        })();
        parsed.rows.push(FileRow { row: i + 1, lot });
    }
    Ok(parsed)
}

/// Writes lots as BrickLink's upload page takes them.
pub fn write(lots: &[InventoryLot]) -> String {
    let mut out = String::from("<INVENTORY>\n");
    for l in lots {
        let letter = super::letter_of_type(&l.item_type).unwrap_or('P');
        out.push_str("<ITEM>");
        out.push_str(&format!("<ITEMTYPE>{letter}</ITEMTYPE><ITEMID>{}</ITEMID>", xml_text(&l.item_no)));
        if letter == 'P' || l.color_id > 0 {
            out.push_str(&format!("<COLOR>{}</COLOR>", l.color_id));
        }
        out.push_str(&format!(
            "<PRICE>{}</PRICE><QTY>{}</QTY><CONDITION>{}</CONDITION>",
            xml_text(&l.unit_price),
            l.quantity,
            xml_text(&l.condition)
        ));
        if !l.location.is_empty() {
            out.push_str(&format!("<REMARKS>{}</REMARKS>", xml_text(&l.location)));
        }
        if !l.description.is_empty() {
            out.push_str(&format!("<DESCRIPTION>{}</DESCRIPTION>", xml_text(&l.description)));
        }
        out.push_str("</ITEM>\n");
    }
    out.push_str("</INVENTORY>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Written from BrickLink's *Upload Inventory* XML help: one ITEM per lot, upper-case tags.
    const FILE: &str = "<INVENTORY>
  <ITEM><ITEMTYPE>P</ITEMTYPE><ITEMID>3001</ITEMID><COLOR>5</COLOR><PRICE>0.1250</PRICE><QTY>40</QTY>
        <CONDITION>N</CONDITION><REMARKS>A-01</REMARKS><DESCRIPTION>Clean &lt;no marks&gt;</DESCRIPTION>
        <TQ1>100</TQ1><TP1>0.10</TP1><STOCKROOM>Y</STOCKROOM></ITEM>
  <ITEM><ITEMTYPE>M</ITEMTYPE><ITEMID>sw0001a</ITEMID><PRICE>3</PRICE><QTY>1</QTY><CONDITION>U</CONDITION></ITEM>
  <ITEM><ITEMTYPE>P</ITEMTYPE><ITEMID>3003</ITEMID><COLOR>11</COLOR><PRICE>0.10</PRICE><QTY>many</QTY></ITEM>
</INVENTORY>";

    #[test]
    fn reads_bricklink_upload_xml() {
        let p = read(FILE, Some("USD")).unwrap();
        let a = p.rows[0].lot.as_ref().unwrap();
        assert_eq!((a.item_no.as_str(), a.color_id, a.quantity, a.unit_price.as_text()), ("3001", 5, 40, "0.1250".to_string()));
        assert_eq!((a.location.as_str(), a.description.as_str()), ("A-01", "Clean <no marks>"));
        let m = p.rows[1].lot.as_ref().unwrap();
        assert_eq!((m.item_type.as_str(), m.color_id, m.condition.as_str()), ("MINIFIG", 0, "U"));
        assert_eq!(p.rows[2].row, 3);
        assert!(p.rows[2].lot.as_ref().unwrap_err().contains("quantity"));
        assert_eq!((p.dropped.get("tier prices"), p.dropped.get("stockroom")), (Some(&2), Some(&1)));
    }
}
