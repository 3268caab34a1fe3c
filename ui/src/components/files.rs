//! Files in and out of the inventory: a file (BrickStore BSX, BrickLink XML, CSV) read in the
//! window, what importing it would do shown first (with the CSV's columns to confirm or change),
//! then imported; the lots shown written as a file in Downloads; and a newly linked store offered
//! every lot it does not have yet.

use brickdesk_ipc::{CsvOptions, FileFormat, FileImportInput, FileImportReport, InventoryQuery, Provider};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_bindgen::JsCast;

use crate::ipc;
use crate::state::Epochs;

/// The CSV fields a column can be read as, with their labels.
const FIELDS: [(&str, &str); 10] = [
    ("item_no", "Item number"),
    ("item_type", "Item type"),
    ("color", "Colour"),
    ("condition", "Condition"),
    ("quantity", "Quantity"),
    ("price", "Price"),
    ("location", "Bin"),
    ("description", "Description"),
    ("currency", "Currency"),
    ("ignore", "(not read)"),
];

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
                Ok(path) => (true, format!("Saved to {path}")),
                Err(e) => (false, format!("Cannot export: {}", e.message)),
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
                    let refused = if r.refused.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "; {} refused: {}",
                            r.refused.len(),
                            r.refused.iter().map(|x| format!("lot #{} ({})", x.inventory_id, x.error)).collect::<Vec<_>>().join(", ")
                        )
                    };
                    (r.refused.is_empty(), format!("Listed {} lots on {}{refused}", r.listed, m.display_name()))
                }
                Err(e) => (false, format!("Cannot list on {}: {}", m.display_name(), e.message)),
            }));
            publishing.set(None);
            crate::state::bump(epochs.inventory);
        });
    };
    view! {
        <div class="toolbar files-bar" id="files-bar">
            <button type="button" class="secondary small" id="file-import-open" on:click=move |_| open.set(true)>"Import a file…"</button>
            <details class="export-menu">
                <summary class="secondary small" id="file-export">"Export"</summary>
                <button type="button" class="small" id="export-bsx" on:click=move |_| export(FileFormat::Bsx)>"BrickStore (.bsx)"</button>
                <button type="button" class="small" id="export-bricklink-xml" on:click=move |_| export(FileFormat::BricklinkXml)>"BrickLink XML"</button>
                <button type="button" class="small" id="export-csv" on:click=move |_| export(FileFormat::Csv)>"CSV"</button>
            </details>
            {move || missing.get().unwrap_or_default().into_iter().map(|(m, n)| view! {
                <button type="button" class="small publish" id=format!("publish-{}", m.as_str()) disabled=move || publishing.get().is_some()
                    title=format!("{} does not have these lots yet: list them there", m.display_name())
                    on:click=move |_| publish(m)>
                    {move || if publishing.get() == Some(m) { format!("Listing on {}…", m.display_name()) } else { format!("List {n} lots on {}", m.display_name()) }}
                </button>
            }).collect_view()}
        </div>
        // A bar while the listing runs (one call to its end; minutes for a big store, paced by
        // the store's limits). Each lot's chip turns synced as it lands.
        {move || publishing.get().map(|m| view! {
            <div class="import-run" id="publish-run">
                <span>{format!("Listing on {}", m.display_name())}</span>
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
                Err(_) => error.set(Some("The file could not be read.".into())),
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
            if let Some(at) = r.already_imported.clone() {
                return format!("This file was imported on {at}: importing it again adds nothing.");
            }
            let verb = if r.dry_run { "Importing will make" } else { "Imported:" };
            format!("{verb} {} new lots, add to {} lots; {} rows refused.", r.new.len(), r.added.len(), r.refused.len())
        })
    };
    let done = move || preview.with(|p| p.as_ref().is_some_and(|r| !r.dry_run));
    view! {
        <aside class="detail file-import" id="file-import">
            <header>
                <h2>"Import a file"</h2>
                <button class="secondary small" id="file-import-close" on:click=move |_| on_close.run(())>"Close"</button>
            </header>
            <p class="muted">"BrickStore (.bsx), BrickLink XML (.xml) or CSV from a spreadsheet. Nothing is written until you confirm."</p>
            <input type="file" id="file-import-input" accept=".bsx,.xml,.csv,.txt,.tsv" on:change=chosen />
            {move || error.get().map(|e| view! { <p class="notice error" role="alert" id="file-import-error">{e}</p> })}
            {move || summary().map(|s| view! { <p class="notice" class:ok=done() id="file-import-summary">{s}</p> })}
            <Show when=move || format.get() == FileFormat::Csv && !map.with(Vec::is_empty) && !done()>
                <table class="grid" id="file-import-columns">
                    <caption>"What each column holds"</caption>
                    <tbody>
                        <For each=move || map.get() key=|(c, f)| format!("{c}={f}") let:col>
                            {
                                let column = col.0.clone();
                                let (shown, data) = (column.clone(), column.clone());
                                let current = col.1.clone();
                                view! {
                                    <tr class="column-map" data-column=data>
                                        <td>{shown}</td>
                                        <td>
                                            <select class="column-field" on:change=move |ev| {
                                                let v = event_target_value(&ev);
                                                map.update(|m| if let Some(x) = m.iter_mut().find(|(c, _)| *c == column) { x.1 = v });
                                                read_again();
                                            }>
                                                {FIELDS.iter().map(|(f, label)| view! { <option value=*f selected=*f == current.as_str()>{*label}</option> }).collect_view()}
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
                    <caption>"Rows not imported"</caption>
                    <thead><tr><th class="num">"Row"</th><th>"Why"</th></tr></thead>
                    <tbody>
                        {r.refused.into_iter().map(|x| view! { <tr><td class="num">{x.row}</td><td>{x.reason}</td></tr> }).collect_view()}
                    </tbody>
                </table>
            })}
            {move || preview.get().filter(|r| !r.dropped.is_empty()).map(|r| view! {
                <p class="muted" id="file-import-dropped">
                    "Not kept by BrickDesk: "
                    {r.dropped.iter().map(|(w, n)| format!("{w} ({n} rows)")).collect::<Vec<_>>().join(", ")}
                </p>
            })}
            <div class="toolbar">
                <button type="button" class="primary" id="file-import-confirm"
                    disabled=move || busy.get() || done() || preview.with(|p| p.as_ref().is_none_or(|r| r.already_imported.is_some() || (r.new.is_empty() && r.added.is_empty())))
                    on:click=import>
                    {move || if busy.get() { "Reading…".to_string() } else { preview.with(|p| p.as_ref().map(|r| format!("Import {} lots", r.new.len() + r.added.len())).unwrap_or_else(|| "Import".into())) }}
                </button>
            </div>
        </aside>
    }
}
