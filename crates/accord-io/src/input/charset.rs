//! The character encoding of a web page: the one its HTTP header, `<meta>`
//! tag or XML declaration declares, decoded with `encoding_rs`.
//!
//! The order is the one browsers use: a byte-order mark, then the HTTP
//! `Content-Type` charset, then a `<meta charset>` or `<meta http-equiv>`
//! in the first 4 KiB, then `<?xml ... encoding=...?>`. Labels are read as
//! the WHATWG Encoding Standard says (`ISO-8859-1` is read as
//! `windows-1252`, its superset).
//!
//! UTF-8 stays the rule: a page declared UTF-8, or declaring nothing, is
//! read as every other input is (BOM stripped, invalid UTF-8 flagged). A page declared
//! in another encoding is decoded in it, and the `warnings` column says so,
//! unless its bytes are valid UTF-8 and not plain ASCII, which a page
//! mislabelled by its server often is: then it is read as UTF-8, and the
//! warning says that instead.

use std::sync::OnceLock;

use encoding_rs::Encoding;
use regex::bytes::Regex;

use super::ReadOptions;

/// How far into a page a `<meta>` or XML declaration is looked for.
const PRESCAN: usize = 4096;

/// The encoding a page declares and where it says so.
pub fn declared(bytes: &[u8], http: Option<&str>) -> Option<(&'static Encoding, &'static str)> {
    if let Some((enc, _)) = Encoding::for_bom(bytes) {
        return Some((enc, "its byte-order mark"));
    }
    if let Some(enc) = http.and_then(|l| Encoding::for_label(l.trim().as_bytes())) {
        return Some((enc, "the HTTP Content-Type header"));
    }
    static META: OnceLock<Regex> = OnceLock::new();
    static XML: OnceLock<Regex> = OnceLock::new();
    let head = &bytes[..bytes.len().min(PRESCAN)];
    let meta = META.get_or_init(|| {
        Regex::new(r#"(?i-u)<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([a-z0-9_:.\-]+)"#)
            .expect("valid regex")
    });
    if let Some(c) = meta.captures(head)
        && let Some(enc) = Encoding::for_label(&c[1])
    {
        return Some((enc, "its <meta> charset"));
    }
    let xml = XML.get_or_init(|| {
        Regex::new(r#"(?i-u)\A\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([a-z0-9_:.\-]+)"#)
            .expect("valid regex")
    });
    if let Some(c) = xml.captures(head)
        && let Some(enc) = Encoding::for_label(&c[1])
    {
        return Some((enc, "its XML declaration"));
    }
    None
}

/// Decode a page: in the encoding it declares (`http`: the charset of the
/// HTTP header, if any), else as UTF-8. The warnings say which encoding
/// was used when it was not UTF-8.
pub fn decode_html(
    bytes: &[u8],
    http: Option<&str>,
    opts: &ReadOptions,
) -> Result<(String, Vec<String>), String> {
    let found = declared(bytes, http);
    let Some((enc, from)) = found.filter(|(e, _)| *e != encoding_rs::UTF_8) else {
        return super::decode_text(bytes.to_vec(), opts);
    };
    let utf16 = enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE;
    // A page that declares UTF-16 but has no byte-order mark is read as
    // UTF-8 (the WHATWG rule for such a <meta>).
    if utf16 && Encoding::for_bom(bytes).is_none() {
        return super::decode_text(bytes.to_vec(), opts);
    }
    if !utf16 && let Some(pos) = bytes[..bytes.len().min(8192)].iter().position(|&b| b == 0) {
        return Err(format!("binary file (NUL byte at offset {pos})"));
    }
    if !utf16 && !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok() {
        let (text, mut warnings) = super::decode_text(bytes.to_vec(), opts)?;
        warnings.push(format!(
            "{from} declares {} but the page is valid UTF-8; read as UTF-8",
            enc.name()
        ));
        return Ok((text, warnings));
    }
    let (text, _, had_errors) = enc.decode(bytes);
    let mut note = format!("read as {}, as {from} declares", enc.name());
    if had_errors {
        note.push_str(" (bytes invalid in it replaced with U+FFFD)");
    }
    Ok((text.into_owned(), vec![note]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_in_order() {
        let o = &ReadOptions::default();
        let meta = b"<html><head><meta charset=\"iso-8859-1\"></head><p>W\xF6rner</p>";
        let (text, w) = decode_html(meta, None, o).unwrap();
        assert!(text.contains("Wörner"), "{text}");
        assert!(
            w[0].contains("windows-1252") && w[0].contains("<meta>"),
            "{w:?}"
        );
        let equiv = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"><p>W\xF6rner";
        assert!(decode_html(equiv, None, o).unwrap().0.contains("Wörner"));
        let xml = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><p>W\xF6rner";
        assert!(decode_html(xml, None, o).unwrap().1[0].contains("XML declaration"));
        // The header wins over the page.
        let (_, w) = decode_html(meta, Some("windows-1250"), o).unwrap();
        assert!(
            w[0].contains("windows-1250") && w[0].contains("HTTP"),
            "{w:?}"
        );
        // UTF-8 as declared, or undeclared: unchanged, no warning.
        let (text, w) = decode_html("<meta charset=utf-8><p>Wörner".as_bytes(), None, o).unwrap();
        assert!(text.contains("Wörner") && w.is_empty());
        // Mislabelled: valid UTF-8 wins, and says so.
        let (text, w) = decode_html("<meta charset=latin1><p>Wörner".as_bytes(), None, o).unwrap();
        assert!(
            text.contains("Wörner") && w[0].contains("valid UTF-8"),
            "{w:?}"
        );
    }
}
