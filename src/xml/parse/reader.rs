//! The validating reader: a zero-copy, non-recursive pull reader over
//! the whole body with a fixed depth bound, and the walk that finds the
//! error element's children.

use super::error::{ParseError, ParseErrorKind};
use super::scan::{decode_reference, find, is_name_char, is_name_start, is_ws};
use super::text::Text;

/// The deepest element nesting [`parse`](super::parse) accepts. S3 error
/// documents nest at most four deep (`Response/Errors/Error/Code`);
/// anything deeper than this is refused with [`ParseErrorKind::TooDeep`].
pub const MAX_DEPTH: usize = 16;

/// The most attributes one element may carry; more is refused with
/// [`ParseErrorKind::TooManyAttributes`]. This bounds the
/// duplicate-attribute check, keeping the time linear.
pub const MAX_ATTRIBUTES: usize = 16;

/// Where a child element sits.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Level {
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
    fn err<T>(&self, kind: ParseErrorKind, offset: usize) -> Res<T> {
        let _ = self;
        Err(ParseError::new(kind, offset))
    }

    /// A [`ParseErrorKind::Syntax`] error: `what` was expected at `offset`.
    fn syntax<T>(&self, what: &'static str, offset: usize) -> Res<T> {
        let _ = self;
        Err(ParseError::syntax(what, offset))
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
            None => self.err(ParseErrorKind::UnexpectedEof, self.pos),
            Some(_) => self.syntax(what, self.pos),
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
                self.err(ParseErrorKind::UnexpectedEof, start)
            } else {
                self.syntax(what, start)
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
                None => self.err(ParseErrorKind::UnexpectedEof, self.b.len()),
                Some(n) if digits.get(n) != Some(&b';') => {
                    self.err(ParseErrorKind::InvalidCharRef, start)
                }
                Some(_) => match decode_reference(rest) {
                    Some((_, len)) => {
                        self.pos += len;
                        Ok(())
                    }
                    None => self.err(ParseErrorKind::InvalidCharRef, start),
                },
            }
        } else {
            self.pos += 1;
            let (ns, ne) = self.name("an entity name after '&'")?;
            self.expect(b';', "';' ending the entity reference")?;
            match self.b.get(ns..ne) {
                Some(b"lt" | b"gt" | b"amp" | b"apos" | b"quot") => Ok(()),
                _ => self.err(ParseErrorKind::UndefinedEntity, start),
            }
        }
    }

    /// `<!--` … `-->`.
    fn comment(&mut self) -> Res<()> {
        let start = self.pos;
        let Some(i) = find(self.b, start + 4, b"--") else {
            return self.err(ParseErrorKind::UnexpectedEof, self.b.len());
        };
        match self.b.get(i + 2) {
            Some(b'>') => {
                self.pos = i + 3;
                Ok(())
            }
            None => self.err(ParseErrorKind::UnexpectedEof, self.b.len()),
            Some(_) => self.err(ParseErrorKind::MalformedComment, i),
        }
    }

    /// `<?target …?>`, not the declaration.
    fn pi(&mut self) -> Res<()> {
        let start = self.pos;
        self.pos += 2;
        let (ns, ne) = self.name("a processing-instruction target")?;
        if self.str(ns, ne).eq_ignore_ascii_case("xml") {
            return self.err(ParseErrorKind::MisplacedDeclaration, start);
        }
        if self.at(b"?>") {
            self.pos += 2;
            return Ok(());
        }
        if !self.skip_ws() {
            return match self.peek() {
                None => self.err(ParseErrorKind::UnexpectedEof, self.pos),
                Some(_) => self.syntax("whitespace or '?>' after the target", self.pos),
            };
        }
        match find(self.b, self.pos, b"?>") {
            Some(i) => {
                self.pos = i + 2;
                Ok(())
            }
            None => self.err(ParseErrorKind::UnexpectedEof, self.b.len()),
        }
    }

    /// A quoted pseudo-attribute value in the declaration; returns its range.
    fn decl_value(&mut self) -> Res<(usize, usize)> {
        self.skip_ws();
        self.expect(b'=', "'='").map_err(malformed_declaration)?;
        self.skip_ws();
        let q = match self.peek() {
            Some(q @ (b'"' | b'\'')) => q,
            None => return self.err(ParseErrorKind::UnexpectedEof, self.pos),
            Some(_) => return self.err(ParseErrorKind::MalformedDeclaration, self.pos),
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
            None => self.err(ParseErrorKind::UnexpectedEof, self.pos),
            Some(_) => self.err(ParseErrorKind::MalformedDeclaration, self.pos),
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
                    return self.err(ParseErrorKind::MalformedDeclaration, self.pos);
                }
                self.pos += 2;
                return Ok(ascii);
            }
            if self.peek().is_none() || self.b.get(self.pos..) == Some(b"?") {
                return self.err(ParseErrorKind::UnexpectedEof, self.b.len());
            }
            if !had_ws {
                return self.err(ParseErrorKind::MalformedDeclaration, self.pos);
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
                        return self.err(ParseErrorKind::MalformedDeclaration, vs);
                    }
                    stage = 1;
                }
                (1, "encoding") => {
                    let ok = ["UTF-8", "UTF8", "US-ASCII", "ASCII"]
                        .iter()
                        .any(|e| e.eq_ignore_ascii_case(v));
                    if !ok {
                        return self.err(ParseErrorKind::UnsupportedEncoding, vs);
                    }
                    ascii = ["US-ASCII", "ASCII"]
                        .iter()
                        .any(|e| e.eq_ignore_ascii_case(v));
                    stage = 2;
                }
                (1 | 2, "standalone") if v == "yes" || v == "no" => stage = 3,
                _ => return self.err(ParseErrorKind::MalformedDeclaration, key_at),
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
                None => return self.err(ParseErrorKind::UnexpectedEof, self.pos),
                Some(_) if !had_ws => {
                    return self.syntax("whitespace, '>' or '/>'", self.pos);
                }
                Some(_) => {}
            }
            self.attribute(&mut attrs, n)?;
            n += 1;
        };
        let Some(slot) = self.stack.get_mut(self.depth) else {
            return self.err(ParseErrorKind::TooDeep, tag_start);
        };
        *slot = Open {
            name_start: ns,
            name_end: ne,
            content_start: self.pos,
        };
        self.depth += 1;
        Ok(empty)
    }

    /// The `n`th attribute of a start tag (`name="value"`), checked
    /// against the `n` before it, which `attrs` holds.
    fn attribute(&mut self, attrs: &mut [(usize, usize); MAX_ATTRIBUTES], n: usize) -> Res<()> {
        let (as_, ae) = self.name("an attribute name")?;
        let name = self.str(as_, ae);
        for &(s, e) in attrs.iter().take(n) {
            if self.str(s, e) == name {
                return self.err(ParseErrorKind::DuplicateAttribute, as_);
            }
        }
        match attrs.get_mut(n) {
            Some(slot) => *slot = (as_, ae),
            None => return self.err(ParseErrorKind::TooManyAttributes, as_),
        }
        self.skip_ws();
        self.expect(b'=', "'=' after the attribute name")?;
        self.skip_ws();
        let q = match self.peek() {
            Some(q @ (b'"' | b'\'')) => q,
            None => return self.err(ParseErrorKind::UnexpectedEof, self.pos),
            Some(_) => return self.syntax("a quoted attribute value", self.pos),
        };
        self.pos += 1;
        loop {
            match self.peek() {
                None => return self.err(ParseErrorKind::UnexpectedEof, self.pos),
                Some(c) if c == q => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'<') => return self.syntax("no '<' in an attribute value", self.pos),
                Some(b'&') => self.reference()?,
                Some(_) => self.pos += 1,
            }
        }
    }

    /// Markup other than an element at `<`, where `place` allows it: a
    /// comment, a processing instruction, or (in content) a CDATA
    /// section, read and skipped (`Ok(true)`). A body that ends inside the
    /// opening of a comment, a CDATA section or a DOCTYPE is truncated.
    /// Anything else is left for the caller (`Ok(false)`).
    fn misc(&mut self, place: Place) -> Res<bool> {
        if self.at(b"<!--") {
            self.comment()?;
        } else if self.at(b"<?") {
            self.pi()?;
        } else if matches!(place, Place::Content) && self.at(b"<![CDATA[") {
            match find(self.b, self.pos + 9, b"]]>") {
                Some(i) => self.pos = i + 3,
                None => return self.err(ParseErrorKind::UnexpectedEof, self.b.len()),
            }
        } else if self.truncated_markup() {
            return self.err(ParseErrorKind::UnexpectedEof, self.b.len());
        } else {
            return Ok(false);
        }
        Ok(true)
    }

    /// Character data up to the next `<` or `&`, which may not hold `]]>`.
    fn char_data(&mut self) -> Res<()> {
        let start = self.pos;
        let rest = self.b.get(start..).unwrap_or(&[]);
        let n = rest
            .iter()
            .position(|&c| c == b'<' || c == b'&')
            .unwrap_or(rest.len());
        if let Some(i) = find(rest.get(..n).unwrap_or(&[]), 0, b"]]>") {
            return self.err(ParseErrorKind::CdataEndInText, start + i);
        }
        self.pos = start + n;
        Ok(())
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
            return self.err(ParseErrorKind::MismatchedTag, tag_start);
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
/// [`ParseErrorKind::MalformedDeclaration`], keeping truncation as it is.
fn malformed_declaration(e: ParseError) -> ParseError {
    match e.kind() {
        ParseErrorKind::UnexpectedEof => e,
        _ => ParseError::new(ParseErrorKind::MalformedDeclaration, e.offset()),
    }
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
            return Err(ParseError::new(ParseErrorKind::InvalidChar, i));
        }
        i += 1;
    }
}

