//! Configuration from the environment. Every marketplace URL can be pointed at a fake server on
//! 127.0.0.1 for tests and the demo store; defaults are the real hosts and the OS app-data dir.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::base::clock::Clock;
use crate::error::{Error, Result};

pub const DEFAULT_BRICKLINK_URL: &str = "https://api.bricklink.com/api/store/v1";
/// BrickLink's image host, as its catalog writes picture addresses.
pub const DEFAULT_BRICKLINK_IMAGES_URL: &str = "https://img.bricklink.com";
pub const DEFAULT_BRICKOWL_URL: &str = "https://api.brickowl.com/v1";
pub const DEFAULT_ALLEGRO_API_URL: &str = "https://api.allegro.pl";
pub const DEFAULT_ALLEGRO_AUTH_URL: &str = "https://allegro.pl";
/// Allegro's sandbox (allegrosandbox.pl): its own accounts and app registrations, for trying
/// BrickDesk out without real buyers.
pub const DEFAULT_ALLEGRO_SANDBOX_API_URL: &str = "https://api.allegro.pl.allegrosandbox.pl";
pub const DEFAULT_ALLEGRO_SANDBOX_AUTH_URL: &str = "https://allegro.pl.allegrosandbox.pl";
pub const DEFAULT_KEYRING_SERVICE: &str = "brickdesk";
pub const DATABASE_FILE: &str = "brickdesk.sqlite3";

#[derive(Debug, Clone)]
pub struct Config {
    /// Holds `brickdesk.sqlite3`.
    pub data_dir: PathBuf,
    /// Where the rotating log files go (`<data dir>/logs`; the demo keeps the real one).
    pub log_dir: PathBuf,
    /// Service name under which credentials live in the OS keyring.
    pub keyring_service: String,
    pub bricklink_url: String,
    /// Where BrickLink's image host (`https://img.bricklink.com`) is reached
    /// (BRICKDESK_BRICKLINK_IMAGES_URL; the simulator's in tests and the demo).
    pub bricklink_images_url: String,
    /// The picture cache's cap (BRICKDESK_IMAGE_CACHE_MB, default 64).
    pub image_cache_bytes: u64,
    pub brickowl_url: String,
    pub allegro_api_url: String,
    pub allegro_auth_url: String,
    /// The hosts of an app registration marked sandbox (BRICKDESK_ALLEGRO_SANDBOX_API_URL /
    /// _AUTH_URL; defaults Allegro's sandbox).
    pub allegro_sandbox_api_url: String,
    pub allegro_sandbox_auth_url: String,
    pub clock: Clock,
    /// How often the background workers poll (BRICKDESK_POLL_INTERVAL_SECS, default 180).
    pub poll_interval: std::time::Duration,
    /// How often Allegro's journals are read (BRICKDESK_ALLEGRO_POLL_INTERVAL_SECS, default 37
    /// minutes: well inside the offer journal's 24 hours, gentle on the shared client id).
    pub allegro_poll_interval: std::time::Duration,
    /// BRICKDESK_ALLEGRO_POLL_INTERVAL_SECS was set: it wins over the interval chosen in Settings.
    pub allegro_poll_interval_from_env: bool,
    /// BrickLink calls allowed per rolling 24 h (BRICKDESK_BRICKLINK_DAILY_LIMIT, default 5000).
    pub bricklink_daily_limit: i64,
    /// First retry delay of a failed call (BRICKDESK_RETRY_BASE_MS, default 500).
    pub retry_base: std::time::Duration,
    /// BrickLink sends per second, shared by every worker of the process (bursts of twice that):
    /// BRICKDESK_BRICKLINK_RATE_PER_SEC, default 5.
    pub bricklink_rate_per_sec: u64,
    /// How far BrickLink OAuth timestamps may run ahead of the clock before sends wait
    /// ([`MAX_TIMESTAMP_LEAD`]). BRICKDESK_BRICKLINK_TIMESTAMP_LEAD_SECS, for benchmarks
    /// against the simulator only.
    pub bricklink_timestamp_lead_secs: i64,
    /// How long after sending a quantity delta whose answer never came BrickDesk waits before
    /// reading the lot back (BRICKDESK_SYNC_SETTLE_MS, default 60 000: twice a call's timeout),
    /// so that a store still carrying the call out is not read before it lands.
    pub sync_settle: std::time::Duration,
    /// Running against the built-in simulated stores (set by the shell, never from the env).
    pub demo: bool,
}

