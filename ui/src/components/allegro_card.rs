use brickdesk_ipc::{AllegroCredentialsInput, AllegroLink, CredentialStatus, Provider};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::credential_form::Notice;
use crate::i18n::{t, tf};
use crate::state::Epochs;
use crate::{format, ipc};

/// Allegro in Settings: the app registration (client id and secret, saved to the OS keyring and
/// cleared from the form), then "Link account" — the device flow: the code is shown big with the
/// page to approve it on, and the card waits until Allegro says yes (or no). Owns its IPC like the
/// status bar: linking is a conversation with the shell, not a value to hand back.
#[component]
pub fn AllegroCard(#[prop(into)] status: Signal<Option<CredentialStatus>>) -> impl IntoView {
    let epochs = expect_context::<Epochs>();
    let client_id = RwSignal::new(String::new());
    let client_secret = RwSignal::new(String::new());
    let notice = RwSignal::new(None::<Notice>);
    let busy = RwSignal::new(false);
    let link = RwSignal::new(None::<AllegroLink>);
    let is_set = move || status.get().is_some_and(|s| s.set);
    let sandbox = RwSignal::new(false);
    // Sandbox or not, and how often Allegro is read: read again whenever the credentials change.
    let settings = LocalResource::new(move || {
        epochs.credentials.track();
        ipc::allegro_settings()
    });
    let current = move || settings.get().and_then(|r| r.ok());
    let minutes = RwSignal::new(String::new());
    let interval_notice = RwSignal::new(None::<Notice>);
    let save_interval = move |_| {
        let text = minutes.get_untracked();
        let Some(secs) = format::minutes_to_secs(&text) else {
            interval_notice.set(Some(Notice::Error(tf("set-interval-bad", &[("typed", format!("{:?}", text.trim()).into())]))));
            return;
        };
        spawn_local(async move {
            match ipc::allegro_set_poll_interval(secs).await {
                Ok(s) => {
                    minutes.set(String::new());
                    interval_notice
                        .set(Some(Notice::Ok(tf("set-interval-saved", &[("every", format::every(s.poll_interval_secs).into())]))));
                }
                Err(e) => interval_notice.set(Some(Notice::Error(e.message))),
            }
            crate::state::bump(epochs.credentials);
        });
    };

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (id, secret) = (client_id.get_untracked(), client_secret.get_untracked());
        let (id_label, secret_label) = (t("set-field-client-id"), t("set-field-client-secret"));
        let missing = format::missing_fields(&[(id_label.as_str(), id.as_str()), (secret_label.as_str(), secret.as_str())]);
        if !missing.is_empty() {
            notice.set(Some(Notice::Error(tf("set-fill-in", &[("fields", missing.join(", ").into())]))));
            return;
        }
        let input = AllegroCredentialsInput {
            client_id: id.trim().to_string(),
            client_secret: secret.trim().to_string(),
            sandbox: sandbox.get_untracked(),
        };
        busy.set(true);
        spawn_local(async move {
            match ipc::credentials_set_allegro(&input).await {
                Ok(_) => {
                    client_id.set(String::new());
                    client_secret.set(String::new());
                    sandbox.set(false);
                    notice.set(Some(Notice::Ok(t("set-allegro-saved"))));
                }
                Err(e) => notice.set(Some(Notice::Error(e.message))),
            }
            busy.set(false);
            crate::state::bump(epochs.credentials);
        });
    };

    let start_link = move |_| {
        busy.set(true);
        notice.set(Some(Notice::Ok(t("set-allegro-asking"))));
        spawn_local(async move {
            match ipc::allegro_link_start().await {
                Ok(l) => {
                    link.set(Some(l));
                    notice.set(Some(Notice::Ok(t("set-allegro-waiting"))));
                    match ipc::allegro_link_wait().await {
                        Ok(_) => notice.set(Some(Notice::Ok(t("set-allegro-linked")))),
                        // The engine's words already say what happened and what to do.
                        Err(e) => notice.set(Some(Notice::Error(e.message))),
                    }
                    link.set(None);
                }
                Err(e) => notice.set(Some(Notice::Error(tf("set-allegro-link-error", &[("error", e.message.into())])))),
            }
            busy.set(false);
            crate::state::bump(epochs.credentials);
        });
    };

    let remove = move |_| {
        busy.set(true);
        spawn_local(async move {
            match ipc::credentials_delete(Provider::Allegro).await {
                Ok(_) => notice.set(Some(Notice::Ok(t("set-removed")))),
                Err(e) => notice.set(Some(Notice::Error(e.message))),
            }
            busy.set(false);
            crate::state::bump(epochs.credentials);
        });
    };

    view! {
        <form class="card" id="allegro-form" on:submit=save>
            <header>
                <h2>"Allegro"</h2>
                <span id="status-allegro" class=move || status.get().map(|s| format::allegro_badge_class(&s)).unwrap_or("badge muted")>
                    {move || status.get().map(|s| format::allegro_badge(&s)).unwrap_or_else(|| "…".into())}
                </span>
            </header>
            <p class="help">{t("set-allegro-help")}</p>
            <label>
                <span>{t("set-field-client-id")}</span>
                <input id="allegro-client-id" type="password" autocomplete="off" spellcheck="false" bind:value=client_id />
            </label>
            <label>
                <span>{t("set-field-client-secret")}</span>
                <input id="allegro-client-secret" type="password" autocomplete="off" spellcheck="false" bind:value=client_secret />
            </label>
            <label class="check">
                <input id="allegro-sandbox" type="checkbox" bind:checked=sandbox />
                <span>{t("set-sandbox")}</span>
            </label>
            <div class="actions">
                <button id="allegro-save" type="submit" disabled=move || busy.get()>{t("set-save")}</button>
                <button id="allegro-link" type="button" disabled=move || busy.get() || !is_set() on:click=start_link>
                    {t("set-link-account")}
                </button>
                <button id="allegro-remove" type="button" class="secondary" disabled=move || busy.get() || !is_set() on:click=remove>
                    {t("set-remove")}
                </button>
            </div>
            {move || link.get().map(|l| {
                let page = format::web_link(&l.verification_uri_complete).map(str::to_string);
                let plain = l.verification_uri.clone();
                view! {
                    <div class="allegro-code" id="allegro-link-pending">
                        <p>{t("set-allegro-approve")}</p>
                        <p class="user-code mono" id="allegro-user-code">{l.user_code.clone()}</p>
                        {match page {
                            Some(href) => view! {
                                <a id="allegro-verification-link" href=href.clone() target="_blank" rel="noopener noreferrer">{href.clone()}</a>
                            }.into_any(),
                            // Not a web address: shown as text, never a link.
                            None => view! { <p class="mono" id="allegro-verification-link">{plain}</p> }.into_any(),
                        }}
                        <p class="muted">{format::code_valid_for(l.expires_in)}</p>
                    </div>
                }
            })}
            {move || match notice.get() {
                Some(Notice::Ok(m)) => view! { <p class="notice ok" id="allegro-notice">{m}</p> }.into_any(),
                Some(Notice::Error(m)) => view! { <p class="notice error" role="alert" id="allegro-notice">{m}</p> }.into_any(),
                None => ().into_any(),
            }}
            {move || current().map(|s| view! {
                <p class="muted" id="allegro-environment">
                    {if s.sandbox { t("set-allegro-env-sandbox") } else { t("set-allegro-env") }}
                </p>
                <div class="inline-field">
                    <span id="allegro-interval-now">{tf("set-allegro-interval", &[("every", format::every(s.poll_interval_secs).into())])}</span>
                    {if s.interval_from_env {
                        view! { <span class="muted">" " {t("set-allegro-interval-env")}</span> }.into_any()
                    } else {
                        view! {
                            <input id="allegro-interval" type="text" inputmode="numeric" placeholder=t("set-minutes")
                                aria-label=t("set-allegro-interval-label") size="6" bind:value=minutes />
                            <button id="allegro-interval-save" type="button" class="secondary" on:click=save_interval>{t("set-interval-save")}</button>
                        }.into_any()
                    }}
                </div>
            })}
            {move || match interval_notice.get() {
                Some(Notice::Ok(m)) => view! { <p class="notice ok" id="allegro-interval-notice">{m}</p> }.into_any(),
                Some(Notice::Error(m)) => view! { <p class="notice error" role="alert" id="allegro-interval-notice">{m}</p> }.into_any(),
                None => ().into_any(),
            }}
        </form>
    }
}
