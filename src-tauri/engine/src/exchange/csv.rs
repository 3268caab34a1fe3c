//! CSV as spreadsheets write it: any of `,` `;` tab `|` (guessed from the header line), UTF-8 with
//! or without a BOM or Windows-1250/1252 (guessed: not UTF-8, with Polish letters → 1250), a header
//! row whose names say what each column holds (BrickStore's, BrickLink's and everyday English and
//! Polish names; `--map column=field` overrides), read with the `csv` crate. Colours are BrickLink
//! ids or names the catalog knows; conditions `N`/`U`, `New`/`Used`, `Nowy`/`Używany`; prices with
//! a decimal comma are read exactly.

use brickdesk_ipc::{CsvOptions, InventoryLot};

use super::{lot, whole, FileRow, Parsed};

/// The fields a column can hold.
pub const FIELDS: [&str; 10] =
    ["item_no", "item_type", "color", "condition", "quantity", "price", "location", "description", "currency", "ignore"];

/// What a header name says a column holds (`None`: nothing BrickDesk reads).
pub fn guess_field(header: &str) -> Option<&'static str> {
    let h = header.trim().trim_matches('"').to_lowercase().replace(['_', '-'], " ");
    let h = h.trim_end_matches('.').trim();
    Some(match h {
        "item no" | "itemid" | "item id" | "item number" | "item" | "part" | "part no" | "part number" | "number" | "no" | "id"
        | "item nr" | "numer" | "nr" | "numer części" | "nr części" | "numer czesci" | "numer elementu" | "element" | "nr elementu" => {
            "item_no"
        }
        "item type" | "itemtypeid" | "itemtype" | "type" | "typ" | "rodzaj" | "typ elementu" => "item_type",
        "color" | "colour" | "color id" | "colorid" | "colour id" | "color name" | "colour name" | "kolor" | "id koloru" | "kolor id"
        | "nazwa koloru" => "color",
        "condition" | "cond" | "new/used" | "n/u" | "stan" => "condition",
        "qty" | "quantity" | "count" | "ilość" | "ilosc" | "szt" | "sztuk" | "liczba" | "liczba sztuk" => "quantity",
        "price" | "unit price" | "each" | "price each" | "cena" | "cena jedn" | "cena jednostkowa" | "cena za sztukę" => "price",
        "remarks" | "location" | "bin" | "lokalizacja" | "miejsce" | "półka" | "polka" | "uwagi" | "pojemnik" => "location",
        "comments" | "description" | "opis" | "komentarz" | "komentarze" => "description",
        "currency" | "waluta" => "currency",
        _ => return None,
    })
}

/// The file's text and the encoding read: a UTF-8 BOM is dropped; text that is not UTF-8 is read
/// as `encoding`, else as Windows-1250 when it holds Polish letters, else as Windows-1252.
pub fn decode(bytes: &[u8], encoding: Option<&str>) -> std::result::Result<(String, &'static str), String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let named = match encoding.map(str::trim).filter(|e| !e.is_empty()) {
        Some(label) => Some(encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| format!("unknown encoding {label:?}"))?),
        None => None,
    };
    if let (None, Ok(s)) = (named, std::str::from_utf8(bytes)) {
        return Ok((s.to_string(), "utf-8"));
    }
    let enc = named.unwrap_or_else(|| {
        // Bytes Windows-1250 uses for ą Ą ś Ś ź Ź ł Ł, which Windows-1252 text hardly ever holds.
        let polish = bytes.iter().filter(|b| matches!(b, 0xB9 | 0xA5 | 0x9C | 0x8C | 0x9F | 0x8F | 0xB3 | 0xA3)).count();
        if polish > 0 {
            encoding_rs::WINDOWS_1250
        } else {
            encoding_rs::WINDOWS_1252
        }
    });
    let (text, _, bad) = enc.decode(bytes);
    if bad {
        return Err(format!("the file is not valid {}", enc.name()));
    }
    Ok((text.into_owned(), enc.name()))
}

/// The delimiter a header line uses: the most frequent of `;` `,` tab `|` outside quotes.
pub fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0), (b'|', 0)];
    let mut quoted = false;
    for b in first.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            if let Some(c) = counts.iter_mut().find(|(d, _)| *d == b) {
                c.1 += 1;
            }
        }
    }
    counts.iter().max_by_key(|(d, n)| (*n, *d == b',')).filter(|(_, n)| *n > 0).map_or(b',', |(d, _)| *d)
}

fn condition_of(s: &str) -> Option<&'static str> {
    match s.trim().to_lowercase().as_str() {
        "n" | "new" | "nowy" | "nowa" | "nowe" | "neu" => Some("N"),
        "u" | "used" | "używany" | "używana" | "używane" | "uzywany" | "uzywane" | "gebraucht" => Some("U"),
        _ => None,
    }
}

