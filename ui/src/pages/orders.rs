use brickdesk_ipc::{Fulfillment, FulfillmentMark, OrderStatusInput, OrderSummary, OrdersQuery, OrdersSort, Provider};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::fulfilment::{shippable, ShipForm, ToShip};
use crate::components::inbox_panel::InboxPanel;
use crate::components::order_detail::OrderDetailView;
use crate::components::orders_table::{OrdersTable, ROW_HEIGHT};
use crate::components::packing_slips::PackingSlips;
use crate::components::pick_list::PickListView;
use crate::format::{self, OrderFilter};
use crate::i18n::{t, tf, Value};
use crate::ipc;
use crate::paging::Pager;
use crate::state::Epochs;

/// What the side panel shows for the orders ticked.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Panel {
    None,
    PickList,
    Ship,
    Slips,
}

/// Orders from every connected store, live, at any number: the engine filters, sorts and counts,
/// and the table holds only the rows in view (see `paging`). The pollers' events refetch the rows
/// in view and the count, so a new order shows at the top (newest first) by itself.
#[component]
pub fn OrdersPage() -> impl IntoView {
    let epochs = expect_context::<Epochs>();
    let status = RwSignal::new(String::new());
    let fulfillment = RwSignal::new(String::new());
    let market = RwSignal::new(String::new());
    let buyer = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let sort = RwSignal::new((OrdersSort::Date, true));
    let order_filter = Memo::new(move |_| OrderFilter {
        status: status.get(),
        fulfillment: Fulfillment::parse(&fulfillment.get()),
        marketplace: Provider::parse(&market.get()),
        buyer: buyer.get(),
        from: from.get(),
        to: to.get(),
    });
    let asked = Memo::new(move |_| format::orders_query(&order_filter.get(), sort.get()));
    let filter_problem = Memo::new(move |_| asked.with(|a| a.as_ref().err().cloned()));
    // A date being typed keeps the last question until it is one.
    let query = Memo::new(move |prev: Option<&OrdersQuery>| match asked.get() {
        Ok(q) => q,
        Err(_) => prev.cloned().unwrap_or(OrdersQuery { descending: true, ..OrdersQuery::default() }),
    });
    let pager = Pager::new(query, epochs.orders.into(), ROW_HEIGHT, |q: OrdersQuery, offset, limit| async move {
        let page = ipc::orders_page(&OrdersQuery { offset, limit, ..q }).await?;
        Ok((page.total, page.orders))
    });
    // How many orders there are in all: whether to show the empty state, and "12 of 20,000".
    let all = LocalResource::new(move || {
        epochs.orders.track();
        async move { ipc::orders_page(&OrdersQuery::default()).await.map(|p| p.total) }
    });
    let state = Memo::new(move |_| {
        all.get().map(|r| match r {
            Ok(n) => Ok(n == 0),
            Err(e) => Err(e.message),
        })
    });
    let count_label = move || {
        let all = all.get().and_then(|r| r.ok())?;
        let filtered = !order_filter.with(OrderFilter::is_empty);
        Some(format::count_label(pager.total.get().unwrap_or(all), all, filtered, "orders-count"))
    };
    // Statuses to pick from: those of the orders fetched so far.
    let statuses = Memo::new(move |_| {
        let mut s: Vec<String> =
            pager.pages.with(|p| p.values().flat_map(|orders| orders.iter().map(|o: &OrderSummary| o.status.clone())).collect());
        s.sort();
        s.dedup();
        s
    });
    let selected = RwSignal::new(None::<i64>);
    let detail = LocalResource::new(move || {
        let id = selected.get();
        epochs.orders.track();
        async move {
            match id {
                Some(id) => ipc::orders_show(id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    // The detail panel is mounted once per selected order and updates in place on refetches.
    let current = Memo::new(move |_| detail.get().and_then(|r| r.ok()).flatten());
    let current_id = Memo::new(move |_| current.with(|d| d.as_ref().map(|d| d.summary.id)));
    let detail_error = Memo::new(move |_| detail.get().and_then(|r| r.err()).map(|e| e.message));
    // Failed notifications change with every poll cycle (status) and when an order lands (orders).
    let inbox = LocalResource::new(move || {
        epochs.status.track();
        epochs.orders.track();
        ipc::inbox_list(false)
    });
    let inbox_entries = Memo::new(move |_| inbox.get().and_then(|r| r.ok()).unwrap_or_default());
    let inbox_error = Memo::new(move |_| inbox.get().and_then(|r| r.err()).map(|e| e.message));
    let retry_notice = RwSignal::new(None::<String>);
    let retrying = RwSignal::new(false);
    let retry = Callback::new(move |id: Option<i64>| {
        retrying.set(true);
        spawn_local(async move {
            retry_notice.set(ipc::inbox_retry(id).await.err().map(|e| tf("ord-inbox-cannot-retry", &[("error", e.message.into())])));
            retrying.set(false);
            // A refused retry sends no engine event (the row may have been answered meanwhile):
            // refetch so the panel shows what is stored.
            crate::state::bump(epochs.status);
        });
    });
    // The orders ticked, as they were when ticked (their marketplace and number for the forms).
    let checked = RwSignal::new(Vec::<OrderSummary>::new());
    let checked_ids = Signal::derive(move || checked.with(|c| c.iter().map(|o| o.id).collect::<Vec<_>>()));
    let panel = RwSignal::new(Panel::None);
    let bar_notice = RwSignal::new(None::<String>);
    let bar_busy = RwSignal::new(false);
    let on_check = Callback::new(move |(id, on): (i64, bool)| {
        let found = pager.pages.with_untracked(|p| p.values().flat_map(|o| o.iter()).find(|o| o.id == id).cloned());
        checked.update(|c| {
            c.retain(|o| o.id != id);
            if let (true, Some(o)) = (on, found) {
                c.push(o);
            }
        });
    });
    let select_paid = move |_| {
        bar_busy.set(true);
        spawn_local(async move {
            let q = OrdersQuery { fulfillment: Some(Fulfillment::Paid), sort: OrdersSort::Date, limit: 500, ..OrdersQuery::default() };
            match ipc::orders_page(&q).await {
                Ok(page) => {
                    checked.set(page.orders);
                    bar_notice.set(None);
                }
                Err(e) => bar_notice.set(Some(e.message)),
            }
            bar_busy.set(false);
        });
    };
    let mark_packed = move |_| {
        bar_busy.set(true);
        let ids = checked_ids.get_untracked();
        spawn_local(async move {
            let mut refused = Vec::new();
            for id in ids {
                let input = OrderStatusInput {
                    order_id: id,
                    status: FulfillmentMark::Packed,
                    tracking: None,
                    tracking_url: None,
                    carrier: None,
                    carrier_name: None,
                };
                if let Err(e) = ipc::orders_set_status(&input).await {
                    refused.push(tf("ord-bar-refused", &[("id", id.to_string().into()), ("error", e.message.into())]));
                }
            }
            bar_notice.set((!refused.is_empty()).then(|| refused.join("; ")));
            bar_busy.set(false);
            crate::state::bump(epochs.orders);
        });
    };
    let to_ship = Signal::derive(move || {
        checked.with(|c| {
            c.iter()
                .filter(|o| shippable(o.fulfillment_status))
                .map(|o| ToShip { id: o.id, marketplace: o.marketplace, external_id: o.external_id.clone() })
                .collect::<Vec<_>>()
        })
    });
    let pick_orders = Signal::derive(move || checked.with(|c| c.iter().map(|o| (o.id, o.marketplace)).collect::<Vec<_>>()));
    let show = move |p: Panel| {
        selected.set(None);
        panel.set(p);
    };
    let open = Callback::new(move |id: i64| {
        panel.set(Panel::None);
        selected.set(Some(id));
        spawn_local(async move {
            // Failing to clear the badge is harmless; the order stays marked new.
            if let Err(e) = ipc::orders_mark_seen(id).await {
                web_sys::console::warn_1(&e.message.into());
            }
        });
    });
    view! {
        <section id="page-orders" class="with-detail">
            <div class="main-col">
                <header class="page-head">
                    <h1>{t("ord-title")}</h1>
                    <span class="muted" id="orders-count">{count_label}</span>
                </header>
                <div class="toolbar orders-filters">
                    <input id="orders-buyer" type="search" spellcheck="false" placeholder=t("ord-filter-buyer") aria-label=t("ord-filter-buyer-label")
                        bind:value=buyer />
                    <select id="orders-market" aria-label=t("ord-filter-market") on:change=move |ev| market.set(event_target_value(&ev))>
                        <option value="">{t("ord-filter-all-markets")}</option>
                        <option value="bricklink">"BrickLink"</option>
                        <option value="brickowl">"BrickOwl"</option>
                        <option value="allegro">"Allegro"</option>
                    </select>
                    <select id="orders-fulfillment" title=t("ord-filter-fulfilment-title") aria-label=t("ord-filter-fulfilment")
                        on:change=move |ev| fulfillment.set(event_target_value(&ev))>
                        <option value="">{t("ord-filter-every-status")}</option>
                        {Fulfillment::ALL
                            .into_iter()
                            .map(|f| view! { <option value=f.as_str()>{format::orders::fulfilment_label(f)}</option> })
                            .collect_view()}
                    </select>
                    <input id="orders-status" class="narrow" type="search" list="orders-statuses" spellcheck="false" placeholder=t("ord-filter-status")
                        aria-label=t("ord-filter-status-label") title=t("ord-filter-status-title") bind:value=status />
                    <datalist id="orders-statuses">
                        <For each=move || statuses.get() key=|s| s.clone() let:s>
                            <option value=s></option>
                        </For>
                    </datalist>
                    <label class="inline">
                        <span>{t("ord-filter-from")}</span>
                        <input id="orders-from" class="date" type="date" placeholder="2026-11-01" bind:value=from />
                    </label>
                    <label class="inline">
                        <span>{t("ord-filter-to")}</span>
                        <input id="orders-to" class="date" type="date" placeholder="2026-11-30" bind:value=to />
                    </label>
                </div>
                <div class="toolbar selection-bar" id="orders-selection">
                    <button class="secondary small" id="select-paid" disabled=move || bar_busy.get() on:click=select_paid
                        title=t("ord-select-paid-title")>{t("ord-select-paid")}</button>
                    <Show when=move || !checked.with(Vec::is_empty)>
                        <span id="selection-count">{move || tf("ord-selected-count", &[("count", Value::from(checked.with(Vec::len) as i64))])}</span>
                        <button class="small" id="selection-pick" on:click=move |_| show(Panel::PickList)>{t("ord-pick-list")}</button>
                        <button class="secondary small" id="selection-packed" disabled=move || bar_busy.get() on:click=mark_packed>{t("ord-mark-packed")}</button>
                        <button class="secondary small" id="selection-shipped" on:click=move |_| show(Panel::Ship)>{t("ord-mark-shipped")}</button>
                        <button class="secondary small" id="selection-slips" on:click=move |_| show(Panel::Slips)>{t("ord-packing-slips")}</button>
                        <button class="secondary small" id="selection-clear" on:click=move |_| { checked.set(Vec::new()); panel.set(Panel::None); }>{t("ord-clear")}</button>
                    </Show>
                </div>
                {move || bar_notice.get().map(|m| view! { <p class="notice error" role="alert" id="selection-notice">{m}</p> })}
                {move || filter_problem.get().map(|m| view! { <p class="notice error" id="orders-filter-problem">{m}</p> })}
                {move || pager.error.get().map(|m| view! { <p class="notice error" role="alert" id="orders-page-error">{tf("ord-load-error", &[("error", m.into())])}</p> })}
                <Transition fallback=|| view! { <p class="muted">{t("ord-loading")}</p> }>
                    // Only a change between error / empty / some orders swaps the view; new data
                    // flows into the same table, whose rows `<For>` diffs by key.
                    {move || state.get().map(|st| match st {
                        Err(message) => view! { <p class="notice error" role="alert">{tf("ord-load-error", &[("error", message.into())])}</p> }.into_any(),
                        Ok(true) => view! {
                            // EmptyState's markup: its props are `&'static str`, a translation is not.
                            <div class="empty">
                                <h2>{t("ord-empty-title")}</h2>
                                <p>{t("ord-empty-hint")}</p>
                            </div>
                        }.into_any(),
                        Ok(false) => view! {
                            <OrdersTable pager=pager selected=selected sort=sort on_select=open checked=checked_ids on_check=on_check />
                            <Show when=move || pager.total.get() == Some(0)>
                                <p class="muted" id="orders-filter-empty">{t("ord-filter-empty")}</p>
                            </Show>
                        }.into_any(),
                    })}
                </Transition>
                <InboxPanel entries=inbox_entries load_error=inbox_error notice=retry_notice busy=retrying on_retry=retry />
            </div>
            {move || match panel.get() {
                Panel::None => ().into_any(),
                Panel::PickList => view! { <PickListView orders=pick_orders on_close=Callback::new(move |()| panel.set(Panel::None)) /> }.into_any(),
                Panel::Ship => view! {
                    <aside class="detail" id="ship-panel">
                        <header>
                            <h2>{t("ord-ship-title")}</h2>
                            <button class="secondary small" data-close="" on:click=move |_| panel.set(Panel::None)>{t("ord-close")}</button>
                        </header>
                        <ShipForm orders=to_ship on_done=Callback::new(move |()| panel.set(Panel::None)) />
                    </aside>
                }.into_any(),
                Panel::Slips => view! { <PackingSlips ids=checked_ids on_close=Callback::new(move |()| panel.set(Panel::None)) /> }.into_any(),
            }}
            <Transition fallback=|| ()>
                {move || current_id.get().map(|_| view! {
                    <OrderDetailView order=current on_close=Callback::new(move |()| selected.set(None)) />
                })}
                {move || detail_error.get().map(|message| view! { <p class="notice error" role="alert">{message}</p> })}
            </Transition>
        </section>
    }
}
