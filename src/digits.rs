//! A `usize` in decimal, without allocating.

/// A `usize` in decimal, without allocating.
pub(crate) struct Digits {
    buf: [u8; 20],
    start: usize,
}

impl Digits {
    pub(crate) fn new(mut n: usize) -> Self {
        let mut buf = [b'0'; 20];
        let mut start = buf.len();
        while let Some(i) = start.checked_sub(1) {
            if let Some(b) = buf.get_mut(i) {
                // `n % 10` is below 10, so the cast and the add cannot overflow.
                *b = b'0' + (n % 10) as u8;
            }
            start = i;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        Digits { buf, start }
    }

    pub(crate) fn as_str(&self) -> &str {
        core::str::from_utf8(self.buf.get(self.start..).unwrap_or(&[])).unwrap_or("0")
    }
}

#[cfg(test)]
mod tests {
    use super::Digits;

    #[test]
    fn digits() {
        assert_eq!(Digits::new(0).as_str(), "0");
        assert_eq!(Digits::new(7).as_str(), "7");
        assert_eq!(Digits::new(1234).as_str(), "1234");
        assert_eq!(
            Digits::new(usize::MAX).as_str().len() as u32,
            usize::MAX.ilog10() + 1
        );
    }
}
