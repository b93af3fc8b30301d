//! Decoder of the `aws-chunked` content encoding, which the AWS SDKs use
//! for streaming uploads with a trailing checksum:
//!
//! ```text
//! hex-size[;chunk-signature=…]\r\n <size bytes> \r\n
//! …
//! 0[;chunk-signature=…]\r\n
//! x-amz-checksum-crc32:base64\r\n   (trailers, optional)
//! \r\n
//! ```
//!
//! Chunk signatures and the trailer signature are read and ignored (the
//! gateway is anonymous). Every length is bounded: a line may hold at most
//! [`MAX_LINE`] bytes and there may be at most [`MAX_TRAILERS`] trailers.

/// The longest size or trailer line accepted, CRLF excluded.
pub const MAX_LINE: usize = 4096;
/// The most trailer lines accepted.
pub const MAX_TRAILERS: usize = 16;

/// What is wrong with an `aws-chunked` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChunkError {
    /// The body ended before the final chunk and its blank line.
    Incomplete,
    /// The encoding is malformed: what, and at which byte of the body.
    Malformed(&'static str, u64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Reading a size line.
    Size,
    /// Reading chunk data: this many bytes left.
    Data(u64),
    /// Expecting the CRLF after chunk data: how many of its 2 bytes were seen.
    DataEnd(u8),
    /// Reading trailer lines until a blank one.
    Trailer,
    /// The blank line after the trailers was read.
    Done,
}

/// Trailer lines: lower-case name, trimmed value.
pub type Trailers = Vec<(String, String)>;

/// Incremental decoder: feed it the body as it arrives.
#[derive(Debug)]
pub struct AwsChunked {
    state: State,
    line: Vec<u8>,
    /// Byte offset in the encoded body of the next input byte.
    pos: u64,
    trailers: Trailers,
}

impl Default for AwsChunked {
    fn default() -> Self {
        Self::new()
    }
}

impl AwsChunked {
    /// A decoder at the start of a body.
    pub fn new() -> Self {
        AwsChunked {
            state: State::Size,
            line: Vec::new(),
            pos: 0,
            trailers: Vec::new(),
        }
    }

    /// Decodes `input`, appending chunk data to `out`.
    pub fn feed(&mut self, mut input: &[u8], out: &mut Vec<u8>) -> Result<(), ChunkError> {
        while let Some((&first, _)) = input.split_first() {
            match self.state {
                State::Data(left) => {
                    let take = usize::try_from(left).unwrap_or(usize::MAX).min(input.len());
                    let (data, rest) = input.split_at(take);
                    out.extend_from_slice(data);
                    input = rest;
                    self.pos += take as u64;
                    let left = left - take as u64;
                    self.state = if left == 0 {
                        State::DataEnd(0)
                    } else {
                        State::Data(left)
                    };
                }
                State::DataEnd(seen) => {
                    let want = if seen == 0 { b'\r' } else { b'\n' };
                    if first != want {
                        return Err(ChunkError::Malformed(
                            "chunk data not followed by CRLF",
                            self.pos,
                        ));
                    }
                    input = &input[1..];
                    self.pos += 1;
                    self.state = if seen == 0 {
                        State::DataEnd(1)
                    } else {
                        State::Size
                    };
                }
                State::Size | State::Trailer => {
                    let Some(nl) = input.iter().position(|&b| b == b'\n') else {
                        self.push_line(input)?;
                        self.pos += input.len() as u64;
                        return Ok(());
                    };
                    let line_start = self.pos.saturating_sub(self.line.len() as u64);
                    self.push_line(&input[..nl])?;
                    input = &input[nl + 1..];
                    self.pos += nl as u64 + 1;
                    let line = std::mem::take(&mut self.line);
                    let Some(line) = line.strip_suffix(b"\r") else {
                        return Err(ChunkError::Malformed("line not ended by CRLF", line_start));
                    };
                    self.end_line(line, line_start)?;
                }
                State::Done => {
                    return Err(ChunkError::Malformed(
                        "data after the final chunk",
                        self.pos,
                    ));
                }
            }
        }
        Ok(())
    }

