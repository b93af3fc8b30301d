//! The response body: bytes in memory, or a byte range of an open file
//! streamed in 64 KiB frames.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use hyper::body::{Bytes, Frame, SizeHint};
use tokio::io::{AsyncRead, ReadBuf};

const FRAME: usize = 64 * 1024;

/// A response body.
pub enum Body {
    /// In memory (error documents, empty bodies).
    Bytes(Option<Bytes>),
    /// `remaining` bytes of `file` from its current position.
    File {
        /// The open object.
        file: tokio::fs::File,
        /// Bytes still to send.
        remaining: u64,
    },
}

impl Body {
    /// A body of `bytes` (none when empty).
    pub fn bytes(bytes: impl Into<Bytes>) -> Self {
        let b: Bytes = bytes.into();
        Body::Bytes(if b.is_empty() { None } else { Some(b) })
    }

    /// No body.
    pub fn empty() -> Self {
        Body::Bytes(None)
    }
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        match &mut *self {
            Body::Bytes(b) => Poll::Ready(b.take().map(|b| Ok(Frame::data(b)))),
            Body::File { file, remaining } => {
                if *remaining == 0 {
                    return Poll::Ready(None);
                }
                let want = usize::try_from(*remaining).unwrap_or(FRAME).min(FRAME);
                let mut buf = vec![0u8; want];
                let mut rb = ReadBuf::new(&mut buf);
                match Pin::new(file).poll_read(cx, &mut rb) {
                    Poll::Pending => Poll::Pending,
                    Poll::Ready(Err(e)) => Poll::Ready(Some(Err(e))),
                    Poll::Ready(Ok(())) => {
                        let n = rb.filled().len();
                        if n == 0 {
                            // The file shrank under us: end the body short, and
                            // hyper closes the connection on the length mismatch.
                            return Poll::Ready(Some(Err(io::Error::new(
                                io::ErrorKind::UnexpectedEof,
                                "object shorter than announced",
                            ))));
                        }
                        buf.truncate(n);
                        *remaining -= n as u64;
                        Poll::Ready(Some(Ok(Frame::data(Bytes::from(buf)))))
                    }
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Body::Bytes(b) => b.is_none(),
            Body::File { remaining, .. } => *remaining == 0,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Bytes(b) => SizeHint::with_exact(b.as_ref().map_or(0, |b| b.len() as u64)),
            Body::File { remaining, .. } => SizeHint::with_exact(*remaining),
        }
    }
}
