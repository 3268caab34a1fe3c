//! Item pictures kept on disk: BrickLink's images, fetched once from its image host and served
//! from `<data dir>/images` afterwards, the least recently shown dropped first once the folder
//! passes its cap. The window asks through the shell's `thumb:` scheme; a row never waits for a
//! picture (the webview loads them lazily, and a failure only hides the picture).
//!
//! Only BrickLink's image host is fetched from (`https://img.bricklink.com`, or the address the
//! config puts in its place: the simulator's in tests and the demo). A picture BrickLink does
//! not have is remembered as missing for a day, so a page of such rows does not ask again on
//! every scroll.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// BrickLink's image host, as its catalog writes it (`//img.bricklink.com/…` or `https://…`).
use crate::config::DEFAULT_BRICKLINK_IMAGES_URL as BRICKLINK_IMAGES;
/// The largest picture kept: BrickLink's part images are a few KB, set images up to ~200 KB.
const MAX_IMAGE: usize = 2 << 20;
/// How long a picture BrickLink answered 404 for is not asked for again.
const MISSING_FOR: Duration = Duration::from_secs(24 * 3600);

/// A picture and its media type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
}

/// The on-disk cache of pictures.
#[derive(Debug, Clone)]
pub struct ImageCache {
    dir: PathBuf,
    cap_bytes: u64,
    /// Where `https://img.bricklink.com` is fetched from.
    host: String,
}

fn image_error(detail: String) -> Error {
    Error::InvalidInput { what: "picture".into(), detail }
}

impl ImageCache {
    pub fn new(dir: PathBuf, cap_bytes: u64, host: String) -> ImageCache {
        ImageCache { dir, cap_bytes, host: host.trim_end_matches('/').to_string() }
    }

    /// The address to fetch `url` from; only BrickLink's image host is taken.
    fn source(&self, url: &str) -> Result<String> {
        let url = url.trim();
        let absolute = match url.strip_prefix("//") {
            Some(rest) => format!("https://{rest}"),
            None => url.to_string(),
        };
        let path = absolute
            .strip_prefix(BRICKLINK_IMAGES)
            .filter(|p| p.starts_with('/') && !p.contains("..") && !p.contains(['\\', '\n', '\r']))
            .ok_or_else(|| image_error(format!("{url:?} is not on BrickLink's image host")))?;
        Ok(format!("{}{path}", self.host))
    }

    fn file(&self, url: &str) -> PathBuf {
        let digest = Sha256::digest(url.trim().as_bytes());
        let name: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
        self.dir.join(name)
    }

    /// The picture at `url`, from disk or fetched once with `http`.
    pub async fn get(&self, http: &reqwest::Client, url: &str) -> Result<Option<Image>> {
        let source = self.source(url)?;
        let file = self.file(url);
        if let Some(image) = read_kept(&file).await {
            return Ok(Some(image));
        }
        let missing = file.with_extension("missing");
        if let Ok(meta) = tokio::fs::metadata(&missing).await {
            if meta.modified().ok().and_then(|m| m.elapsed().ok()).is_some_and(|age| age < MISSING_FOR) {
                return Ok(None);
            }
        }
        let fetched = fetch(http, &source).await?;
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(|e| Error::Config { what: "picture cache".into(), detail: format!("cannot create {}: {e}", self.dir.display()) })?;
        let Some(image) = fetched else {
            let _ = tokio::fs::write(&missing, b"").await;
            return Ok(None);
        };
        // Written whole or not at all: a kill mid-write leaves a temporary file, never half a picture.
        let tmp = file.with_extension("part");
        let mut kept = vec![kind_byte(image.content_type)];
        kept.extend_from_slice(&image.bytes);
        let written = tokio::fs::write(&tmp, &kept).await.and(tokio::fs::rename(&tmp, &file).await);
        if let Err(e) = written {
            tracing::warn!(error = %e, "cannot keep a picture on disk");
        }
        let dir = self.dir.clone();
        let cap = self.cap_bytes;
        // Trimming reads the folder: off the async threads.
        let _ = tokio::task::spawn_blocking(move || trim(&dir, cap)).await;
        Ok(Some(image))
    }
}

