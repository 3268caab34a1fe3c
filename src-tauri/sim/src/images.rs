//! BrickLink's image host (`img.bricklink.com`), simulated: any `/img/…` path answers a small PNG,
//! a plain colour picked from the path, like a real part picture is picked by type, colour and
//! number. No signature, no budget: the real host is a CDN outside the API. A path ending in
//! `missing.png` answers 404, like a part BrickLink has no picture of.

use crate::http::Reply;

pub(crate) const PREFIX: &str = "/img/";

pub(crate) fn handle(path: &str) -> Reply {
    if path.ends_with("missing.png") {
        return Reply { status: 404, content_type: "text/html", headers: Vec::new(), body: b"Not Found".to_vec(), meta_code: None };
    }
    let seed = path.bytes().fold(2166136261u32, |h, b| (h ^ u32::from(b)).wrapping_mul(16777619));
    let rgb = [(seed >> 16) as u8, (seed >> 8) as u8, seed as u8];
    Reply {
        status: 200,
        content_type: "image/png",
        headers: vec![("Cache-Control", "max-age=86400".into())],
        body: png(32, 26, rgb),
        meta_code: None,
    }
}

/// A `width`×`height` PNG of one colour: 8-bit RGB, one stored (uncompressed) deflate block.
fn png(width: u32, height: u32, rgb: [u8; 3]) -> Vec<u8> {
    let mut raw = Vec::new();
    for _ in 0..height {
        raw.push(0); // filter: none
        for _ in 0..width {
            raw.extend_from_slice(&rgb);
        }
    }
    let mut zlib = vec![0x78, 0x01];
    for (i, chunk) in raw.chunks(65535).enumerate() {
        let last = (i + 1) * 65535 >= raw.len();
        zlib.push(u8::from(last));
        let len = chunk.len() as u16;
        zlib.extend_from_slice(&len.to_le_bytes());
        zlib.extend_from_slice(&(!len).to_le_bytes());
        zlib.extend_from_slice(chunk);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &x in &raw {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    zlib.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut out = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    for (kind, data) in [(b"IHDR", &ihdr), (b"IDAT", &zlib), (b"IEND", &Vec::new())] {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = crc32(&out[start..]);
        out.extend_from_slice(&crc.to_be_bytes());
    }
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_picture_is_a_png_and_a_missing_one_is_404() {
        let r = super::handle("/img/ItemImage/PN/5/3001.png");
        assert_eq!((r.status, r.content_type), (200, "image/png"));
        assert_eq!(&r.body[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(super::crc32(b"IEND"), 0xae42_6082, "the CRC every PNG ends with");
        assert_eq!(super::handle("/img/ItemImage/PN/5/missing.png").status, 404);
    }
}
