//! The simulator's tiny catalog: BrickLink colours with their BrickOwl twins, a handful of real
//! items, and deterministic synthesis (name, weight, BOID, prices) for every other item number.

use serde_json::{json, Value};

/// One colour known to both marketplaces. BrickOwl ids deliberately never equal a BrickLink id in
/// this table, so a client that forgets to map colours fails loudly.
pub(crate) struct Colour {
    pub bl: i64,
    pub name: &'static str,
    pub hex: &'static str,
    pub kind: &'static str,
    pub bo: Option<i64>,
}

pub(crate) const COLOURS: &[Colour] = &[
    Colour { bl: 0, name: "(Not Applicable)", hex: "", kind: "", bo: None },
    Colour { bl: 1, name: "White", hex: "FFFFFF", kind: "Solid", bo: Some(39) },
    Colour { bl: 2, name: "Tan", hex: "E4CD9E", kind: "Solid", bo: Some(61) },
    Colour { bl: 3, name: "Yellow", hex: "F2CD37", kind: "Solid", bo: Some(104) },
    Colour { bl: 5, name: "Red", hex: "C91A09", kind: "Solid", bo: Some(81) },
    Colour { bl: 6, name: "Green", hex: "237841", kind: "Solid", bo: Some(44) },
    Colour { bl: 7, name: "Blue", hex: "0055BF", kind: "Solid", bo: Some(95) },
    Colour { bl: 11, name: "Black", hex: "212121", kind: "Solid", bo: Some(38) },
    Colour { bl: 85, name: "Dark Bluish Gray", hex: "6C6E68", kind: "Solid", bo: Some(36) },
    Colour { bl: 86, name: "Light Bluish Gray", hex: "A0A5A9", kind: "Solid", bo: Some(50) },
    Colour { bl: 88, name: "Reddish Brown", hex: "582A12", kind: "Solid", bo: Some(68) },
];

pub(crate) fn colour_by_bl(id: i64) -> Option<&'static Colour> {
    COLOURS.iter().find(|c| c.bl == id)
}

pub(crate) fn colour_by_bo(id: i64) -> Option<&'static Colour> {
    COLOURS.iter().find(|c| c.bo == Some(id))
}

pub(crate) fn bl_colour_name(id: i64) -> String {
    colour_by_bl(id).map_or_else(|| "(Unknown)".to_string(), |c| c.name.to_string())
}

/// BrickLink item types (`type` in paths and bodies).
pub(crate) const BL_TYPES: &[&str] = &["PART", "MINIFIG", "SET", "BOOK", "GEAR", "CATALOG", "INSTRUCTION", "UNSORTED_LOT", "ORIGINAL_BOX"];

/// Normalises a BrickLink item type (`set` in paths is lower case); `None` if unknown.
pub(crate) fn bl_type(s: &str) -> Option<&'static str> {
    let up = s.trim().to_ascii_uppercase();
    BL_TYPES.iter().copied().find(|t| *t == up)
}

struct Known {
    no: &'static str,
    kind: &'static str,
    name: &'static str,
    category_id: i64,
    weight_e2: i64,
    year: i64,
    boid: &'static str,
}

const KNOWN: &[Known] = &[
    Known { no: "3001", kind: "PART", name: "Brick 2 x 4", category_id: 5, weight_e2: 232, year: 1958, boid: "460131" },
    Known { no: "3003", kind: "PART", name: "Brick 2 x 2", category_id: 5, weight_e2: 117, year: 1958, boid: "384214" },
    Known { no: "3004", kind: "PART", name: "Brick 1 x 2", category_id: 5, weight_e2: 80, year: 1958, boid: "385115" },
    Known { no: "3020", kind: "PART", name: "Plate 2 x 4", category_id: 26, weight_e2: 129, year: 1961, boid: "512355" },
    Known { no: "3023", kind: "PART", name: "Plate 1 x 2", category_id: 26, weight_e2: 41, year: 1963, boid: "771344" },
    Known { no: "3028", kind: "PART", name: "Plate 6 x 12", category_id: 26, weight_e2: 787, year: 1964, boid: "20603" },
    Known { no: "3069b", kind: "PART", name: "Tile 1 x 2 with Groove", category_id: 37, weight_e2: 26, year: 1979, boid: "487300" },
    Known { no: "3710", kind: "PART", name: "Plate 1 x 4", category_id: 26, weight_e2: 62, year: 1969, boid: "436571" },
    Known { no: "30562", kind: "PART", name: "Panel 4 x 4 x 6 Corner Round", category_id: 23, weight_e2: 1298, year: 2000, boid: "306255" },
    Known {
        no: "sw0001a",
        kind: "MINIFIG",
        name: "Luke Skywalker (Tatooine)",
        category_id: 65,
        weight_e2: 330,
        year: 1999,
        boid: "527310",
    },
    Known {
        no: "sw0578",
        kind: "MINIFIG",
        name: "Clone Trooper, Phase 2 (Plain White) - Black Visor",
        category_id: 65,
        weight_e2: 350,
        year: 2014,
        boid: "562214",
    },
    Known {
        no: "10030-1",
        kind: "SET",
        name: "Imperial Star Destroyer - UCS",
        category_id: 65,
        weight_e2: 909_300,
        year: 2002,
        boid: "1123064",
    },
    Known {
        no: "75192-1",
        kind: "SET",
        name: "Millennium Falcon - UCS (2nd edition)",
        category_id: 65,
        weight_e2: 1_490_000,
        year: 2017,
        boid: "1108231",
    },
    Known {
        no: "7644-1",
        kind: "SET",
        name: "MX-81 Hypersonic Operations Aircraft",
        category_id: 480,
        weight_e2: 215_000,
        year: 2008,
        boid: "1014417",
    },
];