/// Where [`Reader::misc`] is reading: CDATA sections belong in content only.
#[derive(Clone, Copy)]
enum Place {
    /// Before the root element.
    Prolog,
    /// Inside the root element.
    Content,
    /// After the root element.
    Epilog,
}

impl Reader<'_> {
    /// The byte-order mark, the declaration and what comes before the
    /// root element, up to its `<`.
    fn prolog(&mut self) -> Res<()> {
        if self.at(b"\xEF\xBB\xBF") {
            self.pos = 3;
        }
        self.skip_ws();
        if self.peek().is_none() {
            return self.err(ParseErrorKind::Empty, 0);
        }
        // Leniency: whitespace before the declaration (Garage sends a line
        // feed there) is accepted.
        if self.at(b"<?xml") {
            self.xml_declaration()?;
        }
        loop {
            self.skip_ws();
            match self.peek() {
                None => return self.err(ParseErrorKind::UnexpectedEof, self.pos),
                Some(b'<') => {}
                Some(_) => return self.err(ParseErrorKind::NotXml, self.pos),
            }
            if self.misc(Place::Prolog)? {
                continue;
            }
            if self.at(b"<!DOCTYPE") || self.at(b"<!doctype") {
                return self.doctype();
            }
            if self.at(b"<!") {
                return self.syntax("a comment or the root element", self.pos);
            }
            return Ok(());
        }
    }

    /// At `<?xml`: the declaration, if that is what it is (not a PI whose
    /// target starts with `xml`).
    fn xml_declaration(&mut self) -> Res<()> {
        match self.b.get(self.pos + 5) {
            None => self.err(ParseErrorKind::UnexpectedEof, self.b.len()),
            Some(&c) if is_ws(c) || c == b'?' => {
                // A body declared US-ASCII must be ASCII throughout (a
                // UTF-8 byte-order mark included), as expat requires.
                if self.declaration()?
                    && let Some(i) = self.b.iter().position(|&c| c >= 0x80)
                {
                    return self.err(ParseErrorKind::EncodingMismatch, i);
                }
                Ok(())
            }
            Some(_) => Ok(()),
        }
    }

    /// A DOCTYPE, refused: [`ParseErrorKind::Html`] for `html`'s.
    fn doctype(&mut self) -> Res<()> {
        let at = self.pos;
        self.pos += 9;
        self.skip_ws();
        let name = self.b.get(self.pos..self.pos + 4);
        let html = name.is_some_and(|n| n.eq_ignore_ascii_case(b"html"));
        let kind = if html {
            ParseErrorKind::Html
        } else {
            ParseErrorKind::Doctype
        };
        self.err(kind, at)
    }

    /// Comments, processing instructions and whitespace after the root.
    fn epilog(&mut self) -> Res<()> {
        loop {
            self.skip_ws();
            if self.peek().is_none() {
                return Ok(());
            }
            if !self.misc(Place::Epilog)? {
                return self.err(ParseErrorKind::TrailingContent, self.pos);
            }
        }
    }
}

