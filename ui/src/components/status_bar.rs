use leptos::prelude::*;
use leptos::task::spawn_local;

use brickdesk_ipc::{CommandError, InventoryQuery};

use crate::format::SyncFilter;
use crate::i18n::{t, tf, Value};
use crate::state::{Epochs, Page};
use crate::{format, ipc};

/// Last/next poll, last error and today's budget per marketplace, inventory pushes waiting and
/// failed, plus "Poll now".
#[component]
pub fn StatusBar() -> impl IntoView {
    let epochs = expect_context::<Epochs>();
    // "N failed" opens the Orders page, whose Notifications panel lists them.
    let page = expect_context::<RwSignal<Page>>();
    let status = LocalResource::new(move || {
        epochs.status.track();
        ipc::status()
    });
    // Lots waiting and failed, counted by the engine: refetched on `inventory-changed` (every local
    // change and every sync round that pushed or failed), never on a timer.
    let filter = expect_context::<RwSignal<SyncFilter>>();
    let lots = LocalResource::new(move || {
        epochs.inventory.track();
        sync_counts()
    });
    let sync = Memo::new(move |_| lots.get().and_then(|r| r.ok()).flatten());
    let show_lots = move |f: SyncFilter| {
        filter.set(f);
        page.set(Page::Inventory);
    };
    // Relative times ("2 min ago") move on by themselves: the bar redraws its times every 20 s.
    let tick = RwSignal::new(0u32);
    let ticker = set_interval_with_handle(move || tick.update(|n| *n = n.wrapping_add(1)), std::time::Duration::from_secs(20)).ok();
    on_cleanup(move || {
        if let Some(h) = ticker {
            h.clear();
        }
    });
    let polling = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let poll = move |_| {
        polling.set(true);
        spawn_local(async move {
            match ipc::poll_now().await {
                Ok(()) => error.set(None),
                Err(e) => error.set(Some(e.message)),
            }
            polling.set(false);
        });
    };
    view! {
        <div class="statusbar" id="status-bar">
            {move || status.get().map(|r| match r {
                Ok(s) => view! {
                    {s.demo.then(|| view! { <span class="badge demo" id="demo-badge" title=t("status-demo-title")>{t("status-demo")}</span> })}
                    {s.markets.into_iter().filter(|m| m.active).map(|m| {
                        let id = format!("market-status-{}", m.provider.as_str());
                        view! {
                            <span class="market" id=id>
                                <strong>{m.provider.display_name()}</strong>
                                " " {
                                    let (last, next) = (m.last_poll_at.clone(), m.next_poll_at.clone());
                                    move || {
                                        tick.track();
                                        tf("status-polls", &[
                                            ("last", format::relative(last.as_deref()).into()),
                                            ("next", format::relative(next.as_deref()).into()),
                                        ])
                                    }
                                }
                                " · " {format::budget(m.budget_used, m.budget_limit)}
                                {(m.failed > 0).then(|| view! {
                                    " · "
                                    <button class="link err" id=format!("market-failed-{}", m.provider.as_str())
                                        title=t("status-failed-title")
                                        on:click=move |_| page.set(Page::Orders)>
                                        {tf("status-failed", &[("count", Value::from(m.failed))])}
                                    </button>
                                })}
                                {m.last_error.map(|e| { let title = e.clone(); view! { <span class="err" title=title>" · ⚠ " {e}</span> } })}
                            </span>
                        }
                    }).collect_view()}
                }.into_any(),
                Err(e) => view! { <span class="err">{e.message}</span> }.into_any(),
            })}
            {move || sync.get().map(|c| view! {
                <span class="market" id="sync-status">
                    <strong>{t("status-sync")}</strong>
                    {(c.pending == 0 && c.failed == 0).then(|| view! { <span class="ok" id="sync-ok">" ✓ " {t("status-up-to-date")}</span> })}
                    {(c.pending > 0).then(|| view! {
                        " · "
                        <button class="link" id="sync-pending" title=t("status-pending-title")
                            on:click=move |_| show_lots(SyncFilter::Pending)>
                            {tf("status-lots-pending", &[("count", Value::from(c.pending))])}
                        </button>
                    })}
                    {(c.failed > 0).then(|| view! {
                        " · "
                        <button class="link err" id="sync-failed" title=t("status-lots-failed-title")
                            on:click=move |_| show_lots(SyncFilter::Failed)>
                            {tf("status-lots-failed", &[("count", Value::from(c.failed))])}
                        </button>
                    })}
                </span>
            })}
            <span class="spacer"></span>
            {move || error.get().map(|e| view! { <span class="err" role="alert">{e}</span> })}
            <button id="poll-now" class="secondary small" on:click=poll disabled=move || polling.get() title=t("status-poll-title")>{t("status-poll")}</button>
        </div>
    }
}

/// Lots with a push waiting and with a push failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct SyncCounts {
    pending: i64,
    failed: i64,
}

/// `None` while no lot takes part in sync (no marketplace imported yet): nothing to report. Every
/// lot carries a chip for each marketplace in sync, so one lot tells.
async fn sync_counts() -> Result<Option<SyncCounts>, CommandError> {
    let one = ipc::inventory_page(&InventoryQuery { limit: 1, ..InventoryQuery::default() }).await?;
    if one.lots.iter().all(|l| l.sync.is_empty()) {
        return Ok(None);
    }
    let count = |f: SyncFilter| async move {
        Ok::<_, CommandError>(ipc::inventory_page(&InventoryQuery { sync: f.as_query(), ..InventoryQuery::default() }).await?.total)
    };
    Ok(Some(SyncCounts { pending: count(SyncFilter::Pending).await?, failed: count(SyncFilter::Failed).await? }))
}