impl Config {
    /// Reads `BRICKDESK_*` variables from the process environment.
    pub fn from_env() -> Result<Config> {
        Config::from_lookup(|k| std::env::var(k).ok())
    }

    /// Same as [`Config::from_env`] over any lookup, so tests need not touch the process env.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config> {
        let non_empty = |k: &str| get(k).filter(|v| !v.trim().is_empty());
        let data_dir = match non_empty("BRICKDESK_DATA_DIR") {
            Some(d) => PathBuf::from(d),
            None => default_data_dir()?,
        };
        let clock = match non_empty("BRICKDESK_NOW") {
            Some(s) => Clock::Fixed(
                DateTime::parse_from_rfc3339(s.trim())
                    .map_err(|e| Error::Config {
                        what: "BRICKDESK_NOW".into(),
                        detail: format!("expected an ISO-8601 timestamp like 2026-11-23T10:00:00Z, got {s:?} ({e})"),
                    })?
                    .with_timezone(&Utc),
            ),
            None => Clock::System,
        };
        let url = |k: &str, default: &str| -> Result<String> {
            let v = non_empty(k).unwrap_or_else(|| default.to_string());
            let trimmed = v.trim().trim_end_matches('/').to_string();
            if !(trimmed.starts_with("http://") || trimmed.starts_with("https://")) {
                return Err(Error::Config { what: k.into(), detail: format!("expected an http(s) URL, got {v:?}") });
            }
            Ok(trimmed)
        };
        let number = |k: &str, default: u64, min: u64| -> Result<u64> {
            match non_empty(k) {
                None => Ok(default),
                Some(v) => match v.trim().parse::<u64>() {
                    Ok(n) if n >= min => Ok(n),
                    _ => Err(Error::Config { what: k.into(), detail: format!("expected a whole number ≥ {min}, got {v:?}") }),
                },
            }
        };
        Ok(Config {
            poll_interval: std::time::Duration::from_secs(number("BRICKDESK_POLL_INTERVAL_SECS", 180, 5)?),
            allegro_poll_interval: std::time::Duration::from_secs(number("BRICKDESK_ALLEGRO_POLL_INTERVAL_SECS", 37 * 60, 5)?),
            allegro_poll_interval_from_env: non_empty("BRICKDESK_ALLEGRO_POLL_INTERVAL_SECS").is_some(),
            bricklink_daily_limit: number("BRICKDESK_BRICKLINK_DAILY_LIMIT", 5000, 1)? as i64,
            retry_base: std::time::Duration::from_millis(number("BRICKDESK_RETRY_BASE_MS", 500, 0)?),
            bricklink_rate_per_sec: number("BRICKDESK_BRICKLINK_RATE_PER_SEC", 5, 1)?,
            bricklink_timestamp_lead_secs: number("BRICKDESK_BRICKLINK_TIMESTAMP_LEAD_SECS", MAX_TIMESTAMP_LEAD as u64, 1)? as i64,
            sync_settle: std::time::Duration::from_millis(number("BRICKDESK_SYNC_SETTLE_MS", 60_000, 0)?),
            demo: false,
            log_dir: data_dir.join("logs"),
            data_dir,
            keyring_service: non_empty("BRICKDESK_KEYRING_SERVICE").unwrap_or_else(|| DEFAULT_KEYRING_SERVICE.into()),
            bricklink_url: url("BRICKDESK_BRICKLINK_URL", DEFAULT_BRICKLINK_URL)?,
            bricklink_images_url: url("BRICKDESK_BRICKLINK_IMAGES_URL", DEFAULT_BRICKLINK_IMAGES_URL)?,
            image_cache_bytes: number("BRICKDESK_IMAGE_CACHE_MB", 64, 1)? << 20,
            brickowl_url: url("BRICKDESK_BRICKOWL_URL", DEFAULT_BRICKOWL_URL)?,
            allegro_api_url: url("BRICKDESK_ALLEGRO_API_URL", DEFAULT_ALLEGRO_API_URL)?,
            allegro_auth_url: url("BRICKDESK_ALLEGRO_AUTH_URL", DEFAULT_ALLEGRO_AUTH_URL)?,
            allegro_sandbox_api_url: url("BRICKDESK_ALLEGRO_SANDBOX_API_URL", DEFAULT_ALLEGRO_SANDBOX_API_URL)?,
            allegro_sandbox_auth_url: url("BRICKDESK_ALLEGRO_SANDBOX_AUTH_URL", DEFAULT_ALLEGRO_SANDBOX_AUTH_URL)?,
            clock,
        })
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join(DATABASE_FILE)
    }

    pub fn log_dir(&self) -> PathBuf {
        self.log_dir.clone()
    }

    pub fn ensure_data_dir(&self) -> Result<&Path> {
        std::fs::create_dir_all(&self.data_dir).map_err(|e| Error::Config {
            what: "BRICKDESK_DATA_DIR".into(),
            detail: format!("cannot create {}: {e}", self.data_dir.display()),
        })?;
        Ok(&self.data_dir)
    }
}

