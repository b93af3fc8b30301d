//! Parsing an S3 error document: a zero-copy, non-recursive, validating
//! pull reader with a fixed depth bound.

use core::fmt;

use super::escape::is_xml_char;
use crate::{ErrorCode, Retry};

/// The deepest element nesting [`parse`] accepts. S3 error documents nest
/// at most four deep (`Response/Errors/Error/Code`); anything deeper than
/// this is refused with [`ErrorKind::TooDeep`].
pub const MAX_DEPTH: usize = 16;

/// The most attributes one element may carry; more is refused with
/// [`ErrorKind::TooManyAttributes`]. This bounds the duplicate-attribute
/// check, keeping the time linear.
pub const MAX_ATTRIBUTES: usize = 16;

/// What is wrong with a body [`parse`] refused.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ErrorKind {
    /// The body is empty or holds only whitespace.
    Empty,
    /// The body does not start with markup (plain text, JSON, …).
    NotXml,
    /// An HTML page (root element or DOCTYPE `html`), as proxies and load
    /// balancers send.
    Html,
    /// The bytes are not UTF-8.
    InvalidUtf8,
    /// A character XML 1.0 does not allow (a C0 control other than tab, CR
    /// and LF, U+FFFE, U+FFFF).
    InvalidChar,
    /// The declaration or a byte-order mark names an encoding other than
    /// UTF-8 (or its subset US-ASCII).
    UnsupportedEncoding,
    /// A byte the declared encoding does not allow: the declaration says
    /// US-ASCII (or `ASCII`) and this byte is 0x80 or above (a byte-order
    /// mark included).
    EncodingMismatch,
    /// The XML declaration is malformed.
    MalformedDeclaration,
    /// `<?xml …?>` somewhere other than the start.
    MisplacedDeclaration,
    /// A document type declaration. DTDs are refused outright, so no
    /// entity is ever defined or expanded ("billion laughs" cannot happen).
    Doctype,
    /// The body ends in the middle of the document (truncated).
    UnexpectedEof,
    /// Malformed markup; the text says what was expected.
    Expected(&'static str),
    /// An end tag that does not match the open element.
    MismatchedTag,
    /// The same attribute twice on one element.
    DuplicateAttribute,
    /// More than [`MAX_ATTRIBUTES`] attributes on one element.
    TooManyAttributes,
    /// `--` inside a comment.
    MalformedComment,
    /// `]]>` in text outside a CDATA section.
    CdataEndInText,
    /// An entity reference other than `&lt;` `&gt;` `&amp;` `&apos;` `&quot;`.
    UndefinedEntity,
    /// A character reference to something that is not an XML character
    /// (`&#0;`, `&#xD800;`, beyond U+10FFFF) or with no digits.
    InvalidCharRef,
    /// Elements nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// Something other than comments, processing instructions or
    /// whitespace after the root element.
    TrailingContent,
    /// Well-formed XML, but not an error document: the root is not
    /// `Error`, `ErrorResponse` (holding an `Error`) or `Response` (holding
    /// `Errors/Error`).
    NotAnErrorDocument,
    /// The error element has no `<Code>` child.
    MissingCode,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            ErrorKind::Empty => "empty body",
            ErrorKind::NotXml => "not XML",
            ErrorKind::Html => "an HTML page, not an error document",
            ErrorKind::InvalidUtf8 => "invalid UTF-8",
            ErrorKind::InvalidChar => "a character XML 1.0 does not allow",
            ErrorKind::UnsupportedEncoding => "an encoding other than UTF-8",
            ErrorKind::EncodingMismatch => "a non-ASCII byte in a body declared US-ASCII",
            ErrorKind::MalformedDeclaration => "malformed XML declaration",
            ErrorKind::MisplacedDeclaration => "XML declaration not at the start",
            ErrorKind::Doctype => "a DTD (<!DOCTYPE>), which is not accepted",
            ErrorKind::UnexpectedEof => "unexpected end of the body (truncated)",
            ErrorKind::Expected(what) => return write!(f, "expected {what}"),
            ErrorKind::MismatchedTag => "end tag does not match the open element",
            ErrorKind::DuplicateAttribute => "duplicate attribute",
            ErrorKind::TooManyAttributes => "too many attributes",
            ErrorKind::MalformedComment => "'--' inside a comment",
            ErrorKind::CdataEndInText => "']]>' in text",
            ErrorKind::UndefinedEntity => "undefined entity",
            ErrorKind::InvalidCharRef => "invalid character reference",
            ErrorKind::TooDeep => "elements nested too deep",
            ErrorKind::TrailingContent => "content after the root element",
            ErrorKind::NotAnErrorDocument => "not an S3 error document",
            ErrorKind::MissingCode => "the error has no <Code>",
        };
        f.write_str(s)
    }
}

/// Why [`parse`] refused a body: what ([`kind`](Self::kind)) and where
/// ([`offset`](Self::offset), in bytes from the start of the body).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ParseError {
    kind: ErrorKind,
    offset: usize,
}

impl ParseError {
    const fn new(kind: ErrorKind, offset: usize) -> Self {
        ParseError { kind, offset }
    }

