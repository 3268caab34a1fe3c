//! Times in the seller's zone.

use chrono::{DateTime, Datelike, FixedOffset};
use wasm_bindgen::JsValue;

use crate::i18n::{t, tf, Value};

// Times are stored and sent as RFC 3339 UTC; the seller reads them in their own zone. The `*_in`
// functions take the zone as minutes east of UTC (UTC+1 → 60, UTC−5 → −300, India → 330) so tests
// can pin it; the wrappers without the suffix read it from the webview.

/// `iso` in the zone `offset_minutes` east of UTC; `None` when it is not an RFC 3339 timestamp.
fn in_zone(iso: &str, offset_minutes: i32) -> Option<DateTime<FixedOffset>> {
    let zone = FixedOffset::east_opt(offset_minutes.checked_mul(60)?)?;
    Some(DateTime::parse_from_rfc3339(iso).ok()?.with_timezone(&zone))
}

/// `2026-11-23T10:03:11.527Z` at UTC+1 → `2026-11-23 11:03`; `—` when unknown; text that is not a
/// timestamp shows as it came.
pub fn short_time_in(iso: Option<&str>, offset_minutes: i32) -> String {
    match iso {
        Some(s) if !s.is_empty() => match in_zone(s, offset_minutes) {
            Some(t) => format!("{} {}", crate::i18n::date(t.year(), t.month(), t.day()), t.format("%H:%M")),
            None => s.to_string(),
        },
        _ => t("unknown"),
    }
}

/// Just `HH:MM` when `iso` falls on the same local day as `now`, else date and time.
pub fn time_of_day_in(iso: &str, now: &str, offset_minutes: i32) -> String {
    match (in_zone(iso, offset_minutes), in_zone(now, offset_minutes)) {
        (Some(t), Some(n)) if t.date_naive() == n.date_naive() => t.format("%H:%M").to_string(),
        _ => short_time_in(Some(iso), offset_minutes),
    }
}

/// A failed notification's outlook: when it is tried again, or that it gave up (`None`).
pub fn retry_label_in(next_attempt_at: Option<&str>, now: &str, offset_minutes: i32) -> String {
    match next_attempt_at {
        Some(next) => tf("retry-next-try", &[("time", time_of_day_in(next, now, offset_minutes).into())]),
        None => t("retry-gave-up"),
    }
}

/// The seller's zone at the instant `iso`, in minutes east of UTC: asked per instant because
/// daylight saving moves it. JavaScript counts the other way (UTC − local) and gives NaN for text
/// it cannot read (then UTC; such text shows as it came anyway).
pub(super) fn local_offset(iso: &str) -> i32 {
    let west = js_sys::Date::new(&JsValue::from_str(iso)).get_timezone_offset();
    if west.is_finite() {
        -(west.round() as i32)
    } else {
        0
    }
}

/// The webview's clock, as an RFC 3339 UTC string like the ones the engine sends.
pub(super) fn now_iso() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

/// [`short_time_in`] in the seller's zone.
pub fn short_time(iso: Option<&str>) -> String {
    short_time_in(iso, iso.map(local_offset).unwrap_or(0))
}

/// [`time_of_day_in`] in the seller's zone, against the webview's clock.
pub fn time_of_day(iso: &str) -> String {
    time_of_day_in(iso, &now_iso(), local_offset(iso))
}

/// [`retry_label_in`] in the seller's zone, against the webview's clock.
pub fn retry_label(next_attempt_at: Option<&str>) -> String {
    retry_label_in(next_attempt_at, &now_iso(), next_attempt_at.map(local_offset).unwrap_or(0))
}

/// How long ago `iso` was, against `now`: `just now`, `12 min ago`, `5 h ago`, `1 day ago`,
/// `40 days ago`; `None` when either is not a timestamp.
pub fn age_in(iso: &str, now: &str) -> Option<String> {
    let then = DateTime::parse_from_rfc3339(iso).ok()?;
    let now = DateTime::parse_from_rfc3339(now).ok()?;
    let minutes = (now - then).num_minutes();
    Some(match minutes {
        m if m < 1 => t("time-just-now"),
        m if m < 60 => tf("time-min-ago", &[("n", Value::from(m))]),
        m if m < 24 * 60 => tf("time-h-ago", &[("n", Value::from(m / 60))]),
        m => tf("time-days-ago", &[("n", Value::from(m / (24 * 60)))]),
    })
}