fn type_of(s: &str) -> Option<&'static str> {
    let t = s.trim();
    if t.is_empty() {
        return Some("PART");
    }
    super::type_of_letter(t).or_else(|| {
        Some(match t.to_lowercase().as_str() {
            "part" | "parts" | "część" | "czesc" | "klocek" => "PART",
            "set" | "sets" | "zestaw" => "SET",
            "minifig" | "minifigure" | "minifigures" | "figurka" | "minifigurka" => "MINIFIG",
            "book" | "książka" => "BOOK",
            "gear" => "GEAR",
            "catalog" => "CATALOG",
            "instruction" | "instructions" | "instrukcja" => "INSTRUCTION",
            "original box" | "original_box" | "box" | "pudełko" => "ORIGINAL_BOX",
            _ => return None,
        })
    })
}

/// Reads a CSV file. `colour` names a colour by its name (the catalog's), for files that write
/// `Red` rather than `5`.
pub fn read(bytes: &[u8], options: &CsvOptions, colour: &dyn Fn(&str) -> Option<i64>) -> std::result::Result<Parsed, String> {
    let (text, _) = decode(bytes, options.encoding.as_deref())?;
    let delimiter = match options.delimiter {
        Some(c) if c.is_ascii() => c as u8,
        Some(c) => return Err(format!("delimiter {c:?} is not a single-byte character")),
        None => sniff_delimiter(&text),
    };
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().map_err(|e| format!("the header row: {e}"))?.iter().map(str::to_string).collect();
    let mut fields: Vec<&str> = Vec::with_capacity(headers.len());
    for h in &headers {
        let given = options.map.iter().find(|(c, _)| c.trim().eq_ignore_ascii_case(h.trim())).map(|(_, f)| f.trim());
        let field = match given {
            Some(f) => {
                *FIELDS.iter().find(|x| **x == f).ok_or_else(|| format!("--map {h}={f}: the field is one of {}", FIELDS.join(", ")))?
            }
            None => guess_field(h).unwrap_or("ignore"),
        };
        fields.push(field);
    }
    for (c, _) in &options.map {
        if !headers.iter().any(|h| h.trim().eq_ignore_ascii_case(c.trim())) {
            return Err(format!("--map names column {c:?}, which the header row does not have ({})", headers.join(", ")));
        }
    }
    for needed in ["item_no", "quantity"] {
        if !fields.contains(&needed) {
            return Err(format!("no column holds {needed} (columns: {}); name it with --map COLUMN={needed}", headers.join(", ")));
        }
    }
    let mut parsed = Parsed { columns: headers.iter().cloned().zip(fields.iter().map(|f| f.to_string())).collect(), ..Parsed::default() };
    // The line a record starts on, as the spreadsheet numbers it. From the byte offset: the csv
    // crate's own line count lags one behind after `\r\n` endings (a record "starts" at the `\n`).
    let mut lines = LineOf::new(&text);
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let row = e.position().map_or(0, |p| lines.at(p.byte() as usize));
                parsed.rows.push(FileRow { row, lot: Err(format!("not readable: {e}")) });
                continue;
            }
        };
        let row = record.position().map_or(0, |p| lines.at(p.byte() as usize));
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let get = |f: &str| fields.iter().position(|x| *x == f).and_then(|i| record.get(i)).unwrap_or("");
        let lot = (|| {
            let item_no = get("item_no");
            if item_no.is_empty() {
                return Err("no item number".to_string());
            }
            let item_type =
                type_of(get("item_type")).ok_or_else(|| format!("item type {:?} is not one BrickDesk keeps", get("item_type")))?;
            let color = match get("color").trim() {
                "" => 0,
                c => whole(c)
                    .or_else(|| colour(c))
                    .ok_or_else(|| format!("colour {c:?} is neither a BrickLink colour id nor a colour name the catalog knows"))?,
            };
            let condition = match get("condition") {
                "" => "N",
                c => condition_of(c).ok_or_else(|| format!("condition {c:?} is neither new nor used"))?,
            };
            let quantity = whole(get("quantity")).ok_or_else(|| format!("quantity {:?} is not a whole number", get("quantity")))?;
            let price = if get("price").is_empty() { "0" } else { get("price") };
            let currency = Some(get("currency")).filter(|c| !c.is_empty());
            Ok(lot(item_no, item_type, color, condition, quantity, price, get("location"), get("description"), currency))
        })();
        parsed.rows.push(FileRow { row, lot });
    }
    Ok(parsed)
}

/// Line numbers of byte offsets, counted forward (records come in order).
struct LineOf<'a> {
    text: &'a [u8],
    upto: usize,
    line: usize,
}

