//! A small HTTP/1.1 client: one request at a time on a keep-alive
//! connection, bodies framed by `Content-Length` (or by the end of the
//! connection), every byte read into a fixed buffer. Whatever the server
//! sends, the answer is a response or an [`HttpError`] saying what went
//! wrong; no input can make it panic or wait past the network's timeout.

use core::fmt::Write as _;

use smoltcp::wire::IpEndpoint;

use crate::net::{Net, TcpError};
use crate::sizes::{BODY_LEN, DISCARD_MAX, HEAD_LEN};

/// The request methods the device uses.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Method {
    /// GetObject.
    Get,
    /// PutObject (and CopyObject, with `x-amz-copy-source`).
    Put,
    /// HeadObject.
    Head,
    /// DeleteObject.
    Delete,
}

impl defmt::Format for Method {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "{=str}", self.as_str());
    }
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Head => "HEAD",
            Method::Delete => "DELETE",
        }
    }
}

/// One request.
pub struct Request<'a> {
    /// The method.
    pub method: Method,
    /// `/bucket/key`, already percent-encoded where needed.
    pub path: &'a str,
    /// Extra header lines.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body (sent with its `Content-Length`).
    pub body: &'a [u8],
}

/// A complete answer.
pub struct Response<'a> {
    /// The status code.
    pub status: u16,
    /// The `Content-Length` header (for HEAD: the object's size).
    pub content_length: Option<usize>,
    /// The body (empty for HEAD, 204 and 304).
    pub body: &'a [u8],
}

/// Why no complete answer was read.
#[derive(Clone, Copy, PartialEq, Eq, Debug, defmt::Format)]
pub enum HttpError {
    /// Connecting, sending or waiting failed (refused, reset, timeout).
    Tcp(TcpError),
    /// The request's head does not fit in its buffer.
    RequestTooLarge,
    /// The connection ended before the end of the response head.
    ClosedInHead { received: usize },
    /// The response head does not fit in its buffer.
    HeadTooLarge,
    /// The status line or a header is not HTTP.
    MalformedHead,
    /// The body is framed by `Transfer-Encoding`, which this client does
    /// not read.
    UnsupportedFraming { status: u16 },
    /// The body is longer than the device's body buffer (`None`: no
    /// `Content-Length`, read until the buffer was full).
    BodyTooLarge { status: u16, length: Option<usize> },
    /// The connection ended before the `Content-Length` bytes arrived.
    ClosedInBody {
        status: u16,
        received: usize,
        expected: usize,
    },
}

impl HttpError {
    /// The answer's status, when its head was read.
    pub fn status(&self) -> Option<u16> {
        match *self {
            HttpError::UnsupportedFraming { status }
            | HttpError::BodyTooLarge { status, .. }
            | HttpError::ClosedInBody { status, .. } => Some(status),
            _ => None,
        }
    }

    /// Whether this is a timeout (the SDKs' retry quota charges more).
    pub fn is_timeout(&self) -> bool {
        matches!(self, HttpError::Tcp(TcpError::Timeout))
    }
}

impl From<TcpError> for HttpError {
    fn from(e: TcpError) -> Self {
        HttpError::Tcp(e)
    }
}

/// The buffers the client owns (part of `Memory` in main.rs).
pub struct HttpMemory {
    head: [u8; HEAD_LEN],
    body: [u8; BODY_LEN],
}

impl HttpMemory {
    /// All zero, for a static.
    pub const fn new() -> Self {
        HttpMemory {
            head: [0; HEAD_LEN],
            body: [0; BODY_LEN],
        }
    }
}

/// The client: the network and its two buffers.
pub struct Client {
    /// The network, for back-offs (they keep it running).
    pub net: Net,
    head: &'static mut [u8; HEAD_LEN],
    body: &'static mut [u8; BODY_LEN],
}

