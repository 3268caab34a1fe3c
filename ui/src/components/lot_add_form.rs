use brickdesk_ipc::{CatalogColor, InventoryAddInput};
use leptos::prelude::*;

use crate::components::credential_form::Notice;
use crate::format::{self, LotForm};
use crate::i18n::{t, tf};

/// The add-lot form's inputs. The page owns them so it can clear them once the engine took the lot.
#[derive(Clone, Copy)]
pub struct LotFields {
    pub item_no: RwSignal<String>,
    pub item_type: RwSignal<String>,
    pub color_id: RwSignal<String>,
    pub condition: RwSignal<String>,
    pub quantity: RwSignal<String>,
    pub price: RwSignal<String>,
    pub location: RwSignal<String>,
    pub description: RwSignal<String>,
}

impl LotFields {
    pub fn new() -> LotFields {
        let empty = || RwSignal::new(String::new());
        LotFields {
            item_no: empty(),
            item_type: RwSignal::new(format::ITEM_TYPES[0].to_string()),
            color_id: empty(),
            condition: RwSignal::new("N".to_string()),
            quantity: empty(),
            price: empty(),
            location: empty(),
            description: empty(),
        }
    }

    /// The form as typed, with the colour turned into its id when it names one.
    fn read(&self, colors: &[CatalogColor]) -> LotForm {
        LotForm {
            item_no: self.item_no.get_untracked(),
            item_type: self.item_type.get_untracked(),
            color_id: format::colour_typed(&self.color_id.get_untracked(), colors),
            condition: self.condition.get_untracked(),
            quantity: self.quantity.get_untracked(),
            price: self.price.get_untracked(),
            location: self.location.get_untracked(),
            description: self.description.get_untracked(),
        }
    }

    /// After an add: a blank form, keeping the type and condition (lots often come in runs).
    pub fn clear(&self) {
        for f in [self.item_no, self.color_id, self.quantity, self.price, self.location, self.description] {
            f.set(String::new());
        }
    }
}

/// A new lot: item, colour, condition, quantity, price and bin. The colour is picked by name from
/// BrickLink's list (`Black (#11)`) or typed as an id. The form checks what it can (and says what to
/// fix); the engine checks again, and its refusal is shown here as it comes.
#[component]
pub fn LotAddForm(
    fields: LotFields,
    /// The currency the new lot is priced in (the store's usual one; `None`: the engine's default).
    #[prop(into)]
    currency: Signal<Option<String>>,
    #[prop(into)] notice: Signal<Option<Notice>>,
    #[prop(into)] busy: Signal<bool>,
    /// BrickLink's colours by name (empty until the list is fetched: ids still work).
    #[prop(into)]
    colors: Signal<Vec<CatalogColor>>,
    on_add: Callback<InventoryAddInput>,
    on_invalid: Callback<String>,
) -> impl IntoView {
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = colors.with_untracked(|c| fields.read(c));
        match format::lot_add_input(&form, currency.get_untracked().as_deref()) {
            Ok(input) => on_add.run(input),
            Err(m) => on_invalid.run(m),
        }
    };
    let price_label = move || match currency.get() {
        Some(c) => tf("lots-add-price-in", &[("currency", c.into())]),
        None => t("lots-add-price"),
    };
    view! {
        <form class="lot-add" id="lot-add-form" on:submit=submit autocomplete="off">
            <label class="w-item">
                <span>{t("lots-add-item-no")}</span>
                <input id="lot-item-no" type="text" spellcheck="false" placeholder="3001" bind:value=fields.item_no />
            </label>
            <label>
                <span>{t("lots-add-type")}</span>
                <select id="lot-item-type" prop:value=move || fields.item_type.get()
                    on:change=move |ev| fields.item_type.set(event_target_value(&ev))>
                    {format::ITEM_TYPES.into_iter().map(|code| view! { <option value=code>{format::item_type_label(code)}</option> }).collect_view()}
                </select>
            </label>
            <label class="w-colour">
                <span>
                    {t("lots-add-colour")}
                    {move || {
                        let text = fields.color_id.get();
                        colors.with(|c| format::colour_hint(&text, c)).map(|n| view! { <em id="lot-color-name">{format!(" · {n}")}</em> })
                    }}
                </span>
                <input id="lot-color-id" type="text" list="lot-colors" spellcheck="false" placeholder=t("lots-add-colour-placeholder")
                    title=t("lots-add-colour-title") bind:value=fields.color_id />
                <datalist id="lot-colors">
                    {move || colors.with(|c| c.iter().map(|c| view! { <option value=format::colour_choice(c)></option> }).collect_view())}
                </datalist>
            </label>
            <label>
                <span>{t("lots-add-condition")}</span>
                <select id="lot-condition" prop:value=move || fields.condition.get()
                    on:change=move |ev| fields.condition.set(event_target_value(&ev))>
                    <option value="N">{t("lots-add-condition-new")}</option>
                    <option value="U">{t("lots-add-condition-used")}</option>
                </select>
            </label>
            <label class="w-num">
                <span>{t("lots-add-quantity")}</span>
                <input id="lot-quantity" type="text" inputmode="numeric" placeholder="10" bind:value=fields.quantity />
            </label>
            <label class="w-price">
                <span>{price_label}</span>
                <input id="lot-price" type="text" inputmode="decimal" placeholder=t("lots-add-price-placeholder") bind:value=fields.price />
            </label>
            <label class="w-loc">
                <span>{t("lots-add-location")}</span>
                <input id="lot-location" type="text" spellcheck="false" placeholder="A-01" bind:value=fields.location />
            </label>
            <label class="w-desc">
                <span>{t("lots-add-description")}</span>
                <input id="lot-description" type="text" placeholder=t("lots-add-description-placeholder") bind:value=fields.description />
            </label>
            <button id="lot-add-submit" type="submit" disabled=move || busy.get()>{t("lots-add-submit")}</button>
            {move || match notice.get() {
                Some(Notice::Ok(m)) => view! { <p class="notice ok" id="lot-add-notice">{m}</p> }.into_any(),
                Some(Notice::Error(m)) => view! { <p class="notice error" role="alert" id="lot-add-notice">{m}</p> }.into_any(),
                None => ().into_any(),
            }}
        </form>
    }
}
