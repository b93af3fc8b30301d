//! Why a body was refused: [`ParseErrorKind`] and [`ParseError`].

use core::fmt;

/// What is wrong with a body [`parse`](super::parse) refused.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ParseErrorKind {
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
    /// Malformed markup; [`ParseError::detail`] says what was expected.
    Syntax,
    /// An end tag that does not match the open element.
    MismatchedTag,
    /// The same attribute twice on one element.
    DuplicateAttribute,
    /// More than [`MAX_ATTRIBUTES`](super::MAX_ATTRIBUTES) attributes on one element.
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
    /// Elements nested deeper than [`MAX_DEPTH`](super::MAX_DEPTH).
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

impl fmt::Display for ParseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            ParseErrorKind::Empty => "empty body",
            ParseErrorKind::NotXml => "not XML",
            ParseErrorKind::Html => "an HTML page, not an error document",
            ParseErrorKind::InvalidUtf8 => "invalid UTF-8",
            ParseErrorKind::InvalidChar => "a character XML 1.0 does not allow",
            ParseErrorKind::UnsupportedEncoding => "an encoding other than UTF-8",
            ParseErrorKind::EncodingMismatch => "a non-ASCII byte in a body declared US-ASCII",
            ParseErrorKind::MalformedDeclaration => "malformed XML declaration",
            ParseErrorKind::MisplacedDeclaration => "XML declaration not at the start",
            ParseErrorKind::Doctype => "a DTD (<!DOCTYPE>), which is not accepted",
            ParseErrorKind::UnexpectedEof => "unexpected end of the body (truncated)",
            ParseErrorKind::Syntax => "malformed markup",
            ParseErrorKind::MismatchedTag => "end tag does not match the open element",
            ParseErrorKind::DuplicateAttribute => "duplicate attribute",
            ParseErrorKind::TooManyAttributes => "too many attributes",
            ParseErrorKind::MalformedComment => "'--' inside a comment",
            ParseErrorKind::CdataEndInText => "']]>' in text",
            ParseErrorKind::UndefinedEntity => "undefined entity",
            ParseErrorKind::InvalidCharRef => "invalid character reference",
            ParseErrorKind::TooDeep => "elements nested too deep",
            ParseErrorKind::TrailingContent => "content after the root element",
            ParseErrorKind::NotAnErrorDocument => "not an S3 error document",
            ParseErrorKind::MissingCode => "the error has no <Code>",
        };
        f.write_str(s)
    }
}

/// Why [`parse`](super::parse) refused a body: what ([`kind`](Self::kind)) and where
/// ([`offset`](Self::offset), in bytes from the start of the body).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ParseError {
    kind: ParseErrorKind,
    offset: usize,
    detail: &'static str,
}

impl ParseError {
    pub(super) const fn new(kind: ParseErrorKind, offset: usize) -> Self {
        ParseError {
            kind,
            offset,
            detail: "",
        }
    }

    /// A [`ParseErrorKind::Syntax`] error: `what` was expected at `offset`.
    pub(super) const fn syntax(what: &'static str, offset: usize) -> Self {
        ParseError {
            kind: ParseErrorKind::Syntax,
            offset,
            detail: what,
        }
    }

    /// For a [`ParseErrorKind::Syntax`] error, what was expected, in
    /// English (`"'>' ending the end tag"`); `""` for every other kind.
    ///
    /// For people reading logs, not for programs: the wording may change
    /// in any release. Match on [`kind`](Self::kind) instead.
    #[must_use]
    pub const fn detail(&self) -> &'static str {
        self.detail
    }

    /// What is wrong.
    #[must_use]
    pub const fn kind(&self) -> ParseErrorKind {
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
        if self.detail.is_empty() {
            write!(f, "{} at byte {}", self.kind, self.offset)
        } else {
            write!(f, "expected {} at byte {}", self.detail, self.offset)
        }
    }
}

impl core::error::Error for ParseError {}