/// `core::fmt::Write` into a byte slice; fails when full.
struct Cursor<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl core::fmt::Write for Cursor<'_> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(core::fmt::Error)?;
        self.buf
            .get_mut(self.len..end)
            .ok_or(core::fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// The head as read: status, framing, connection.
struct Head {
    status: u16,
    content_length: Option<usize>,
    framed: bool,
    close: bool,
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn parse_decimal(s: &[u8]) -> Option<usize> {
    if s.is_empty() || s.len() > 9 || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0, |n, &d| n * 10 + usize::from(d - b'0')))
}

fn trim(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(start, |e| e + 1);
    &s[start..end]
}

/// Parses `HTTP/1.x NNN reason` and the header lines (no final blank line).
fn parse_head(head: &[u8]) -> Result<Head, HttpError> {
    let mut lines = head
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let status_line = lines.next().ok_or(HttpError::MalformedHead)?;
    let rest = status_line
        .strip_prefix(b"HTTP/1.1 ")
        .or_else(|| status_line.strip_prefix(b"HTTP/1.0 "))
        .ok_or(HttpError::MalformedHead)?;
    let code = rest.get(..3).ok_or(HttpError::MalformedHead)?;
    let status = parse_decimal(code)
        .filter(|s| (100..=599).contains(s))
        .ok_or(HttpError::MalformedHead)? as u16;
    let mut h = Head {
        status,
        content_length: None,
        framed: false,
        close: status_line.starts_with(b"HTTP/1.0"),
    };
    for line in lines.filter(|l| !l.is_empty()) {
        let colon = line
            .iter()
            .position(|&b| b == b':')
            .ok_or(HttpError::MalformedHead)?;
        let (name, value) = (&line[..colon], trim(&line[colon + 1..]));
        if name.eq_ignore_ascii_case(b"content-length") {
            let n = parse_decimal(value).ok_or(HttpError::MalformedHead)?;
            if h.content_length.is_some_and(|m| m != n) {
                return Err(HttpError::MalformedHead);
            }
            h.content_length = Some(n);
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            h.framed |= !value.eq_ignore_ascii_case(b"identity");
        } else if name.eq_ignore_ascii_case(b"connection") {
            h.close |= value.eq_ignore_ascii_case(b"close");
        }
    }
    Ok(h)
}

impl Client {
    /// A client over the network, with its buffers.
    pub fn new(net: Net, mem: &'static mut HttpMemory) -> Client {
        let HttpMemory { head, body } = mem;
        Client { net, head, body }
    }

