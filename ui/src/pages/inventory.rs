use std::collections::HashMap;

use brickdesk_ipc::{
    CommandError, DriftChoice, ImportProgress, InventoryAddInput, InventoryQuery, InventorySort, InventoryUpdateInput, Provider,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::allegro_offers::AllegroOffers;
use crate::components::credential_form::Notice;
use crate::components::drift_panel::{DriftPanel, DriftSettled};
use crate::components::empty_state::EmptyState;
use crate::components::files::FilesBar;
use crate::components::inventory_table::{InventoryTable, LotActions, RowState, ROW_HEIGHT};
use crate::components::lot_add_form::{LotAddForm, LotFields};
use crate::format::{self, LotFilter, SyncFilter};
use crate::i18n::{t, tf, Value};
use crate::ipc;
use crate::paging::Pager;
use crate::state::Epochs;

/// An inventory import started from the window. App-wide: it runs on while the seller looks at
/// another page, and its outcome is still there when they come back.
/// `main.rs` provides it and feeds it `import-progress`; the type lives here, with the one page
/// that reads it (its outcome is a components `Notice`, which `state` does not import).
#[derive(Clone, Copy)]
pub struct Import {
    /// The marketplace being imported.
    pub running: RwSignal<Option<Provider>>,
    /// The engine's last `import-progress`.
    pub progress: RwSignal<Option<ImportProgress>>,
    /// The report, or why it failed.
    pub outcome: RwSignal<Option<Notice>>,
}

/// How many lots each sync filter shows under the other filters, how many failed lots there are in
/// all (what "Retry all failed" retries) and how many lots in all.
#[derive(Clone, Debug, PartialEq)]
struct Counts {
    by_filter: Vec<(SyncFilter, i64)>,
    failed_anywhere: i64,
    all: i64,
}

async fn count(q: InventoryQuery) -> Result<i64, CommandError> {
    Ok(ipc::inventory_page(&InventoryQuery { offset: 0, limit: 0, ..q }).await?.total)
}

/// The inventory sync-status view over any number of lots: the engine filters, sorts and counts;
/// the table holds only the rows in view (see `paging`). Each lot shows where it stands on each
/// marketplace (synced, pending, failed, not listed), with Retry, an add form, inline edits, and
/// an import from each connected marketplace with its progress. The engine's `inventory-changed`
/// (local changes, sync rounds, other processes) refetches the rows in view and the counts; rows
/// are keyed by lot id, so an open edit survives it. The drift panel shows the last BrickLink drift
/// check (refetched with the lots: a check or a resolve sends `inventory-changed` too).
#[component]
pub fn InventoryPage() -> impl IntoView {
    let epochs = expect_context::<Epochs>();
    // Shared with the status bar, whose "N failed" opens this page filtered.
    let filter = expect_context::<RwSignal<SyncFilter>>();
    let import = expect_context::<Import>();

    // BrickLink's colours by name, for the add form and the drift rows; the list arrives as
    // `catalog-changed` when it had to be fetched.
    let colour_list = LocalResource::new(move || {
        epochs.catalog.track();
        ipc::catalog_colors()
    });
    let colors = Memo::new(move |_| colour_list.get().and_then(|r| r.ok()).unwrap_or_default());

    // The filters as typed, the sort, and the engine's question they make.
    let text = RwSignal::new(String::new());
    let colour_text = RwSignal::new(String::new());
    let condition = RwSignal::new(String::new());
    let bin = RwSignal::new(String::new());
    let sort = RwSignal::new((InventorySort::Location, false));
    let lot_filter = Memo::new(move |_| LotFilter {
        text: text.get(),
        colour: colors.with(|c| format::colour_typed(&colour_text.get(), c)),
        condition: condition.get(),
        location: bin.get(),
    });
    let asked = Memo::new(move |_| format::inventory_query(&lot_filter.get(), filter.get(), sort.get()));
    let filter_problem = Memo::new(move |_| asked.with(|a| a.as_ref().err().cloned()));
    // A filter being typed that does not make sense yet keeps the last question.
    let query = Memo::new(move |prev: Option<&InventoryQuery>| match asked.get() {
        Ok(q) => q,
        Err(_) => prev.cloned().unwrap_or_default(),
    });
    // Names and colours landing from the catalog redraw the rows too.
    let refresh = Signal::derive(move || epochs.inventory.get().wrapping_add(epochs.catalog.get()));
    let pager = Pager::new(query, refresh, ROW_HEIGHT, |q: InventoryQuery, offset, limit| async move {
        let page = ipc::inventory_page(&InventoryQuery { offset, limit, ..q }).await?;
        Ok((page.total, page.lots))
    });
    // Counted once per change of filter or data, never per scroll (a sort changes no count).
    let count_base = Memo::new(move |_| InventoryQuery { sync: None, sort: InventorySort::Location, descending: false, ..query.get() });
    let counts = LocalResource::new(move || {
        epochs.inventory.track();
        let base = count_base.get();
        async move {
            let mut by_filter = Vec::new();
            for f in SyncFilter::ALL {
                by_filter.push((f, count(InventoryQuery { sync: f.as_query(), ..base.clone() }).await?));
            }
            let unfiltered = base == InventoryQuery::default();
            let of = |f: SyncFilter| by_filter.iter().find(|(g, _)| *g == f).map(|(_, n)| *n).unwrap_or_default();
            let (all, failed_anywhere) = if unfiltered {
                (of(SyncFilter::All), of(SyncFilter::Failed))
            } else {
                let failed = InventoryQuery { sync: SyncFilter::Failed.as_query(), ..InventoryQuery::default() };
                (count(InventoryQuery::default()).await?, count(failed).await?)
            };
            Ok::<_, CommandError>(Counts { by_filter, failed_anywhere, all })
        }
    });
    let counted = Memo::new(move |_| counts.get().and_then(|r| r.ok()));
    let count_of =
        move |f: SyncFilter| counted.with(|c| c.as_ref().and_then(|c| c.by_filter.iter().find(|(g, _)| *g == f).map(|(_, n)| *n)));
    let failed = Memo::new(move |_| counted.with(|c| c.as_ref().map(|c| c.failed_anywhere).unwrap_or_default()));
    let count_label = move || {
        let all = counted.with(|c| c.as_ref().map(|c| c.all))?;
        let filtered = !lot_filter.with(LotFilter::is_empty) || filter.get() != SyncFilter::All;
        let matching = pager.total.get().unwrap_or(all);
        Some(format::count_label(matching, all, filtered, "lots-count"))
    };
    // Between error / empty / some lots; new data flows into the same table. Lots in view mean a
    // store with lots: the table is shown with the first page, without waiting for the counts
    // (four of them, one after the other: at 100,000 lots they held the first rows back).
    let state = Memo::new(move |_| {
        if pager.total.get().is_some_and(|t| t > 0) {
            return Some(Ok(false));
        }
        counts.get().map(|r| match r {
            Ok(c) => Ok(c.all == 0),
            Err(e) => Err(e.message),
        })
    });
    // New lots are priced in the currency most lots in view use.
    let currency = Signal::derive(move || pager.pages.with(|p| p.values().next().and_then(|lots| format::lots_currency(lots))));

    // Imports: one button per connected marketplace.
    let creds = LocalResource::new(move || {
        epochs.credentials.track();
        ipc::credentials_status()
    });
    let active = Memo::new(move |_| {
        creds.get().and_then(|r| r.ok()).unwrap_or_default().into_iter().filter(|c| c.active).map(|c| c.provider).collect::<Vec<_>>()
    });
    // Stores whose lots can be imported (Allegro's offers are linked to lots instead, below).
    let connected = Memo::new(move |_| active.get().into_iter().filter(|m| Provider::STORES.contains(m)).collect::<Vec<_>>());
    let allegro_linked = Signal::derive(move || active.with(|a| a.contains(&Provider::Allegro)));
    let start_import = move |m: Provider| {
        if import.running.get_untracked().is_some() {
            return;
        }
        import.running.set(Some(m));
        import.progress.set(None);
        import.outcome.set(None);
        spawn_local(async move {
            let outcome = match ipc::inventory_import(m).await {
                Ok(r) => Notice::Ok(format::import_report(m, &r)),
                Err(e) => Notice::Error(tf("inv-import-failed", &[("market", m.display_name().into()), ("error", e.message.into())])),
            };
            import.outcome.set(Some(outcome));
            import.running.set(None);
            import.progress.set(None);
            crate::state::bump(epochs.inventory);
        });
    };

    // The drift check, and the lots it names as stored now.
    let drift = LocalResource::new(move || {
        epochs.inventory.track();
        ipc::sync_drift()
    });
    let drift_lots = LocalResource::new(move || {
        epochs.inventory.track();
        let q = InventoryQuery { sync: SyncFilter::Drift.as_query(), limit: 500, ..InventoryQuery::default() };
        async move { ipc::inventory_page(&q).await }
    });
    let by_id = Memo::new(move |_| {
        drift_lots.get().and_then(|r| r.ok()).map(|p| p.lots.into_iter().map(|l| (l.id, l)).collect::<HashMap<_, _>>()).unwrap_or_default()
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
                    drift_notice.try_set(Some(Notice::Error(tf("inv-drift-check-failed", &[("error", e.message.into())]))));
                }
            }
            checking.try_set(false);
            crate::state::bump(epochs.inventory);
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
                    drift_notice.try_set(Some(Notice::Error(tf(
                        "inv-drift-settle-failed",
                        &[("lot", lot.to_string().into()), ("error", e.message.into())],
                    ))));
                }
            }
            resolving.try_set(None);
            // The report and the lots as stored now.
            crate::state::bump(epochs.inventory);
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
                Err(e) => add_notice.set(Some(Notice::Error(tf("inv-add-failed", &[("error", e.message.into())])))),
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
                    row.error.try_set(Some(tf("inv-save-failed", &[("error", e.message.into())])));
                }
            }
            row.busy.try_set(false);
        });
    });
    let delete = Callback::new(move |(id, row): (i64, RowState)| {
        row.busy.set(true);
        spawn_local(async move {
            if let Err(e) = ipc::inventory_delete(id).await {
                row.error.try_set(Some(tf("inv-delete-failed", &[("error", e.message.into())])));
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
                    let message = tf("inv-retry-failed", &[("error", e.message.into())]);
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
            crate::state::bump(epochs.inventory);
        });
    };
    let actions = LotActions { save, delete, retry: Callback::new(move |(id, row): (i64, RowState)| retry(Some(id), Some(row))) };

    view! {
        <section id="page-inventory">
            <header class="page-head">
                <h1>{t("inv-title")}</h1>
                <span class="muted" id="inventory-count">{count_label}</span>
                <span class="spacer"></span>
                <For each=move || connected.get() key=|m| *m let:m>
                    <button type="button" class="secondary small import" id=format!("import-{}", m.as_str())
                        disabled=move || import.running.get().is_some()
                        title=tf("inv-import-title", &[("market", m.display_name().into())])
                        on:click=move |_| start_import(m)>
                        {tf("inv-import", &[("market", m.display_name().into())])}
                    </button>
                </For>
            </header>
            <FilesBar query=Signal::derive(move || query.get()) stores=Signal::derive(move || connected.get()) />
            {move || import.running.get().map(|m| view! {
                <div class="import-run" id="import-run" data-market=m.as_str()>
                    <span>{tf("inv-importing", &[("market", m.display_name().into())])}</span>
                    <progress id="import-progress" aria-label=t("inv-import-progress-label")
                        max=move || import.progress.get().map(|p| p.total.max(1)).unwrap_or(1).to_string()
                        value=move || import.progress.get().map(|p| p.done).unwrap_or(0).to_string()></progress>
                    <span class="muted" id="import-progress-text">
                        {move || import.progress.get().map(|p| format::import_progress(&p)).unwrap_or_else(|| t("inv-import-starting"))}
                    </span>
                </div>
            })}
            {move || match import.outcome.get() {
                Some(Notice::Ok(m)) => Some(view! { <p class="notice ok" id="import-report">{m}</p> }.into_any()),
                Some(Notice::Error(m)) => Some(view! { <p class="notice error" role="alert" id="import-error">{m}</p> }.into_any()),
                None => None,
            }}
            <LotAddForm
                fields=fields
                currency=currency
                notice=add_notice
                busy=adding
                colors=colors
                on_add=add
                on_invalid=Callback::new(move |m| add_notice.set(Some(Notice::Error(m))))
            />
            <Show when=move || allegro_linked.get()>
                <AllegroOffers />
            </Show>
            <DriftPanel
                report=report
                rows=drift_rows
                checking=checking
                resolving=resolving
                notice=drift_notice
                on_check=check
                on_resolve=resolve
            />
            <div class="toolbar inventory-filters">
                <input id="inventory-search" type="search" spellcheck="false" placeholder=t("inv-search-placeholder")
                    aria-label=t("inv-search-label") bind:value=text />
                <input id="inventory-colour" class="narrow" type="search" list="lot-colors" spellcheck="false" placeholder=t("inv-colour-placeholder")
                    aria-label=t("inv-colour-label") bind:value=colour_text />
                <select id="inventory-condition" aria-label=t("inv-condition-label") on:change=move |ev| condition.set(event_target_value(&ev))>
                    <option value="">{t("inv-condition-any")}</option>
                    <option value="N">{t("inv-condition-new")}</option>
                    <option value="U">{t("inv-condition-used")}</option>
                </select>
                <input id="inventory-bin" class="narrow" type="search" spellcheck="false" placeholder=t("inv-bin-placeholder")
                    aria-label=t("inv-bin-label") bind:value=bin />
            </div>
            {move || filter_problem.get().map(|m| view! { <p class="notice error" id="inventory-filter-problem">{m}</p> })}
            <div class="toolbar inventory-toolbar">
                <div class="segmented" id="inventory-filter" role="group" aria-label=t("inv-filter-group")>
                    {SyncFilter::ALL.map(|f| view! {
                        <button type="button" id=f.id() class="seg" class:active=move || filter.get() == f
                            aria-pressed=move || (filter.get() == f).to_string()
                            on:click=move |_| filter.set(f)>
                            {move || f.label_with(count_of(f))}
                        </button>
                    }).collect_view()}
                </div>
                <span class="spacer"></span>
                <Show when=move || { failed.get() > 0 }>
                    <button type="button" class="primary small" id="retry-all" disabled=move || retrying.get()
                        on:click=move |_| retry(None, None)>
                        {move || tf("inv-retry-all", &[("count", Value::from(failed.get()))])}
                    </button>
                </Show>
            </div>
            {move || notice.get().map(|m| view! { <p class="notice error" role="alert" id="inventory-notice">{m}</p> })}
            {move || pager.error.get().map(|m| view! { <p class="notice error" role="alert" id="inventory-page-error">{tf("inv-page-error", &[("error", m.into())])}</p> })}
            <Transition fallback=|| view! { <p class="muted">{t("inv-loading")}</p> }>
                // Only a change between error / empty / some lots swaps the view; new data flows
                // into the same table, whose rows follow their own lots.
                {move || state.get().map(|st| match st {
                    Err(message) => view! { <p class="notice error" role="alert">{tf("inv-load-error", &[("error", message.into())])}</p> }.into_any(),
                    Ok(true) => view! {
                        <EmptyState title=t("inv-empty-title") hint=t("inv-empty-hint") />
                    }.into_any(),
                    Ok(false) => view! {
                        <InventoryTable pager=pager sort=sort actions=actions />
                        <Show when=move || pager.total.get() == Some(0)>
                            <p class="muted" id="inventory-filter-empty">{move || filter.get().empty_hint()}</p>
                        </Show>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}
