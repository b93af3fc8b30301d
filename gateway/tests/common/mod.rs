//! Starts the gateway binary of this package and speaks raw HTTP/1.1 to
//! it over std sockets.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running gateway over a fresh root holding the bucket `bucket`.
pub struct Gateway {
    pub child: Child,
    _stdout: BufReader<std::process::ChildStdout>,
    pub addr: SocketAddr,
    pub root: PathBuf,
    /// Its stderr (the log), as a file.
    pub log: PathBuf,
    _dir: TempDir,
}

/// A directory removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let p = std::env::temp_dir().join(format!(
            "s3err-gw-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// This package's binary, or `$S3ERR_GATEWAY_UNDER_TEST` (to show that a
/// test fails against another build).
pub fn bin() -> String {
    std::env::var("S3ERR_GATEWAY_UNDER_TEST")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_s3err-gateway").to_string())
}

impl Gateway {
    pub fn start(extra: &[&str]) -> Gateway {
        Self::start_with(&[], extra)
    }

    /// Starts the gateway as the last arguments of `wrapper` (e.g. strace).
    pub fn start_with(wrapper: &[&str], extra: &[&str]) -> Gateway {
        let dir = TempDir::new("gw");
        let root = dir.0.join("root");
        std::fs::create_dir_all(root.join("bucket")).unwrap();
        Self::start_on(dir, root, wrapper, extra)
    }

    pub fn start_on(dir: TempDir, root: PathBuf, wrapper: &[&str], extra: &[&str]) -> Gateway {
        let log = dir.0.join(format!("log-{}", std::process::id()));
        let mut cmd = match wrapper.split_first() {
            Some((first, rest)) => {
                let mut c = Command::new(first);
                c.args(rest).arg(bin());
                c
            }
            None => Command::new(bin()),
        };
        let mut child = cmd
            .env_remove("RUST_LOG")
            .arg("--root")
            .arg(&root)
            .args(["--listen", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("start s3err-gateway");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let addr = line
            .trim()
            .rsplit("http://")
            .next()
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| {
                panic!(
                    "no address in {line:?}; log: {}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                )
            });
        Gateway {
            child,
            _stdout: stdout,
            addr,
            root,
            log,
            _dir: dir,
        }
    }

    pub fn bucket(&self) -> PathBuf {
        self.root.join("bucket")
    }

    /// Sends a request and reads the whole response (`Connection: close`
    /// is added).
    pub fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
        let mut req = format!("{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
        let mut has_len = false;
        for (n, v) in headers {
            has_len |= n.eq_ignore_ascii_case("content-length")
                || n.eq_ignore_ascii_case("transfer-encoding");
            req.push_str(&format!("{n}: {v}\r\n"));
        }
        if !has_len && (method == "PUT" || !body.is_empty()) {
            req.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        req.push_str("\r\n");
        let mut bytes = req.into_bytes();
        bytes.extend_from_slice(body);
        raw(self.addr, &bytes)
    }

    pub fn put(&self, key: &str, body: &[u8], headers: &[(&str, &str)]) -> Resp {
        self.send("PUT", &format!("/bucket/{key}"), headers, body)
    }

    pub fn get(&self, key: &str, headers: &[(&str, &str)]) -> Resp {
        self.send("GET", &format!("/bucket/{key}"), headers, b"")
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        // Under a wrapper (strace), the gateway is the wrapper's child,
        // and a killed strace leaves its tracee running: kill it first.
        let pid = self.child.id();
        let children =
            std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
        for c in children.split_whitespace() {
            let _ = Command::new("kill").args(["-9", c]).status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response: status, headers (lower-case names), body.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The `<Code>` of an error body.
    pub fn code(&self) -> String {
        let t = String::from_utf8_lossy(&self.body);
        t.split("<Code>")
            .nth(1)
            .and_then(|r| r.split("</Code>").next())
            .unwrap_or("")
            .to_string()
    }
}

pub fn raw(addr: SocketAddr, request: &[u8]) -> Resp {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let _ = s.write_all(request);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    parse(&buf)
}

/// One HTTP/1.1 response, its head read by httparse: status, headers
/// (names lower-cased, values trimmed) and the bytes after the head;
/// status 0 when no complete, well-formed head was received.
pub fn parse(buf: &[u8]) -> Resp {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut head = httparse::Response::new(&mut headers);
    let (Ok(httparse::Status::Complete(end)), Some(status)) = (head.parse(buf), head.code) else {
        return Resp {
            status: 0,
            headers: Vec::new(),
            body: Vec::new(),
        };
    };
    Resp {
        status,
        headers: head
            .headers
            .iter()
            .map(|h| {
                let value = String::from_utf8_lossy(h.value).trim().to_owned();
                (h.name.to_ascii_lowercase(), value)
            })
            .collect(),
        body: buf[end..].to_vec(),
    }
}

/// Every regular file under `dir`, relative, sorted.
pub fn files(dir: &Path) -> Vec<String> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, base, out);
            } else {
                out.push(p.strip_prefix(base).unwrap().display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}