/// The table entry whose base BOID this is, if any.
pub(crate) fn known_by_boid(base: &str) -> Option<ItemInfo> {
    KNOWN.iter().find(|k| k.boid == base).map(|k| item(k.kind, k.no))
}

/// Catalog facts about one BrickLink item, known or synthesized.
#[derive(Clone, Debug)]
pub(crate) struct ItemInfo {
    pub no: String,
    pub kind: String,
    pub name: String,
    pub category_id: i64,
    pub weight_e2: i64,
    pub year: i64,
    pub boid: String,
}

/// FNV-1a, for deterministic "random" catalog values.
pub(crate) fn hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Whether the table knows this number as a different type (then the item "does not exist").
pub(crate) fn known_with_other_type(kind: &str, no: &str) -> bool {
    KNOWN.iter().any(|k| k.no.eq_ignore_ascii_case(no) && k.kind != kind)
        && !KNOWN.iter().any(|k| k.no.eq_ignore_ascii_case(no) && k.kind == kind)
}

/// The item's catalog entry; unknown numbers get a synthesized but stable entry.
pub(crate) fn item(kind: &str, no: &str) -> ItemInfo {
    if let Some(k) = KNOWN.iter().find(|k| k.kind == kind && k.no.eq_ignore_ascii_case(no)) {
        return ItemInfo {
            no: k.no.to_string(),
            kind: k.kind.to_string(),
            name: k.name.to_string(),
            category_id: k.category_id,
            weight_e2: k.weight_e2,
            year: k.year,
            boid: k.boid.to_string(),
        };
    }
    let h = hash(&format!("{kind}:{no}"));
    let label = match kind {
        "PART" => "Part",
        "MINIFIG" => "Minifigure",
        "SET" => "Set",
        "GEAR" => "Gear",
        "BOOK" => "Book",
        "INSTRUCTION" => "Instructions",
        "ORIGINAL_BOX" => "Original Box",
        _ => "Item",
    };
    let (weight_e2, category_id) = match kind {
        "PART" => (20 + (h % 400) as i64, 5),
        "MINIFIG" => (250 + (h % 200) as i64, 65),
        "SET" => (10_000 + (h % 200_000) as i64, 65),
        _ => (1_000 + (h % 10_000) as i64, 0),
    };
    ItemInfo {
        no: no.to_string(),
        kind: kind.to_string(),
        name: format!("{label} {no}"),
        category_id,
        weight_e2,
        year: 1990 + (h % 35) as i64,
        boid: (100_000 + (h / 7) % 800_000).to_string(),
    }
}

/// BrickLink type → BrickOwl type (BrickSync's mapping); `None` where BrickOwl has no lookup.
pub(crate) fn bo_type(bl_kind: &str, no: &str) -> Option<&'static str> {
    match bl_kind {
        "PART" if no.contains("stk") => Some("Sticker"),
        "PART" => Some("Part"),
        "SET" => Some("Set"),
        "MINIFIG" => Some("Minifigure"),
        "GEAR" => Some("Gear"),
        "INSTRUCTION" => Some("Instructions"),
        "ORIGINAL_BOX" => Some("Packaging"),
        _ => None,
    }
}

/// BrickOwl type → BrickLink type.
pub(crate) fn bl_type_of_bo(bo: &str) -> Option<&'static str> {
    match bo.to_ascii_lowercase().as_str() {
        "part" | "sticker" => Some("PART"),
        "set" => Some("SET"),
        "minifigure" => Some("MINIFIG"),
        "gear" => Some("GEAR"),
        "instructions" => Some("INSTRUCTION"),
        "packaging" => Some("ORIGINAL_BOX"),
        _ => None,
    }
}

