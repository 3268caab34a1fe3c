//! The simulator's own OAuth 1.0a HMAC-SHA1 check (RFC 5849 §3.4, §3.5.1, §3.6).
//!
//! Written apart from the engine's signer (`brickdesk_engine::marketplaces::bricklink::oauth`)
//! and without the `hmac`/`sha1`/`base64` crates it uses, so that one bug cannot sit on both sides
//! of every end-to-end test: if the engine signs wrongly, this refuses it. Both sides are pinned to
//! vectors computed outside the project (tests/vectors/bricklink_oauth1.json, read by the tests
//! below and the engine's `oauth` tests).

use crate::types::BricklinkCredentials;

/// Why a request's OAuth header was refused; `authenticate` turns each into BrickLink's envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rejection {
    UnparseableHeader,
    ConsumerKeyUnknown,
    TokenUnknown,
    SignatureMethodInvalid,
    VersionInvalid,
    NonceMissing,
    TimestampInvalid,
    TimestampExpired,
    MalformedQuery,
    SignatureInvalid,
}

/// A request whose signature checked out (replay rules are the caller's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Verified {
    /// The decoded query, in sending order.
    pub query: Vec<(String, String)>,
    pub timestamp: u64,
    pub nonce: String,
}

/// Checks `header` (the `Authorization` value) against the request and the account's secrets,
/// in BrickLink's order: parse, key, token, method, version, nonce, clock, signature.
/// `base_url` is scheme + host + path; `raw_query` is the query string as received.
pub(crate) fn verify(
    creds: &BricklinkCredentials,
    method: &str,
    base_url: &str,
    raw_query: &str,
    header: &str,
    now: u64,
    window_secs: u64,
) -> Result<Verified, Rejection> {
    let params = parse_authorization_header(header).ok_or(Rejection::UnparseableHeader)?;
    let get = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    if get("oauth_consumer_key") != Some(creds.consumer_key.as_str()) {
        return Err(Rejection::ConsumerKeyUnknown);
    }
    if get("oauth_token") != Some(creds.token_value.as_str()) {
        return Err(Rejection::TokenUnknown);
    }
    if get("oauth_signature_method") != Some("HMAC-SHA1") {
        return Err(Rejection::SignatureMethodInvalid);
    }
    if get("oauth_version") != Some("1.0") {
        return Err(Rejection::VersionInvalid);
    }
    let nonce = get("oauth_nonce").filter(|n| !n.is_empty()).ok_or(Rejection::NonceMissing)?.to_string();
    let timestamp = get("oauth_timestamp").and_then(|t| t.parse::<u64>().ok()).ok_or(Rejection::TimestampInvalid)?;
    if timestamp.abs_diff(now) > window_secs {
        return Err(Rejection::TimestampExpired);
    }
    let signature = get("oauth_signature").ok_or(Rejection::SignatureInvalid)?;
    let query = parse_query(raw_query).ok_or(Rejection::MalformedQuery)?;
    // Exactly the six protocol parameters BrickLink signs, as the checks above accepted them.
    let mut signed = query.clone();
    signed.extend([
        ("oauth_consumer_key".to_string(), creds.consumer_key.clone()),
        ("oauth_nonce".to_string(), nonce.clone()),
        ("oauth_signature_method".to_string(), "HMAC-SHA1".to_string()),
        ("oauth_timestamp".to_string(), timestamp.to_string()),
        ("oauth_token".to_string(), creds.token_value.clone()),
        ("oauth_version".to_string(), "1.0".to_string()),
    ]);
    let expected = sign(&base_string(method, base_url, &signed), &creds.consumer_secret, &creds.token_secret);
    if expected != signature {
        return Err(Rejection::SignatureInvalid);
    }
    Ok(Verified { query, timestamp, nonce })
}

/// RFC 5849 §3.6: UTF-8 bytes, all but `A-Z a-z 0-9 - . _ ~` as `%XX` with upper-case hex.
fn percent_encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.extend(['%', char::from(HEX[usize::from(b >> 4)]), char::from(HEX[usize::from(b & 15)])]);
        }
    }
    out
}

