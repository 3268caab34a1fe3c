//! Settings' About section: this installation's facts (version, build commit, folders), "Open log
//! folder", and the start-at-login switch. A section of the Settings page that owns its own IPC,
//! like a small page.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::t;
use crate::ipc;

#[component]
pub fn AboutSection() -> impl IntoView {
    let info = LocalResource::new(ipc::app_info);
    let commit = LocalResource::new(ipc::app_build_commit);
    // What the switch shows: the entry as the shell last reported it.
    let autostart = RwSignal::new(None::<bool>);
    let autostart_busy = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    spawn_local(async move {
        match ipc::autostart_status().await {
            Ok(on) => autostart.set(Some(on)),
            Err(e) => message.set(Some(e.message)),
        }
    });
    let set_autostart = move |wanted: bool| {
        autostart_busy.set(true);
        spawn_local(async move {
            match ipc::autostart_set(wanted).await {
                Ok(on) => {
                    autostart.set(Some(on));
                    message.set(None);
                }
                Err(e) => message.set(Some(e.message)),
            }
            autostart_busy.set(false);
        });
    };
    let open_logs = move |_| {
        spawn_local(async move {
            if let Err(e) = ipc::open_log_folder().await {
                message.set(Some(e.message));
            }
        })
    };

    view! {
        <section class="card about" id="about">
            <header><h2>{t("set-about-title")}</h2></header>
            <label class="switch">
                <input type="checkbox" id="autostart-toggle"
                    prop:checked=move || autostart.get().unwrap_or(false)
                    disabled=move || autostart_busy.get() || autostart.get().is_none()
                    on:change=move |ev| set_autostart(event_target_checked(&ev)) />
                {t("set-autostart")}
            </label>
            {move || message.get().map(|m| view! { <p class="notice error" role="alert">{m}</p> })}
            <Transition fallback=|| ()>
                {move || {
                    info.get().map(|r| match r {
                        Ok(i) => view! {
                            <dl class="facts" id="app-info">
                                <dt>{t("set-about-version")}</dt><dd id="about-version">{i.version}</dd>
                                <dt>{t("set-about-build")}</dt>
                                <dd id="about-commit">{move || commit.get().map(|c| c.unwrap_or_else(|e| e.message))}</dd>
                                <dt>{t("set-about-data-folder")}</dt><dd id="about-data-dir">{i.data_dir}</dd>
                                <dt>{t("set-about-database")}</dt><dd>{i.database}</dd>
                                <dt>{t("set-about-logs")}</dt><dd id="about-log-dir">{i.log_dir}</dd>
                                <dt>{t("set-about-keyring")}</dt><dd>{i.keyring_service}</dd>
                            </dl>
                        }.into_any(),
                        Err(e) => view! { <p class="notice error" role="alert">{e.message}</p> }.into_any(),
                    })
                }}
            </Transition>
            <div class="actions">
                <button type="button" class="secondary" id="open-log-folder" on:click=open_logs>{t("set-open-logs")}</button>
            </div>
        </section>
    }
}
