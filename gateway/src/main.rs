//! `s3err-gateway`: a small anonymous S3 gateway over a local directory,
//! answering every error with an s3err document and its headers.
//! See `docs/gateway.md`.

mod body;
mod buckets;
mod checksum;
mod chunked;
mod delete_objects;
mod error;
mod layout;
mod listing;
mod meta;
mod multipart;
mod objects;
mod ops;
mod s3;
mod storage;
mod xml;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use clap::Parser;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;

/// A small anonymous S3 gateway over a local directory: each subdirectory
/// of --root is a bucket, holding its objects in the layout of
/// docs/gateway.md (path-style URLs `/{bucket}/{key}`). Errors are
/// rendered by s3err.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// The directory holding the buckets.
    #[arg(long, value_name = "DIR")]
    root: PathBuf,
    /// The address to listen on; with port 0 the bound address is printed.
    #[arg(long, value_name = "ADDR:PORT")]
    listen: SocketAddr,
    /// The region reported in `x-amz-bucket-region`.
    #[arg(long, default_value = "us-east-1")]
    region: String,
    /// The largest object PutObject accepts, in bytes (inclusive; S3's
    /// single-PUT limit by default).
    #[arg(long, value_name = "BYTES", default_value_t = 5 * 1024 * 1024 * 1024)]
    max_object_size: u64,
    /// Answer `SlowDown` to requests beyond N per second (a fixed
    /// one-second window; 0 refuses every request).
    #[arg(long, value_name = "N")]
    max_rps: Option<u32>,
    /// An upload whose body sends nothing for this many seconds gets
    /// `RequestTimeout`; so does one slower than --min-body-rate once it
    /// has lasted this long.
    #[arg(long, value_name = "SECS", default_value_t = 20.0)]
    request_timeout: f64,
    /// The slowest average rate of an upload body, in bytes per second,
    /// enforced once it has lasted --request-timeout.
    #[arg(long, value_name = "BYTES", default_value_t = 1024)]
    min_body_rate: u64,
    /// At most N connections are served at once; more wait in the
    /// listen queue.
    #[arg(long, value_name = "N", default_value_t = 1024)]
    max_connections: usize,
    /// Remove multipart uploads initiated more than DAYS days ago and
    /// neither completed nor aborted (as S3's lifecycle action
    /// AbortIncompleteMultipartUpload), at start-up and every hour. Off
    /// by default, as in S3 without a lifecycle rule.
    #[arg(long, value_name = "DAYS")]
    abort_incomplete_uploads_after: Option<u32>,
    /// Testing only: look for abandoned uploads every SECS seconds
    /// instead of every hour.
    #[arg(long, value_name = "SECS", default_value_t = 3600, hide = true)]
    abort_incomplete_uploads_every: u64,
    /// The log level (error, warn, info, debug, trace) when RUST_LOG is
    /// not set; info logs one line per request on stderr.
    #[arg(long, value_name = "LEVEL", default_value = "info")]
    log_level: String,
    /// Testing only: `GET /_s3err/requests` gives the number of S3
    /// requests served and of aws-chunked uploads (`N M`), and a request with `x-s3err-test-error: CODE`
    /// is answered with that error through the normal error path.
    #[arg(long, hide = true)]
    test_routes: bool,
}

/// A fixed-window request limiter.
struct Limiter {
    max: u32,
    start: Instant,
    window: Mutex<(u64, u32)>,
}

impl Limiter {
    fn allow(&self) -> bool {
        let sec = self.start.elapsed().as_secs();
        let Ok(mut w) = self.window.lock() else {
            return false;
        };
        if w.0 != sec {
            *w = (sec, 0);
        }
        w.1 = w.1.saturating_add(1);
        w.1 <= self.max
    }
}

/// What every request handler shares.
pub struct State {
    /// The storage layer over the root.
    pub store: Arc<storage::Store>,
    /// `x-amz-bucket-region`.
    pub region: String,
    /// Inclusive PutObject size limit.
    pub max_object_size: u64,
    /// `--request-timeout`.
    pub request_timeout: Duration,
    /// `--min-body-rate`.
    pub min_body_rate: u64,
    limiter: Option<Limiter>,
    /// Test routes enabled.
    pub test_routes: bool,
    /// S3 requests seen (test routes excluded).
    pub requests: AtomicU64,
    /// PutObject bodies received `aws-chunked`.
    pub chunked_puts: AtomicU64,
    ids: AtomicU64,
    id_base: u64,
}

impl State {
    /// A fresh request id: 16 upper-case hex digits, unique in this process.
    pub fn next_request_id(&self) -> String {
        let n = self.ids.fetch_add(1, Ordering::Relaxed);
        // An odd multiplier is a bijection on u64: distinct n, distinct ids.
        format!(
            "{:016X}",
            self.id_base ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        )
    }