    /// What is wrong.
    #[must_use]
    pub const fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Byte offset in the body where the problem was found.
    #[must_use]
    pub const fn offset(&self) -> usize {
        self.offset
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.kind, self.offset)
    }
}

impl core::error::Error for ParseError {}

/// The text of one element, borrowed from the body.
///
/// [`Display`](fmt::Display) and comparison with `&str` see the decoded
/// text: the five predefined entities and character references replaced,
/// CDATA sections unwrapped, comments and processing instructions left
/// out, line ends normalised to LF as XML requires, and the text of any
/// child elements included. Whitespace is kept as it is;
/// [`trim`](Self::trim) removes it from both ends of the decoded text.
/// [`raw`](Self::raw) gives the bytes exactly as they are in the body.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Text<'a> {
    raw: &'a str,
    /// `raw` starts inside a CDATA section (only after [`Text::trim`]);
    /// the section ends at the first `]]>` in `raw`, or at its end.
    in_cdata: bool,
}

impl<'a> Text<'a> {
    /// The bytes between the start and end tag, undecoded. For a
    /// [`trim`](Self::trim)med text: the bytes from its first to its last
    /// decoded character, which may start or end inside a CDATA section
    /// (without its `<![CDATA[` or `]]>`) or at a character reference.
    #[must_use]
    pub const fn raw(&self) -> &'a [u8] {
        self.raw.as_bytes()
    }

    /// [`raw`](Self::raw) as `&str` (the body was checked to be UTF-8).
    #[must_use]
    pub const fn raw_str(&self) -> &'a str {
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
        for c in self.chunks() {
            let mut tmp = [0u8; 4];
            let bytes = match c {
                Chunk::Str(s) => s.as_bytes(),
                Chunk::Char(c) => c.encode_utf8(&mut tmp).as_bytes(),
            };
            let end = len.checked_add(bytes.len())?;
            buf.get_mut(len..end)?.copy_from_slice(bytes);
            len = end;
        }
        core::str::from_utf8(buf.get(..len)?).ok()
    }

    /// The same text without XML whitespace (space, tab, CR, LF) at
    /// either end of the *decoded* text: whitespace written literally, as
    /// a character reference (`&#32;`, `&#xA;`…) or inside a CDATA section
    /// is all trimmed alike, and comments and processing instructions at
    /// the ends are dropped with it. Other white space (U+00A0…) is kept.
    /// [`ParsedError::known`] and [`ParsedError::retry`] read the code
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
        let mut rest = other;
        for c in self.chunks() {
            let mut tmp = [0u8; 4];
            let piece: &str = match c {
                Chunk::Str(s) => s,
                Chunk::Char(c) => c.encode_utf8(&mut tmp),
            };
            match rest.strip_prefix(piece) {
                Some(r) => rest = r,
                None => return false,
            }
        }
        rest.is_empty()
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

/// Decodes a reference starting at `&`: the character and the length of
/// the reference. `None` if it is not one this parser accepts.
fn decode_reference(b: &[u8]) -> Option<(char, usize)> {
    let semi = b.iter().position(|&c| c == b';')?;
    let body = b.get(1..semi)?;
    let c = match body {
        b"lt" => '<',
        b"gt" => '>',
        b"amp" => '&',
        b"apos" => '\'',
        b"quot" => '"',
        _ => {
            let (digits, radix) = match body {
                [b'#', b'x', rest @ ..] => (rest, 16),
                [b'#', rest @ ..] => (rest, 10),
                _ => return None,
            };
            if digits.is_empty() {
                return None;
            }
            let mut v: u32 = 0;
            for &d in digits {
                let d = (d as char).to_digit(radix)?;
                // Saturate beyond the Unicode range so that long inputs
                // cannot overflow; the result is then refused below.
                v = v.saturating_mul(radix).saturating_add(d).min(0x11_0000);
            }
            let c = char::from_u32(v)?;
            if !is_xml_char(c) {
                return None;
            }
            c
        }
    };
    Some((c, semi + 1))
}

/// First index `>= from` where `needle` starts.
fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut i = from;
    loop {
        let rest = hay.get(i..)?;
        let j = rest.iter().position(|&c| c == first)?;
        i += j;
        if hay.get(i..)?.starts_with(needle) {
            return Some(i);
        }
        i += 1;
    }
}

const fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// XML whitespace (`S`): space, tab, CR, LF.
const fn is_ws_char(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// XML 1.0 (fifth edition) `NameStartChar`.
const fn is_name_start(c: char) -> bool {
    matches!(c,
        ':' | 'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// XML 1.0 (fifth edition) `NameChar`.
const fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// Where a child element sits.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    /// A child of the error element.
    Error,
    /// A child of the wrapper (`ErrorResponse` or `Response`), other than
    /// the `Error`/`Errors` element itself.
    Wrapper,
}

/// One open element.
#[derive(Clone, Copy, Default)]
struct Open {
    name_start: usize,
    name_end: usize,
    content_start: usize,
}

/// The validating reader.
struct Reader<'a> {
    s: &'a str,
    b: &'a [u8],
    pos: usize,
    stack: [Open; MAX_DEPTH],
    depth: usize,
}

type Res<T> = Result<T, ParseError>;

impl<'a> Reader<'a> {
    fn err<T>(&self, kind: ErrorKind, offset: usize) -> Res<T> {
        let _ = self;
        Err(ParseError::new(kind, offset))
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn at(&self, lit: &[u8]) -> bool {
        self.b.get(self.pos..).is_some_and(|r| r.starts_with(lit))
    }

    /// Whether the body ends inside the opening of a comment, CDATA
    /// section or DOCTYPE (`<!-`, `<![CD`…): truncated, not malformed.
    fn truncated_markup(&self) -> bool {
        let rest = self.b.get(self.pos..).unwrap_or(&[]);
        [&b"<!--"[..], b"<![CDATA[", b"<!DOCTYPE"]
            .iter()
            .any(|l| rest.len() < l.len() && l.starts_with(rest))
    }

    /// Skips whitespace; returns whether there was any.
    fn skip_ws(&mut self) -> bool {
        let start = self.pos;
        while self.peek().is_some_and(is_ws) {
            self.pos += 1;
        }
        self.pos > start
    }

    fn expect(&mut self, byte: u8, what: &'static str) -> Res<()> {
        match self.peek() {
            Some(b) if b == byte => {
                self.pos += 1;
                Ok(())
            }
            None => self.err(ErrorKind::UnexpectedEof, self.pos),
            Some(_) => self.err(ErrorKind::Expected(what), self.pos),
        }
    }

    fn str(&self, start: usize, end: usize) -> &'a str {
        self.s.get(start..end).unwrap_or("")
    }

    /// A `Name`; returns its byte range.
    fn name(&mut self, what: &'static str) -> Res<(usize, usize)> {
        let start = self.pos;
        let rest = self.s.get(start..).unwrap_or("");
        let bytes = rest.as_bytes();
        // ASCII fast path; anything else goes through the full rule.
        let mut end = 0;
        while let Some(&c) = bytes.get(end) {
            let ok = c.is_ascii_alphabetic()
                || matches!(c, b'_' | b':')
                || (end > 0 && (c.is_ascii_digit() || matches!(c, b'-' | b'.')));
            if !ok {
                break;
            }
            end += 1;
        }
        if bytes.get(end).is_some_and(|&c| c >= 0x80) {
            let tail = rest.get(end..).unwrap_or("");
            let mut stop = tail.len();
            for (i, c) in tail.char_indices() {
                let ok = if end + i == 0 {
                    is_name_start(c)
                } else {
                    is_name_char(c)
                };
                if !ok {
                    stop = i;
                    break;
                }
            }
            end += stop;
        }
        if end == 0 {
            return if rest.is_empty() {
                self.err(ErrorKind::UnexpectedEof, start)
            } else {
                self.err(ErrorKind::Expected(what), start)
            };
        }
        self.pos = start + end;
        Ok((start, self.pos))
    }

    /// A reference at `&`.
    fn reference(&mut self) -> Res<()> {
        let start = self.pos;
        let rest = self.b.get(start..).unwrap_or(&[]);
        if rest.get(1) == Some(&b'#') {
            let hex = rest.get(2) == Some(&b'x');
            let digits_at = if hex { 3 } else { 2 };
            let digits = rest.get(digits_at..).unwrap_or(&[]);
            let n = digits.iter().position(|c| {
                !(if hex {
                    c.is_ascii_hexdigit()
                } else {
                    c.is_ascii_digit()
                })
            });
            match n {
                None => self.err(ErrorKind::UnexpectedEof, self.b.len()),
                Some(n) if digits.get(n) != Some(&b';') => {
                    self.err(ErrorKind::InvalidCharRef, start)
                }
                Some(_) => match decode_reference(rest) {
                    Some((_, len)) => {
                        self.pos += len;
                        Ok(())
                    }
                    None => self.err(ErrorKind::InvalidCharRef, start),
                },
            }
        } else {
            self.pos += 1;
            let (ns, ne) = self.name("an entity name after '&'")?;
            self.expect(b';', "';' ending the entity reference")?;
            match self.b.get(ns..ne) {
                Some(b"lt" | b"gt" | b"amp" | b"apos" | b"quot") => Ok(()),
                _ => self.err(ErrorKind::UndefinedEntity, start),
            }
        }
    }

    /// `<!--` … `-->`.
    fn comment(&mut self) -> Res<()> {
        let start = self.pos;
        let Some(i) = find(self.b, start + 4, b"--") else {
            return self.err(ErrorKind::UnexpectedEof, self.b.len());
        };
        match self.b.get(i + 2) {
            Some(b'>') => {
                self.pos = i + 3;
                Ok(())
            }
            None => self.err(ErrorKind::UnexpectedEof, self.b.len()),
            Some(_) => self.err(ErrorKind::MalformedComment, i),
        }
    }

    /// `<?target …?>`, not the declaration.
    fn pi(&mut self) -> Res<()> {
        let start = self.pos;
        self.pos += 2;
        let (ns, ne) = self.name("a processing-instruction target")?;
        if self.str(ns, ne).eq_ignore_ascii_case("xml") {
            return self.err(ErrorKind::MisplacedDeclaration, start);
        }
        if self.at(b"?>") {
            self.pos += 2;
            return Ok(());
        }
        if !self.skip_ws() {
            return match self.peek() {
                None => self.err(ErrorKind::UnexpectedEof, self.pos),
                Some(_) => self.err(
                    ErrorKind::Expected("whitespace or '?>' after the target"),
                    self.pos,
                ),
            };
        }
        match find(self.b, self.pos, b"?>") {
            Some(i) => {
                self.pos = i + 2;
                Ok(())
            }
            None => self.err(ErrorKind::UnexpectedEof, self.b.len()),
        }
    }

    /// A quoted pseudo-attribute value in the declaration; returns its range.
    fn decl_value(&mut self) -> Res<(usize, usize)> {
        self.skip_ws();
        self.expect(b'=', "'='").map_err(malformed_declaration)?;
        self.skip_ws();
        let q = match self.peek() {
            Some(q @ (b'"' | b'\'')) => q,
            None => return self.err(ErrorKind::UnexpectedEof, self.pos),
            Some(_) => return self.err(ErrorKind::MalformedDeclaration, self.pos),
        };
        self.pos += 1;
        let start = self.pos;
        // Every value the declaration may hold (`1.0`, an encoding name,
        // `yes`/`no`) is made of these bytes; the first other byte must be
        // the closing quote. So a missing or mismatched quote is reported
        // where it is, not as truncation at the end of the body.
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
        {
            self.pos += 1;
        }
        match self.peek() {
            Some(c) if c == q => {
                self.pos += 1;
                Ok((start, self.pos - 1))
            }
            None => self.err(ErrorKind::UnexpectedEof, self.pos),
            Some(_) => self.err(ErrorKind::MalformedDeclaration, self.pos),
        }
    }

    /// `<?xml version=… encoding=… standalone=…?>` at `pos`; returns
    /// whether it declares US-ASCII.
    fn declaration(&mut self) -> Res<bool> {
        self.pos += 5;
        let mut stage = 0u8;
        let mut ascii = false;
        loop {
            let had_ws = self.skip_ws();
            if self.at(b"?>") {
                if stage == 0 {
                    return self.err(ErrorKind::MalformedDeclaration, self.pos);
                }
                self.pos += 2;
                return Ok(ascii);
            }
            if self.peek().is_none() || self.b.get(self.pos..) == Some(b"?") {
                return self.err(ErrorKind::UnexpectedEof, self.b.len());
            }
            if !had_ws {
                return self.err(ErrorKind::MalformedDeclaration, self.pos);
            }
            let key_at = self.pos;
            let (ks, ke) = self
                .name("a declaration attribute")
                .map_err(malformed_declaration)?;
            let key = self.str(ks, ke);
            let (vs, ve) = self.decl_value()?;
            let v = self.str(vs, ve);
            match (stage, key) {
                (0, "version") => {
                    let ok = v
                        .strip_prefix("1.")
                        .is_some_and(|d| !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit()));
                    if !ok {
                        return self.err(ErrorKind::MalformedDeclaration, vs);
                    }
                    stage = 1;
                }
                (1, "encoding") => {
                    let ok = ["UTF-8", "UTF8", "US-ASCII", "ASCII"]
                        .iter()
                        .any(|e| e.eq_ignore_ascii_case(v));
                    if !ok {
                        return self.err(ErrorKind::UnsupportedEncoding, vs);
                    }
                    ascii = ["US-ASCII", "ASCII"]
                        .iter()
                        .any(|e| e.eq_ignore_ascii_case(v));
                    stage = 2;
                }
                (1 | 2, "standalone") if v == "yes" || v == "no" => stage = 3,
                _ => return self.err(ErrorKind::MalformedDeclaration, key_at),
            }
        }
    }

    /// A start tag at `<`: pushes it and returns whether it was empty
    /// (`<a/>`).
    fn start_tag(&mut self) -> Res<bool> {
        let tag_start = self.pos;
        self.pos += 1;
        let (ns, ne) = self.name("an element name")?;
        let mut attrs = [(0usize, 0usize); MAX_ATTRIBUTES];
        let mut n = 0usize;
        let empty = loop {
            let had_ws = self.skip_ws();
            match self.peek() {
                Some(b'>') => {
                    self.pos += 1;
                    break false;
                }
                Some(b'/') => {
                    self.pos += 1;
                    self.expect(b'>', "'>' after '/'")?;
                    break true;
                }
                None => return self.err(ErrorKind::UnexpectedEof, self.pos),
                Some(_) if !had_ws => {
                    return self.err(ErrorKind::Expected("whitespace, '>' or '/>'"), self.pos);
                }
                Some(_) => {}
            }
            let (as_, ae) = self.name("an attribute name")?;
            let name = self.str(as_, ae);
            for &(s, e) in attrs.iter().take(n) {
                if self.str(s, e) == name {
                    return self.err(ErrorKind::DuplicateAttribute, as_);
                }
            }
            match attrs.get_mut(n) {
                Some(slot) => *slot = (as_, ae),
                None => return self.err(ErrorKind::TooManyAttributes, as_),
            }
            n += 1;
            self.skip_ws();
            self.expect(b'=', "'=' after the attribute name")?;
            self.skip_ws();
            let q = match self.peek() {
                Some(q @ (b'"' | b'\'')) => q,
                None => return self.err(ErrorKind::UnexpectedEof, self.pos),
                Some(_) => {
                    return self.err(ErrorKind::Expected("a quoted attribute value"), self.pos);
                }
            };
            self.pos += 1;
            loop {
                match self.peek() {
                    None => return self.err(ErrorKind::UnexpectedEof, self.pos),
                    Some(c) if c == q => {
                        self.pos += 1;
                        break;
                    }
                    Some(b'<') => {
                        return self.err(
                            ErrorKind::Expected("no '<' in an attribute value"),
                            self.pos,
                        );
                    }
                    Some(b'&') => self.reference()?,
                    Some(_) => self.pos += 1,
                }
            }
        };
        let Some(slot) = self.stack.get_mut(self.depth) else {
            return self.err(ErrorKind::TooDeep, tag_start);
        };
        *slot = Open {
            name_start: ns,
            name_end: ne,
            content_start: self.pos,
        };
        self.depth += 1;
        Ok(empty)
    }

    /// An end tag at `</`: checks it against the open element; returns
    /// where the tag started.
    fn end_tag(&mut self) -> Res<usize> {
        let tag_start = self.pos;
        self.pos += 2;
        let (ns, ne) = self.name("an element name")?;
        self.skip_ws();
        self.expect(b'>', "'>' ending the end tag")?;
        let open = self
            .depth
            .checked_sub(1)
            .and_then(|i| self.stack.get(i))
            .copied()
            .unwrap_or_default();
        if self.str(ns, ne) != self.str(open.name_start, open.name_end) {
            return self.err(ErrorKind::MismatchedTag, tag_start);
        }
        Ok(tag_start)
    }

    /// The open element at 1-based `depth`.
    fn open(&self, depth: usize) -> Open {
        depth
            .checked_sub(1)
            .and_then(|i| self.stack.get(i))
            .copied()
            .unwrap_or_default()
    }

    fn open_name(&self, depth: usize) -> &'a str {
        let o = self.open(depth);
        self.str(o.name_start, o.name_end)
    }
}