/// When `iso` was or will be, as the status bar says it: `just now`, `2 min ago`, `in 1 min`,
/// `today 03:32`, `yesterday 23:10`, `tomorrow 00:10`, else the date and time; `—` when unknown.
pub fn relative_in(iso: Option<&str>, now: &str, offset_minutes: i32) -> String {
    let Some(iso) = iso.filter(|s| !s.is_empty()) else { return t("unknown") };
    let (Some(then), Some(n)) = (in_zone(iso, offset_minutes), in_zone(now, offset_minutes)) else {
        return short_time_in(Some(iso), offset_minutes);
    };
    let seconds = (then - n).num_seconds();
    let clock = then.format("%H:%M").to_string();
    let days = (then.date_naive() - n.date_naive()).num_days();
    match seconds {
        s if (-60..0).contains(&s) => t("time-just-now"),
        s if (-3600..0).contains(&s) => tf("time-min-ago", &[("n", Value::from(-s / 60))]),
        s if (0..60).contains(&s) => t("time-in-seconds"),
        s if (0..3600).contains(&s) => tf("time-in-min", &[("n", Value::from(((s + 30) / 60).max(1)))]),
        _ => match days {
            0 => tf("time-today", &[("time", clock.into())]),
            -1 => tf("time-yesterday", &[("time", clock.into())]),
            1 => tf("time-tomorrow", &[("time", clock.into())]),
            _ => short_time_in(Some(iso), offset_minutes),
        },
    }
}

/// [`relative_in`] in the seller's zone, against the webview's clock.
pub fn relative(iso: Option<&str>) -> String {
    relative_in(iso, &now_iso(), iso.map(local_offset).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_show_in_the_sellers_zone() {
        let t = Some("2026-11-23T10:03:11.527Z");
        // Ahead of UTC (Berlin in winter), behind it (New York), and half an hour off (India,
        // Newfoundland).
        assert_eq!(short_time_in(t, 60), "2026-11-23 11:03");
        assert_eq!(short_time_in(t, -300), "2026-11-23 05:03");
        assert_eq!(short_time_in(t, 330), "2026-11-23 15:33");
        assert_eq!(short_time_in(t, -210), "2026-11-23 06:33");
        // Across the date line the local day differs from the UTC one, both ways, and at the turn
        // of the year the year does too.
        assert_eq!(short_time_in(Some("2026-11-23T12:30:00.000Z"), 14 * 60), "2026-11-24 02:30");
        assert_eq!(short_time_in(Some("2026-11-23T05:00:00.000Z"), -10 * 60), "2026-11-22 19:00");
        assert_eq!(short_time_in(Some("2026-12-31T23:30:00.000Z"), 60), "2027-01-01 00:30");
        // A timestamp sent with an offset is converted too.
        assert_eq!(short_time_in(Some("2026-11-23T10:03:00+02:00"), 0), "2026-11-23 08:03");
    }

    #[test]
    fn time_of_day_drops_the_date_only_on_the_local_today() {
        let now = "2026-11-23T22:00:00.000Z";
        assert_eq!(time_of_day_in("2026-11-23T23:10:00.000Z", now, 0), "23:10");
        // One UTC day, two local ones: 23:10 UTC is already tomorrow in Berlin, and 09:00 UTC was
        // still yesterday in Hawaii.
        assert_eq!(time_of_day_in("2026-11-23T23:10:00.000Z", now, 60), "2026-11-24 00:10");
        assert_eq!(time_of_day_in("2026-11-23T09:00:00.000Z", now, -600), "2026-11-22 23:00");
        assert_eq!(retry_label_in(Some("2026-11-23T22:15:00.000Z"), now, 330), "next try 03:45");
        assert_eq!(retry_label_in(None, now, 330), "gave up");
    }

    #[test]
    fn the_status_bar_says_times_relative_to_now() {
        let now = "2026-12-06T03:33:20.000Z";
        let at = |iso: &str| relative_in(Some(iso), now, 60);
        assert_eq!(at("2026-12-06T03:33:00.000Z"), "just now");
        assert_eq!(at("2026-12-06T03:31:00.000Z"), "2 min ago");
        assert_eq!(at("2026-12-06T03:34:30.000Z"), "in 1 min");
        assert_eq!(at("2026-12-06T03:33:40.000Z"), "in a moment");
        assert_eq!(at("2026-12-06T03:35:00.000Z"), "in 2 min");
        // Beyond an hour: the clock, named by its day in the seller's zone (UTC+1 here).
        assert_eq!(at("2026-12-06T01:10:00.000Z"), "today 02:10");
        assert_eq!(at("2026-12-05T22:50:00.000Z"), "yesterday 23:50");
        assert_eq!(at("2026-12-06T23:10:00.000Z"), "tomorrow 00:10");
        assert_eq!(at("2026-12-01T10:00:00.000Z"), "2026-12-01 11:00");
        assert_eq!(relative_in(None, now, 60), "—");
        assert_eq!(relative_in(Some("soon"), now, 60), "soon");
    }
}
