use std::collections::HashMap;

use brickdesk_ipc::{DriftChoice, InventoryAddInput, InventoryUpdateInput};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::credential_form::Notice;
use crate::components::drift_panel::{DriftPanel, DriftSettled};
use crate::components::empty_state::EmptyState;
use crate::components::inventory_table::{InventoryTable, LotActions, RowState};
use crate::components::lot_add_form::{LotAddForm, LotFields};
use crate::format::{self, SyncFilter};
use crate::{ipc, Epochs};

/// The inventory sync-status view: every lot with where it stands on each marketplace (synced,
/// pending, failed, not listed), filters, Retry, an add form and inline edits. The engine's
/// `inventory-changed` (local changes, sync rounds, other processes) refetches the list; rows are
/// keyed by lot id, so an open edit survives it. The drift panel shows the last BrickLink drift check
/// (refetched with the lots: a check or a resolve sends `inventory-changed` too).
#[component]
pub fn InventoryPage() -> impl IntoView {
    let epochs = expect_context::<Epochs>();
    // Shared with the status bar, whose "N failed" opens this page filtered.
    let filter = expect_context::<RwSignal<SyncFilter>>();
    let lots = LocalResource::new(move || {
        epochs.inventory.track();
        ipc::inventory_list()
    });
    let all = Memo::new(move |_| lots.get().and_then(|r| r.ok()).unwrap_or_default());
    let by_id = Memo::new(move |_| all.with(|v| v.iter().map(|l| (l.id, l.clone())).collect::<HashMap<_, _>>()));
    let shown = Signal::derive(move || {
        let f = filter.get();
        all.with(|v| v.iter().filter(|l| f.matches(l)).map(|l| l.id).collect::<Vec<_>>())
    });
    let failed = Memo::new(move |_| all.with(|v| v.iter().filter(|l| SyncFilter::Failed.matches(l)).count()));
    let currency = Signal::derive(move || all.with(|v| format::lots_currency(v)));
    let state = Memo::new(move |_| {
        lots.get().map(|r| match r {
            Ok(v) => Ok(v.is_empty()),
            Err(e) => Err(e.message),
        })
    });

    // BrickLink's colours by name, for the add form and the drift rows; the list arrives as
    // `catalog-changed` when it had to be fetched.
    let colour_list = LocalResource::new(move || {
        epochs.catalog.track();
        ipc::catalog_colors()
    });
    let colors = Memo::new(move |_| colour_list.get().and_then(|r| r.ok()).unwrap_or_default());

    // The drift check.
    let drift = LocalResource::new(move || {
        epochs.inventory.track();
        ipc::sync_drift()
    });
    let report = Memo::new(move |_| drift.get().and_then(|r| r.ok()).flatten());
    let settled = expect_context::<DriftSettled>().0;
    let drift_rows = Memo::new(move |_| {
        report.with(|r| {
            let Some(r) = r else { return Vec::new() };
            let open = settled.with(|(at, ids)| by_id.with(|lots| format::open_drifts(r, at, ids, lots)));
            colors.with(|c| {
                open.iter()
                    .map(|d| {
                        let name = c.iter().find(|c| c.color_id == d.color_id).map(|c| c.name.as_str()).unwrap_or("");
                        format::drift_row(d, name)
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let checking = RwSignal::new(false);
    let resolving = RwSignal::new(None::<i64>);
    let drift_notice = RwSignal::new(None::<Notice>);
    let check = Callback::new(move |()| {
        checking.set(true);
        drift_notice.set(None);
        spawn_local(async move {
            match ipc::sync_reconcile().await {
                Ok(_) => {}
                Err(e) => {
                    drift_notice.try_set(Some(Notice::Error(format!("Cannot check BrickLink: {}", e.message))));
                }
            }
            checking.try_set(false);
            crate::bump(epochs.inventory);
        });
    });
    let resolve = Callback::new(move |(lot, choice): (i64, DriftChoice)| {
        resolving.set(Some(lot));
        drift_notice.set(None);
        let checked_at = report.with_untracked(|r| r.as_ref().map(|r| r.checked_at.clone()).unwrap_or_default());
        spawn_local(async move {
            match ipc::sync_resolve(lot, choice).await {
                Ok(_) => settled.update(|(at, ids)| {
                    if *at != checked_at {
                        *at = checked_at;
                        ids.clear();
                    }
                    ids.push(lot);
                }),
                Err(e) => {
                    drift_notice.try_set(Some(Notice::Error(format!("Cannot settle lot #{lot}: {}", e.message))));
                }
            }
            resolving.try_set(None);
            // The report and the lots as stored now.
            crate::bump(epochs.inventory);
        });
    });

    // Adding a lot.
    let fields = LotFields::new();
    let add_notice = RwSignal::new(None::<Notice>);
    let adding = RwSignal::new(false);
    let add = Callback::new(move |input: InventoryAddInput| {
        adding.set(true);
        spawn_local(async move {
            match ipc::inventory_add(&input).await {
                Ok(lot) => {
                    fields.clear();
                    add_notice.set(Some(Notice::Ok(format::added_notice(&lot))));
                }
                Err(e) => add_notice.set(Some(Notice::Error(format!("Cannot add the lot: {}", e.message)))),
            }
            adding.set(false);
        });
    });

    // What rows ask for; the outcome goes back into the row.
    let save = Callback::new(move |(id, input, row): (i64, InventoryUpdateInput, RowState)| {
        row.busy.set(true);
        spawn_local(async move {
            match ipc::inventory_update(id, &input).await {
                Ok(_) => {
                    row.editing.try_set(false);
                    row.error.try_set(None);
                }
                Err(e) => {
                    row.error.try_set(Some(format!("Cannot save: {}", e.message)));
                }
            }
            row.busy.try_set(false);
        });
    });
    let delete = Callback::new(move |(id, row): (i64, RowState)| {
        row.busy.set(true);
        spawn_local(async move {
            if let Err(e) = ipc::inventory_delete(id).await {
                row.error.try_set(Some(format!("Cannot delete: {}", e.message)));
            }
            row.busy.try_set(false);
        });
    });
    let notice = RwSignal::new(None::<String>);
    let retrying = RwSignal::new(false);
    let retry = move |lot: Option<i64>, row: Option<RowState>| {
        retrying.set(true);
        if let Some(row) = row {
            row.busy.set(true);
        }
        spawn_local(async move {
            match ipc::sync_retry(lot).await {
                Ok(_) => notice.set(None),
                Err(e) => {
                    let message = format!("Cannot retry: {}", e.message);
                    match row {
                        Some(row) => {
                            row.error.try_set(Some(message));
                        }
                        None => notice.set(Some(message)),
                    }
                }
            }
            if let Some(row) = row {
                row.busy.try_set(false);
            }
            retrying.set(false);
            // Whatever happened, show what is stored (a retry with nothing failed sends no event).
            crate::bump(epochs.inventory);
        });
    };
    let actions = LotActions { save, delete, retry: Callback::new(move |(id, row): (i64, RowState)| retry(Some(id), Some(row))) };

    view! {
        <section id="page-inventory">
            <h1>"Inventory"</h1>
            <LotAddForm
                fields=fields
                currency=currency
                notice=add_notice
                busy=adding
                colors=colors
                on_add=add
                on_invalid=Callback::new(move |m| add_notice.set(Some(Notice::Error(m))))
            />
            <DriftPanel
                report=report
                rows=drift_rows
                checking=checking
                resolving=resolving
                notice=drift_notice
                on_check=check
                on_resolve=resolve
            />
            <div class="toolbar inventory-toolbar">
                <div class="segmented" id="inventory-filter" role="group" aria-label="Show lots">
                    {SyncFilter::ALL.map(|f| view! {
                        <button type="button" id=f.id() class="seg" class:active=move || filter.get() == f
                            aria-pressed=move || (filter.get() == f).to_string()
                            on:click=move |_| filter.set(f)>
                            {move || all.with(|v| f.label_with(v))}
                        </button>
                    }).collect_view()}
                </div>
                <span class="spacer"></span>
                <Show when=move || { failed.get() > 0 }>
                    <button type="button" class="primary small" id="retry-all" disabled=move || retrying.get()
                        on:click=move |_| retry(None, None)>
                        {move || format!("Retry all failed ({})", failed.get())}
                    </button>
                </Show>
            </div>
            {move || notice.get().map(|m| view! { <p class="notice error" role="alert" id="inventory-notice">{m}</p> })}
            <Transition fallback=|| view! { <p class="muted">"Loading inventory…"</p> }>
                // Only a change between error / empty / some lots swaps the view; new data flows
                // into the same table, whose rows follow their own lots.
                {move || state.get().map(|st| match st {
                    Err(message) => view! { <p class="notice error" role="alert">"Cannot load inventory: " {message}</p> }.into_any(),
                    Ok(true) => view! {
                        <EmptyState title="No lots yet" hint="Add a lot with the form above, or import your BrickLink store with brickdesk-cli inventory import bricklink." />
                    }.into_any(),
                    Ok(false) => view! {
                        <InventoryTable shown=shown lots=by_id actions=actions />
                        <Show when=move || shown.with(Vec::is_empty)>
                            <p class="muted" id="inventory-filter-empty">
                                {move || match filter.get() {
                                    SyncFilter::Pending => "Nothing waiting: every lot is where it should be.",
                                    SyncFilter::Failed => "No failed pushes.",
                                    SyncFilter::All => "",
                                }}
                            </p>
                        </Show>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}