    fn push_line(&mut self, part: &[u8]) -> Result<(), ChunkError> {
        // + 1 for the CR that ends the line.
        if self.line.len() + part.len() > MAX_LINE + 1 {
            return Err(ChunkError::Malformed("line too long", self.pos));
        }
        self.line.extend_from_slice(part);
        Ok(())
    }

    fn end_line(&mut self, line: &[u8], at: u64) -> Result<(), ChunkError> {
        if self.state == State::Size {
            let hex = line.split(|&b| b == b';').next().unwrap_or(&[]);
            if hex.is_empty() || hex.len() > 16 {
                return Err(ChunkError::Malformed("bad chunk size", at));
            }
            let mut size: u64 = 0;
            for &b in hex {
                let d = (b as char)
                    .to_digit(16)
                    .ok_or(ChunkError::Malformed("bad chunk size", at))?;
                size = (size << 4) | u64::from(d);
            }
            self.state = if size == 0 {
                State::Trailer
            } else {
                State::Data(size)
            };
            return Ok(());
        }
        // A trailer line, or the blank line that ends the body.
        if line.is_empty() {
            self.state = State::Done;
            return Ok(());
        }
        if self.trailers.len() >= MAX_TRAILERS {
            return Err(ChunkError::Malformed("too many trailers", at));
        }
        let text = std::str::from_utf8(line)
            .map_err(|_| ChunkError::Malformed("trailer is not UTF-8", at))?;
        let (name, value) = text
            .split_once(':')
            .ok_or(ChunkError::Malformed("trailer without ':'", at))?;
        self.trailers
            .push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        Ok(())
    }

    /// Checks the body is complete; returns its trailers (lower-case names).
    pub fn finish(self) -> Result<Trailers, ChunkError> {
        if self.state == State::Done {
            Ok(self.trailers)
        } else {
            Err(ChunkError::Incomplete)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_in_pieces(body: &[u8], piece: usize) -> Result<(Vec<u8>, Trailers), ChunkError> {
        let mut d = AwsChunked::new();
        let mut out = Vec::new();
        for p in body.chunks(piece.max(1)) {
            d.feed(p, &mut out)?;
        }
        Ok((out, d.finish()?))
    }

    #[test]
    fn signed_body_with_trailer() {
        let body = b"5;chunk-signature=abc\r\nhello\r\n6;chunk-signature=def\r\n world\r\n0;chunk-signature=0\r\nx-amz-checksum-crc32:DUoRhQ==\r\nx-amz-trailer-signature:ff\r\n\r\n";
        for piece in 1..=body.len() {
            let (data, trailers) = decode_in_pieces(body, piece).unwrap();
            assert_eq!(data, b"hello world");
            assert_eq!(
                trailers,
                [
                    ("x-amz-checksum-crc32".to_string(), "DUoRhQ==".to_string()),
                    ("x-amz-trailer-signature".to_string(), "ff".to_string())
                ]
            );
        }
    }

    #[test]
    fn refusals() {
        let cases: &[(&[u8], ChunkError)] = &[
            (b"5\r\nhel", ChunkError::Incomplete),
            (b"5\r\nhello\r\n0\r\n", ChunkError::Incomplete),
            (b"z\r\n", ChunkError::Malformed("bad chunk size", 0)),
            (b"\r\n", ChunkError::Malformed("bad chunk size", 0)),
            (
                b"11111111111111111\r\n",
                ChunkError::Malformed("bad chunk size", 0),
            ),
            (
                b"2\r\nabXY",
                ChunkError::Malformed("chunk data not followed by CRLF", 5),
            ),
            (b"2\nab", ChunkError::Malformed("line not ended by CRLF", 0)),
            (
                b"0\r\nbad trailer\r\n\r\n",
                ChunkError::Malformed("trailer without ':'", 3),
            ),
            (
                b"0\r\n\r\nextra",
                ChunkError::Malformed("data after the final chunk", 5),
            ),
        ];
        for (body, want) in cases {
            assert_eq!(
                decode_in_pieces(body, 3).unwrap_err(),
                *want,
                "{:?}",
                String::from_utf8_lossy(body)
            );
        }
        let long = [b'1'; MAX_LINE + 10];
        assert_eq!(
            decode_in_pieces(&long, 100).unwrap_err(),
            ChunkError::Malformed("line too long", 4000)
        );
    }
}
