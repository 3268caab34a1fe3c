use brickdesk_ipc::{BricklinkCredentialsInput, BrickowlCredentialsInput, CommandError, CredentialStatus, Provider};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::allegro_card::AllegroCard;
use crate::components::credential_form::{CredentialForm, Field, Notice};
use crate::components::display_settings::DisplaySection;
use crate::i18n::{t, tf};
use crate::pages::about::AboutSection;
use crate::state::Epochs;
use crate::{format, ipc};

/// Credentials (saved to the OS keyring through the shell) and facts about this installation.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let epochs = expect_context::<Epochs>();
    let statuses = LocalResource::new(move || {
        epochs.credentials.track();
        ipc::credentials_status()
    });
    let app_status = LocalResource::new(ipc::status);
    let in_demo = Signal::derive(move || app_status.get().and_then(|r| r.ok()).is_some_and(|s| s.demo));
    let status_of = move |p: Provider| {
        Signal::derive(move || statuses.get().and_then(|r| r.ok()).and_then(|v| v.into_iter().find(|s: &CredentialStatus| s.provider == p)))
    };

    let field = |id, label| Field { id, label, value: RwSignal::new(String::new()) };
    // BrickLink's and BrickOwl's own names for these (their API pages are in English).
    let bl_fields = vec![
        field("bricklink-consumer-key", t("set-field-consumer-key")),
        field("bricklink-consumer-secret", t("set-field-consumer-secret")),
        field("bricklink-token-value", t("set-field-token-value")),
        field("bricklink-token-secret", t("set-field-token-secret")),
    ];
    let bo_fields = vec![field("brickowl-api-key", t("set-field-api-key"))];

    let bl_notice = RwSignal::new(None::<Notice>);
    let bo_notice = RwSignal::new(None::<Notice>);
    let bl_busy = RwSignal::new(false);
    let bo_busy = RwSignal::new(false);

    let saved =
        move |notice: RwSignal<Option<Notice>>, busy: RwSignal<bool>, fields: Vec<Field>, r: Result<CredentialStatus, CommandError>| {
            match r {
                Ok(_) => {
                    fields.iter().for_each(|f| f.value.set(String::new()));
                    notice.set(Some(Notice::Ok(format::saved_notice(in_demo.get_untracked()))));
                }
                Err(e) => notice.set(Some(Notice::Error(e.message))),
            }
            busy.set(false);
        };

    let bl = bl_fields.clone();
    let save_bl = Callback::new(move |()| {
        let v: Vec<String> = bl.iter().map(|f| f.value.get_untracked()).collect();
        let input = BricklinkCredentialsInput {
            consumer_key: v[0].clone(),
            consumer_secret: v[1].clone(),
            token_value: v[2].clone(),
            token_secret: v[3].clone(),
        };
        bl_busy.set(true);
        let fields = bl.clone();
        spawn_local(async move { saved(bl_notice, bl_busy, fields, ipc::credentials_set_bricklink(&input).await) });
    });
    let bo = bo_fields.clone();
    let save_bo = Callback::new(move |()| {
        let input = BrickowlCredentialsInput { api_key: bo[0].value.get_untracked() };
        bo_busy.set(true);
        let fields = bo.clone();
        spawn_local(async move { saved(bo_notice, bo_busy, fields, ipc::credentials_set_brickowl(&input).await) });
    });
    let remove = move |p: Provider, notice: RwSignal<Option<Notice>>, busy: RwSignal<bool>| {
        Callback::new(move |()| {
            busy.set(true);
            spawn_local(async move {
                match ipc::credentials_delete(p).await {
                    Ok(_) => notice.set(Some(Notice::Ok(t("set-removed")))),
                    Err(e) => notice.set(Some(Notice::Error(e.message))),
                }
                busy.set(false);
            });
        })
    };

    let test = move |p: Provider, notice: RwSignal<Option<Notice>>, busy: RwSignal<bool>| {
        Callback::new(move |()| {
            busy.set(true);
            notice.set(Some(Notice::Ok(tf("set-asking", &[("store", p.display_name().into())]))));
            spawn_local(async move {
                match ipc::credentials_test(p).await {
                    Ok(t) if t.ok => notice.set(Some(Notice::Ok(t.message))),
                    Ok(t) => notice.set(Some(Notice::Error(match t.detail {
                        Some(d) => format!("{} ({d})", t.message),
                        None => t.message,
                    }))),
                    Err(e) => notice.set(Some(Notice::Error(e.message))),
                }
                busy.set(false);
            });
        })
    };

    view! {
        <section id="page-settings">
            <h1>{t("set-title")}</h1>
            <DisplaySection />
            <Transition fallback=|| view! { <p class="muted">{t("set-reading-keyring")}</p> }>
                {move || {
                    statuses.get().and_then(|r| r.err()).map(|e| {
                        view! { <p class="notice error" role="alert">{tf("set-status-error", &[("error", e.message.into())])}</p> }
                    })
                }}
            </Transition>
            <div class="cards">
                <CredentialForm
                    key="bricklink"
                    title="BrickLink"
                    help=t("set-bricklink-help")
                    fields=bl_fields
                    status=status_of(Provider::Bricklink)
                    notice=bl_notice
                    busy=bl_busy
                    on_save=save_bl
                    on_remove=remove(Provider::Bricklink, bl_notice, bl_busy)
                    on_test=test(Provider::Bricklink, bl_notice, bl_busy)
                    on_invalid=Callback::new(move |m| bl_notice.set(Some(Notice::Error(m))))
                />
                <CredentialForm
                    key="brickowl"
                    title="BrickOwl"
                    help=t("set-brickowl-help")
                    fields=bo_fields
                    status=status_of(Provider::Brickowl)
                    notice=bo_notice
                    busy=bo_busy
                    on_save=save_bo
                    on_remove=remove(Provider::Brickowl, bo_notice, bo_busy)
                    on_test=test(Provider::Brickowl, bo_notice, bo_busy)
                    on_invalid=Callback::new(move |m| bo_notice.set(Some(Notice::Error(m))))
                />
                <AllegroCard status=status_of(Provider::Allegro) />
            </div>
            <ShippingSettings />
            <AboutSection />
        </section>
    }
}

/// How marking orders shipped behaves: BrickLink's Drive Thru e-mail (off unless turned on).
#[component]
fn ShippingSettings() -> impl IntoView {
    let settings = LocalResource::new(crate::ipc::fulfilment_settings);
    let notice = RwSignal::new(None::<String>);
    let on = Memo::new(move |_| settings.get().and_then(|r| r.ok()).is_some_and(|s| s.bricklink_drive_thru));
    let set = move |ev: leptos::ev::Event| {
        let wanted = event_target_checked(&ev);
        leptos::task::spawn_local(async move {
            let s = brickdesk_ipc::FulfilmentSettings { bricklink_drive_thru: wanted };
            notice.set(crate::ipc::set_fulfilment_settings(&s).await.err().map(|e| e.message));
            settings.refetch();
        });
    };
    view! {
        <section class="card" id="shipping-settings">
            <h2>{t("set-shipping")}</h2>
            <label class="inline">
                <input type="checkbox" id="drive-thru" prop:checked=move || on.get() on:change=set />
                " "
                {t("set-drive-thru")}
            </label>
            {move || notice.get().map(|n| view! { <p class="notice error" role="alert">{n}</p> })}
        </section>
    }
}