/// Turns a syntax error inside the declaration into
/// [`ErrorKind::MalformedDeclaration`], keeping truncation as it is.
fn malformed_declaration(e: ParseError) -> ParseError {
    match e.kind {
        ErrorKind::UnexpectedEof => e,
        _ => ParseError::new(ErrorKind::MalformedDeclaration, e.offset),
    }
}

/// What a walk found.
struct Walked {
    /// Offset of the root element's start tag.
    root_at: usize,
    /// Offset of the error element's start tag, if there is one.
    error_at: Option<usize>,
}

/// Checks every character of the body against the XML `Char` production.
fn check_chars(b: &[u8]) -> Res<()> {
    let mut i = 0;
    loop {
        let rest = b.get(i..).unwrap_or(&[]);
        let Some(j) = rest
            .iter()
            .position(|&c| (c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r')) || c == 0xEF)
        else {
            return Ok(());
        };
        i += j;
        // A C0 control, or 0xEF starting U+FFFE / U+FFFF (EF BF BE / EF BF BF).
        let bad = b.get(i) != Some(&0xEF)
            || (b.get(i + 1) == Some(&0xBF) && matches!(b.get(i + 2), Some(0xBE | 0xBF)));
        if bad {
            return Err(ParseError::new(ErrorKind::InvalidChar, i));
        }
        i += 1;
    }
}

/// Reads the whole document, validating it, and calls `visit` for every
/// child of the error element and of the wrapper, in document order.
fn walk<'a>(s: &'a str, visit: &mut dyn FnMut(Level, &'a str, Text<'a>)) -> Res<Walked> {
    let b = s.as_bytes();
    check_chars(b)?;
    let mut r = Reader {
        s,
        b,
        pos: 0,
        stack: [Open::default(); MAX_DEPTH],
        depth: 0,
    };
    if r.at(b"\xEF\xBB\xBF") {
        r.pos = 3;
    }
    r.skip_ws();
    if r.peek().is_none() {
        return r.err(ErrorKind::Empty, 0);
    }
    // Leniency: whitespace before the declaration (Garage sends a line
    // feed there) is accepted.
    if r.at(b"<?xml") {
        match r.b.get(r.pos + 5) {
            None => return r.err(ErrorKind::UnexpectedEof, r.b.len()),
            Some(&c) if is_ws(c) || c == b'?' => {
                // A body declared US-ASCII must be ASCII throughout (a
                // UTF-8 byte-order mark included), as expat requires.
                if r.declaration()?
                    && let Some(i) = b.iter().position(|&c| c >= 0x80)
                {
                    return r.err(ErrorKind::EncodingMismatch, i);
                }
            }
            Some(_) => {}
        }
    }

    // Prolog: up to the root start tag.
    loop {
        r.skip_ws();
        match r.peek() {
            None => return r.err(ErrorKind::UnexpectedEof, r.pos),
            Some(b'<') => {}
            Some(_) => return r.err(ErrorKind::NotXml, r.pos),
        }
        if r.at(b"<!--") {
            r.comment()?;
        } else if r.at(b"<?") {
            r.pi()?;
        } else if r.at(b"<!DOCTYPE") || r.at(b"<!doctype") {
            let at = r.pos;
            r.pos += 9;
            r.skip_ws();
            let name = r.b.get(r.pos..r.pos + 4);
            let html = name.is_some_and(|n| n.eq_ignore_ascii_case(b"html"));
            return r.err(
                if html {
                    ErrorKind::Html
                } else {
                    ErrorKind::Doctype
                },
                at,
            );
        } else if r.truncated_markup() {
            return r.err(ErrorKind::UnexpectedEof, r.b.len());
        } else if r.at(b"<!") {
            return r.err(ErrorKind::Expected("a comment or the root element"), r.pos);
        } else {
            break;
        }
    }

    // The root element decides where the error element sits.
    let root_at = r.pos;
    let mut empty = r.start_tag()?;
    let error_depth = match r.open_name(1) {
        "Error" => 1,
        "ErrorResponse" => 2,
        "Response" => 3,
        n if n.eq_ignore_ascii_case("html") => return r.err(ErrorKind::Html, root_at),
        _ => return r.err(ErrorKind::NotAnErrorDocument, root_at),
    };
    let mut error_at = None;
    let mut in_error = false;
    let mut tag_at = root_at;
    loop {
        // An element just started at depth `r.depth`, at `tag_at`.
        let d = r.depth;
        if error_at.is_none()
            && d == error_depth
            && r.open_name(d) == "Error"
            && (d != 3 || r.open_name(2) == "Errors")
        {
            error_at = Some(tag_at);
            in_error = true;
        }
        if empty {
            // `<x/>`: ends where it starts.
            close(&r, r.pos, error_depth, &mut in_error, visit);
            r.depth -= 1;
        }
        // Content, until the next start tag or the end of the root.
        empty = loop {
            if r.depth == 0 {
                break false;
            }
            match r.peek() {
                None => return r.err(ErrorKind::UnexpectedEof, r.pos),
                Some(b'<') => {
                    if r.at(b"</") {
                        let end_at = r.end_tag()?;
                        close(&r, end_at, error_depth, &mut in_error, visit);
                        r.depth -= 1;
                    } else if r.at(b"<!--") {
                        r.comment()?;
                    } else if r.at(b"<![CDATA[") {
                        match find(r.b, r.pos + 9, b"]]>") {
                            Some(i) => r.pos = i + 3,
                            None => return r.err(ErrorKind::UnexpectedEof, r.b.len()),
                        }
                    } else if r.at(b"<?") {
                        r.pi()?;
                    } else if r.truncated_markup() {
                        return r.err(ErrorKind::UnexpectedEof, r.b.len());
                    } else if r.at(b"<!") {
                        return r.err(
                            ErrorKind::Expected("a comment or CDATA section after '<!'"),
                            r.pos,
                        );
                    } else {
                        tag_at = r.pos;
                        break r.start_tag()?;
                    }
                }
                Some(b'&') => r.reference()?,
                Some(_) => {
                    let start = r.pos;
                    let rest = r.b.get(start..).unwrap_or(&[]);
                    let n = rest
                        .iter()
                        .position(|&c| c == b'<' || c == b'&')
                        .unwrap_or(rest.len());
                    if let Some(i) = find(rest.get(..n).unwrap_or(&[]), 0, b"]]>") {
                        return r.err(ErrorKind::CdataEndInText, start + i);
                    }
                    r.pos = start + n;
                }
            }
        };
        if r.depth == 0 {
            break;
        }
    }

    // Epilog.
    loop {
        r.skip_ws();
        if r.peek().is_none() {
            break;
        } else if r.at(b"<!--") {
            r.comment()?;
        } else if r.at(b"<?") {
            r.pi()?;
        } else if r.truncated_markup() {
            return r.err(ErrorKind::UnexpectedEof, r.b.len());
        } else {
            return r.err(ErrorKind::TrailingContent, r.pos);
        }
    }
    Ok(Walked { root_at, error_at })
}

/// The element at depth `r.depth` ends with its end tag at `end_at`.
fn close<'a>(
    r: &Reader<'a>,
    end_at: usize,
    error_depth: usize,
    in_error: &mut bool,
    visit: &mut dyn FnMut(Level, &'a str, Text<'a>),
) {
    let d = r.depth;
    let open = r.open(d);
    let name = r.str(open.name_start, open.name_end);
    let text = || Text {
        raw: r.str(open.content_start, end_at),
        in_cdata: false,
    };
    if *in_error {
        if d == error_depth.saturating_add(1) {
            visit(Level::Error, name, text());
        } else if d == error_depth {
            *in_error = false;
        }
    }
    if error_depth >= 2 && d == 2 && name != "Error" && name != "Errors" {
        visit(Level::Wrapper, name, text());
    }
}

