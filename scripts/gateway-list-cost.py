#!/usr/bin/env python3
"""The cost of one ListObjectsV2 page of 1,000 keys under a prefix, in a
bucket holding 100,000 other keys and in one holding only those 1,000
(docs/gateway.md, "Listing").

Usage: scripts/gateway-list-cost.py [GATEWAY_BINARY] [ROUNDS]
(default target/release/s3err-gateway, 11 rounds). Makes the objects'
files directly in the on-disk layout (key `logs/kNNNN` is the file
`dlogs/okNNNN`), so the gateway reads them as files another program
wrote; one listing of each bucket first stores their metadata. Then it
times, in alternation, the same request against each bucket and prints
the medians and their ratio:

- alone:    1,000 keys `logs/kNNNN`;
- crowded:  the same 1,000 and 100,000 keys `other-NNNNNN` beside `logs/`;
- siblings: 1,000 keys `logs/2024-NNNN` and 100,000 keys `logs/x-NNNNNN`,
  listed with prefix `logs/2024-` (a prefix that does not end at the
  delimiter: the whole `logs/` directory is read).
"""
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import time

binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/s3err-gateway"
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 11


def make(root, bucket, keys):
    """Writes each key's file as the layout encodes it (short keys, one
    `/` at most, no `%`: a `d` entry and an `o` entry)."""
    for k in keys:
        parts = k.split("/")
        d = os.path.join(root, bucket, *("d" + p for p in parts[:-1]))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "o" + parts[-1]), "wb") as f:
            f.write(k.encode())


with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR", "/tmp")) as root:
    logs = [f"logs/k{i:04}" for i in range(1000)]
    make(root, "alone", logs)
    make(root, "crowded", logs + [f"other-{i:06}" for i in range(100_000)])
    make(root, "siblings", [f"logs/2024-{i:04}" for i in range(1000)]
         + [f"logs/x-{i:06}" for i in range(100_000)])
    gw = subprocess.Popen(
        [binary, "--root", root, "--listen", "127.0.0.1:0"],
        stdout=subprocess.PIPE,
        env={**os.environ, "RUST_LOG": "warn"},
    )
    try:
        addr = gw.stdout.readline().decode().strip().rsplit("http://", 1)[1]
        host, port = addr.split(":")

        def list_page(bucket, prefix):
            c = http.client.HTTPConnection(host, int(port))
            t = time.perf_counter()
            c.request("GET", f"/{bucket}?list-type=2&delimiter=/&prefix={prefix}")
            r = c.getresponse()
            data = r.read()
            elapsed = time.perf_counter() - t
            c.close()
            assert r.status == 200, data
            assert data.count(b"<Contents>") == 1000, data[:500]
            assert b"<IsTruncated>false</IsTruncated>" in data
            return elapsed

        cases = [("alone", "logs/"), ("crowded", "logs/"), ("siblings", "logs/2024-")]
        for b, p in cases:
            list_page(b, p)  # stores the metadata of the 1,000 files
        times = {b: [] for b, _ in cases}
        for _ in range(rounds):
            for b, p in cases:
                times[b].append(list_page(b, p))
        med = {b: statistics.median(t) * 1000 for b, t in times.items()}
        for b, p in cases:
            print(f"{b:9} prefix={p:11} {med[b]:8.2f} ms  {med[b] / med['alone']:.2f}x alone")
    finally:
        gw.kill()
        gw.wait()
