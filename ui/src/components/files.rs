//! Files in and out of the inventory: a file (BrickStore BSX, BrickLink XML, CSV) read in the
//! window, what importing it would do shown first (with the CSV's columns to confirm or change),
//! then imported; the lots shown written as a file in Downloads; and a newly linked store offered
//! every lot it does not have yet.

use brickdesk_ipc::{CsvOptions, FileFormat, FileImportInput, FileImportReport, InventoryQuery, Provider};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_bindgen::JsCast;

use crate::i18n::{t, tf, Value};
use crate::ipc;
use crate::state::Epochs;

/// The CSV fields a column can be read as, with their labels.
fn fields() -> [(&'static str, String); 10] {
    [
        ("item_no", t("lots-file-field-item-no")),
        ("item_type", t("lots-file-field-item-type")),
        ("color", t("lots-file-field-colour")),
        ("condition", t("lots-file-field-condition")),
        ("quantity", t("lots-file-field-quantity")),
        ("price", t("lots-file-field-price")),
        ("location", t("lots-file-field-location")),
        ("description", t("lots-file-field-description")),
        ("currency", t("lots-file-field-currency")),
        ("ignore", t("lots-file-field-ignore")),
    ]
}

/// A count as a message argument (grouped for the language by the catalogue).
fn count(n: usize) -> Value<'static> {
    Value::from(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The format a file's name says.
fn format_of(name: &str) -> FileFormat {
    let lower = name.to_lowercase();
    if lower.ends_with(".bsx") {
        FileFormat::Bsx
    } else if lower.ends_with(".xml") {
        FileFormat::BricklinkXml
    } else {
        FileFormat::Csv
    }
}

#[component]
pub fn FilesBar(
    /// The inventory's current filter: an export writes what it shows.
    #[prop(into)]
    query: Signal<InventoryQuery>,
    /// The stores connected (a linked one may lack lots).
    #[prop(into)]
    stores: Signal<Vec<Provider>>,
) -> impl IntoView {
    let epochs = expect_context::<Epochs>();
    let notice = RwSignal::new(None::<(bool, String)>);
    let open = RwSignal::new(false);
    let export = move |format: FileFormat| {
        let q = query.get_untracked();
        spawn_local(async move {
            notice.set(Some(match ipc::inventory_export_file(format, Some(&q)).await {
                Ok(path) => (true, tf("lots-file-saved", &[("path", path.into())])),
                Err(e) => (false, tf("lots-file-export-failed", &[("error", e.message.into())])),
            }));
        });
    };
    // What each linked store lacks, counted again whenever the inventory changes.
    let missing = LocalResource::new(move || {
        epochs.inventory.track();
        let stores = stores.get();
        async move {
            let mut out = Vec::new();
            for m in stores {
                if let Ok(r) = ipc::sync_publish(m, true).await {
                    if r.listed > 0 {
                        out.push((m, r.listed));
                    }
                }
            }
            out
        }
    });
    let publishing = RwSignal::new(None::<Provider>);
    let publish = move |m: Provider| {
        publishing.set(Some(m));
        spawn_local(async move {
            notice.set(Some(match ipc::sync_publish(m, false).await {
                Ok(r) => {
                    let market = m.display_name();
                    let text = if r.refused.is_empty() {
                        tf("lots-file-listed", &[("count", Value::from(r.listed)), ("market", market.into())])
                    } else {
                        let list = r
                            .refused
                            .iter()
                            .map(|x| {
                                tf(
                                    "lots-file-refused-lot",
                                    &[("id", x.inventory_id.to_string().into()), ("error", x.error.as_str().into())],
                                )
                            })
                            .collect::<Vec<_>>()
                            .join(", ");
                        tf(
                            "lots-file-listed-refused",
                            &[
                                ("count", Value::from(r.listed)),
                                ("market", market.into()),
                                ("refused", count(r.refused.len())),
                                ("list", list.into()),
                            ],
                        )
                    };
                    (r.refused.is_empty(), text)
                }
                Err(e) => (false, tf("lots-file-publish-failed", &[("market", m.display_name().into()), ("error", e.message.into())])),
            }));
            publishing.set(None);
            crate::state::bump(epochs.inventory);
        });
    };
    view! {
        <div class="toolbar files-bar" id="files-bar">
            <button type="button" class="secondary small" id="file-import-open" on:click=move |_| open.set(true)>{t("lots-file-import-open")}</button>
            <details class="export-menu">
                <summary class="secondary small" id="file-export">{t("lots-file-export")}</summary>
                <button type="button" class="small" id="export-bsx" on:click=move |_| export(FileFormat::Bsx)>{t("lots-file-export-bsx")}</button>
                <button type="button" class="small" id="export-bricklink-xml" on:click=move |_| export(FileFormat::BricklinkXml)>{t("lots-file-export-bricklink-xml")}</button>
                <button type="button" class="small" id="export-csv" on:click=move |_| export(FileFormat::Csv)>{t("lots-file-export-csv")}</button>
            </details>
            {move || missing.get().unwrap_or_default().into_iter().map(|(m, n)| view! {
                <button type="button" class="small publish" id=format!("publish-{}", m.as_str()) disabled=move || publishing.get().is_some()
                    title=tf("lots-file-publish-title", &[("market", m.display_name().into())])
                    on:click=move |_| publish(m)>
                    {move || if publishing.get() == Some(m) {
                        tf("lots-file-publishing", &[("market", m.display_name().into())])
                    } else {
                        tf("lots-file-publish", &[("count", Value::from(n)), ("market", m.display_name().into())])
                    }}
                </button>
            }).collect_view()}
        </div>
        // A bar while the listing runs (one call to its end; minutes for a big store, paced by
        // the store's limits). Each lot's chip turns synced as it lands.
        {move || publishing.get().map(|m| view! {
            <div class="import-run" id="publish-run">
                <span>{tf("lots-file-publish-run", &[("market", m.display_name().into())])}</span>
                <progress id="publish-progress"></progress>
            </div>
        })}
        {move || notice.get().map(|(ok, m)| view! { <p class=if ok { "notice ok" } else { "notice error" } id="files-notice">{m}</p> })}
        <Show when=move || open.get()>
            <ImportFile on_close=Callback::new(move |()| open.set(false)) />
        </Show>
    }
}

/// Import a file: choose it, see what it would do (CSV: confirm or change what each column
/// holds), then import. Nothing is written before the seller confirms.
#[component]
fn ImportFile(on_close: Callback<()>) -> impl IntoView {
    let file = RwSignal::new(None::<(String, Vec<u8>)>);
    let format = RwSignal::new(FileFormat::Csv);
    let map = RwSignal::new(Vec::<(String, String)>::new());
    let preview = RwSignal::new(None::<FileImportReport>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let input_of = move || {
        file.get_untracked().map(|(name, bytes)| FileImportInput {
            format: format.get_untracked(),
            name,
            bytes,
            csv: CsvOptions { map: map.get_untracked(), ..CsvOptions::default() },
        })
    };
    let read_again = move || {
        let Some(input) = input_of() else { return };
        busy.set(true);
        spawn_local(async move {
            match ipc::inventory_import_file(&input, true).await {
                Ok(r) => {
                    map.set(r.columns.clone());
                    preview.set(Some(r));
                    error.set(None);
                }
                Err(e) => {
                    preview.set(None);
                    error.set(Some(e.message));
                }
            }
            busy.set(false);
        });
    };
    let chosen = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<leptos::web_sys::HtmlInputElement>().ok()) else { return };
        let Some(f) = input.files().and_then(|l| l.get(0)) else { return };
        let name = f.name();
        format.set(format_of(&name));
        map.set(Vec::new());
        busy.set(true);
        spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(f.array_buffer()).await {
                Ok(buf) => {
                    file.set(Some((name, js_sys::Uint8Array::new(&buf).to_vec())));
                    read_again();
                }
                Err(_) => error.set(Some(t("lots-file-unreadable"))),
            }
            busy.set(false);
        });
    };
    let import = move |_| {
        let Some(input) = input_of() else { return };
        busy.set(true);
        spawn_local(async move {
            match ipc::inventory_import_file(&input, false).await {
                Ok(r) => {
                    preview.set(Some(r));
                    error.set(None);
                }
                Err(e) => error.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    let summary = move || {
        preview.get().map(|r| {
            if let Some(at) = r.already_imported.as_deref() {
                return tf("lots-file-already-imported", &[("at", crate::format::short_time(Some(at)).into())]);
            }
            let args = [("new", count(r.new.len())), ("added", count(r.added.len())), ("refused", count(r.refused.len()))];
            if r.dry_run {
                tf("lots-file-summary-preview", &args)
            } else {
                tf("lots-file-summary-done", &args)
            }
        })
    };
    let done = move || preview.with(|p| p.as_ref().is_some_and(|r| !r.dry_run));
    view! {
        <aside class="detail file-import" id="file-import">
            <header>
                <h2>{t("lots-file-import-title")}</h2>
                <button class="secondary small" id="file-import-close" data-close="" on:click=move |_| on_close.run(())>{t("lots-file-close")}</button>
            </header>
            <p class="muted">{t("lots-file-import-intro")}</p>
            <input type="file" id="file-import-input" accept=".bsx,.xml,.csv,.txt,.tsv" aria-label=t("lots-file-choose") on:change=chosen />
            {move || error.get().map(|e| view! { <p class="notice error" role="alert" id="file-import-error">{e}</p> })}
            {move || summary().map(|s| view! { <p class="notice" class:ok=done() id="file-import-summary">{s}</p> })}
            <Show when=move || format.get() == FileFormat::Csv && !map.with(Vec::is_empty) && !done()>
                <table class="grid" id="file-import-columns">
                    <caption>{t("lots-file-columns-caption")}</caption>
                    <tbody>
                        <For each=move || map.get() key=|(c, f)| format!("{c}={f}") let:col>
                            {
                                let column = col.0.clone();
                                let (shown, data) = (column.clone(), column.clone());
                                let current = col.1.clone();
                                let field_label = tf("lots-file-column-field", &[("column", column.as_str().into())]);
                                view! {
                                    <tr class="column-map" data-column=data>
                                        <td>{shown}</td>
                                        <td>
                                            <select class="column-field" aria-label=field_label on:change=move |ev| {
                                                let v = event_target_value(&ev);
                                                map.update(|m| if let Some(x) = m.iter_mut().find(|(c, _)| *c == column) { x.1 = v });
                                                read_again();
                                            }>
                                                {fields().into_iter().map(|(f, label)| view! { <option value=f selected=f == current.as_str()>{label}</option> }).collect_view()}
                                            </select>
                                        </td>
                                    </tr>
                                }
                            }
                        </For>
                    </tbody>
                </table>
            </Show>
            {move || preview.get().filter(|r| !r.refused.is_empty()).map(|r| view! {
                <table class="grid" id="file-import-refused">
                    <caption>{t("lots-file-refused-caption")}</caption>
                    <thead><tr><th class="num">{t("lots-file-col-row")}</th><th>{t("lots-file-col-why")}</th></tr></thead>
                    <tbody>
                        {r.refused.into_iter().map(|x| view! { <tr><td class="num">{crate::format::grouped(i64::try_from(x.row).unwrap_or(i64::MAX))}</td><td>{x.reason}</td></tr> }).collect_view()}
                    </tbody>
                </table>
            })}
            {move || preview.get().filter(|r| !r.dropped.is_empty()).map(|r| view! {
                <p class="muted" id="file-import-dropped">
                    {tf("lots-file-dropped", &[(
                        "list",
                        r.dropped
                            .iter()
                            .map(|(w, n)| tf("lots-file-dropped-field", &[("field", w.as_str().into()), ("count", count(*n))]))
                            .collect::<Vec<_>>()
                            .join(", ")
                            .into(),
                    )])}
                </p>
            })}
            <div class="toolbar">
                <button type="button" class="primary" id="file-import-confirm"
                    disabled=move || busy.get() || done() || preview.with(|p| p.as_ref().is_none_or(|r| r.already_imported.is_some() || (r.new.is_empty() && r.added.is_empty())))
                    on:click=import>
                    {move || if busy.get() {
                        t("lots-file-reading")
                    } else {
                        preview.with(|p| {
                            p.as_ref()
                                .map(|r| tf("lots-file-import-lots", &[("count", count(r.new.len() + r.added.len()))]))
                                .unwrap_or_else(|| t("lots-file-import"))
                        })
                    }}
                </button>
            </div>
        </aside>
    }
}
