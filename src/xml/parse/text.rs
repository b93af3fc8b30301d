//! [`Text`], the decoded view of one element's content.

use core::fmt;

use super::scan::{decode_reference, find, is_ws, is_ws_char, utf8};

/// The text of one element, borrowed from the body.
///
/// [`Display`](fmt::Display) and comparison with `&str` see the decoded
/// text: the five predefined entities and character references replaced,
/// CDATA sections unwrapped, comments and processing instructions left
/// out, line ends normalised to LF as XML requires, and the text of any
/// child elements included. Whitespace is kept as it is;
/// [`trim`](Self::trim) removes it from both ends of the decoded text.
/// [`raw`](Self::raw) gives the text exactly as it is in the body.
///
/// `==`, [`Hash`] and [`Ord`] see the decoded text too: `&amp;`, `&#38;`,
/// `&#x26;` and `<![CDATA[&]]>` are equal, hash alike and order as `&`
/// (by the bytes of the decoded UTF-8, as `str` orders).
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Text<'a> {
    raw: &'a str,
    /// `raw` starts inside a CDATA section (only after [`Text::trim`]);
    /// the section ends at the first `]]>` in `raw`, or at its end.
    in_cdata: bool,
}

impl<'a> Text<'a> {
    /// The content of a validated element, from its start tag's end to its
    /// end tag's start.
    pub(super) const fn new(raw: &'a str) -> Self {
        Text {
            raw,
            in_cdata: false,
        }
    }

    /// The text between the start and end tag, undecoded (the body was
    /// checked to be UTF-8). For a [`trim`](Self::trim)med text: from its
    /// first to its last decoded character, which may start or end inside
    /// a CDATA section (without its `<![CDATA[` or `]]>`) or at a
    /// character reference.
    ///
    /// ```
    /// let e = s3err::xml::parse(b"<Error><Code>A&amp;B</Code></Error>").unwrap();
    /// assert_eq!(e.code().raw(), "A&amp;B");
    /// assert_eq!(e.code(), "A&B");
    /// ```
    #[must_use]
    pub const fn raw(&self) -> &'a str {
        self.raw
    }

    /// The length in bytes of the decoded text.
    #[must_use]
    pub fn decoded_len(&self) -> usize {
        self.chunks()
            .map(|c| match c {
                Chunk::Str(s) => s.len(),
                Chunk::Char(c) => c.len_utf8(),
            })
            .fold(0usize, usize::saturating_add)
    }

    /// Whether the decoded text is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.chunks().all(|c| match c {
            Chunk::Str(s) => s.is_empty(),
            Chunk::Char(_) => false,
        })
    }

    /// Decodes into `buf`; `None` if it does not fit (see
    /// [`decoded_len`](Self::decoded_len)).
    ///
    /// ```
    /// let e = s3err::xml::parse(b"<Error><Code>A&amp;B</Code></Error>").unwrap();
    /// let mut buf = [0u8; 8];
    /// assert_eq!(e.code().decode_into(&mut buf), Some("A&B"));
    /// ```
    pub fn decode_into<'b>(&self, buf: &'b mut [u8]) -> Option<&'b str> {
        let mut len = 0usize;
        for b in self.bytes() {
            *buf.get_mut(len)? = b;
            len = len.checked_add(1)?;
        }
        core::str::from_utf8(buf.get(..len)?).ok()
    }

    /// The same text without XML whitespace (space, tab, CR, LF) at
    /// either end of the *decoded* text: whitespace written literally, as
    /// a character reference (`&#32;`, `&#xA;`…) or inside a CDATA section
    /// is all trimmed alike, and comments and processing instructions at
    /// the ends are dropped with it. Other white space (U+00A0…) is kept.
    /// [`ErrorBody::known`](super::ErrorBody::known) and
    /// [`ErrorBody::retry`](super::ErrorBody::retry) read the code
    /// through this rule.
    ///
    /// ```
    /// let e = s3err::xml::parse(b"<Error><Code>\n  SlowDown&#32;</Code></Error>").unwrap();
    /// assert_eq!(e.code().trim(), "SlowDown");
    /// let e = s3err::xml::parse(b"<Error><Code><![CDATA[ SlowDown ]]></Code></Error>").unwrap();
    /// assert_eq!(e.code().trim(), "SlowDown");
    /// ```
    #[must_use]
    pub fn trim(&self) -> Text<'a> {
        let mut c = self.chunks();
        // The first decoded character that is not whitespace: where it
        // starts in `raw`, and whether that is inside a CDATA section.
        let start = loop {
            let Some(chunk) = c.next() else {
                return Text {
                    raw: self.raw.get(..0).unwrap_or(""),
                    in_cdata: false,
                };
            };
            match chunk {
                Chunk::Str(s) => {
                    if let Some(k) = s.bytes().position(|b| !is_ws(b)) {
                        break (c.at + k, c.cdata_end.is_some());
                    }
                }
                Chunk::Char(ch) if !is_ws_char(ch) => break (c.at, c.cdata_end.is_some()),
                Chunk::Char(_) => {}
            }
        };
        // The end of the last decoded character that is not whitespace
        // (the walk above stopped inside the first such chunk: it is
        // re-read here from its start).
        let mut end = start.0;
        let mut c = Chunks {
            s: self.raw,
            pos: c.at,
            at: c.at,
            cdata_end: c.cdata_end,
        };
        while let Some(chunk) = c.next() {
            match chunk {
                Chunk::Str(s) => {
                    if let Some(k) = s.bytes().rposition(|b| !is_ws(b)) {
                        end = c.at + k + 1;
                    }
                }
                Chunk::Char(ch) if !is_ws_char(ch) => end = c.pos,
                Chunk::Char(_) => {}
            }
        }
        Text {
            raw: self.raw.get(start.0..end).unwrap_or(""),
            in_cdata: start.1,
        }
    }

    /// The decoded text, byte by byte.
    fn bytes(&self) -> impl Iterator<Item = u8> + 'a {
        self.chunks().flat_map(|c| {
            let (buf, len, s) = match c {
                Chunk::Str(s) => ([0; 4], 0, s),
                Chunk::Char(c) => {
                    let (b, n) = utf8(c);
                    (b, n, "")
                }
            };
            s.bytes().chain(buf.into_iter().take(len))
        })
    }

    fn chunks(&self) -> Chunks<'a> {
        Chunks {
            s: self.raw,
            pos: 0,
            at: 0,
            cdata_end: if self.in_cdata {
                Some(find(self.raw.as_bytes(), 0, b"]]>").unwrap_or(self.raw.len()))
            } else {
                None
            },
        }
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write as _;
        for c in self.chunks() {
            match c {
                Chunk::Str(s) => f.write_str(s)?,
                Chunk::Char(c) => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

impl PartialEq<str> for Text<'_> {
    fn eq(&self, other: &str) -> bool {
        self.bytes().eq(other.bytes())
    }
}

impl PartialEq for Text<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes().eq(other.bytes())
    }
}

