use brickdesk_ipc::{OrderSummary, OrdersQuery, OrdersSort, Provider};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::empty_state::EmptyState;
use crate::components::inbox_panel::InboxPanel;
use crate::components::order_detail::OrderDetailView;
use crate::components::orders_table::{OrdersTable, ROW_HEIGHT};
use crate::format::{self, OrderFilter};
use crate::ipc;
use crate::paging::Pager;
use crate::state::Epochs;

/// Orders from every connected store, live, at any number: the engine filters, sorts and counts,
/// and the table holds only the rows in view (see `paging`). The pollers' events refetch the rows
/// in view and the count, so a new order shows at the top (newest first) by itself.
#[component]
pub fn OrdersPage() -> impl IntoView {
    let epochs = expect_context::<Epochs>();
    let status = RwSignal::new(String::new());
    let market = RwSignal::new(String::new());
    let buyer = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let sort = RwSignal::new((OrdersSort::Date, true));
    let order_filter = Memo::new(move |_| OrderFilter {
        status: status.get(),
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
        Some(format::count_label(pager.total.get().unwrap_or(all), all, filtered, ("order", "orders")))
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
            retry_notice.set(ipc::inbox_retry(id).await.err().map(|e| format!("Cannot retry: {}", e.message)));
            retrying.set(false);
            // A refused retry sends no engine event (the row may have been answered meanwhile):
            // refetch so the panel shows what is stored.
            crate::state::bump(epochs.status);
        });
    });
    let open = Callback::new(move |id: i64| {
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
                    <h1>"Orders"</h1>
                    <span class="muted" id="orders-count">{count_label}</span>
                </header>
                <div class="toolbar orders-filters">
                    <input id="orders-buyer" type="search" spellcheck="false" placeholder="Buyer starts with…" bind:value=buyer />
                    <select id="orders-market" on:change=move |ev| market.set(event_target_value(&ev))>
                        <option value="">"All markets"</option>
                        <option value="bricklink">"BrickLink"</option>
                        <option value="brickowl">"BrickOwl"</option>
                    </select>
                    <input id="orders-status" class="narrow" type="search" list="orders-statuses" spellcheck="false" placeholder="Status"
                        title="The marketplace's status, exactly (PAID, Shipped…)" bind:value=status />
                    <datalist id="orders-statuses">
                        <For each=move || statuses.get() key=|s| s.clone() let:s>
                            <option value=s></option>
                        </For>
                    </datalist>
                    <label class="inline">
                        <span>"From"</span>
                        <input id="orders-from" class="date" type="date" placeholder="2026-11-01" bind:value=from />
                    </label>
                    <label class="inline">
                        <span>"To"</span>
                        <input id="orders-to" class="date" type="date" placeholder="2026-11-30" bind:value=to />
                    </label>
                </div>
                {move || filter_problem.get().map(|m| view! { <p class="notice error" id="orders-filter-problem">{m}</p> })}
                {move || pager.error.get().map(|m| view! { <p class="notice error" role="alert" id="orders-page-error">"Cannot load orders: " {m}</p> })}
                <Transition fallback=|| view! { <p class="muted">"Loading orders…"</p> }>
                    // Only a change between error / empty / some orders swaps the view; new data
                    // flows into the same table, whose rows `<For>` diffs by key.
                    {move || state.get().map(|st| match st {
                        Err(message) => view! { <p class="notice error" role="alert">"Cannot load orders: " {message}</p> }.into_any(),
                        Ok(true) => view! {
                            <EmptyState title="No orders yet" hint="New orders from your connected stores appear here on their own." />
                        }.into_any(),
                        Ok(false) => view! {
                            <OrdersTable pager=pager selected=selected sort=sort on_select=open />
                            <Show when=move || pager.total.get() == Some(0)>
                                <p class="muted" id="orders-filter-empty">"No order matches these filters."</p>
                            </Show>
                        }.into_any(),
                    })}
                </Transition>
                <InboxPanel entries=inbox_entries load_error=inbox_error notice=retry_notice busy=retrying on_retry=retry />
            </div>
            <Transition fallback=|| ()>
                {move || current_id.get().map(|_| view! {
                    <OrderDetailView order=current on_close=Callback::new(move |()| selected.set(None)) />
                })}
                {move || detail_error.get().map(|message| view! { <p class="notice error" role="alert">{message}</p> })}
            </Transition>
        </section>
    }
}