    /// Whether the rate limit lets this request through.
    pub fn allow(&self) -> bool {
        self.limiter.as_ref().is_none_or(Limiter::allow)
    }
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let directives = std::env::var("RUST_LOG")
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| args.log_level.clone());
    let filter: tracing_subscriber::filter::Targets = match directives.parse() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("s3err-gateway: log level {directives:?}: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    {
        use tracing_subscriber::layer::SubscriberExt;
        use tracing_subscriber::util::SubscriberInitExt;
        tracing_subscriber::registry()
            .with(
                tracing_subscriber::fmt::layer()
                    .with_writer(std::io::stderr)
                    .with_target(false)
                    .with_ansi(false),
            )
            .with(filter)
            .init();
    }
    let root = match std::fs::canonicalize(&args.root) {
        Ok(r) if r.is_dir() => r,
        Ok(r) => {
            eprintln!("s3err-gateway: --root {} is not a directory", r.display());
            return std::process::ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("s3err-gateway: --root {}: {e}", args.root.display());
            return std::process::ExitCode::FAILURE;
        }
    };
    // A 1,024-byte key's path holds up to about 2,100 bytes below the
    // root; PATH_MAX is 4,096.
    if root.as_os_str().len() > 1024 {
        eprintln!(
            "s3err-gateway: --root {} is longer than 1,024 bytes",
            root.display()
        );
        return std::process::ExitCode::FAILURE;
    }
    if args.max_connections == 0 {
        eprintln!("s3err-gateway: --max-connections must be at least 1");
        return std::process::ExitCode::FAILURE;
    }
    if !(args.request_timeout > 0.0 && args.request_timeout < 1e9) {
        eprintln!("s3err-gateway: --request-timeout must be a positive number of seconds");
        return std::process::ExitCode::FAILURE;
    }
    if args.abort_incomplete_uploads_after == Some(0) {
        eprintln!("s3err-gateway: --abort-incomplete-uploads-after must be at least 1 day");
        return std::process::ExitCode::FAILURE;
    }
    let store = match storage::Store::new(root) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!("s3err-gateway: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    // Seconds after its initiation an upload is removed.
    let abort_after = args
        .abort_incomplete_uploads_after
        .map(|days| i64::from(days) * 86_400);
    if let Some(max_age) = abort_after {
        // Before serving, so that an upload past the limit is never
        // served again.
        match store.abort_incomplete_now(max_age) {
            Ok(n) => tracing::info!(
                "removed {n} multipart uploads initiated over {} days ago",
                max_age / 86_400
            ),
            Err(e) => {
                eprintln!("s3err-gateway: cannot remove abandoned multipart uploads: {e}");
                return std::process::ExitCode::FAILURE;
            }
        }
    }
    let id_base = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let state = Arc::new(State {
        store,
        region: args.region,
        max_object_size: args.max_object_size,
        request_timeout: Duration::from_secs_f64(args.request_timeout),
        min_body_rate: args.min_body_rate,
        limiter: args.max_rps.map(|max| Limiter {
            max,
            start: Instant::now(),
            window: Mutex::new((0, 0)),
        }),
        test_routes: args.test_routes,
        requests: AtomicU64::new(0),
        chunked_puts: AtomicU64::new(0),
        ids: AtomicU64::new(0),
        id_base,
    });
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("s3err-gateway: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    if let Some(max_age) = abort_after {
        let store = state.store.clone();
        rt.spawn(async move {
            let period = Duration::from_secs(args.abort_incomplete_uploads_every.max(1));
            let mut every = tokio::time::interval(period);
            // The first tick is now: the start-up pass has just run.
            every.tick().await;
            loop {
                every.tick().await;
                match store.abort_incomplete(max_age).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(
                        "removed {n} multipart uploads initiated over {} days ago",
                        max_age / 86_400
                    ),
                    Err(e) => tracing::error!("removing abandoned multipart uploads: {e}"),
                }
            }
        });
    }
    match rt.block_on(serve(state, args.listen, args.max_connections)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("s3err-gateway: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve(
    state: Arc<State>,
    listen: SocketAddr,
    max_connections: usize,
) -> std::io::Result<()> {
    let listener = TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    // The interop tests read this line to find the port.
    println!("s3err-gateway listening on http://{addr}");
    tracing::info!(
        "root {}, region {}, at most {max_connections} connections",
        state.store.root().display(),
        state.region
    );
    let permits = Arc::new(tokio::sync::Semaphore::new(max_connections));
    loop {
        // A connection beyond the bound waits in the listen queue until
        // one ends.
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => return Ok(()),
            },
            _ = tokio::signal::ctrl_c() => return Ok(()),
        };
        let (stream, _) = tokio::select! {
            r = listener.accept() => match r {
                Ok(c) => c,
                Err(e) => {
                    // e.g. too many open files: wait, keep serving.
                    tracing::warn!("accept: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = tokio::signal::ctrl_c() => return Ok(()),
        };
        let state = state.clone();
        tokio::spawn(async move {
            let svc = service_fn(move |req| {
                let state = state.clone();
                async move { Ok::<_, std::convert::Infallible>(s3::handle(&state, req).await) }
            });
            // hyper answers a malformed request line or header block with
            // 400 (431 for one too large) and closes the connection; the
            // application checks the head's size again (s3::MAX_HEAD).
            let conn = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(Duration::from_secs(10))
                .max_buf_size(s3::MAX_HEAD)
                .serve_connection(TokioIo::new(stream), svc);
            let _ = conn.await;
            drop(permit);
        });
    }
}