impl Eq for Text<'_> {}

impl PartialOrd for Text<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text<'_> {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.bytes().cmp(other.bytes())
    }
}

impl core::hash::Hash for Text<'_> {
    /// Hashes the decoded bytes in blocks of a fixed size (so where the
    /// raw text splits them into entities and runs does not matter),
    /// then `0xFF` as `str` does.
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        let mut block = [0u8; 32];
        let mut n = 0usize;
        for b in self.bytes() {
            if let Some(slot) = block.get_mut(n) {
                *slot = b;
                n = n.saturating_add(1);
            }
            if n == block.len() {
                state.write(&block);
                n = 0;
            }
        }
        state.write(block.get(..n).unwrap_or(&[]));
        state.write_u8(0xFF);
    }
}

impl PartialEq<&str> for Text<'_> {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

/// A piece of decoded text.
enum Chunk<'a> {
    Str(&'a str),
    Char(char),
}

/// Decodes the raw content of a validated element.
struct Chunks<'a> {
    s: &'a str,
    pos: usize,
    /// Where the chunk last returned starts in `s`.
    at: usize,
    /// Inside a CDATA section: where its `]]>` starts (or the end of `s`
    /// for a trimmed text that ends inside the section). Still set just
    /// after returning the section's last chunk.
    cdata_end: Option<usize>,
}

impl<'a> Chunks<'a> {
    fn rest(&self) -> &'a [u8] {
        self.s.as_bytes().get(self.pos..).unwrap_or(&[])
    }

    /// A line end at `pos` (CR, CR LF): skip it and give LF.
    fn line_end(&mut self) -> Chunk<'a> {
        self.at = self.pos;
        self.pos += 1;
        if self.rest().first() == Some(&b'\n') {
            self.pos += 1;
        }
        Chunk::Char('\n')
    }

    /// Text from `pos` up to the first byte at which `stop` holds, at most
    /// to `end`.
    fn run(&mut self, end: usize, stop: impl Fn(u8) -> bool) -> Option<Chunk<'a>> {
        let start = self.pos;
        let bytes = self.s.as_bytes().get(start..end)?;
        let n = bytes.iter().position(|&b| stop(b)).unwrap_or(bytes.len());
        self.at = start;
        self.pos = start + n;
        Some(Chunk::Str(self.s.get(start..start + n)?))
    }
}

impl<'a> Iterator for Chunks<'a> {
    type Item = Chunk<'a>;

    fn next(&mut self) -> Option<Chunk<'a>> {
        loop {
            if let Some(end) = self.cdata_end {
                if self.pos >= end {
                    self.pos = end + 3;
                    self.cdata_end = None;
                    continue;
                }
                if self.rest().first() == Some(&b'\r') {
                    return Some(self.line_end());
                }
                return self.run(end, |b| b == b'\r');
            }
            let rest = self.rest();
            match rest.first()? {
                b'\r' => return Some(self.line_end()),
                b'&' => {
                    let (c, len) = decode_reference(rest)?;
                    self.at = self.pos;
                    self.pos += len;
                    return Some(Chunk::Char(c));
                }
                b'<' => {
                    if rest.starts_with(b"<![CDATA[") {
                        let body = self.pos + 9;
                        // A trimmed text may end inside the section.
                        let end = find(self.s.as_bytes(), body, b"]]>").unwrap_or(self.s.len());
                        self.pos = body;
                        self.cdata_end = Some(end);
                    } else if rest.starts_with(b"<!--") {
                        self.pos = find(self.s.as_bytes(), self.pos + 4, b"-->")? + 3;
                    } else if rest.starts_with(b"<?") {
                        self.pos = find(self.s.as_bytes(), self.pos + 2, b"?>")? + 2;
                    } else {
                        self.pos += skip_tag(rest)?;
                    }
                }
                _ => {
                    let len = self.s.len();
                    return self.run(len, |b| matches!(b, b'<' | b'&' | b'\r'));
                }
            }
        }
    }
}

/// Length of a (validated) tag starting at `<`, up to and including its
/// `>`; `>` inside quoted attribute values does not count.
fn skip_tag(b: &[u8]) -> Option<usize> {
    let mut quote = None;
    for (i, &c) in b.iter().enumerate() {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), _) if q == c => quote = None,
            (None, b'>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}
