use std::collections::HashMap;

use brickdesk_ipc::{InventoryLot, InventorySort, InventoryUpdateInput, Provider};
use leptos::prelude::*;

use crate::components::catalog_drawer::OpenCatalog;
use crate::components::part_label::{ColourLabel, ItemName, Thumb};
use crate::format;
use crate::i18n::t;
use crate::paging::{self, Pager, Slot};

/// Columns of a lot row (the expanded and notice rows span them all).
const COLUMNS: usize = 11;

/// What one row is doing. The row owns it (it outlives refetches: rows are keyed by lot id); the
/// page's callbacks write the outcome of a call back into it.
#[derive(Clone, Copy)]
pub struct RowState {
    pub editing: RwSignal<bool>,
    pub busy: RwSignal<bool>,
    /// Why the last save, delete or retry of this lot failed.
    pub error: RwSignal<Option<String>>,
}

/// What the rows ask the page to do.
#[derive(Clone, Copy)]
pub struct LotActions {
    pub save: Callback<(i64, InventoryUpdateInput, RowState)>,
    pub delete: Callback<(i64, RowState)>,
    /// Retry one lot's failed pushes.
    pub retry: Callback<(i64, RowState)>,
}

/// Pixels per lot row, as the CSS draws it (`#inventory-table tr.lot-row`).
pub const ROW_HEIGHT: f64 = 36.0;

/// A drawn row's key: a lot's rows follow it (an open edit survives a refetch), a placeholder
/// follows its place.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Lot(i64),
    Hole(i64),
}

/// The inventory sync-status view: one row per lot with a chip per marketplace, virtualised: only
/// the rows in view (and a few either side) are in the page, fetched a page at a time by `pager`.
/// A row expands on click (each marketplace's state and error, the description); Edit turns
/// quantity, price and location into inputs; Delete asks once more in the row. Column headers sort
/// (again: the other way). Marketplace errors and descriptions go into text nodes: never HTML.
#[component]
pub fn InventoryTable(
    pager: Pager<InventoryLot>,
    /// The column and whether descending.
    sort: RwSignal<(InventorySort, bool)>,
    actions: LotActions,
) -> impl IntoView {
    let drawn = paging::drawn(pager);
    let keys = Memo::new(move |_| {
        drawn.slots.with(|slots| {
            slots
                .iter()
                .map(|s| match s {
                    Slot::Row(l) => Key::Lot(l.id),
                    Slot::Hole(i) => Key::Hole(*i),
                })
                .collect::<Vec<_>>()
        })
    });
    // The drawn lots by id: each row follows its own lot, so a refetch redraws only what changed.
    let lots = Memo::new(move |_| {
        drawn.slots.with(|slots| {
            slots
                .iter()
                .filter_map(|s| match s {
                    Slot::Row(l) => Some((l.id, l.clone())),
                    Slot::Hole(_) => None,
                })
                .collect::<HashMap<_, _>>()
        })
    });
    Effect::new(move |_| {
        keys.track();
        pager.measure("tr.lot-row:not(.editing)");
    });
    let header = move |key: Option<InventorySort>, label: String, num: bool| match key {
        None => view! { <th class:num=num>{label}</th> }.into_any(),
        Some(key) => view! {
            <th class="sortable" class:num=num data-sort=sort_name(key) title=t("inv-sort-title")
                on:click=move |_| sort.update(|s| *s = format::toggle_sort(*s, key, format::inventory_sort_starts_descending(key)))>
                {label}
                {move || format::sort_arrow(sort.get(), key)}
            </th>
        }
        .into_any(),
    };
    // Only while it has a height: WebKit's hit testing misses the cells of a table that holds a
    // zero-height row (clicks on the rows went nowhere).
    let spacer = |height: Signal<Option<String>>| {
        move || {
            height.get().map(|h| {
                view! {
                    <tbody class="spacer" aria-hidden="true">
                        <tr><td colspan=COLUMNS.to_string() style:height=h></td></tr>
                    </tbody>
                }
            })
        }
    };
    view! {
        <div class="vscroll" id="inventory-scroll" node_ref=pager.scroller on:scroll=move |_| pager.on_scroll()>
            <table class="grid vgrid" id="inventory-table">
                <thead>
                    <tr>
                        {header(Some(InventorySort::Location), t("inv-col-location"), false)}
                        {header(Some(InventorySort::ItemNo), t("inv-col-item"), false)}
                        {header(Some(InventorySort::Color), t("inv-col-colour"), false)}
                        {header(Some(InventorySort::Condition), t("inv-col-condition"), false)}
                        {header(Some(InventorySort::Quantity), t("inv-col-quantity"), true)}
                        {header(None, t("inv-col-reserved"), true)}
                        {header(Some(InventorySort::Available), t("inv-col-available"), true)}
                        {header(Some(InventorySort::Price), t("inv-col-price"), true)}
                        {Provider::STORES.map(|m| view! { <th class="sync">{m.display_name()}</th> }).collect_view()}
                        <th aria-label=t("inv-col-actions")></th>
                    </tr>
                </thead>
                {spacer(drawn.above)}
                // One <tbody> per lot: its row, its expanded details and its notice stay together.
                <For each=move || keys.get() key=|k| *k let:k>
                    {match k {
                        Key::Lot(id) => view! { <LotRow id=id lots=lots actions=actions /> }.into_any(),
                        Key::Hole(_) => view! {
                            <tbody class="hole"><tr class="hole-row"><td colspan=COLUMNS.to_string() class="muted">"…"</td></tr></tbody>
                        }
                        .into_any(),
                    }}
                </For>
                {spacer(drawn.below)}
            </table>
        </div>
    }
}