/// What a walk found.
pub(super) struct Walked {
    /// Offset of the root element's start tag.
    pub(super) root_at: usize,
    /// Offset of the error element's start tag, if there is one.
    pub(super) error_at: Option<usize>,
}

/// A child of the error element or of the wrapper: where it sits, its
/// name and its text.
pub(super) type Visit<'a, 'v> = &'v mut dyn FnMut(Level, &'a str, Text<'a>);

/// The walk through the root element.
struct Walk<'a, 'v> {
    r: Reader<'a>,
    visit: Visit<'a, 'v>,
    /// The depth of the error element: 1 for `<Error>`, 2 in
    /// `<ErrorResponse>`, 3 in `<Response><Errors>`.
    error_depth: usize,
    error_at: Option<usize>,
    /// Inside the (first) error element.
    in_error: bool,
}

impl Walk<'_, '_> {
    /// The root element, from its start tag to its end.
    fn root(&mut self) -> Res<()> {
        let root_at = self.r.pos;
        let mut empty = self.r.start_tag()?;
        self.error_depth = match self.r.open_name(1) {
            "Error" => 1,
            "ErrorResponse" => 2,
            "Response" => 3,
            n if n.eq_ignore_ascii_case("html") => {
                return self.r.err(ParseErrorKind::Html, root_at);
            }
            _ => return self.r.err(ParseErrorKind::NotAnErrorDocument, root_at),
        };
        let mut tag_at = root_at;
        loop {
            self.opened(tag_at, empty);
            match self.content()? {
                Some((at, e)) => (tag_at, empty) = (at, e),
                None => return Ok(()),
            }
        }
    }