/// Undoes `%XX` escapes (`+` stays `+`); `None` for a broken escape or bytes that are not UTF-8.
pub(super) fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(s.get(i + 1..i + 3)?, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// `OAuth k="v", …` into decoded pairs (§3.5.1).
fn parse_authorization_header(header: &str) -> Option<Vec<(String, String)>> {
    let rest = header.trim().strip_prefix("OAuth ")?;
    rest.split(',')
        .map(|part| {
            let (k, v) = part.trim().split_once('=')?;
            let v = v.trim().strip_prefix('"')?.strip_suffix('"')?;
            Some((percent_decode(k.trim())?, percent_decode(v)?))
        })
        .collect()
}

/// `a=1&b=2` into decoded pairs; a name without `=` has an empty value.
fn parse_query(query: &str) -> Option<Vec<(String, String)>> {
    if query.is_empty() {
        return Some(Vec::new());
    }
    query
        .split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Some((percent_decode(k)?, percent_decode(v)?))
        })
        .collect()
}

/// §3.4.1: METHOD & enc(base URL) & enc(parameters encoded, sorted by encoded name then value).
fn base_string(method: &str, base_url: &str, params: &[(String, String)]) -> String {
    let mut encoded: Vec<(String, String)> = params.iter().map(|(k, v)| (percent_encode(k), percent_encode(v))).collect();
    // Sort (name, value) pairs, not joined `name=value` strings: `-`, `.`, `%` and digits sort
    // below `=`, so `new-x=…` would wrongly come before `new=…`.
    encoded.sort();
    let joined = encoded.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    format!("{}&{}&{}", method.to_ascii_uppercase(), percent_encode(base_url), percent_encode(&joined))
}

/// §3.4.2: base64(HMAC-SHA1(enc(consumer secret) & enc(token secret), base string)).
fn sign(base_string: &str, consumer_secret: &str, token_secret: &str) -> String {
    let key = format!("{}&{}", percent_encode(consumer_secret), percent_encode(token_secret));
    base64(&hmac_sha1(key.as_bytes(), base_string.as_bytes()))
}

