//! Escaping of caller-supplied text for XML 1.0 element content.
//!
//! # The rule
//!
//! | input | output |
//! |---|---|
//! | `&` `<` `>` `"` `'` | `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` |
//! | CR (U+000D) | `&#xD;` (a literal CR would be turned into LF by every XML reader) |
//! | tab, LF | themselves |
//! | NUL and the other C0 controls, U+FFFE, U+FFFF | see [`InvalidChars`] |
//! | everything else | itself, as UTF-8 |
//!
//! Characters XML 1.0 cannot carry (NUL and the other C0 controls except
//! tab, CR and LF, and the non-characters U+FFFE and U+FFFF; lone surrogates
//! cannot occur in a `&str`) never reach the output. By default
//! ([`InvalidChars::Replace`]) each one becomes U+FFFD REPLACEMENT
//! CHARACTER, so an error document can always be produced; with
//! [`InvalidChars::Reject`] rendering fails with
//! [`RenderError::InvalidChar`](super::RenderError::InvalidChar) instead.

/// What rendering does with a character XML 1.0 cannot carry (NUL and the
/// other C0 controls except tab, CR and LF, U+FFFE, U+FFFF).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum InvalidChars {
    /// Write U+FFFD REPLACEMENT CHARACTER (3 bytes of UTF-8) in its place.
    /// The default: a gateway can always answer with a well-formed body.
    #[default]
    Replace,
    /// Fail with [`RenderError::InvalidChar`](super::RenderError::InvalidChar).
    Reject,
}

/// The UTF-8 of U+FFFD, written in place of characters XML cannot carry.
pub(crate) const REPLACEMENT: &str = "\u{FFFD}";

/// Is `c` a character XML 1.0 allows in a document (the `Char` production)?
///
/// `#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`;
/// surrogates cannot occur in a `char`.
#[inline]
#[must_use]
pub const fn is_xml_char(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' => true,
        '\u{0}'..='\u{1F}' => false,
        '\u{FFFE}' | '\u{FFFF}' => false,
        _ => true,
    }
}

/// One piece of escaped output: either a run of the input that needs no
/// escaping, or a fixed replacement.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Piece<'a> {
    /// Input bytes copied as they are.
    Plain(&'a str),
    /// The escape of the character at `offset` (byte offset in the input).
    Escaped {
        /// What to write.
        text: &'static str,
        /// Where the escaped character starts in the input.
        offset: usize,
        /// Whether the character is one XML cannot carry at all.
        invalid: bool,
    },
}

/// Splits `s` into plain runs and escapes, in order, without allocating.
#[derive(Clone, Debug)]
pub(crate) struct Pieces<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Pieces<'a> {
    pub(crate) const fn new(s: &'a str) -> Self {
        Pieces { s, pos: 0 }
    }
}

/// The escape for one byte-sized character, if it needs one.
#[inline]
const fn escape_ascii(b: u8) -> Option<(&'static str, bool)> {
    match b {
        b'&' => Some(("&amp;", false)),
        b'<' => Some(("&lt;", false)),
        b'>' => Some(("&gt;", false)),
        b'"' => Some(("&quot;", false)),
        b'\'' => Some(("&apos;", false)),
        b'\r' => Some(("&#xD;", false)),
        b'\t' | b'\n' => None,
        0..=0x1F => Some((REPLACEMENT, true)),
        _ => None,
    }
}

impl<'a> Iterator for Pieces<'a> {
    type Item = Piece<'a>;

    fn next(&mut self) -> Option<Piece<'a>> {
        let rest = self.s.get(self.pos..)?;
        if rest.is_empty() {
            return None;
        }
        let bytes = rest.as_bytes();
        let start = self.pos;
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            // U+FFFE and U+FFFF are EF BF BE / EF BF BF in UTF-8.
            let special = if b == 0xEF
                && bytes.get(i + 1) == Some(&0xBF)
                && matches!(bytes.get(i + 2), Some(0xBE | 0xBF))
            {
                Some((REPLACEMENT, true, 3))
            } else {
                escape_ascii(b).map(|(t, inv)| (t, inv, 1))
            };
            if let Some((text, invalid, width)) = special {
                if i > 0 {
                    // `i` is at an ASCII byte or at 0xEF, both char boundaries.
                    let plain = rest.get(..i)?;
                    self.pos = start + i;
                    return Some(Piece::Plain(plain));
                }
                self.pos = start + width;
                return Some(Piece::Escaped {
                    text,
                    offset: start,
                    invalid,
                });
            }
            i += 1;
        }
        self.pos = self.s.len();
        Some(Piece::Plain(rest))
    }
}

/// Length in bytes of `s` once escaped (invalid characters counted as
/// U+FFFD).
#[must_use]
pub fn escaped_len(s: &str) -> usize {
    Pieces::new(s)
        .map(|p| match p {
            Piece::Plain(t) => t.len(),
            Piece::Escaped { text, .. } => text.len(),
        })
        .fold(0usize, usize::saturating_add)
}

/// Writes `s` escaped into any [`core::fmt::Write`], replacing characters
/// XML cannot carry with U+FFFD (the [`InvalidChars::Replace`] rule).
///
/// ```
/// let mut out = String::new();
/// s3err::xml::escape_into("a<b & \"c\"\0", &mut out).unwrap();
/// assert_eq!(out, "a&lt;b &amp; &quot;c&quot;\u{FFFD}");
/// ```
pub fn escape_into<W: core::fmt::Write + ?Sized>(s: &str, out: &mut W) -> core::fmt::Result {
    for p in Pieces::new(s) {
        match p {
            Piece::Plain(t) => out.write_str(t)?,
            Piece::Escaped { text, .. } => out.write_str(text)?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        assert_eq!(escaped_len(""), 0);
        assert_eq!(escaped_len("abc"), 3);
        assert_eq!(escaped_len("&"), 5);
        assert_eq!(escaped_len("\0"), 3);
        assert_eq!(escaped_len("\u{FFFF}x"), 4);
        assert_eq!(escaped_len("\u{FFFD}"), 3);
        assert_eq!(escaped_len("\r\n\t"), 7);
        assert_eq!(escaped_len("é<"), 6);
    }

    #[test]
    fn pieces() {
        let v: [Piece<'_>; 3] = [
            Piece::Plain("ab"),
            Piece::Escaped {
                text: "&lt;",
                offset: 2,
                invalid: false,
            },
            Piece::Plain("c"),
        ];
        assert!(Pieces::new("ab<c").eq(v));
        assert!(Pieces::new("\u{1}").eq([Piece::Escaped {
            text: REPLACEMENT,
            offset: 0,
            invalid: true
        }]));
    }
}