/// An S3 (or IAM, or EC2-style) error document, parsed without copying:
/// every text borrows from the body.
///
/// The error element is the root `<Error>`, the `<Error>` child of a root
/// `<ErrorResponse>` (AWS query APIs, S3 Control), or the
/// `<Errors><Error>` of a root `<Response>` (EC2). Fields are looked up
/// among its children first, then among the wrapper's (where `RequestId`
/// sits in the query form). When an element occurs twice, the first wins.
#[derive(Clone, Copy, Debug)]
pub struct ParsedError<'a> {
    body: &'a str,
    code: Text<'a>,
    fields: Fields<'a>,
}

impl<'a> ParsedError<'a> {
    /// The `<Code>` text, known to this crate or not.
    #[must_use]
    pub const fn code(&self) -> Text<'a> {
        self.code
    }

    /// The code as an [`ErrorCode`], if it names one of the enabled codes.
    /// XML whitespace around the decoded name is ignored, by the rule of
    /// [`Text::trim`] (literal, `&#32;`-style or in CDATA alike).
    ///
    /// ```
    /// # #[cfg(feature = "s3")] {
    /// let e = s3err::xml::parse(b"<Error><Code>SlowDown</Code></Error>").unwrap();
    /// assert_eq!(e.known(), Some(s3err::ErrorCode::SlowDown));
    /// # }
    /// let e = s3err::xml::parse(b"<Error><Code>NotARealError</Code></Error>").unwrap();
    /// assert_eq!(e.known(), None);
    /// ```
    #[must_use]
    pub fn known(&self) -> Option<ErrorCode> {
        let mut buf = [0u8; crate::MAX_NAME_LEN];
        ErrorCode::from_name(self.code.trim().decode_into(&mut buf)?)
    }

    /// `<Message>`.
    #[must_use]
    pub const fn message(&self) -> Option<Text<'a>> {
        self.fields.message
    }

    /// `<Resource>`.
    #[must_use]
    pub const fn resource(&self) -> Option<Text<'a>> {
        self.fields.resource
    }

    /// `<RequestId>` (or EC2's `<RequestID>`), in the error element or
    /// the wrapper.
    #[must_use]
    pub const fn request_id(&self) -> Option<Text<'a>> {
        self.fields.request_id
    }

    /// `<HostId>`, in the error element or the wrapper.
    #[must_use]
    pub const fn host_id(&self) -> Option<Text<'a>> {
        self.fields.host_id
    }

    /// `<Type>` of the query (IAM) form: `Sender` or `Receiver`.
    #[must_use]
    pub const fn error_type(&self) -> Option<Text<'a>> {
        self.fields.error_type
    }

    /// Any child element by name (exact, case-sensitive), first in the
    /// error element, then in the wrapper: `field("Key")`,
    /// `field("BucketName")`, `field("ArgumentName1")`…
    ///
    /// This reads the body again: time linear in its length.
    ///
    /// ```
    /// let e = s3err::xml::parse(b"<Error><Code>NoSuchKey</Code><Key>a/b</Key></Error>").unwrap();
    /// assert!(e.field("Key").is_some_and(|k| k == "a/b"));
    /// assert!(e.field("Bucket").is_none());
    /// ```
    #[must_use]
    pub fn field(&self, name: &str) -> Option<Text<'a>> {
        let mut in_error = None;
        let mut in_wrapper = None;
        walk(self.body, &mut |level, n, t| {
            if n == name {
                let slot = match level {
                    Level::Error => &mut in_error,
                    Level::Wrapper => &mut in_wrapper,
                };
                if slot.is_none() {
                    *slot = Some(t);
                }
            }
        })
        .ok()?;
        in_error.or(in_wrapper)
    }

    /// How a client should treat this error, given the HTTP status it came
    /// with: see [`Retry`] for the rule. The code is read through
    /// [`Text::trim`], as in [`known`](Self::known).
    ///
    /// ```
    /// use s3err::{Retry, xml::parse};
    /// let e = parse(b"<Error><Code>SlowDown</Code></Error>").unwrap();
    /// assert_eq!(e.retry(200), Retry::Throttle);
    /// let e = parse(b"<Error><Code>SomethingNew</Code></Error>").unwrap();
    /// assert_eq!(e.retry(502), Retry::Transient);
    /// assert_eq!(e.retry(400), Retry::Never);
    /// ```
    #[must_use]
    pub fn retry(&self, status: u16) -> Retry {
        let code = self.code.trim();
        Retry::classify(|name| code == name, status)
    }

    /// The whole body, as parsed.
    #[must_use]
    pub const fn body(&self) -> &'a str {
        self.body
    }
}

