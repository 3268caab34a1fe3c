use brickdesk_ipc::Provider;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::empty_state::EmptyState;
use crate::components::inbox_panel::InboxPanel;
use crate::components::order_detail::OrderDetailView;
use crate::components::orders_table::OrdersTable;
use crate::format::{self, OrderFilter, SortKey};
use crate::{ipc, Epochs};

/// Orders from every connected store, live: the pollers' events refetch the list.
#[component]
pub fn OrdersPage() -> impl IntoView {
    let epochs = expect_context::<Epochs>();
    let orders = LocalResource::new(move || {
        epochs.orders.track();
        ipc::orders_list()
    });
    let search = RwSignal::new(String::new());
    let market = RwSignal::new(String::new());
    let sort = RwSignal::new((SortKey::Date, false));
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
    let shown = Signal::derive(move || {
        let all = orders.get().and_then(|r| r.ok()).unwrap_or_default();
        let filter = OrderFilter { text: search.get(), marketplace: Provider::parse(&market.get()) };
        format::sort_orders(format::filter_orders(all, &filter), sort.get())
    });
    let state = Memo::new(move |_| {
        orders.get().map(|r| match r {
            Ok(v) => Ok(v.is_empty()),
            Err(e) => Err(e.message),
        })
    });
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
            crate::bump(epochs.status);
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
                <h1>"Orders"</h1>
                <div class="toolbar">
                    <input id="orders-search" type="search" placeholder="Search buyer, order, status…" bind:value=search />
                    <select id="orders-market" on:change=move |ev| market.set(event_target_value(&ev))>
                        <option value="">"All markets"</option>
                        <option value="bricklink">"BrickLink"</option>
                        <option value="brickowl">"BrickOwl"</option>
                    </select>
                </div>
                <Transition fallback=|| view! { <p class="muted">"Loading orders…"</p> }>
                    // Only a change between error / empty / some orders swaps the view; new data
                    // flows into the same table, whose rows `<For>` diffs by key.
                    {move || state.get().map(|st| match st {
                        Err(message) => view! { <p class="notice error" role="alert">"Cannot load orders: " {message}</p> }.into_any(),
                        Ok(true) => view! {
                            <EmptyState title="No orders yet" hint="New orders from your connected stores appear here on their own." />
                        }.into_any(),
                        Ok(false) => view! { <OrdersTable orders=shown selected=selected sort=sort on_select=open /> }.into_any(),
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
