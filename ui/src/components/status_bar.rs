use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::{format, ipc, Epochs, Page};

/// Last/next poll, last error and today's budget per marketplace, plus "Poll now".
#[component]
pub fn StatusBar() -> impl IntoView {
    let epochs = expect_context::<Epochs>();
    // "N failed" opens the Orders page, whose Notifications panel lists them.
    let page = expect_context::<RwSignal<Page>>();
    let status = LocalResource::new(move || {
        epochs.status.track();
        ipc::status()
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
                    {s.demo.then(|| view! { <span class="badge demo" id="demo-badge" title="Simulated stores on this computer; set credentials in Settings to use yours">"Demo"</span> })}
                    {s.markets.into_iter().filter(|m| m.active).map(|m| {
                        let id = format!("market-status-{}", m.provider.as_str());
                        view! {
                            <span class="market" id=id>
                                <strong>{m.provider.display_name()}</strong>
                                " last " {format::short_time(m.last_poll_at.as_deref())}
                                " · next " {format::short_time(m.next_poll_at.as_deref())}
                                " · " {format::budget(m.budget_used, m.budget_limit)}
                                {(m.failed > 0).then(|| view! {
                                    " · "
                                    <button class="link err" id=format!("market-failed-{}", m.provider.as_str())
                                        title="Notifications BrickDesk gave up on: see Notifications under the orders table for their errors and Retry"
                                        on:click=move |_| page.set(Page::Orders)>
                                        {m.failed} " failed"
                                    </button>
                                })}
                                {m.last_error.map(|e| { let title = e.clone(); view! { <span class="err" title=title>" · ⚠ " {e}</span> } })}
                            </span>
                        }
                    }).collect_view()}
                }.into_any(),
                Err(e) => view! { <span class="err">{e.message}</span> }.into_any(),
            })}
            <span class="spacer"></span>
            {move || error.get().map(|e| view! { <span class="err" role="alert">{e}</span> })}
            <button id="poll-now" class="secondary small" on:click=poll disabled=move || polling.get()>"Poll now"</button>
        </div>
    }
}