impl<'a> LineOf<'a> {
    fn new(text: &'a str) -> LineOf<'a> {
        LineOf { text: text.as_bytes(), upto: 0, line: 1 }
    }

    /// The line of the record starting at `byte` (a `\n` there belongs to the line before).
    fn at(&mut self, byte: usize) -> usize {
        let end = (byte + 1).min(self.text.len());
        if end > self.upto {
            self.line += self.text[self.upto..end].iter().filter(|b| **b == b'\n').count();
            self.upto = end;
        }
        self.line
    }
}

/// The header `write` uses; `read` takes it back as it is.
pub const HEADER: [&str; 9] = ["Item No", "Item Type", "Color", "Condition", "Qty", "Price", "Currency", "Location", "Description"];

/// Writes lots as UTF-8 CSV with a header row (prices exact, as stored).
pub fn write(lots: &[InventoryLot]) -> std::result::Result<String, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER).map_err(|e| e.to_string())?;
    for l in lots {
        let (color, qty) = (l.color_id.to_string(), l.quantity.to_string());
        w.write_record([&l.item_no, &l.item_type, &color, &l.condition, &qty, &l.unit_price, &l.currency, &l.location, &l.description])
            .map_err(|e| e.to_string())?;
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn colours(name: &str) -> Option<i64> {
        match name.to_lowercase().as_str() {
            "red" | "czerwony" => Some(5),
            "black" | "czarny" => Some(11),
            _ => None,
        }
    }

    #[test]
    fn reads_a_polish_spreadsheet_in_windows_1250_with_semicolons() {
        // Excel's "CSV (semicolon)" from a Polish Windows: Windows-1250, decimal commas.
        let text = "Numer;Kolor;Stan;Ilość;Cena;Lokalizacja;Opis\r\n3001;czerwony;Nowy;40;0,12;A-01;Półka górna\r\n3003;11;Używany;5;0,085;B-02;\r\n3004;fioletowy;N;1;0,1;;\r\n;5;N;2;1;;\r\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1250.encode(text);
        let p = read(&bytes, &CsvOptions::default(), &colours).unwrap();
        assert_eq!(p.columns[0], ("Numer".to_string(), "item_no".to_string()));
        let a = p.rows[0].lot.as_ref().unwrap();
        assert_eq!((a.item_no.as_str(), a.color_id, a.condition.as_str(), a.quantity), ("3001", 5, "N", 40));
        assert_eq!((a.unit_price.as_text(), a.location.as_str(), a.description.as_str()), ("0.12".to_string(), "A-01", "Półka górna"));
        let b = p.rows[1].lot.as_ref().unwrap();
        assert_eq!((b.color_id, b.condition.as_str(), b.unit_price.as_text()), (11, "U", "0.085".to_string()));
        assert_eq!(p.rows[2].row, 4, "the spreadsheet's line");
        assert!(p.rows[2].lot.as_ref().unwrap_err().contains("fioletowy"));
        assert!(p.rows[3].lot.as_ref().unwrap_err().contains("item number"));
    }

    #[test]
    fn utf8_with_a_bom_commas_and_a_mapping_given() {
        let text = "\u{feff}Part,Colour,Amount,Each,Bin\n3001,5,3,\"1,234.50\",A-1\n";
        let map = CsvOptions { map: vec![("Amount".into(), "quantity".into())], ..CsvOptions::default() };
        let p = read(text.as_bytes(), &map, &colours).unwrap();
        let a = p.rows[0].lot.as_ref().unwrap();
        assert_eq!((a.quantity, a.unit_price.as_text(), a.location.as_str()), (3, "1234.50".to_string(), "A-1"));
        let missing = read(b"Colour,Amount\n5,3\n", &CsvOptions::default(), &colours).unwrap_err();
        assert!(missing.contains("item_no"), "{missing}");
        let wrong = CsvOptions { map: vec![("Nope".into(), "quantity".into())], ..CsvOptions::default() };
        assert!(read(text.as_bytes(), &wrong, &colours).unwrap_err().contains("Nope"));
    }

    #[test]
    fn what_write_writes_read_takes_back() {
        let lot = InventoryLot {
            id: 1,
            item_no: "3001".into(),
            item_type: "PART".into(),
            color_id: 5,
            condition: "N".into(),
            location: "A-01, top".into(),
            quantity: 40,
            reserved: 0,
            unit_price: "0.1234".into(),
            currency: "PLN".into(),
            description: "say \"hi\"".into(),
            item_name: String::new(),
            color_name: String::new(),
            color_hex: String::new(),
            image_url: None,
            sync: vec![],
        };
        let text = write(std::slice::from_ref(&lot)).unwrap();
        let p = read(text.as_bytes(), &CsvOptions::default(), &colours).unwrap();
        let back = p.rows[0].lot.as_ref().unwrap();
        assert_eq!(
            (back.location.as_str(), back.description.as_str(), back.unit_price.as_text()),
            ("A-01, top", "say \"hi\"", "0.1234".to_string())
        );
        assert_eq!(back.currency.as_deref(), Some("PLN"));
    }
}
