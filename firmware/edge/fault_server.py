#!/usr/bin/env python3
"""The edge device's fault-injecting S3 server, and its connection forwarder.

    fault_server.py serve         listen on 127.0.0.1 (a free port, printed)
    fault_server.py forward PORT  copy stdin/stdout to and from 127.0.0.1:PORT

`serve` answers the edge device (firmware/edge) with what s3err-gateway
never sends: errors that clear after some attempts, an error document in a
200, a body larger than the device's buffer, a cut-short body, malformed
XML and a connection closed mid-answer. Each path counts its requests, so
"fails twice, then succeeds" holds across connections.

`forward` is what QEMU's `guestfwd=...-cmd:` runs for each connection the
guest opens (its stdin and stdout are that connection): one process, one
host connection, so a server may close a connection without cutting the
guest off the next one (with `guestfwd=...-tcp:` every guest connection
shares the one host connection QEMU opened at start).

Python's standard library only; every socket is on 127.0.0.1.
"""

import os
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REQUEST_ID = "FAULT0000000000"
# Paths that fail this many times, then succeed.
FAILURES = {
    "/edge/flaky-500": 2,
    "/edge/flaky-503": 1,
    "/edge/copy.txt": 1,
    "/edge/too-large": 1,
    "/edge/malformed": 1,
    "/edge/closed": 1,
}
COPY_RESULT = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<CopyObjectResult>'
    b"<LastModified>2026-01-01T00:00:00.000Z</LastModified>"
    b"<ETag>&quot;0123456789abcdef0123456789abcdef&quot;</ETag></CopyObjectResult>"
)


def error_document(code, message, resource):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message>"
        f"<Resource>{resource}</Resource><RequestId>{REQUEST_ID}</RequestId></Error>"
    ).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    counts = {}
    lock = threading.Lock()

    def log_message(self, fmt, *args):
        sys.stderr.write("fault server: " + (fmt % args) + "\n")

    def seen(self):
        """How many requests this path had before this one."""
        with self.lock:
            n = self.counts.get(self.path, 0)
            self.counts[self.path] = n + 1
            return n

    def answer(self, status, body, content_type="application/xml"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amz-request-id", REQUEST_ID)
        self.end_headers()
        self.wfile.write(body)

    def recovered(self):
        self.answer(200, b"recovered\n", "text/plain")

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        n = self.seen()
        path = self.path
        if n >= FAILURES.get(path, 1 << 30):
            if path == "/edge/copy.txt":
                self.answer(200, COPY_RESULT)
            else:
                self.answer(200, b"recovered\n", "text/plain")
        elif path == "/edge/flaky-500":
            self.answer(500, error_document("InternalError", "We encountered an internal error. Please try again.", path))
        elif path == "/edge/flaky-503":
            self.answer(503, error_document("ServiceUnavailable", "Please reduce your request rate.", path))
        elif path == "/edge/copy.txt":
            # CopyObject: S3 may send 200, then fail; the body tells.
            self.answer(200, error_document("InternalError", "We encountered an internal error. Please try again.", path))
        elif path == "/edge/too-large":
            # A proxy's error page, longer than the device's body buffer.
            page = b"<html><body><h1>503 Service Unavailable</h1>" + b"." * 4000 + b"</body></html>"
            self.answer(503, page, "text/html")
        elif path == "/edge/truncated":
            doc = error_document("NoSuchKey", "The specified key does not exist.", path)
            self.answer(404, doc[: len(doc) // 2])
        elif path == "/edge/malformed":
            doc = b"<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Mesage></Error>"
            self.answer(503, doc)
        elif path == "/edge/closed":
            # Promise 64 bytes, send 20, close.
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 64\r\n\r\n" + b"x" * 20)
            self.wfile.flush()
            self.close_connection = True
        else:
            self.answer(404, error_document("NoSuchKey", "The specified key does not exist.", path))

    do_GET = do_PUT = do_DELETE = handle_any


def serve():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    host, port = server.server_address
    print(f"fault server listening on {host}:{port}", flush=True)
    server.serve_forever()


def forward(port):
    # stderr is the guest's connection too (QEMU hands the command one
    # socket for all three): keep Python's own messages off it.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        upstream = socket.create_connection(("127.0.0.1", port))
    except OSError:
        return 1

    def guest_to_server():
        try:
            while data := os.read(0, 65536):
                upstream.sendall(data)
            upstream.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    threading.Thread(target=guest_to_server, daemon=True).start()
    try:
        while data := upstream.recv(65536):
            view = memoryview(data)
            while view:
                view = view[os.write(1, view) :]
    except OSError:
        pass
    return 0


def main(argv):
    if argv[1:] == ["serve"]:
        serve()
        return 0
    if len(argv) == 3 and argv[1] == "forward" and argv[2].isdigit():
        return forward(int(argv[2]))
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
