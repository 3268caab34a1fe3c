//! What the shell says outside the window (OS notifications, the tray), in the seller's language:
//! the one chosen in Settings, else the OS locale's.

use brickdesk_engine::Engine;
use brickdesk_i18n::{format, Catalogue, Lang, Value};
use brickdesk_ipc::{DisplaySettings, OrderSummary, Provider};

/// The language the OS locale asks for.
pub(crate) fn os_language() -> Lang {
    Lang::from_env(|var| std::env::var(var).ok())
}

/// `s` with the OS's language filled in, for the window.
pub(crate) fn with_os_language(mut s: DisplaySettings) -> DisplaySettings {
    s.os_language = os_language().code().to_string();
    s
}

/// The catalogue of the seller's language (English if the settings cannot be read).
pub(crate) async fn catalogue(engine: &Engine) -> Catalogue {
    let chosen = match engine.display_settings().await {
        Ok(s) => Lang::from_code(&s.language),
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the display settings");
            None
        }
    };
    Catalogue::new(chosen.unwrap_or_else(os_language))
}

/// Title and body of the OS notification for orders that just arrived: one order in detail,
/// several as a summary. Notification servers may render the body as markup, so buyer text is
/// escaped.
pub(crate) fn new_orders_notification(c: &Catalogue, orders: &[OrderSummary]) -> (String, String) {
    match orders {
        [o] => (
            c.text_with(
                "notify-new-order-title",
                &[("marketplace", o.marketplace.display_name().into()), ("id", o.external_id.as_str().into())],
            ),
            escape_markup(&c.text_with(
                "notify-new-order-body",
                &[
                    ("buyer", o.buyer_name.as_str().into()),
                    ("pieces", Value::from(o.pieces)),
                    ("total", format::money(c.lang(), &o.total, &o.currency).into()),
                ],
            )),
        ),
        many => {
            let count = |p: Provider| many.iter().filter(|o| o.marketplace == p).count();
            let parts: Vec<String> = Provider::ALL
                .iter()
                .filter(|p| count(**p) > 0)
                .map(|p| format!("{} {}", format::number(c.lang(), count(*p) as i64), p.display_name()))
                .collect();
            (c.text_with("notify-new-orders-title", &[("count", Value::from(many.len()))]), parts.join(", "))
        }
    }
}

/// The tray's unread line.
pub(crate) fn unread_label(c: &Catalogue, unread: i64) -> String {
    c.text_with("tray-unread", &[("count", Value::from(unread))])
}

fn escape_markup(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(m: Provider, id: &str, buyer: &str) -> OrderSummary {
        OrderSummary {
            id: 1,
            marketplace: m,
            external_id: id.into(),
            status: "PENDING".into(),
            buyer_name: buyer.into(),
            date_ordered: "2026-11-23T10:00:00.000Z".into(),
            total: "1212.45".into(),
            currency: "PLN".into(),
            pieces: 37,
            lots: 4,
            picked: 0,
            is_new: true,
            fulfillment_status: brickdesk_ipc::Fulfillment::New,
        }
    }

    #[test]
    fn notification_text_for_one_and_many_in_both_languages() {
        let en = Catalogue::new(Lang::En);
        let (t, b) = new_orders_notification(&en, &[order(Provider::Bricklink, "21457893", "<b>Anna & Bob</b>")]);
        assert_eq!(t, "New BrickLink order #21457893");
        assert_eq!(b, "&lt;b&gt;Anna &amp; Bob&lt;/b&gt; — 37 items, 1,212.45 PLN");
        let three = [order(Provider::Bricklink, "1", "a"), order(Provider::Brickowl, "2", "b"), order(Provider::Bricklink, "3", "c")];
        let (t, b) = new_orders_notification(&en, &three);
        assert_eq!((t.as_str(), b.as_str()), ("3 new orders", "2 BrickLink, 1 BrickOwl"));
        assert_eq!(unread_label(&en, 0), "No new orders");
        assert_eq!(unread_label(&en, 1), "1 new order");
        assert_eq!(unread_label(&en, 2), "2 new orders");

        let pl = Catalogue::new(Lang::Pl);
        let (t, b) = new_orders_notification(&pl, &[order(Provider::Allegro, "a-1", "Jan")]);
        assert_eq!(t, "Nowe zamówienie Allegro nr a-1");
        assert_eq!(b, "Jan — 37 sztuk, 1212,45 zł");
        assert_eq!(new_orders_notification(&pl, &three).0, "3 nowe zamówienia");
        assert_eq!(unread_label(&pl, 0), "Brak nowych zamówień");
        assert_eq!(unread_label(&pl, 22), "22 nowe zamówienia");
        assert_eq!(unread_label(&pl, 25), "25 nowych zamówień");
    }
}
