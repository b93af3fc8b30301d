#!/usr/bin/env python3
"""HEAD and a one-byte ranged GET of a 200 MiB object against a 1 KiB one,
through s3err-gateway (docs/gateway.md, "Reads cost what they send").

Usage: scripts/gateway-read-cost.py [GATEWAY_BINARY] [ROUNDS]
(default target/release/s3err-gateway, 21 rounds). Starts the gateway
on a temp root, PUTs both objects through it, then times the requests
in alternation and prints the medians, their ratio, and the bytes the
gateway process read with read(2)/pread(2) (/proc/PID/io rchar, which
does not count its socket's recvfrom) during the big-object requests.
"""
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import time

binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/s3err-gateway"
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 21

with tempfile.TemporaryDirectory() as root:
    os.mkdir(os.path.join(root, "bucket"))
    gw = subprocess.Popen(
        [binary, "--root", root, "--listen", "127.0.0.1:0"],
        stdout=subprocess.PIPE,
        env={**os.environ, "RUST_LOG": "warn"},
    )
    try:
        addr = gw.stdout.readline().decode().strip().rsplit("http://", 1)[1]
        host, port = addr.split(":")

        def request(method, path, body=None, headers=None):
            c = http.client.HTTPConnection(host, int(port))
            t = time.perf_counter()
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            data = r.read()
            elapsed = time.perf_counter() - t
            c.close()
            return r.status, data, elapsed

        def rchar():
            with open(f"/proc/{gw.pid}/io") as f:
                for line in f:
                    if line.startswith("rchar:"):
                        return int(line.split()[1])

        big = os.urandom(1 << 20) * 200
        assert request("PUT", "/bucket/big", big)[0] == 200
        assert request("PUT", "/bucket/small", big[:1024])[0] == 200
        times = {k: [] for k in ["HEAD big", "HEAD small", "GET 1 byte big", "GET 1 byte small"]}
        read_big = 0
        for _ in range(rounds):
            for name in ["big", "small"]:
                before = rchar()
                s, _, t = request("HEAD", f"/bucket/{name}")
                assert s == 200
                times[f"HEAD {name}"].append(t)
                s, data, t2 = request("GET", f"/bucket/{name}", headers={"Range": "bytes=500-500"})
                assert s == 206 and len(data) == 1
                times[f"GET 1 byte {name}"].append(t2)
                if name == "big":
                    read_big += rchar() - before
        med = {k: statistics.median(v) * 1000 for k, v in times.items()}
        for k, v in med.items():
            print(f"{k:18} median {v:.3f} ms over {rounds}")
        print(f"HEAD ratio big/small {med['HEAD big'] / med['HEAD small']:.2f}")
        print(f"GET 1 byte ratio big/small {med['GET 1 byte big'] / med['GET 1 byte small']:.2f}")
        print(f"bytes read by the gateway for {2 * rounds} big-object requests: {read_big}")
    finally:
        gw.kill()
        gw.wait()
