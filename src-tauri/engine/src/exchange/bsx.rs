//! BrickStore's BSX files (`BrickStoreXML/Inventory/Item`; BrickStore's own schema,
//! `BrickStoreXML.rnc`): `ItemID`, `ItemTypeID` (one letter), `ColorID`, `Qty`, `Price`,
//! `Condition`, `Remarks` (BrickDesk's bin, as BrickLink's remarks), `Comments` (the buyer-visible
//! description). What BrickDesk has no place for (tier prices, sale %, bulk, stockroom, cost,
//! sub-condition, retain, reserved) is counted as dropped; an item marked *exclude* (`Status X`)
//! is refused, as BrickStore would not upload it.

use brickdesk_ipc::InventoryLot;

use super::{lot, read_items, type_of_letter, whole, xml_text, FileRow, Parsed};

/// Fields a BSX item may carry that BrickDesk keeps nowhere (with a non-default value).
const DROPPED: [(&str, &str); 13] = [
    ("TQ1", "tier prices"),
    ("TP1", "tier prices"),
    ("Sale", "sale %"),
    ("Bulk", "bulk"),
    ("Stockroom", "stockroom"),
    ("Cost", "cost"),
    ("SubCondition", "sub-condition (complete / incomplete / sealed)"),
    ("Retain", "retain"),
    ("Reserved", "reserved for a buyer"),
    ("MarkerText", "BrickStore marker"),
    ("MarkerColor", "BrickStore marker"),
    ("TotalWeight", "weight"),
    ("LotID", "BrickLink lot id"),
];

/// Reads a BSX file (as text: BSX is UTF-8 XML).
pub fn read(xml: &str) -> std::result::Result<Parsed, String> {
    let items = read_items(xml, "Item")?;
    if items.items.is_empty() && !xml.contains("BrickStoreXML") && !xml.contains("BrickStockXML") {
        return Err("not a BrickStore file: no BrickStoreXML root and no Item".into());
    }
    let currency = items.holder.get("Currency").cloned();
    let mut parsed = Parsed::default();
    for (i, item) in items.items.iter().enumerate() {
        let row = i + 1;
        let get = |k: &str| item.get(k).map(String::as_str).unwrap_or("");
        for (tag, what) in DROPPED {
            let v = get(tag);
            if item.contains_key(tag) && !matches!(v, "" | "0" | "1" | "0.0" | "0.000") || (tag == "Retain" && item.contains_key(tag)) {
                parsed.drop_field(what);
            }
        }
        let lot = (|| {
            if get("Status") == "X" {
                return Err("marked exclude in BrickStore".to_string());
            }
            let item_type =
                type_of_letter(get("ItemTypeID")).ok_or_else(|| format!("item type {:?} is not one BrickDesk keeps", get("ItemTypeID")))?;
            let color = whole(get("ColorID")).ok_or_else(|| format!("colour {:?} is not a BrickLink colour id", get("ColorID")))?;
            let quantity = if get("Qty").is_empty() {
                0
            } else {
                whole(get("Qty")).ok_or_else(|| format!("quantity {:?} is not a whole number", get("Qty")))?
            };
            let price = if get("Price").is_empty() { "0" } else { get("Price") };
            let condition = if get("Condition").is_empty() { "N" } else { get("Condition") };
            if get("ItemID").is_empty() {
                return Err("no ItemID".to_string());
            }
            Ok(lot(get("ItemID"), item_type, color, condition, quantity, price, get("Remarks"), get("Comments"), currency.as_deref()))
        })();
        parsed.rows.push(FileRow { row, lot });
    }
    Ok(parsed)
}