    /// An element just started at depth `r.depth`, at `tag_at`.
    fn opened(&mut self, tag_at: usize, empty: bool) {
        let d = self.r.depth;
        if self.error_at.is_none()
            && d == self.error_depth
            && self.r.open_name(d) == "Error"
            && (d != 3 || self.r.open_name(2) == "Errors")
        {
            self.error_at = Some(tag_at);
            self.in_error = true;
        }
        if empty {
            // `<x/>`: ends where it starts.
            self.close(self.r.pos);
        }
    }

    /// Content, up to the next start tag (its offset and whether it is
    /// empty) or the end of the root (`None`).
    fn content(&mut self) -> Res<Option<(usize, bool)>> {
        while self.r.depth > 0 {
            match self.r.peek() {
                None => return self.r.err(ParseErrorKind::UnexpectedEof, self.r.pos),
                Some(b'<') => {
                    if self.r.at(b"</") {
                        let end_at = self.r.end_tag()?;
                        self.close(end_at);
                    } else if self.r.misc(Place::Content)? {
                    } else if self.r.at(b"<!") {
                        return self
                            .r
                            .syntax("a comment or CDATA section after '<!'", self.r.pos);
                    } else {
                        let at = self.r.pos;
                        return Ok(Some((at, self.r.start_tag()?)));
                    }
                }
                Some(b'&') => self.r.reference()?,
                Some(_) => self.r.char_data()?,
            }
        }
        Ok(None)
    }

    /// The element at depth `r.depth` ends with its end tag at `end_at`.
    fn close(&mut self, end_at: usize) {
        let r = &self.r;
        let d = r.depth;
        let open = r.open(d);
        let name = r.str(open.name_start, open.name_end);
        let text = || Text::new(r.str(open.content_start, end_at));
        if self.in_error {
            if d == self.error_depth.saturating_add(1) {
                (self.visit)(Level::Error, name, text());
            } else if d == self.error_depth {
                self.in_error = false;
            }
        }
        if self.error_depth >= 2 && d == 2 && name != "Error" && name != "Errors" {
            (self.visit)(Level::Wrapper, name, text());
        }
        self.r.depth = d.saturating_sub(1);
    }
}

/// Reads the whole document, validating it, and calls `visit` for every
/// child of the error element and of the wrapper, in document order.
pub(super) fn walk<'a>(s: &'a str, visit: Visit<'a, '_>) -> Res<Walked> {
    let b = s.as_bytes();
    check_chars(b)?;
    let mut r = Reader {
        s,
        b,
        pos: 0,
        stack: [Open::default(); MAX_DEPTH],
        depth: 0,
    };
    r.prolog()?;
    let root_at = r.pos;
    let mut w = Walk {
        r,
        visit,
        error_depth: 0,
        error_at: None,
        in_error: false,
    };
    w.root()?;
    w.r.epilog()?;
    Ok(Walked {
        root_at,
        error_at: w.error_at,
    })
}
