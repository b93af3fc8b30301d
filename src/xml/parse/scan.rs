//! Byte-scanning helpers shared by the reader and the text view.

/// First index `>= from` where `needle` starts.
pub(super) fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut i = from;
    loop {
        let rest = hay.get(i..)?;
        let j = rest.iter().position(|&c| c == first)?;
        i = i.checked_add(j)?;
        if hay.get(i..)?.starts_with(needle) {
            return Some(i);
        }
        i = i.checked_add(1)?;
    }
}

/// XML whitespace (`S`) as a byte: space, tab, CR, LF.
pub(super) const fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// XML whitespace (`S`): space, tab, CR, LF.
pub(super) const fn is_ws_char(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// XML 1.0 (fifth edition) `NameStartChar`.
pub(super) const fn is_name_start(c: char) -> bool {
    matches!(c,
        ':' | 'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// XML 1.0 (fifth edition) `NameChar`.
pub(super) const fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// The value of an ASCII digit in base 10 or 16 (`hex`), without the
/// radix assertion of `char::to_digit`.
const fn digit(b: u8, hex: bool) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some((b - b'0') as u32),
        b'a'..=b'f' if hex => Some((b - b'a') as u32 + 10),
        b'A'..=b'F' if hex => Some((b - b'A') as u32 + 10),
        _ => None,
    }
}

/// Decodes a reference starting at `&`: the character and the length of
/// the reference. `None` if it is not one this parser accepts.
pub(super) fn decode_reference(b: &[u8]) -> Option<(char, usize)> {
    let semi = b.iter().position(|&c| c == b';')?;
    let body = b.get(1..semi)?;
    let c = match body {
        b"lt" => '<',
        b"gt" => '>',
        b"amp" => '&',
        b"apos" => '\'',
        b"quot" => '"',
        _ => {
            let (digits, hex) = match body {
                [b'#', b'x', rest @ ..] => (rest, true),
                [b'#', rest @ ..] => (rest, false),
                _ => return None,
            };
            if digits.is_empty() {
                return None;
            }
            let radix = if hex { 16 } else { 10 };
            let mut v: u32 = 0;
            for &d in digits {
                let d = digit(d, hex)?;
                // Saturate beyond the Unicode range so that long inputs
                // cannot overflow; the result is then refused below.
                v = v.saturating_mul(radix).saturating_add(d).min(0x11_0000);
            }
            let c = char::from_u32(v)?;
            if !crate::xml::is_xml_char(c) {
                return None;
            }
            c
        }
    };
    Some((c, semi.checked_add(1)?))
}

/// The UTF-8 of `c` and its length, without `char::encode_utf8`'s
/// buffer-length assertion.
pub(super) const fn utf8(c: char) -> ([u8; 4], usize) {
    let v = c as u32;
    // Each `as u8` keeps the low bits the masks chose.
    if v < 0x80 {
        ([v as u8, 0, 0, 0], 1)
    } else if v < 0x800 {
        ([0xC0 | (v >> 6) as u8, 0x80 | (v & 0x3F) as u8, 0, 0], 2)
    } else if v < 0x1_0000 {
        (
            [
                0xE0 | (v >> 12) as u8,
                0x80 | ((v >> 6) & 0x3F) as u8,
                0x80 | (v & 0x3F) as u8,
                0,
            ],
            3,
        )
    } else {
        (
            [
                0xF0 | (v >> 18) as u8,
                0x80 | ((v >> 12) & 0x3F) as u8,
                0x80 | ((v >> 6) & 0x3F) as u8,
                0x80 | (v & 0x3F) as u8,
            ],
            4,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        assert_eq!(decode_reference(b"&#65;"), Some(('A', 5)));
        assert_eq!(decode_reference(b"&#x41;x"), Some(('A', 6)));
        assert_eq!(decode_reference(b"&#x4a;"), Some(('J', 6)));
        assert_eq!(decode_reference(b"&#0;"), None);
        assert_eq!(decode_reference(b"&#xD800;"), None);
        assert_eq!(decode_reference(b"&#x110000;"), None);
        assert_eq!(decode_reference(b"&#99999999999999999999;"), None);
        assert_eq!(decode_reference(b"&#;"), None);
        assert_eq!(decode_reference(b"&#x;"), None);
        assert_eq!(decode_reference(b"&#1a;"), None);
        assert_eq!(decode_reference(b"&nbsp;"), None);
    }

    #[test]
    fn utf8_agrees_with_core() {
        for c in [
            '\0',
            'a',
            '\u{7F}',
            '\u{80}',
            'é',
            '\u{7FF}',
            '\u{800}',
            '€',
            '\u{FFFF}',
            '\u{10000}',
            '\u{10FFFF}',
        ] {
            let (b, n) = utf8(c);
            let mut want = [0u8; 4];
            assert_eq!(&b[..n], c.encode_utf8(&mut want).as_bytes(), "{c:?}");
        }
    }
}
