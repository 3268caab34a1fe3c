//! Catalog lookups of the fake BrickOwl: ids, BOIDs and the colour list.

use serde_json::{json, Map, Value};

use super::fields::{boid_full, display_name, ids, param, slug};
use super::inventory::parse_boid;
use super::replies::err;
use crate::catalog;
use crate::http::Reply;
use crate::state::State;

pub(super) fn color_list() -> Reply {
    let mut map = Map::new();
    for c in catalog::COLOURS {
        if let Some(bo) = c.bo {
            map.insert(
                bo.to_string(),
                json!({
                    "id": bo.to_string(),
                    "name": c.name,
                    "hex": c.hex,
                    "bl_ids": [c.bl.to_string()],
                    "bl_names": [c.name],
                    "ldraw_ids": [],
                    "peeron_names": [],
                    "lego_colors": [],
                }),
            );
        }
    }
    Reply::json(200, &Value::Object(map))
}

pub(super) fn id_lookup(st: &mut State, p: &[(String, String)]) -> Reply {
    let Some(id) = param(p, "id").map(str::trim) else {
        return err(400, "Missing id");
    };
    let Some(bl_kind) = param(p, "type").and_then(catalog::bl_type_of_bo) else {
        return err(400, "Missing or invalid type");
    };
    match param(p, "id_type").unwrap_or("bl_item_no") {
        "bl_item_no" | "design_id" | "set_number" | "ldraw" | "peeron_id" => {}
        "item_no" | "ean" | "upc" | "boid" | "other" => return Reply::json(200, &json!({ "boids": [] })),
        _ => return err(400, "Invalid id_type"),
    }
    if catalog::known_with_other_type(bl_kind, id) {
        return Reply::json(200, &json!({ "boids": [] }));
    }
    let info = catalog::item(bl_kind, id);
    st.bo.register(&info);
    Reply::json(200, &json!({ "boids": [info.boid] }))
}

pub(super) fn catalog_lookup(st: &State, p: &[(String, String)]) -> Reply {
    let Some((base, colour)) = param(p, "boid").and_then(parse_boid) else {
        return err(400, "Missing or invalid boid");
    };
    let Some(info) = st.bo.resolve(&base) else {
        return err(404, "Item not found");
    };
    let colour = colour.and_then(catalog::colour_by_bo);
    let boid = boid_full(&base, colour.and_then(|c| c.bo));
    let name = display_name(Some(&info), &base, colour.and_then(|c| c.bo));
    let mut v = json!({
        "boid": boid,
        "name": name,
        "type": catalog::bo_type(&info.kind, &info.no).unwrap_or("Part"),
        "url": format!("https://www.brickowl.com/catalog/{}", slug(&name)),
        "permalink": format!("https://www.brickowl.com/catalog/{base}"),
        "cat_name_path": "",
        "ids": ids(Some(&info.no), &boid),
        "missing_data": [],
    });
    if let Some(c) = colour {
        v["color_id"] = json!(c.bo.map(|b| b.to_string()));
        v["color_name"] = json!(c.name);
        v["color_hex"] = json!(c.hex);
    }
    Reply::json(200, &v)
}