/// Writes lots as a BSX file BrickStore opens (prices exact, as stored).
pub fn write(lots: &[InventoryLot]) -> String {
    let currency = lots.first().map(|l| l.currency.as_str()).unwrap_or("USD");
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<BrickStoreXML>\n");
    out.push_str(&format!(" <Inventory Currency=\"{}\">\n", xml_text(currency)));
    for l in lots {
        let letter = super::letter_of_type(&l.item_type).unwrap_or('P');
        out.push_str("  <Item>\n");
        out.push_str(&format!("   <ItemID>{}</ItemID>\n", xml_text(&l.item_no)));
        out.push_str(&format!("   <ItemTypeID>{letter}</ItemTypeID>\n"));
        out.push_str(&format!("   <ColorID>{}</ColorID>\n", l.color_id));
        out.push_str(&format!("   <Qty>{}</Qty>\n", l.quantity));
        out.push_str(&format!("   <Price>{}</Price>\n", xml_text(&l.unit_price)));
        out.push_str(&format!("   <Condition>{}</Condition>\n", xml_text(&l.condition)));
        if !l.location.is_empty() {
            out.push_str(&format!("   <Remarks>{}</Remarks>\n", xml_text(&l.location)));
        }
        if !l.description.is_empty() {
            out.push_str(&format!("   <Comments>{}</Comments>\n", xml_text(&l.description)));
        }
        out.push_str("  </Item>\n");
    }
    out.push_str(" </Inventory>\n</BrickStoreXML>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Written from BrickStore's schema (`BrickStoreXML.rnc`) as BrickStore 2024 saves a file:
    /// elements in any order, optional ones left out, entities in text, tier prices and a
    /// stockroom BrickDesk cannot keep, an excluded item, and a broken one.
    const FILE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE BrickStoreXML>
<BrickStoreXML>
 <Inventory Currency="EUR">
  <Item>
   <ItemID>3001</ItemID><ItemTypeID>P</ItemTypeID><ColorID>5</ColorID>
   <ItemName>Brick 2 x 4</ItemName><ColorName>Red</ColorName>
   <Qty>40</Qty><Price>0.125</Price><Condition>N</Condition>
   <Remarks>A-01 &amp; A-02</Remarks><Comments>Great &#261; condition</Comments>
   <TQ1>100</TQ1><TP1>0.1</TP1><Stockroom>A</Stockroom>
  </Item>
  <Item>
   <Condition>U</Condition><ColorID>0</ColorID><ItemTypeID>S</ItemTypeID><ItemID>6020-1</ItemID><Qty>1</Qty><Price>12.5</Price>
  </Item>
  <Item><ItemID>3003</ItemID><ItemTypeID>P</ItemTypeID><ColorID>11</ColorID><Qty>3</Qty><Status>X</Status></Item>
  <Item><ItemID>3004</ItemID><ItemTypeID>P</ItemTypeID><ColorID>red</ColorID><Qty>3</Qty></Item>
 </Inventory>
 <GuiState Application="BrickStore" Version="1"><Anything/></GuiState>
</BrickStoreXML>"#;

    #[test]
    fn reads_a_brickstore_file_and_says_what_it_drops() {
        let p = read(FILE).unwrap();
        assert_eq!(p.rows.len(), 4);
        let first = p.rows[0].lot.as_ref().unwrap();
        assert_eq!((first.item_no.as_str(), first.item_type.as_str(), first.color_id, first.quantity), ("3001", "PART", 5, 40));
        assert_eq!((first.unit_price.as_text(), first.location.as_str()), ("0.125".to_string(), "A-01 & A-02"));
        assert_eq!((first.description.as_str(), first.currency.as_deref()), ("Great ą condition", Some("EUR")));
        let set = p.rows[1].lot.as_ref().unwrap();
        assert_eq!((set.item_type.as_str(), set.condition.as_str(), set.unit_price.as_text()), ("SET", "U", "12.5".to_string()));
        assert!(p.rows[2].lot.as_ref().unwrap_err().contains("exclude"));
        assert_eq!(p.rows[3].row, 4);
        assert!(p.rows[3].lot.as_ref().unwrap_err().contains("colour"));
        assert_eq!(p.dropped.get("tier prices"), Some(&2));
        assert_eq!(p.dropped.get("stockroom"), Some(&1));
        assert!(read("<html><body/></html>").is_err());
        assert!(read("<BrickStoreXML><Inventory><Item><ItemID>1").is_err(), "a file cut short");
    }
}
