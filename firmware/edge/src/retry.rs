//! Retrying as the AWS SDKs' *standard* retry mode does (botocore's
//! `botocore/retries/standard.py` and `quota.py`, the boto3 guide
//! "Retries"):
//!
//! - at most 3 attempts in all (the first and two retries);
//! - before retry `i` (1-based), a delay drawn uniformly from
//!   `[0, min(1 s × 2^(i-1), 20 s))`: "full jitter" on a base-2 exponential
//!   capped at 20 s;
//! - a retry quota: 500 tokens, a retry costs 5 (10 after a timeout), a
//!   success gives back what its retry took, or 1 if it needed none; with
//!   too few tokens the error is reported without retrying;
//! - what is retried: throttling and transient errors (s3err's `Retry`),
//!   and connection errors (refused, reset, closed mid-answer, timeout),
//!   which the SDKs count as transient.
//!
//! The jitter comes from a xorshift32 generator with a fixed seed, so every
//! run draws the same delays (a product would seed it from a hardware
//! source). Delays are real time: the gateway's `--max-rps` window is a
//! real second.

use crate::http::{Client, HttpError};
use crate::s3::Retry;

/// Attempts in all, the first included.
pub const MAX_ATTEMPTS: u8 = 3;
/// The first retry's delay bound; each later one doubles it.
const BASE_MS: u64 = 1000;
/// No delay bound beyond this.
const MAX_BACKOFF_MS: u64 = 20_000;
/// The retry quota's tokens at start.
const QUOTA: u16 = 500;
/// Tokens a retry costs.
const RETRY_COST: u16 = 5;
/// Tokens a retry after a timeout costs.
const TIMEOUT_RETRY_COST: u16 = 10;
/// Tokens a success without retry gives back.
const NO_RETRY_INCREMENT: u16 = 1;
/// The jitter generator's seed (any non-zero value).
const SEED: u32 = 0x5EED_0022;

/// A completed exchange the operation accepted.
#[derive(Clone, Copy, Debug)]
pub struct Done {
    /// The status code.
    pub status: u16,
    /// The `Content-Length` header.
    pub content_length: Option<usize>,
    /// For a read compared with what was stored: whether it matched.
    pub body_matches: Option<bool>,
}

/// One failed attempt: what came back and how to react.
#[derive(Clone, Copy, Debug)]
pub struct Failed {
    /// The answer's status, when one was read.
    pub status: Option<u16>,
    /// The S3 error code's name, when s3err knows it.
    pub code: Option<&'static str>,
    /// How to react.
    pub retry: Retry,
    /// The transport's error, when no complete answer was read.
    pub transport: Option<HttpError>,
}

/// Why the device stopped retrying.
#[derive(Clone, Copy, PartialEq, Eq, Debug, defmt::Format)]
pub enum Stop {
    /// The error is not worth a retry.
    NotRetryable,
    /// [`MAX_ATTEMPTS`] were made.
    Attempts,
    /// The retry quota was spent.
    Quota,
}

/// What an operation came to.
#[derive(Clone, Copy, Debug)]
pub struct Report {
    /// Attempts made.
    pub attempts: u8,
    /// Attempts answered with a throttling error.
    pub throttled: u8,
    /// The accepted answer, or the last failure and why retrying stopped.
    pub result: Result<Done, (Failed, Stop)>,
}

/// The retry policy's state: jitter generator and quota.
pub struct Retrier {
    rng: u32,
    quota: u16,
}

impl Retrier {
    /// A full quota and the generator at its seed.
    pub const fn new() -> Self {
        Retrier {
            rng: SEED,
            quota: QUOTA,
        }
    }

    /// The next value of xorshift32 (Marsaglia's 13/17/5 triple).
    fn next(&mut self) -> u32 {
        let mut x = self.rng;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.rng = x;
        x
    }

    /// The delay before retry `retry` (1-based), in milliseconds.
    fn backoff_ms(&mut self, retry: u8) -> u64 {
        let bound = (BASE_MS << (retry - 1)).min(MAX_BACKOFF_MS);
        (u64::from(self.next()) * bound) >> 32
    }

    /// Runs `attempt` until it succeeds, fails for good, or runs out of
    /// attempts or quota, backing off between attempts (the network keeps
    /// running meanwhile).
    pub fn run(
        &mut self,
        client: &mut Client,
        mut attempt: impl FnMut(&mut Client) -> Result<Done, Failed>,
    ) -> Report {
        let mut throttled = 0;
        let mut taken = None;
        let mut n = 1;
        loop {
            let failed = match attempt(client) {
                Ok(done) => {
                    self.quota = self
                        .quota
                        .saturating_add(taken.unwrap_or(NO_RETRY_INCREMENT))
                        .min(QUOTA);
                    return Report {
                        attempts: n,
                        throttled,
                        result: Ok(done),
                    };
                }
                Err(failed) => failed,
            };
            if failed.retry == Retry::Throttle {
                throttled += 1;
            }
            let stop = if failed.retry == Retry::Never {
                Some(Stop::NotRetryable)
            } else if n >= MAX_ATTEMPTS {
                Some(Stop::Attempts)
            } else {
                let cost = if failed.transport.is_some_and(|t| t.is_timeout()) {
                    TIMEOUT_RETRY_COST
                } else {
                    RETRY_COST
                };
                match self.quota.checked_sub(cost) {
                    Some(left) => {
                        self.quota = left;
                        taken = Some(cost);
                        None
                    }
                    None => Some(Stop::Quota),
                }
            };
            if let Some(stop) = stop {
                defmt::info!("attempt {=u8}: giving up ({})", n, stop);
                return Report {
                    attempts: n,
                    throttled,
                    result: Err((failed, stop)),
                };
            }
            let delay = self.backoff_ms(n);
            defmt::info!(
                "attempt {=u8}: {} error, retrying in {=u64} ms",
                n,
                failed.retry,
                delay
            );
            client.net.sleep_ms(delay);
            n += 1;
        }
    }
}