fn default_data_dir() -> Result<PathBuf> {
    directories::ProjectDirs::from("app", "BrickDesk", "BrickDesk").map(|d| d.data_dir().to_path_buf()).ok_or_else(|| Error::Config {
        what: "BRICKDESK_DATA_DIR".into(),
        detail: "no home directory to put the app data in; set BRICKDESK_DATA_DIR".into(),
    })
}

/// How far the timestamp counter may run ahead of the clock. Timestamps never repeat, so a
/// burst of more than one call per second pushes the counter into the future; BrickLink refuses
/// timestamps too far from its clock, so past this lead sends wait for the clock to catch up.
/// Sustained throughput is therefore about one call per second per token — a protocol limit.
/// (`BRICKDESK_BRICKLINK_TIMESTAMP_LEAD_SECS` changes it for benchmarks against the simulator,
/// whose window can be widened; BrickLink's own window is not known to be wider.)
pub const MAX_TIMESTAMP_LEAD: i64 = 300;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn cfg(pairs: &[(&str, &str)]) -> Result<Config> {
        let m: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|k| m.get(k).cloned())
    }

    #[test]
    fn defaults_are_the_real_hosts() {
        let c = cfg(&[("BRICKDESK_DATA_DIR", "/tmp/x")]).unwrap();
        assert_eq!(c.bricklink_url, DEFAULT_BRICKLINK_URL);
        assert_eq!(c.brickowl_url, DEFAULT_BRICKOWL_URL);
        assert_eq!(c.keyring_service, "brickdesk");
        assert_eq!(c.database_path(), PathBuf::from("/tmp/x/brickdesk.sqlite3"));
        assert_eq!(c.log_dir(), PathBuf::from("/tmp/x/logs"));
        assert!(matches!(c.clock, Clock::System));
    }

    #[test]
    fn overrides_and_trailing_slashes() {
        let c = cfg(&[
            ("BRICKDESK_DATA_DIR", "/d"),
            ("BRICKDESK_BRICKLINK_URL", "http://127.0.0.1:9/api/store/v1/"),
            ("BRICKDESK_NOW", "2026-11-23T10:00:00Z"),
        ])
        .unwrap();
        assert_eq!(c.bricklink_url, "http://127.0.0.1:9/api/store/v1");
        assert_eq!(c.clock.now_str(), "2026-11-23T10:00:00.000Z");
    }

    #[test]
    fn bad_values_are_clear_errors() {
        let e = cfg(&[("BRICKDESK_DATA_DIR", "/d"), ("BRICKDESK_NOW", "yesterday")]).unwrap_err();
        assert!(e.to_string().contains("BRICKDESK_NOW"), "{e}");
        let e = cfg(&[("BRICKDESK_DATA_DIR", "/d"), ("BRICKDESK_BRICKOWL_URL", "ftp://x")]).unwrap_err();
        assert!(e.to_string().contains("BRICKDESK_BRICKOWL_URL"), "{e}");
        let e = cfg(&[("BRICKDESK_DATA_DIR", "/d"), ("BRICKDESK_POLL_INTERVAL_SECS", "1")]).unwrap_err();
        assert!(e.to_string().contains("BRICKDESK_POLL_INTERVAL_SECS"), "{e}");
    }
}
