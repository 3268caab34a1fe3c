use brickdesk_ipc::CredentialStatus;
use leptos::prelude::*;

use crate::format;
use crate::i18n::{t, tf};

/// One input of a credential form. Values are typed here and sent once; they are never read back.
#[derive(Clone)]
pub struct Field {
    pub id: &'static str,
    pub label: String,
    pub value: RwSignal<String>,
}

/// What the last save or remove said.
#[derive(Clone, PartialEq)]
pub enum Notice {
    Ok(String),
    Error(String),
}

#[component]
pub fn CredentialForm(
    /// Prefix for element ids (`bricklink` → `status-bricklink`, `bricklink-save`).
    key: &'static str,
    title: &'static str,
    #[prop(into)] help: String,
    fields: Vec<Field>,
    #[prop(into)] status: Signal<Option<CredentialStatus>>,
    #[prop(into)] notice: Signal<Option<Notice>>,
    #[prop(into)] busy: Signal<bool>,
    on_save: Callback<()>,
    on_remove: Callback<()>,
    /// "Test connection" with the saved credentials.
    on_test: Callback<()>,
    /// Shown when Save is pressed with blank fields.
    on_invalid: Callback<String>,
) -> impl IntoView {
    let check_fields = fields.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let values: Vec<(&str, String)> = check_fields.iter().map(|f| (f.label.as_str(), f.value.get_untracked())).collect();
        let pairs: Vec<(&str, &str)> = values.iter().map(|(l, v)| (*l, v.as_str())).collect();
        let missing = format::missing_fields(&pairs);
        if missing.is_empty() {
            on_save.run(());
        } else {
            on_invalid.run(tf("set-fill-in", &[("fields", missing.join(", ").into())]));
        }
    };
    view! {
        <form class="card" id=format!("{key}-form") on:submit=save>
            <header>
                <h2>{title}</h2>
                <span id=format!("status-{key}") class=move || status.get().map(|s| format::credential_badge_class(&s)).unwrap_or("badge muted")>
                    {move || status.get().map(|s| format::credential_badge(&s)).unwrap_or_else(|| "…".into())}
                </span>
            </header>
            <p class="help">{help}</p>
            {fields
                .into_iter()
                .map(|f| {
                    view! {
                        <label>
                            <span>{f.label}</span>
                            <input id=f.id type="password" autocomplete="off" spellcheck="false" bind:value=f.value />
                        </label>
                    }
                })
                .collect_view()}
            <div class="actions">
                <button id=format!("{key}-save") type="submit" disabled=move || busy.get()>{t("set-save")}</button>
                <button
                    id=format!("{key}-remove")
                    type="button"
                    class="secondary"
                    disabled=move || busy.get() || !status.get().map(|s| s.set).unwrap_or(false)
                    on:click=move |_| on_remove.run(())
                >
                    {t("set-remove")}
                </button>
                <button
                    id=format!("{key}-test")
                    type="button"
                    class="secondary"
                    disabled=move || busy.get() || !status.get().map(|s| s.set).unwrap_or(false)
                    on:click=move |_| on_test.run(())
                >
                    {t("set-test")}
                </button>
            </div>
            {move || match notice.get() {
                Some(Notice::Ok(m)) => view! { <p class="notice ok" id=format!("{key}-notice")>{m}</p> }.into_any(),
                Some(Notice::Error(m)) => view! { <p class="notice error" role="alert" id=format!("{key}-notice")>{m}</p> }.into_any(),
                None => ().into_any(),
            }}
        </form>
    }
}
