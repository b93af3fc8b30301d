//! Starts the real `s3err-gateway` binary for the interop tests.
//!
//! The binary is `$S3ERR_GATEWAY` if set, otherwise it is built once with
//! `cargo build --release -p s3err-gateway` in the repository root and
//! taken from `release/` in `$CARGO_TARGET_DIR` (relative to the repository
//! root, as cargo reads it there), or `target/release/`. Each [`Gateway`] runs its own process on
//! `127.0.0.1:0` over a fresh temp root, and is killed when dropped.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

/// The repository root (the library's and the gateway's workspace).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The gateway binary, built on first use.
pub fn gateway_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(p) = std::env::var_os("S3ERR_GATEWAY") {
            return PathBuf::from(p);
        }
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--release", "-p", "s3err-gateway"])
            .current_dir(repo_root())
            .status()
            .expect("run cargo build for s3err-gateway");
        assert!(status.success(), "building s3err-gateway failed");
        let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
            || repo_root().join("target"),
            |dir| repo_root().join(dir), // an absolute dir replaces the root
        );
        target.join("release/s3err-gateway")
    })
}

/// A running gateway.
pub struct Gateway {
    child: Child,
    /// Kept open so the gateway never writes to a closed pipe.
    _stdout: BufReader<std::process::ChildStdout>,
    /// The address it printed.
    pub addr: SocketAddr,
    /// Its `--root`.
    pub root: tempfile::TempDir,
}

impl Gateway {
    /// Starts a gateway with a bucket `bucket` under a fresh root, and
    /// `extra` arguments.
    pub fn start(extra: &[&str]) -> Gateway {
        let root = tempfile::tempdir().expect("temp root");
        std::fs::create_dir(root.path().join("bucket")).expect("bucket dir");
        let mut child = Command::new(gateway_bin())
            .arg("--root")
            .arg(root.path())
            .args(["--listen", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start s3err-gateway");
        let stdout = child.stdout.take().expect("stdout");
        let mut stdout = BufReader::new(stdout);
        let mut line = String::new();
        stdout.read_line(&mut line).expect("read the address line");
        let addr = line
            .trim()
            .rsplit("http://")
            .next()
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Gateway {
            child,
            _stdout: stdout,
            addr,
            root,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The number of S3 requests the gateway has served (needs `--test-routes`).
    pub fn requests(&self) -> u64 {
        self.counters().0
    }

    /// The number of PutObject bodies it received `aws-chunked`.
    pub fn chunked_puts(&self) -> u64 {
        self.counters().1
    }

    fn counters(&self) -> (u64, u64) {
        let (status, _, body) = raw(
            self.addr,
            b"GET /_s3err/requests HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        );
        assert_eq!(status, 200);
        let text = String::from_utf8(body).unwrap();
        let mut it = text.split(' ').map(|n| n.trim().parse().unwrap());
        (it.next().unwrap(), it.next().unwrap())
    }

    /// Every file left under the root (bucket contents and temp files),
    /// as paths relative to it, but the root's lock file.
    pub fn files(&self) -> Vec<String> {
        fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.file_name().is_some_and(|n| n == ".s3err-lock") {
                    continue;
                }
                if p.is_dir() {
                    walk(&p, base, out);
                } else {
                    out.push(p.strip_prefix(base).unwrap().display().to_string());
                }
            }
        }
        let mut out = Vec::new();
        walk(self.root.path(), self.root.path(), &mut out);
        out.sort();
        out
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends `request` as is on a new connection and reads until the server
/// closes it: (status, header lines lower-cased names, body). Status 0
/// means the server closed the connection without a response.
pub fn raw(addr: SocketAddr, request: &[u8]) -> (u16, Vec<(String, String)>, Vec<u8>) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    let _ = s.write_all(request);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    parse_response(&buf)
}

/// One HTTP/1.1 response, its head read by httparse: status, headers
/// (names lower-cased, values trimmed) and the bytes after the head;
/// status 0 when no complete, well-formed head was received.
pub fn parse_response(buf: &[u8]) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut head = httparse::Response::new(&mut headers);
    let (Ok(httparse::Status::Complete(end)), Some(status)) = (head.parse(buf), head.code) else {
        return (0, Vec::new(), Vec::new());
    };
    let headers = head
        .headers
        .iter()
        .map(|h| {
            let value = String::from_utf8_lossy(h.value).trim().to_owned();
            (h.name.to_ascii_lowercase(), value)
        })
        .collect();
    (status, headers, buf[end..].to_vec())
}

/// The value of header `name` (lower case).
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}