/// The first byte of a kept file names its media type.
fn kind_byte(content_type: &str) -> u8 {
    match content_type {
        "image/png" => b'p',
        "image/gif" => b'g',
        "image/webp" => b'w',
        _ => b'j',
    }
}

fn content_type_of(kind: u8) -> &'static str {
    match kind {
        b'p' => "image/png",
        b'g' => "image/gif",
        b'w' => "image/webp",
        _ => "image/jpeg",
    }
}

async fn read_kept(file: &Path) -> Option<Image> {
    let mut bytes = tokio::fs::read(file).await.ok()?;
    if bytes.len() < 2 {
        return None;
    }
    let kind = bytes.remove(0);
    // Shown again: the last to be dropped (the modification time is the cache's clock).
    if let Ok(f) = std::fs::File::options().append(true).open(file) {
        let _ = f.set_modified(SystemTime::now());
    }
    Some(Image { bytes, content_type: content_type_of(kind) })
}

async fn fetch(http: &reqwest::Client, source: &str) -> Result<Option<Image>> {
    let failed = |e: String| Error::Inconsistent { what: "picture download".into(), detail: e };
    let resp = http.get(source).timeout(Duration::from_secs(20)).send().await.map_err(|e| failed(format!("{source}: {e}")))?;
    if resp.status() == reqwest::StatusCode::NOT_FOUND {
        return Ok(None);
    }
    if !resp.status().is_success() {
        return Err(failed(format!("{source}: HTTP {}", resp.status())));
    }
    let content_type = match resp.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default() {
        t if t.starts_with("image/png") => "image/png",
        t if t.starts_with("image/gif") => "image/gif",
        t if t.starts_with("image/webp") => "image/webp",
        t if t.starts_with("image/jpeg") => "image/jpeg",
        other => return Err(failed(format!("{source}: not a picture ({other:?})"))),
    };
    let bytes = resp.bytes().await.map_err(|e| failed(format!("{source}: {e}")))?;
    if bytes.len() > MAX_IMAGE {
        return Err(failed(format!("{source}: {} bytes, more than a picture should be", bytes.len())));
    }
    Ok(Some(Image { bytes: bytes.to_vec(), content_type }))
}

/// Drops the least recently shown pictures until the folder holds at most 90 % of `cap`.
fn trim(dir: &Path, cap: u64) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut files: Vec<(SystemTime, u64, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            meta.is_file().then(|| (meta.modified().unwrap_or(SystemTime::UNIX_EPOCH), meta.len(), e.path()))
        })
        .collect();
    let mut total: u64 = files.iter().map(|f| f.1).sum();
    if total <= cap {
        return;
    }
    files.sort();
    let keep = cap / 10 * 9;
    for (_, len, path) in files {
        if total <= keep {
            break;
        }
        if std::fs::remove_file(&path).is_ok() {
            total = total.saturating_sub(len);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bricklinks_image_host_is_fetched_from() {
        let c = ImageCache::new(PathBuf::from("/nowhere"), 1, "http://127.0.0.1:9/img".into());
        assert_eq!(c.source("//img.bricklink.com/PL/3001.jpg").unwrap(), "http://127.0.0.1:9/img/PL/3001.jpg");
        assert_eq!(
            c.source("https://img.bricklink.com/ItemImage/PN/5/3001.png").unwrap(),
            "http://127.0.0.1:9/img/ItemImage/PN/5/3001.png"
        );
        for bad in [
            "https://evil.example/x.png",
            "http://img.bricklink.com/x.png",
            "https://img.bricklink.com.evil/x",
            "https://img.bricklink.com/../x",
            "file:///etc/passwd",
            "",
        ] {
            assert!(c.source(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_folder_is_trimmed_to_its_cap_oldest_shown_first() {
        let dir = tempfile::tempdir().unwrap();
        let now = SystemTime::now();
        for i in 0..10u64 {
            let p = dir.path().join(format!("f{i}"));
            std::fs::write(&p, vec![0u8; 1000]).unwrap();
            std::fs::File::options().append(true).open(&p).unwrap().set_modified(now - Duration::from_secs(100 - i)).unwrap();
        }
        trim(dir.path(), 5000);
        let mut left: Vec<String> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        left.sort();
        assert_eq!(left, ["f6", "f7", "f8", "f9"], "down to 90 % of the cap, the least recently shown gone");
    }
}
