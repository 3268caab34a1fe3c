//! Settings → Display: the window's language and theme. Each applies at once (the window draws
//! again in the new language; the theme is a `data-theme` on the root element) and is saved in
//! the engine's settings, where the shell reads the language for notifications and the tray.

use brickdesk_ipc::DisplaySettings;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::{t, tf, Lang};
use crate::ipc;
use crate::state::Display;

#[component]
pub fn DisplaySection() -> impl IntoView {
    let display = expect_context::<Display>();
    let error = RwSignal::new(None::<String>);
    let save = move |change: Box<dyn FnOnce(&mut DisplaySettings)>| {
        let mut wanted = display.settings.get_untracked();
        change(&mut wanted);
        spawn_local(async move {
            match ipc::set_display_settings(&wanted).await {
                Ok(saved) => {
                    error.set(None);
                    display.apply(&saved);
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    let os_name = move || Lang::from_code(&display.settings.with(|s| s.os_language.clone())).unwrap_or(Lang::En).native_name();
    let language = move || display.settings.with(|s| s.language.clone());
    let theme = move || display.settings.with(|s| s.theme.clone());
    view! {
        <section class="card" id="display-settings">
            <h2>{t("display-title")}</h2>
            <div class="inline-fields">
                <label>
                    <span>{t("display-language")}</span>
                    <select id="display-language"
                        on:change=move |ev| { let v = event_target_value(&ev); save(Box::new(move |s| s.language = v)) }>
                        <option value="" selected=move || language().is_empty()>{move || tf("display-follow-os-language", &[("language", os_name().into())])}</option>
                        // Each language in its own name, so a seller who cannot read the current one finds theirs.
                        {Lang::ALL.into_iter().map(|l| view! { <option value=l.code() lang=l.code() selected=move || language() == l.code()>{l.native_name()}</option> }).collect_view()}
                    </select>
                </label>
                <label>
                    <span>{t("display-theme")}</span>
                    <select id="display-theme"
                        on:change=move |ev| { let v = event_target_value(&ev); save(Box::new(move |s| s.theme = v)) }>
                        <option value="" selected=move || theme().is_empty()>{t("display-theme-os")}</option>
                        <option value="light" selected=move || theme() == "light">{t("display-theme-light")}</option>
                        <option value="dark" selected=move || theme() == "dark">{t("display-theme-dark")}</option>
                    </select>
                </label>
            </div>
            {move || error.get().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
        </section>
    }
}