/// The header's `data-sort` (tests and styles find a column by it).
fn sort_name(s: InventorySort) -> &'static str {
    match s {
        InventorySort::Location => "location",
        InventorySort::ItemNo => "item_no",
        InventorySort::Color => "color",
        InventorySort::Condition => "condition",
        InventorySort::Quantity => "quantity",
        InventorySort::Available => "available",
        InventorySort::Price => "price",
        InventorySort::Id => "id",
    }
}

#[component]
fn LotRow(id: i64, lots: Memo<HashMap<i64, InventoryLot>>, actions: LotActions) -> impl IntoView {
    // The lot as stored now (the last one seen while the list drops it).
    let lot = Memo::new(move |prev: Option<&Option<InventoryLot>>| lots.with(|m| m.get(&id).cloned()).or_else(|| prev.cloned().flatten()));
    let field = move |f: fn(&InventoryLot) -> String| lot.with(|l| l.as_ref().map(f).unwrap_or_default());
    let num = move |f: fn(&InventoryLot) -> i64| lot.with(|l| l.as_ref().map(f).unwrap_or_default());
    let state = RowState { editing: RwSignal::new(false), busy: RwSignal::new(false), error: RwSignal::new(None) };
    let expanded = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let (quantity, price, location) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let qty_input = NodeRef::<leptos::html::Input>::new();

    let failed = Memo::new(move |_| lot.with(|l| l.as_ref().is_some_and(|l| l.sync.iter().any(|s| s.status == "failed"))));
    let edit = move |ev: leptos::ev::MouseEvent| {
        ev.stop_propagation();
        lot.with_untracked(|l| {
            if let Some(l) = l {
                quantity.set(l.quantity.to_string());
                price.set(format::edit_price(&l.unit_price));
                location.set(l.location.clone());
            }
        });
        confirming.set(false);
        state.error.set(None);
        state.editing.set(true);
    };
    let cancel = move || {
        state.editing.set(false);
        state.error.set(None);
    };
    let save = move || {
        if state.busy.get_untracked() {
            return;
        }
        let Some(l) = lot.get_untracked() else { return };
        match format::lot_edit_input(&l, &quantity.get_untracked(), &price.get_untracked(), &location.get_untracked()) {
            Ok(Some(input)) => actions.save.run((id, input, state)),
            Ok(None) => cancel(),
            Err(m) => state.error.set(Some(m)),
        }
    };
    let keys = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Enter" => {
            ev.prevent_default();
            save();
        }
        "Escape" => cancel(),
        _ => {}
    };
    // The quantity takes the focus when the row turns into inputs.
    Effect::new(move |_| {
        if state.editing.get() {
            if let Some(input) = qty_input.get() {
                let _focus_is_a_nicety = input.focus();
                input.select();
            }
        }
    });
    let stop = |ev: leptos::ev::MouseEvent| ev.stop_propagation();

    view! {
        <tbody class="lot" data-lot-id=id.to_string()>
            <tr class="lot-row" data-lot-id=id.to_string() class:expanded=move || expanded.get() class:editing=move || state.editing.get()
                class:failed=move || failed.get() title=t("inv-row-title")
                on:click=move |_| expanded.update(|e| *e = !*e)>
                <td class="mono">
                    <Show when=move || state.editing.get() fallback=move || field(|l| l.location.clone())>
                        <input type="text" class="edit-location" aria-label=t("inv-edit-location") bind:value=location on:keydown=keys on:click=stop />
                    </Show>
                </td>
                <td class="item" title=move || field(|l| format::item_type_label(&l.item_type))>
                    {move || lot.get().map(|l| view! {
                        <Thumb url=l.image_url.clone() />
                        <OpenCatalog query=format::line_query(&l.item_type, &l.item_no, l.color_id) />
                        " "
                        <ItemName name=l.item_name.clone() />
                    })}
                    {move || lot.with(|l| l.as_ref().and_then(format::allegro_chip)).map(|c| view! {
                        " "
                        <span class=c.class data-market="allegro" data-status=c.status title=c.title>{c.label}</span>
                    })}
                </td>
                <td class="colour">
                    {move || lot.get().map(|l| view! { <ColourLabel color_id=l.color_id name=l.color_name.clone() hex=l.color_hex.clone() /> })}
                </td>
                <td>{move || field(|l| l.condition.clone())}</td>
                <td class="num">
                    <Show when=move || state.editing.get() fallback=move || format::grouped(num(|l| l.quantity))>
                        <input type="text" inputmode="numeric" class="edit-quantity" aria-label=t("inv-edit-quantity") node_ref=qty_input bind:value=quantity
                            on:keydown=keys on:click=stop />
                    </Show>
                </td>
                <td class="num">{move || format::grouped(num(|l| l.reserved))}</td>
                <td class="num" class:short=move || num(|l| l.quantity - l.reserved) < 0>{move || format::grouped(num(|l| l.quantity - l.reserved))}</td>
                <td class="num">
                    <Show when=move || state.editing.get() fallback=move || field(|l| format::money(&l.unit_price, &l.currency))>
                        <input type="text" inputmode="decimal" class="edit-price" aria-label=t("inv-edit-price") bind:value=price on:keydown=keys on:click=stop />
                    </Show>
                </td>
                {Provider::STORES.map(|m| view! {
                    <td class="sync">
                        {move || lot.with(|l| l.as_ref().map(|l| format::lot_chip(l, m))).map(|c| view! {
                            <span class=c.class data-market=m.as_str() data-status=c.status title=c.title>{c.label}</span>
                        })}
                    </td>
                }).collect_view()}
                <td class="actions" on:click=stop>
                    <Show when=move || state.editing.get() fallback=move || view! {
                        <Show when=move || failed.get() && !confirming.get()>
                            <button type="button" class="primary small retry-lot" title=t("inv-retry-lot-title")
                                disabled=move || state.busy.get()
                                on:click=move |_| {
                                    state.error.set(None);
                                    actions.retry.run((id, state))
                                }>
                                {t("inv-retry-lot")}
                            </button>
                        </Show>
                        <Show when=move || !confirming.get()>
                            <button type="button" class="secondary small edit-lot" disabled=move || state.busy.get() on:click=edit>{t("inv-edit")}</button>
                        </Show>
                        <button type="button" class="small delete-lot" class:secondary=move || !confirming.get() class:danger=move || confirming.get()
                            disabled=move || state.busy.get()
                            on:click=move |_| {
                                if confirming.get_untracked() {
                                    confirming.set(false);
                                    state.error.set(None);
                                    actions.delete.run((id, state));
                                } else {
                                    confirming.set(true);
                                }
                            }>
                            {move || if confirming.get() { t("inv-delete-confirm") } else { t("inv-delete") }}
                        </button>
                        <Show when=move || confirming.get()>
                            <button type="button" class="secondary small cancel-delete" on:click=move |_| confirming.set(false)>{t("inv-delete-keep")}</button>
                        </Show>
                    }>
                        <button type="button" class="primary small save-lot" disabled=move || state.busy.get() on:click=move |_| save()>{t("inv-save")}</button>
                        <button type="button" class="secondary small cancel-edit" on:click=move |_| cancel()>{t("inv-cancel")}</button>
                    </Show>
                </td>
            </tr>
            {move || state.error.get().map(|e| view! {
                <tr class="lot-notice">
                    <td colspan=COLUMNS.to_string()><p class="notice error row-error" role="alert">{e}</p></td>
                </tr>
            })}
            <Show when=move || expanded.get()>
                <tr class="lot-detail" data-lot-id=id.to_string()>
                    <td colspan=COLUMNS.to_string()>
                        <LotDetail lot=lot />
                    </td>
                </tr>
            </Show>
        </tbody>
    }
}