    /// Sends `req` to `remote` and reads the whole answer. On an error the
    /// connection is closed (its state is unknown), except after a body
    /// too large that could be read past.
    pub fn exchange(
        &mut self,
        remote: IpEndpoint,
        req: &Request<'_>,
    ) -> Result<Response<'_>, HttpError> {
        match self.exchange_inner(remote, req) {
            Ok((head, len)) => {
                if head.close {
                    self.net.close();
                }
                Ok(Response {
                    status: head.status,
                    content_length: head.content_length,
                    body: &self.body[..len],
                })
            }
            Err((e, keep)) => {
                if !keep {
                    self.net.close();
                }
                Err(e)
            }
        }
    }

    /// The exchange; an error comes with whether the connection is still
    /// usable.
    fn exchange_inner(
        &mut self,
        remote: IpEndpoint,
        req: &Request<'_>,
    ) -> Result<(Head, usize), (HttpError, bool)> {
        let fail = |e: HttpError| (e, false);
        let head_len = self.write_head(remote, req).map_err(fail)?;
        self.net.connect(remote).map_err(|e| fail(e.into()))?;
        self.net
            .send_all(&self.head[..head_len])
            .map_err(|e| fail(e.into()))?;
        self.net.send_all(req.body).map_err(|e| fail(e.into()))?;

        // The head, and whatever part of the body came with it.
        let mut filled = 0;
        let head_end = loop {
            if let Some(at) = find(&self.head[..filled], b"\r\n\r\n") {
                break at + 4;
            }
            if filled == HEAD_LEN {
                return Err(fail(HttpError::HeadTooLarge));
            }
            match self
                .net
                .recv(&mut self.head[filled..])
                .map_err(|e| fail(e.into()))?
            {
                0 => return Err(fail(HttpError::ClosedInHead { received: filled })),
                n => filled += n,
            }
        };
        let head = parse_head(&self.head[..head_end - 4]).map_err(fail)?;
        let early = filled - head_end;
        let status = head.status;

        let no_body =
            req.method == Method::Head || status / 100 == 1 || status == 204 || status == 304;
        if no_body {
            // Bytes after a body-less answer: the connection is out of step.
            return if early == 0 {
                Ok((head, 0))
            } else {
                Err(fail(HttpError::MalformedHead))
            };
        }
        if head.framed {
            return Err(fail(HttpError::UnsupportedFraming { status }));
        }
        match head.content_length {
            Some(length) if length > BODY_LEN => {
                // Read past it if that is cheap, to keep the connection.
                let keep = length <= DISCARD_MAX && early <= length && self.discard(length - early);
                Err((
                    HttpError::BodyTooLarge {
                        status,
                        length: Some(length),
                    },
                    keep,
                ))
            }
            Some(length) => {
                if early > length {
                    return Err(fail(HttpError::MalformedHead));
                }
                self.body[..early].copy_from_slice(&self.head[head_end..filled]);
                let mut got = early;
                while got < length {
                    match self
                        .net
                        .recv(&mut self.body[got..length])
                        .map_err(|e| fail(e.into()))?
                    {
                        0 => {
                            return Err(fail(HttpError::ClosedInBody {
                                status,
                                received: got,
                                expected: length,
                            }));
                        }
                        n => got += n,
                    }
                }
                Ok((head, length))
            }
            None => {
                // Framed by the end of the connection.
                if early > BODY_LEN {
                    return Err(fail(HttpError::BodyTooLarge {
                        status,
                        length: None,
                    }));
                }
                self.body[..early].copy_from_slice(&self.head[head_end..filled]);
                let mut got = early;
                loop {
                    if got == BODY_LEN {
                        return Err(fail(HttpError::BodyTooLarge {
                            status,
                            length: None,
                        }));
                    }
                    match self
                        .net
                        .recv(&mut self.body[got..])
                        .map_err(|e| fail(e.into()))?
                    {
                        0 => {
                            return Ok((
                                Head {
                                    close: true,
                                    ..head
                                },
                                got,
                            ));
                        }
                        n => got += n,
                    }
                }
            }
        }
    }

    /// Writes the request head into the head buffer; returns its length.
    fn write_head(&mut self, remote: IpEndpoint, req: &Request<'_>) -> Result<usize, HttpError> {
        let mut w = Cursor {
            buf: &mut self.head[..],
            len: 0,
        };
        let written = (|| {
            write!(
                w,
                "{} {} HTTP/1.1\r\nHost: {}\r\n",
                req.method.as_str(),
                req.path,
                remote.addr
            )?;
            if req.method == Method::Put || !req.body.is_empty() {
                write!(w, "Content-Length: {}\r\n", req.body.len())?;
            }
            for (name, value) in req.headers {
                write!(w, "{name}: {value}\r\n")?;
            }
            w.write_str("\r\n")
        })();
        written.map_err(|_| HttpError::RequestTooLarge)?;
        Ok(w.len)
    }

    /// Reads and drops `n` bytes; false if the connection failed first.
    fn discard(&mut self, mut n: usize) -> bool {
        while n > 0 {
            let chunk = n.min(BODY_LEN);
            match self.net.recv(&mut self.body[..chunk]) {
                Ok(0) | Err(_) => return false,
                Ok(got) => n -= got,
            }
        }
        true
    }
}
