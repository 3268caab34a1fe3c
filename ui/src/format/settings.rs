//! Settings: credential and Allegro-link wording, poll intervals, the call budget.

use brickdesk_ipc::CredentialStatus;

use crate::i18n::{t, tf, Value};

/// The short badge text for a provider's credentials.
pub fn credential_badge(status: &CredentialStatus) -> String {
    match (status.set, status.active) {
        (true, true) => t("set-badge-set"),
        (true, false) => t("set-badge-unreadable"),
        (false, _) => t("set-badge-not-set"),
    }
}

/// Allegro's badge: a saved app registration is not yet an account BrickDesk can use; the device
/// flow links it.
pub fn allegro_badge(status: &CredentialStatus) -> String {
    match (status.set, status.active) {
        (_, true) => t("set-badge-linked"),
        (true, false) => t("set-badge-not-linked"),
        (false, _) => t("set-badge-not-set"),
    }
}

/// CSS modifier for Allegro's badge.
pub fn allegro_badge_class(status: &CredentialStatus) -> &'static str {
    match (status.set, status.active) {
        (_, true) => "badge ok",
        (true, false) => "badge warn",
        (false, _) => "badge muted",
    }
}

/// The page Allegro asks the seller to approve BrickDesk on, only if it is a web address: it comes
/// from the marketplace, and a `javascript:` or `file:` link must never become clickable.
pub fn web_link(uri: &str) -> Option<&str> {
    let t = uri.trim();
    let lower = t.to_ascii_lowercase();
    ((lower.starts_with("https://") || lower.starts_with("http://")) && !t.chars().any(char::is_whitespace)).then_some(t)
}

/// How long the code shown stays valid, in words.
pub fn code_valid_for(expires_in: u64) -> String {
    match expires_in / 60 {
        0 => tf("set-code-valid-seconds", &[("count", count(expires_in))]),
        m => tf("set-code-valid-minutes", &[("count", count(m))]),
    }
}

/// "every 37 minutes", "every hour", "every 2 h 30 min": an interval of whole seconds in words.
pub fn every(secs: u64) -> String {
    let m = secs / 60;
    match (m / 60, m % 60) {
        (0, 0) => tf("set-every-seconds", &[("count", count(secs))]),
        (0, m) => tf("set-every-minutes", &[("count", count(m))]),
        (h, 0) => tf("set-every-hours", &[("count", count(h))]),
        (h, m) => tf("set-every-hours-minutes", &[("h", count(h)), ("m", count(m))]),
    }
}

/// A count for the catalogue (its plural forms and grouping).
fn count(n: u64) -> Value<'static> {
    Value::from(i64::try_from(n).unwrap_or(i64::MAX))
}

/// What the seller typed as an interval in whole minutes, in seconds (None if not a positive
/// whole number; the engine checks the bounds and says them).
pub fn minutes_to_secs(text: &str) -> Option<u64> {
    text.trim().parse::<u64>().ok().filter(|m| *m > 0).and_then(|m| m.checked_mul(60))
}

/// CSS modifier for the badge.
pub fn credential_badge_class(status: &CredentialStatus) -> &'static str {
    match (status.set, status.active) {
        (true, true) => "badge ok",
        (true, false) => "badge warn",
        (false, _) => "badge muted",
    }
}

/// What a successful credentials save says. Saving leaves the demo at once.
pub fn saved_notice(demo: bool) -> String {
    if demo {
        t("set-saved-left-demo")
    } else {
        t("set-saved")
    }
}

/// The status bar's API calls today: `12/5000 calls today` (the pair as plain digits, as the
/// marketplace states its limit), or `1,234 calls today` without a limit.
pub fn budget(used: i64, limit: Option<i64>) -> String {
    match limit {
        Some(l) => tf("set-budget-of", &[("used", used.to_string().into()), ("limit", l.to_string().into()), ("count", Value::from(l))]),
        None => tf("set-budget", &[("count", Value::from(used))]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brickdesk_ipc::Provider;

    fn st(set: bool, active: bool) -> CredentialStatus {
        CredentialStatus { provider: Provider::Bricklink, set, active }
    }

    #[test]
    fn badges() {
        assert_eq!(credential_badge(&st(true, true)), "Set");
        assert_eq!(credential_badge(&st(false, false)), "Not set");
        assert_eq!(credential_badge(&st(true, false)), "Unreadable — save again");
        assert_eq!(credential_badge_class(&st(true, true)), "badge ok");
    }

    #[test]
    fn saving_in_the_demo_says_it_left_the_demo() {
        assert!(saved_notice(true).contains("left the demo"));
        assert_eq!(saved_notice(false), "Saved to the OS keyring.");
    }

    mod allegro {
        use super::*;

        fn st(set: bool, active: bool) -> CredentialStatus {
            CredentialStatus { provider: Provider::Allegro, set, active }
        }

        #[test]
        fn allegro_badge_says_linked_only_once_the_device_flow_ran() {
            assert_eq!((allegro_badge(&st(false, false)).as_str(), allegro_badge_class(&st(false, false))), ("Not set", "badge muted"));
            assert_eq!((allegro_badge(&st(true, false)).as_str(), allegro_badge_class(&st(true, false))), ("Not linked", "badge warn"));
            assert_eq!((allegro_badge(&st(true, true)).as_str(), allegro_badge_class(&st(true, true))), ("Linked", "badge ok"));
        }

        #[test]
        fn only_web_addresses_become_links() {
            assert_eq!(
                web_link(" https://allegro.pl/skojarz-aplikacje?code=ABC123 "),
                Some("https://allegro.pl/skojarz-aplikacje?code=ABC123")
            );
            assert_eq!(web_link("http://127.0.0.1:4000/skojarz-aplikacje?code=X"), Some("http://127.0.0.1:4000/skojarz-aplikacje?code=X"));
            assert_eq!(web_link("javascript:alert(1)"), None);
            assert_eq!(web_link("JaVaScRiPt:alert(1)"), None);
            assert_eq!(web_link("file:///etc/passwd"), None);
            assert_eq!(web_link("https://allegro.pl/a b"), None);
            assert_eq!(web_link(""), None);
        }

        #[test]
        fn code_validity_in_words() {
            assert_eq!(code_valid_for(3600), "The code is valid for 60 minutes.");
            assert_eq!(code_valid_for(90), "The code is valid for 1 minute.");
            assert_eq!(code_valid_for(30), "The code is valid for 30 seconds.");
        }
    }
}