/// RFC 2104 with SHA-1 (64-byte blocks). BrickLink's key is 65 bytes (two 32-character secrets
/// and `&`), so the hash-the-long-key branch is the one every real request takes.
fn hmac_sha1(key: &[u8], message: &[u8]) -> [u8; 20] {
    let mut block = [0u8; 64];
    if key.len() > block.len() {
        block[..20].copy_from_slice(&sha1(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut inner: Vec<u8> = block.iter().map(|b| b ^ 0x36).collect();
    inner.extend_from_slice(message);
    let mut outer: Vec<u8> = block.iter().map(|b| b ^ 0x5c).collect();
    outer.extend_from_slice(&sha1(&inner));
    sha1(&outer)
}

/// FIPS 180-4 SHA-1.
fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&(data.len() as u64).wrapping_mul(8).to_be_bytes());
    for block in msg.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (slot, word) in w.iter_mut().zip(block.chunks_exact(4)) {
            *slot = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a.rotate_left(5).wrapping_add(f).wrapping_add(e).wrapping_add(k).wrapping_add(*wi);
            (e, d, c, b, a) = (d, c, b.rotate_left(30), a, t);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (chunk, word) in out.chunks_exact_mut(4).zip(h) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// RFC 4648 base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            // A chunk of k bytes fills k + 1 sextets; the rest of the quad is padding.
            out.push(if i <= chunk.len() { char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]) } else { '=' });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::BRICKLINK_TIMESTAMP_WINDOW_SECS as TIMESTAMP_WINDOW_SECS;

    // Expected values from outside this project: published examples, and the output of
    // tests/vectors/bricklink_oauth1.py (Python standard library, written from RFC 5849; checked
    // against PyPI `oauthlib` 4.0.1), in tests/vectors/bricklink_oauth1.json. The engine's `oauth`
    // tests read the same file.

    include!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/bricklink_oauth1.rs"));

    fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn creds(v: &Vector) -> BricklinkCredentials {
        BricklinkCredentials {
            consumer_key: v.consumer_key.clone(),
            consumer_secret: v.consumer_secret.clone(),
            token_value: v.token.clone(),
            token_secret: v.token_secret.clone(),
        }
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Replaces the first ASCII letter or digit at or after byte `from` with another one.
    fn change_one_char(s: &str, from: usize) -> String {
        let at = s[from..].find(|c: char| c.is_ascii_alphanumeric()).map(|i| from + i).expect("a letter or digit to change");
        let replacement = if &s[at..at + 1] == "A" { "B" } else { "A" };
        format!("{}{replacement}{}", &s[..at], &s[at + 1..])
    }

    #[test]
    fn sha1_hmac_and_base64_match_their_standards() {
        // FIPS 180 examples, RFC 2202 §3 cases 2 and 6 (a key longer than one block), RFC 4648 §10.
        assert_eq!(hex(&sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(hex(&sha1(b"abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(hex(&sha1(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
        assert_eq!(hex(&sha1(&[b'a'; 1_000_000])), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
        assert_eq!(hex(&hmac_sha1(b"Jefe", b"what do ya want for nothing?")), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
        assert_eq!(
            hex(&hmac_sha1(&[0xaa; 80], b"Test Using Larger Than Block-Size Key - Hash Key First")),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112"
        );
        let b64: Vec<String> = ["", "f", "fo", "foo", "foob", "fooba", "foobar"].iter().map(|s| base64(s.as_bytes())).collect();
        assert_eq!(b64, ["", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"]);
    }

    #[test]
    fn published_examples_sign_as_printed() {
        for p in vectors().published {
            let base = base_string(&p.method, &p.base_url, &p.params);
            if let Some(expected) = &p.base_string {
                assert_eq!(&base, expected, "{}: base string", p.name);
            }
            assert_eq!(sign(&base, &p.consumer_secret, &p.token_secret), p.signature, "{}: signature", p.name);
        }
    }

    #[test]
    fn vectors_base_string_and_signature_match() {
        for v in vectors().vectors {
            let mut params = parse_query(&v.raw_query).expect("vector query parses");
            params.extend(owned(&[
                ("oauth_consumer_key", &v.consumer_key),
                ("oauth_nonce", &v.nonce),
                ("oauth_signature_method", "HMAC-SHA1"),
                ("oauth_timestamp", &v.timestamp.to_string()),
                ("oauth_token", &v.token),
                ("oauth_version", "1.0"),
            ]));
            let base = base_string(&v.method, &v.base_url, &params);
            assert_eq!(base, v.base_string, "{}: base string", v.name);
            assert_eq!(sign(&base, &v.consumer_secret, &v.token_secret), v.signature, "{}: signature", v.name);
        }
    }

    #[test]
    fn accepts_every_vector_header() {
        for v in &vectors().vectors {
            let verified = verify(&creds(v), &v.method, &v.base_url, &v.raw_query, &v.header, v.timestamp, TIMESTAMP_WINDOW_SECS);
            assert_eq!(verified, Ok(Verified { query: v.query.clone(), timestamp: v.timestamp, nonce: v.nonce.clone() }), "{}", v.name);
        }
    }

    #[test]
    fn rejects_a_vector_with_one_signature_character_changed() {
        for v in &vectors().vectors {
            let signature = change_one_char(&v.signature, 0);
            let header = v.header.replace(&percent_encode(&v.signature), &percent_encode(&signature));
            assert_ne!(header, v.header);
            let verified = verify(&creds(v), &v.method, &v.base_url, &v.raw_query, &header, v.timestamp, TIMESTAMP_WINDOW_SECS);
            assert_eq!(verified, Err(Rejection::SignatureInvalid), "{}: {header}", v.name);
        }
    }

    #[test]
    fn rejects_a_vector_with_one_query_value_character_changed() {
        for v in vectors().vectors.iter().filter(|v| !v.raw_query.is_empty()) {
            let first_value = v.raw_query.find('=').expect("a value") + 1;
            let query = change_one_char(&v.raw_query, first_value);
            assert!(parse_query(&query).is_some(), "{}: {query} must still parse", v.name);
            let verified = verify(&creds(v), &v.method, &v.base_url, &query, &v.header, v.timestamp, TIMESTAMP_WINDOW_SECS);
            assert_eq!(verified, Err(Rejection::SignatureInvalid), "{}: {query}", v.name);
        }
    }

    #[test]
    fn rejects_a_vector_under_another_method_or_url() {
        let vectors = vectors();
        let v = &vectors.vectors[1];
        assert_eq!(
            verify(&creds(v), "POST", &v.base_url, &v.raw_query, &v.header, v.timestamp, TIMESTAMP_WINDOW_SECS),
            Err(Rejection::SignatureInvalid)
        );
        let http = v.base_url.replacen("https://", "http://", 1);
        assert_eq!(
            verify(&creds(v), &v.method, &http, &v.raw_query, &v.header, v.timestamp, TIMESTAMP_WINDOW_SECS),
            Err(Rejection::SignatureInvalid)
        );
    }
}