/// The expanded row: where the lot stands on each marketplace, with the marketplace's own words
/// when it refused, and the lot's description.
#[component]
fn LotDetail(lot: Memo<Option<InventoryLot>>) -> impl IntoView {
    view! {
        <dl class="lot-sync">
            {Provider::STORES.map(|m| view! {
                <dt>{m.display_name()}</dt>
                <dd data-market=m.as_str()>
                    {move || lot.with(|l| l.as_ref().map(|l| format::lot_chip(l, m))).map(|c| view! {
                        <span class=c.class>{c.label}</span>
                        " "
                        <span class:sync-error=c.status == "failed" class:sync-title=c.status != "failed">{c.title}</span>
                    })}
                </dd>
            }).collect_view()}
            {move || lot.with(|l| l.as_ref().and_then(format::allegro_chip)).map(|c| view! {
                <dt>"Allegro"</dt>
                <dd data-market="allegro">
                    <span class=c.class>{c.label}</span>
                    " "
                    <span class:sync-error=c.status == "failed" class:sync-title=c.status != "failed">{c.title}</span>
                </dd>
            })}
            <dt>{t("inv-description")}</dt>
            <dd class="lot-description">
                {move || lot.with(|l| l.as_ref().map(|l| l.description.clone()).filter(|d| !d.trim().is_empty())).unwrap_or_else(format::words::unknown)}
            </dd>
        </dl>
    }
}