/// Parses an S3 error response body, without allocating or copying.
///
/// Accepts what real servers send: with or without an XML declaration
/// (even after leading whitespace), a UTF-8 byte-order mark, any
/// whitespace, comments and processing instructions, a default namespace
/// on the root, `<Error>` or `<ErrorResponse><Error>…</Error>…</ErrorResponse>`
/// (and EC2's `<Response><Errors><Error>`), unknown codes and extra
/// elements in any order.
///
/// Refuses everything else with a [`ParseError`] saying what and at which
/// byte: see [`ErrorKind`]. The whole body is checked to be well-formed
/// XML 1.0 in UTF-8 (no DTD; element names matched as written, prefixes
/// included). Time is linear in the length of the body; memory is a fixed
/// stack of [`MAX_DEPTH`] entries; there is no recursion.
///
/// ```
/// let body = br#"<?xml version="1.0" encoding="UTF-8"?>
/// <Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>
/// <Key>a&amp;b</Key><RequestId>4442587FB7D0A2F9</RequestId></Error>"#;
/// let e = s3err::xml::parse(body).unwrap();
/// assert_eq!(e.code(), "NoSuchKey");
/// assert!(e.field("Key").is_some_and(|k| k == "a&b"));
/// assert_eq!(e.request_id().unwrap().to_string(), "4442587FB7D0A2F9");
///
/// let err = s3err::xml::parse(b"<html><body>502 Bad Gateway</body></html>").unwrap_err();
/// assert_eq!(err.kind(), s3err::xml::ErrorKind::Html);
/// ```
///
/// # Errors
/// A [`ParseError`] for any body that is not a well-formed error document.
pub fn parse(body: &[u8]) -> Result<ParsedError<'_>, ParseError> {
    if body.is_empty() {
        return Err(ParseError::new(ErrorKind::Empty, 0));
    }
    if body.starts_with(b"\xFF\xFE") || body.starts_with(b"\xFE\xFF") {
        return Err(ParseError::new(ErrorKind::UnsupportedEncoding, 0));
    }
    let s = core::str::from_utf8(body)
        .map_err(|e| ParseError::new(ErrorKind::InvalidUtf8, e.valid_up_to()))?;
    let mut code = None;
    let mut f = Fields::default();
    let mut w = Fields::default();
    let walked = walk(s, &mut |level, name, t| {
        let fields = match level {
            Level::Error => {
                if name == "Code" && code.is_none() {
                    code = Some(t);
                }
                &mut f
            }
            Level::Wrapper => &mut w,
        };
        fields.offer(level, name, t);
    })?;
    let Some(error_at) = walked.error_at else {
        return Err(ParseError::new(
            ErrorKind::NotAnErrorDocument,
            walked.root_at,
        ));
    };
    let Some(code) = code else {
        return Err(ParseError::new(ErrorKind::MissingCode, error_at));
    };
    Ok(ParsedError {
        body: s,
        code,
        fields: Fields {
            request_id: f.request_id.or(w.request_id),
            host_id: f.host_id.or(w.host_id),
            ..f
        },
    })
}