/// Canonical spelling of a BrickOwl type name.
pub(crate) fn bo_type_name(s: &str) -> Option<&'static str> {
    ["Part", "Set", "Minifigure", "Gear", "Sticker", "Minibuild", "Instructions", "Packaging"]
        .into_iter()
        .find(|t| t.eq_ignore_ascii_case(s.trim()))
}

/// The BrickOwl condition codes accepted by `inventory/create` and `inventory/update`.
pub(crate) const BO_CONDITIONS: &[&str] = &["new", "news", "newc", "newi", "usedc", "usedi", "usedn", "usedg", "useda", "other"];

/// BrickLink condition (+ set completeness) → BrickOwl condition code.
pub(crate) fn bo_condition(bl_kind: &str, new_or_used: char) -> &'static str {
    match (bl_kind, new_or_used) {
        ("SET", 'N') => "news",
        ("SET", _) => "usedc",
        (_, 'N') => "new",
        _ => "usedn",
    }
}

/// BrickOwl's display text for a condition code (order items' `condition`).
pub(crate) fn bo_condition_text(code: &str) -> &'static str {
    match code {
        "new" => "New",
        "news" => "New (Sealed)",
        "newc" => "New (Complete)",
        "newi" => "New (Incomplete)",
        "usedc" => "Used (Complete)",
        "usedi" => "Used (Incomplete)",
        "usedn" => "Used (Like New)",
        "usedg" => "Used (Good)",
        "useda" => "Used (Acceptable)",
        _ => "Other",
    }
}

/// The recorded `GET /items/set/10030-1` body (fixtures/bricklink_item.json).
fn item_10030() -> Value {
    json!({
        "no": "10030-1",
        "name": "Imperial Star Destroyer - UCS",
        "type": "SET",
        "category_id": 65,
        "image_url": "//img.bricklink.com/SL/10030-1.jpg",
        "thumbnail_url": "//img.bricklink.com/S/10030-1.gif",
        "weight": "9093.00",
        "dim_x": "58.80",
        "dim_y": "50.50",
        "dim_z": "21.00",
        "year_released": 2002,
        "description": "<p />Instructions for this set came in two forms.  A 'classic bound' or glued spine version, and a 'spiral bound' version.\r\n<p />The early production runs of this set featured Light Gray elements but subsequent production runs have contained varying mixtures of Light Gray and Light Bluish Gray elements.",
        "is_obsolete": false
    })
}

fn type_letter(kind: &str) -> &'static str {
    match kind {
        "PART" => "P",
        "MINIFIG" => "M",
        "SET" => "S",
        "BOOK" => "B",
        "GEAR" => "G",
        "CATALOG" => "C",
        "INSTRUCTION" => "I",
        "ORIGINAL_BOX" => "O",
        _ => "U",
    }
}

/// `GET /items/{type}/{no}` data.
pub(crate) fn bl_item_json(kind: &str, no: &str) -> Value {
    if kind == "SET" && no.eq_ignore_ascii_case("10030-1") {
        return item_10030();
    }
    let info = item(kind, no);
    let letter = type_letter(kind);
    json!({
        "no": info.no,
        "name": info.name,
        "type": info.kind,
        "category_id": info.category_id,
        "image_url": format!("//img.bricklink.com/{letter}L/{}.jpg", info.no),
        "thumbnail_url": format!("//img.bricklink.com/{letter}/{}.gif", info.no),
        "weight": crate::money::fmt_fixed(info.weight_e2, 2),
        "dim_x": "0.00",
        "dim_y": "0.00",
        "dim_z": "0.00",
        "year_released": info.year,
        "description": "",
        "is_obsolete": false
    })
}

/// `GET /items/{type}/{no}/colors` data.
pub(crate) fn bl_known_colours(kind: &str, no: &str) -> Value {
    let h = hash(&format!("colours:{kind}:{no}"));
    if kind != "PART" {
        return json!([{ "color_id": 0, "quantity": 5 + h % 500 }]);
    }
    let list: Vec<Value> = COLOURS
        .iter()
        .filter(|c| c.bl != 0)
        .enumerate()
        .filter(|(i, _)| (h >> (i % 60)) & 3 != 0 || *i < 3)
        .map(|(i, c)| json!({ "color_id": c.bl, "quantity": 1_000 + (h >> (i % 50)) % 180_000 }))
        .collect();
    Value::Array(list)
}
