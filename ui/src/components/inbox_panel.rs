use brickdesk_ipc::InboxEntry;
use leptos::prelude::*;

use crate::format;
use crate::i18n::{t, tf};

/// How many messages / feedback notifications the panel lists: it is a glance, not a mailbox.
const LATEST_MESSAGES: usize = 5;

/// Notifications the seller may need to act on: failed ones, each with its error and a Retry, and
/// the latest messages and feedback. Draws nothing while there is nothing to show. Marketplace
/// text (errors, ids) goes into text nodes: markup in it shows as typed, never renders.
#[component]
pub fn InboxPanel(
    #[prop(into)] entries: Signal<Vec<InboxEntry>>,
    /// Why the list could not be loaded.
    #[prop(into)]
    load_error: Signal<Option<String>>,
    /// Why the last Retry failed.
    #[prop(into)]
    notice: Signal<Option<String>>,
    #[prop(into)] busy: Signal<bool>,
    /// Retry one failed notification (`Some(id)`) or all of them (`None`).
    on_retry: Callback<Option<i64>>,
) -> impl IntoView {
    let split = Memo::new(move |_| entries.with(|e| format::split_inbox(e, LATEST_MESSAGES)));
    let failed = Memo::new(move |_| split.with(|(f, _)| f.clone()));
    let messages = Memo::new(move |_| split.with(|(_, m)| m.clone()));
    let anything = move || {
        !failed.with(Vec::is_empty) || !messages.with(Vec::is_empty) || load_error.with(Option::is_some) || notice.with(Option::is_some)
    };
    view! {
        <Show when=anything>
            <section class="inbox" id="inbox-panel">
                <h2>{t("ord-inbox-title")}</h2>
                {move || load_error.get().map(|m| view! { <p class="notice error" role="alert">{tf("ord-inbox-load-error", &[("error", m.into())])}</p> })}
                {move || notice.get().map(|m| view! { <p class="notice error" id="inbox-notice" role="alert">{m}</p> })}
                <Show when=move || !failed.with(Vec::is_empty)>
                    <FailedList failed=failed busy=busy on_retry=on_retry />
                </Show>
                <Show when=move || !messages.with(Vec::is_empty)>
                    <MessageList messages=messages />
                </Show>
            </section>
        </Show>
    }
}

/// Failed notifications: what, which order, why, and when BrickDesk tries again.
#[component]
fn FailedList(failed: Memo<Vec<InboxEntry>>, busy: Signal<bool>, on_retry: Callback<Option<i64>>) -> impl IntoView {
    view! {
        <div class="inbox-head">
            <h3>{t("ord-inbox-failed")}</h3>
            <Show when=move || failed.with(|f| f.len() >= 2)>
                <button class="secondary small" id="inbox-retry-all" disabled=move || busy.get() on:click=move |_| on_retry.run(None)>
                    {t("ord-inbox-retry-all")}
                </button>
            </Show>
        </div>
        <table class="grid" id="inbox-failed">
            <thead>
                <tr>
                    <th>{t("ord-col-market")}</th>
                    <th>{t("ord-col-event")}</th>
                    <th>{t("ord-col-order")}</th>
                    <th>{t("ord-col-attempts")}</th>
                    <th>{t("ord-col-error")}</th>
                    <th>{t("ord-col-next")}</th>
                    <th></th>
                </tr>
            </thead>
            <tbody>
                // Keyed by what can change on a row: a new error or schedule draws it afresh.
                <For each=move || failed.get() key=|e| (e.id, e.attempts, e.next_attempt_at.clone(), e.last_error.clone()) let:e>
                    <FailedRow e=e busy=busy on_retry=on_retry />
                </For>
            </tbody>
        </table>
    }
}

#[component]
fn FailedRow(e: InboxEntry, busy: Signal<bool>, on_retry: Callback<Option<i64>>) -> impl IntoView {
    let id = e.id;
    view! {
        <tr class="inbox-failed" data-inbox-id=id.to_string() data-resource-id=e.resource_id.clone()>
            <td>{e.marketplace.display_name()}</td>
            <td>{e.event_type.clone()}</td>
            <td class="mono">{e.resource_id.clone()}</td>
            <td class="num">{format::attempts(e.attempts)}</td>
            <td class="error-text">{e.last_error.clone().unwrap_or_default()}</td>
            <td class="next-try">{format::retry_label(e.next_attempt_at.as_deref())}</td>
            <td>
                <button class="small" id=format!("inbox-retry-{id}") disabled=move || busy.get() on:click=move |_| on_retry.run(Some(id))>
                    {t("ord-retry")}
                </button>
            </td>
        </tr>
    }
}

/// The latest messages and feedback: what came, from where, when.
#[component]
fn MessageList(messages: Memo<Vec<InboxEntry>>) -> impl IntoView {
    view! {
        <h3>{t("ord-inbox-messages")}</h3>
        <ul class="inbox-messages" id="inbox-messages">
            <For each=move || messages.get() key=|e| e.id let:e>
                <li class="inbox-message" data-inbox-id=e.id.to_string()>
                    <strong>{format::inbox_kind(&e.kind)}</strong>
                    " · " {e.marketplace.display_name()}
                    " · " <span class="muted">{format::time_of_day(&e.occurred_at)}</span>
                </li>
            </For>
        </ul>
    }
}