/// The well-known fields found at one level.
#[derive(Clone, Copy, Debug, Default)]
struct Fields<'a> {
    message: Option<Text<'a>>,
    resource: Option<Text<'a>>,
    request_id: Option<Text<'a>>,
    host_id: Option<Text<'a>>,
    error_type: Option<Text<'a>>,
}

impl<'a> Fields<'a> {
    fn offer(&mut self, level: Level, name: &str, t: Text<'a>) {
        let slot = match (level, name) {
            (Level::Error, "Message") => &mut self.message,
            (Level::Error, "Resource") => &mut self.resource,
            (Level::Error, "Type") => &mut self.error_type,
            (_, "RequestId" | "RequestID") => &mut self.request_id,
            (_, "HostId") => &mut self.host_id,
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(b: &[u8]) -> ErrorKind {
        parse(b).err().map(|e| e.kind()).unwrap_or(ErrorKind::Empty)
    }

    #[test]
    fn references() {
        assert_eq!(decode_reference(b"&#65;"), Some(('A', 5)));
        assert_eq!(decode_reference(b"&#x41;x"), Some(('A', 6)));
        assert_eq!(decode_reference(b"&#0;"), None);
        assert_eq!(decode_reference(b"&#xD800;"), None);
        assert_eq!(decode_reference(b"&#x110000;"), None);
        assert_eq!(decode_reference(b"&#99999999999999999999;"), None);
        assert_eq!(decode_reference(b"&#;"), None);
        assert_eq!(decode_reference(b"&#x;"), None);
        assert_eq!(decode_reference(b"&nbsp;"), None);
    }

    #[test]
    fn kinds() {
        assert_eq!(
            kind(b"<Error><Code>&#0;</Code></Error>"),
            ErrorKind::InvalidCharRef
        );
        assert_eq!(kind(b"<Error><Code>&#x12"), ErrorKind::UnexpectedEof);
        assert_eq!(
            kind(b"<Error><Code>a</Cod></Error>"),
            ErrorKind::MismatchedTag
        );
        assert_eq!(kind(b"<Error a='1' a='2'/>"), ErrorKind::DuplicateAttribute);
        assert_eq!(kind(b"<Error/>"), ErrorKind::MissingCode);
    }
}
