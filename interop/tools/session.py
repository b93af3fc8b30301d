#!/usr/bin/env python3
"""Scripted sessions of real S3 tools (AWS CLI v1, s3cmd, rclone) against
an S3 endpoint, each step judged by its effect.

    session.py ENDPOINT [--tool aws|s3cmd|rclone]... [--tools-dir DIR] [-v]

ENDPOINT is `http://127.0.0.1:PORT`. Each tool is configured with its
defaults plus only what an S3-compatible endpoint needs: the endpoint,
credentials, the region (us-east-1) and path-style addressing. Every step
prints `PASS tool step` or `FAIL tool step: why`, and each session ends with
`tool: N of M steps passed`. The exit status is 1 if any step failed.

A step passes on what it did, not on the tool's exit status alone: the
downloaded bytes have the uploaded digest, a listing holds exactly the
expected keys, the second sync's transfer count (parsed from the tool's
output) is zero, an error's output names the code. What each step expects is
what the tool shows against Amazon S3.
"""

import argparse
import hashlib
import json
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

REGION = "us-east-1"
ACCESS_KEY = "s3errtoolsession"
SECRET_KEY = "s3err-tools-session-secret-key-not-a-real-one"
TIMEOUT = 300  # seconds for one tool command (a 20 MiB transfer on loopback)
MIB = 1024 * 1024

# The objects every session uploads: key -> content. The odd names carry a
# space, non-ASCII letters and `+` (which a query string would read as a
# space); `odd/deeper/` gives a delimiter listing of `odd/` a common prefix.
SMALL = b"".join(b"line %04d of the small object, s3err tool session\n" % i for i in range(40))
BIG = random.Random(20).randbytes(20 * MIB)
OBJECTS = {
    "small.txt": SMALL,
    "empty.txt": b"",
    "big.bin": BIG,
    "odd/with space.txt": b"a key with a space\n",
    "odd/\u00fcn\u00efc\u00f6d\u00e9-\u65e5\u672c.txt": "non-ASCII key \u00fc\n".encode(),
    "odd/a+b.txt": b"a key with a plus\n",
    "odd/deeper/leaf.txt": b"one level down\n",
}
ODD = sorted(k for k in OBJECTS if k.startswith("odd/") and k.count("/") == 1)
KEYS = set(OBJECTS)
# What a recursive download of `odd/` holds: relative path -> digest.
ODD_TREE = {k[len("odd/") :]: hashlib.sha256(v).hexdigest() for k, v in OBJECTS.items() if k.startswith("odd/")}
# The keys fetched through a presigned URL (`+` must not become a space).
PRESIGNED = ("small.txt", "odd/a+b.txt")
# The folder that is synced twice (relative path -> content).
SYNC = {"one.txt": b"first\n", "two words.txt": b"second\n", "sub/three+.txt": b"third\n"}
# Metadata and content type set on upload and read back.
META = {"color": "blue", "shape": "round"}
CONTENT_TYPE = "text/x-s3err"


class Fail(Exception):
    """A step did not have its effect; the message says why."""


def sha(data):
    return hashlib.sha256(data).hexdigest()


def md5(data):
    return hashlib.md5(data).hexdigest()


def multipart_etag(data, part_size):
    """S3's ETag of an object uploaded in parts of part_size bytes."""
    parts = [data[i : i + part_size] for i in range(0, len(data), part_size)]
    digests = b"".join(hashlib.md5(p).digest() for p in parts)
    return f'"{hashlib.md5(digests).hexdigest()}-{len(parts)}"'


def tree(root):
    """The files under root: relative path -> digest."""
    root = Path(root)
    if not root.is_dir():
        return {}
    return {str(p.relative_to(root)): sha(p.read_bytes()) for p in root.rglob("*") if p.is_file()}


def digests(objects):
    return {k: sha(v) for k, v in objects.items()}


def expect(cond, why):
    if not cond:
        raise Fail(why)


def expect_equal(what, got, want):
    if got != want:
        if isinstance(got, set) and isinstance(want, set):
            raise Fail(f"{what}: missing {sorted(want - got)}, unexpected {sorted(got - want)}")
        raise Fail(f"{what}: got {got!r}, expected {want!r}")


def expect_file(path, data, what):
    path = Path(path)
    expect(path.is_file(), f"{what}: no file downloaded")
    got = path.read_bytes()
    expect(
        sha(got) == sha(data),
        f"{what}: downloaded {len(got)} bytes, sha256 {sha(got)[:12]}, expected {len(data)} bytes, sha256 {sha(data)[:12]}",
    )


class Result:
    def __init__(self, args, rc, out, err):
        self.args, self.rc, self.out, self.err = args, rc, out, err

    @property
    def text(self):
        out = self.out.decode("utf-8", "replace") if isinstance(self.out, bytes) else self.out
        return out + "\n" + self.err

    def brief(self):
        """The last lines of the output, for a failure message."""
        lines = [line for line in self.text.splitlines() if line.strip()]
        tail = " | ".join(lines[-3:])
        return tail[-400:] if tail else "no output"


class Session:
    """One tool's session: a bucket of its own, steps in order."""

    tool = ""

    def __init__(self, endpoint, work, tools_dir, prefix, verbose):
        self.endpoint = endpoint.rstrip("/")
        parsed = urllib.parse.urlsplit(self.endpoint)
        self.hostport = parsed.netloc
        self.work = Path(work)
        self.tools_dir = Path(tools_dir)
        self.verbose = verbose
        self.bucket = f"{prefix}-{self.tool}"
        self.missing_bucket = f"{prefix}-{self.tool}-missing"
        self.home = self.work / "home"
        self.up = self.work / "up"
        self.down = self.work / "down"
        self.syncdir = self.work / "sync"
        for d in (self.home, self.up, self.down, self.syncdir):
            d.mkdir(parents=True)
        for key, data in OBJECTS.items():
            self.local(key).parent.mkdir(parents=True, exist_ok=True)
            self.local(key).write_bytes(data)
        for rel, data in SYNC.items():
            (self.syncdir / rel).parent.mkdir(parents=True, exist_ok=True)
            (self.syncdir / rel).write_bytes(data)
        self.log = open(self.work / "session.log", "w", encoding="utf-8")
        self.results = []

    def local(self, key):
        return self.up / key

    def env(self):
        """A clean environment: no proxy, no CA bundle, no AWS profile or
        config from the machine; a home of its own."""
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.home),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "TMPDIR": str(self.work),
        }
        return env

    def run(self, *args, binary=False, timeout=TIMEOUT):
        args = [str(a) for a in args]
        self.log.write(f"$ {args}\n")
        try:
            p = subprocess.run(
                args,
                env=self.env(),
                cwd=self.work,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            raise Fail(f"timed out after {timeout} s: {' '.join(args[:4])}")
        except FileNotFoundError:
            raise Fail(f"{args[0]}: not installed (interop/tools/install.sh)")
        out = p.stdout if binary else p.stdout.decode("utf-8", "replace")
        err = p.stderr.decode("utf-8", "replace")
        self.log.write(f"exit {p.returncode}\n{out if not binary else f'<{len(out)} bytes>'}\n{err}\n")
        self.log.flush()
        if self.verbose:
            print(f"    $ {' '.join(args)}  -> exit {p.returncode}", file=sys.stderr)
            for line in (("" if binary else out) + err).splitlines():
                print(f"      {line}", file=sys.stderr)
        return Result(args, p.returncode, out, err)

    def ok(self, *args, **kw):
        """Runs a command that must exit 0."""
        r = self.run(*args, **kw)
        if r.rc != 0:
            raise Fail(f"`{self.shown(r)}` exited {r.rc}: {r.brief()}")
        return r

    def refused(self, needles, *args, **kw):
        """Runs a command that must fail with every one of needles in its output."""
        r = self.run(*args, **kw)
        text = r.text
        missing = [n for n in needles if n not in text]
        if r.rc == 0 or missing:
            raise Fail(
                f"`{self.shown(r)}` exited {r.rc}, expected a failure naming {needles}"
                f"{' (missing ' + repr(missing) + ')' if missing else ''}: {r.brief()}"
            )
        return r

    def shown(self, r):
        """The command as a user would type it, for a failure message."""
        return self.short(r.args).replace(f"{self.work}/", "")

    def short(self, args):
        return " ".join([Path(args[0]).name] + list(args[1:]))

    def curl(self, url, data, what):
        """Fetches a presigned URL with curl and compares the body."""
        out = self.work / "curl.out"
        out.unlink(missing_ok=True)
        r = self.run("curl", "--silent", "--show-error", "--globoff", "-o", out, "-w", "%{http_code}", url)
        expect(r.rc == 0, f"curl exited {r.rc}: {r.brief()}")
        body = out.read_bytes() if out.exists() else b""
        expect(r.out.strip() == "200", f"{what}: HTTP {r.out.strip()}: {body[:300]!r}")
        expect_file(out, data, what)

    def steps(self):
        raise NotImplementedError

    # Steps every session has in the same form, each through the tool's
    # own `put` and `get` (which check the size, or the downloaded bytes).

    def put_steps(self):
        return [
            ("put-small", lambda: self.put("small.txt")),
            ("put-empty", lambda: self.put("empty.txt")),
            ("put-20MiB", lambda: self.put("big.bin")),
            ("put-odd-names", lambda: [self.put(k) for k in ODD + ["odd/deeper/leaf.txt"]]),
        ]

    def get_steps(self):
        return [
            ("get-small", lambda: self.get("small.txt")),
            ("get-empty", lambda: self.get("empty.txt")),
            ("get-20MiB", lambda: self.get("big.bin")),
            ("get-odd-names", lambda: [self.get(k) for k in ODD]),
        ]

    def copy_steps(self, copy):
        """copy-small and copy-20MiB: `copy(key)` makes the server copy
        key to copy/KEY and checks what the tool reports; the copy is then
        downloaded and compared with the original's bytes."""

        def step(key):
            def run():
                copy(key)
                self.get("copy/" + key, self.down / "copy" / key, OBJECTS[key])

            return run

        return [("copy-small", step("small.txt")), ("copy-20MiB", step("big.bin"))]

    def presigned(self, sign):
        """Fetches each of PRESIGNED with curl through `sign(key)`, the
        tool's presigned URL, and compares the bytes."""
        for key in PRESIGNED:
            self.curl(sign(key), OBJECTS[key], f"presigned {key}")

    def execute(self):
        start = time.monotonic()
        for name, fn in self.steps():
            t0 = time.monotonic()
            try:
                fn()
            except Fail as e:
                self.results.append((name, False))
                print(f"FAIL {self.tool} {name}: {e}", flush=True)
            except (ValueError, KeyError, IndexError, TypeError, AttributeError, OSError) as e:
                # Output this script could not read (not JSON, a missing
                # field, a short line) is the step's failure, not the run's.
                self.results.append((name, False))
                print(f"FAIL {self.tool} {name}: unreadable result ({type(e).__name__}: {e})", flush=True)
            else:
                self.results.append((name, True))
                print(f"PASS {self.tool} {name}", flush=True)
            if self.verbose:
                print(f"    ({name}: {time.monotonic() - t0:.1f} s)", file=sys.stderr)
        passed = sum(ok for _, ok in self.results)
        print(f"{self.tool}: {passed} of {len(self.results)} steps passed", flush=True)
        print(f"{self.tool}: session took {time.monotonic() - start:.0f} s", flush=True)
        self.log.close()
        return passed == len(self.results)


# ---------------------------------------------------------------- AWS CLI


class Aws(Session):
    tool = "aws"
    PART = 8 * MIB  # the CLI's default multipart chunk size

    def env(self):
        env = super().env()
        env.update(
            {
                "AWS_ACCESS_KEY_ID": ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
                "AWS_DEFAULT_REGION": REGION,
                "AWS_CONFIG_FILE": str(self.home / "aws-config"),
                "AWS_SHARED_CREDENTIALS_FILE": str(self.home / "aws-credentials"),
            }
        )
        return env

    def aws(self, *args, **kw):
        return self.ok(self.tools_dir / "awscli/bin/aws", "--endpoint-url", self.endpoint, *args, **kw)

    def short(self, args):
        return " ".join(["aws"] + list(args[3:]))

    def aws_refused(self, needles, *args):
        return self.refused(needles, self.tools_dir / "awscli/bin/aws", "--endpoint-url", self.endpoint, *args)

    def s3api(self, op, *args):
        r = self.aws("s3api", op, *args)
        return json.loads(r.out) if r.out.strip() else {}

    def url(self, key=""):
        return f"s3://{self.bucket}/{key}"

    def head(self, key):
        return self.s3api("head-object", "--bucket", self.bucket, "--key", key)

    def put(self, key):
        r = self.aws("s3", "cp", "--no-progress", self.local(key), self.url(key))
        expect("upload:" in r.out, f"no upload line: {r.brief()}")
        h = self.head(key)
        expect_equal(f"{key}: ContentLength", h.get("ContentLength"), len(OBJECTS[key]))

    def get(self, key, dest=None, data=None):
        dest = dest or self.down / key
        dest.parent.mkdir(parents=True, exist_ok=True)
        self.aws("s3", "cp", "--no-progress", self.url(key), dest)
        expect_file(dest, OBJECTS[key] if data is None else data, key)

    def ls_keys(self, url, recursive=True):
        """`aws s3 ls`: the keys (relative to url's prefix) and the PRE lines."""
        args = ["s3", "ls"] + (["--recursive"] if recursive else []) + [url]
        r = self.aws(*args)
        keys, prefixes = set(), set()
        for line in r.out.splitlines():
            if line.strip().startswith("PRE "):
                prefixes.add(line.strip()[4:])
            elif line.strip():
                keys.add(line.split(None, 3)[3])
        return keys, prefixes

    def api_list(self, op, *args):
        out = self.s3api(op, "--bucket", self.bucket, *args)
        keys = {o["Key"]: o["Size"] for o in out.get("Contents", [])}
        prefixes = {p["Prefix"] for p in out.get("CommonPrefixes", [])}
        return keys, prefixes

    def steps(self):
        b = self.bucket
        sizes = {k: len(v) for k, v in OBJECTS.items()}

        def make_bucket():
            r = self.aws("s3", "mb", self.url())
            expect(f"make_bucket: {b}" in r.out, f"no make_bucket line: {r.brief()}")
            self.s3api("head-bucket", "--bucket", b)

        def make_bucket_again():
            # us-east-1 answers 200 to CreateBucket of a bucket you own.
            self.aws("s3", "mb", self.url())

        def list_buckets():
            r = self.aws("s3", "ls")
            names = {line.split(None, 2)[2] for line in r.out.splitlines() if line.strip()}
            expect(b in names, f"{b} not in `aws s3 ls`: {sorted(names)}")
            out = self.s3api("list-buckets")
            got = {x["Name"]: x.get("CreationDate") for x in out.get("Buckets", [])}
            expect(b in got, f"{b} not in list-buckets: {sorted(got)}")
            expect(got[b], "list-buckets gives no CreationDate")

        def bucket_location():
            out = self.s3api("get-bucket-location", "--bucket", b)
            expect_equal("LocationConstraint", out.get("LocationConstraint"), None)

        def list_flat():
            keys, _ = self.ls_keys(self.url())
            expect_equal("aws s3 ls --recursive", keys, KEYS)

        def list_v2():
            keys, _ = self.api_list("list-objects-v2")
            expect_equal("list-objects-v2", keys, sizes)

        def list_v1():
            keys, _ = self.api_list("list-objects")
            expect_equal("list-objects", keys, sizes)

        def list_paged():
            # The CLI follows continuation tokens (V2) and markers (V1).
            keys, _ = self.api_list("list-objects-v2", "--page-size", "2")
            expect_equal("list-objects-v2 --page-size 2", keys, sizes)
            keys, _ = self.api_list("list-objects", "--page-size", "2")
            expect_equal("list-objects --page-size 2", keys, sizes)

        def list_prefix():
            keys, _ = self.ls_keys(self.url("odd/"))
            expect_equal("aws s3 ls --recursive s3://B/odd/", keys, {k for k in KEYS if k.startswith("odd/")})
            keys, _ = self.api_list("list-objects-v2", "--prefix", "odd/d")
            expect_equal("list-objects-v2 --prefix odd/d", set(keys), {"odd/deeper/leaf.txt"})

        def list_delimiter():
            keys, prefixes = self.ls_keys(self.url(), recursive=False)
            expect_equal("aws s3 ls s3://B/ keys", keys, {"small.txt", "empty.txt", "big.bin"})
            expect_equal("aws s3 ls s3://B/ prefixes", prefixes, {"odd/"})
            keys, prefixes = self.api_list("list-objects-v2", "--prefix", "odd/", "--delimiter", "/")
            expect_equal("list-objects-v2 --prefix odd/ --delimiter / keys", set(keys), set(ODD))
            expect_equal("list-objects-v2 --prefix odd/ --delimiter / prefixes", prefixes, {"odd/deeper/"})

        def head():
            h = self.head("small.txt")
            expect_equal("small.txt ContentLength", h.get("ContentLength"), len(SMALL))
            expect_equal("small.txt ETag", h.get("ETag"), f'"{md5(SMALL)}"')
            h = self.head("big.bin")
            expect_equal("big.bin ContentLength", h.get("ContentLength"), len(BIG))
            expect_equal("big.bin ETag (multipart, 8 MiB parts)", h.get("ETag"), multipart_etag(BIG, self.PART))

        def get_recursive():
            self.aws("s3", "cp", "--no-progress", "--recursive", self.url("odd/"), self.down / "rec")
            expect_equal("aws s3 cp --recursive s3://B/odd/", tree(self.down / "rec"), ODD_TREE)

        def get_range():
            out = self.down / "range"
            meta = self.s3api("get-object", "--bucket", b, "--key", "big.bin", "--range", "bytes=1000-1999", str(out))
            expect_file(out, BIG[1000:2000], "bytes=1000-1999")
            expect_equal("ContentRange", meta.get("ContentRange"), f"bytes 1000-1999/{len(BIG)}")

        def copy(key):
            r = self.aws("s3", "cp", "--no-progress", self.url(key), self.url("copy/" + key))
            expect("copy:" in r.out, f"no copy line: {r.brief()}")

        def metadata():
            self.aws(
                "s3", "cp", "--no-progress", self.local("small.txt"), self.url("meta.txt"),
                "--metadata", ",".join(f"{k}={v}" for k, v in META.items()),
                "--content-type", CONTENT_TYPE,
            )
            h = self.head("meta.txt")
            expect_equal("head-object Metadata", h.get("Metadata"), META)
            expect_equal("head-object ContentType", h.get("ContentType"), CONTENT_TYPE)
            g = self.s3api("get-object", "--bucket", b, "--key", "meta.txt", str(self.down / "meta.txt"))
            expect_equal("get-object Metadata", g.get("Metadata"), META)
            expect_equal("get-object ContentType", g.get("ContentType"), CONTENT_TYPE)

        def metadata_copy():
            # A copy keeps the source's metadata (the COPY directive).
            self.aws("s3", "cp", "--no-progress", self.url("meta.txt"), self.url("copy/meta.txt"))
            h = self.head("copy/meta.txt")
            expect_equal("copy's Metadata", h.get("Metadata"), META)
            expect_equal("copy's ContentType", h.get("ContentType"), CONTENT_TYPE)

        def sync_count():
            r = self.aws("s3", "sync", "--no-progress", self.syncdir, self.url("sync/"))
            return len([line for line in r.out.splitlines() if line.startswith("upload:")])

        def sync_first():
            expect_equal("uploads in the first sync", sync_count(), len(SYNC))
            keys, _ = self.ls_keys(self.url("sync/"))
            expect_equal("synced keys", keys, {"sync/" + k for k in SYNC})

        def sync_second():
            expect_equal("uploads in the second sync", sync_count(), 0)

        def sync_down():
            self.aws("s3", "sync", "--no-progress", self.url("sync/"), self.down / "sync")
            expect_equal("synced down", tree(self.down / "sync"), digests(SYNC))

        def presigned():
            self.presigned(lambda key: self.aws("s3", "presign", self.url(key)).out.strip())

        def missing_key_get():
            self.aws_refused(["NoSuchKey", "GetObject"], "s3api", "get-object", "--bucket", b, "--key", "missing", str(self.down / "missing"))

        def missing_key_cp():
            # `aws s3 cp` asks HeadObject first: a HEAD carries no error body.
            self.aws_refused(["(404)", "HeadObject", 'Key "missing" does not exist'], "s3", "cp", self.url("missing"), str(self.down / "missing"))

        def missing_bucket():
            mb = self.missing_bucket
            self.aws_refused(["NoSuchBucket", "ListObjectsV2"], "s3", "ls", f"s3://{mb}/")
            self.aws_refused(["NoSuchBucket", "GetObject"], "s3api", "get-object", "--bucket", mb, "--key", "k", str(self.down / "k"))
            self.aws_refused(["(404)", "HeadBucket"], "s3api", "head-bucket", "--bucket", mb)

        def delete_object():
            r = self.aws("s3", "rm", self.url("small.txt"))
            expect("delete:" in r.out, f"no delete line: {r.brief()}")
            self.aws_refused(["(404)", "HeadObject"], "s3api", "head-object", "--bucket", b, "--key", "small.txt")

        def delete_recursive():
            r = self.aws("s3", "rm", "--recursive", self.url("sync/"))
            deleted = [line for line in r.out.splitlines() if line.startswith("delete:")]
            expect_equal("delete lines", len(deleted), len(SYNC))
            # (`aws s3 ls` of an empty prefix exits 1.)
            keys, _ = self.api_list("list-objects-v2", "--prefix", "sync/")
            expect_equal("keys left under sync/", set(keys), set())

        def delete_objects():
            # DeleteObjects (`aws s3 rm --recursive` deletes one key at a
            # time): a key that does not exist is reported deleted too.
            keys = ["copy/small.txt", "copy/meta.txt", "copy/never-written"]
            spec = json.dumps({"Objects": [{"Key": k} for k in keys]})
            out = self.s3api("delete-objects", "--bucket", b, "--delete", spec)
            expect_equal("Deleted", {d["Key"] for d in out.get("Deleted", [])}, set(keys))
            expect_equal("Errors", out.get("Errors", []), [])
            left, _ = self.api_list("list-objects-v2", "--prefix", "copy/")
            expect_equal("keys left under copy/", set(left), {"copy/big.bin"})

        def remove_non_empty():
            self.aws_refused(["BucketNotEmpty", "DeleteBucket"], "s3", "rb", self.url())
            self.s3api("head-bucket", "--bucket", b)

        def remove_bucket():
            self.aws("s3", "rm", "--recursive", self.url())
            r = self.aws("s3", "rb", self.url())
            expect(f"remove_bucket: {b}" in r.out, f"no remove_bucket line: {r.brief()}")
            self.aws_refused(["(404)", "HeadBucket"], "s3api", "head-bucket", "--bucket", b)
            names = {x["Name"] for x in self.s3api("list-buckets").get("Buckets", [])}
            expect(b not in names, f"{b} still listed")

        return [
            ("make-bucket", make_bucket),
            ("make-bucket-again", make_bucket_again),
            ("list-buckets", list_buckets),
            ("bucket-location", bucket_location),
            *self.put_steps(),
            ("list-flat", list_flat),
            ("list-v2", list_v2),
            ("list-v1", list_v1),
            ("list-paged", list_paged),
            ("list-prefix", list_prefix),
            ("list-delimiter", list_delimiter),
            ("head", head),
            *self.get_steps(),
            ("get-recursive", get_recursive),
            ("get-range", get_range),
            *self.copy_steps(copy),
            ("metadata", metadata),
            ("metadata-copy", metadata_copy),
            ("sync-first", sync_first),
            ("sync-second", sync_second),
            ("sync-down", sync_down),
            ("presigned-url", presigned),
            ("missing-key-get", missing_key_get),
            ("missing-key-cp", missing_key_cp),
            ("missing-bucket", missing_bucket),
            ("delete-object", delete_object),
            ("delete-recursive", delete_recursive),
            ("delete-objects", delete_objects),
            ("remove-non-empty-bucket", remove_non_empty),
            ("remove-bucket", remove_bucket),
        ]


# ---------------------------------------------------------------- s3cmd


class S3cmd(Session):
    tool = "s3cmd"

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        # Defaults, plus the endpoint (path-style: host_bucket without
        # %(bucket)s), credentials, plain HTTP and the region.
        self.cfg = self.work / "s3cfg"
        self.cfg.write_text(
            "[default]\n"
            f"access_key = {ACCESS_KEY}\n"
            f"secret_key = {SECRET_KEY}\n"
            f"host_base = {self.hostport}\n"
            f"host_bucket = {self.hostport}\n"
            "use_https = False\n"
            f"bucket_location = {REGION}\n"
        )

    def s3cmd(self, *args, **kw):
        return self.ok("s3cmd", "-c", self.cfg, *args, **kw)

    def s3cmd_refused(self, needles, *args):
        return self.refused(needles, "s3cmd", "-c", self.cfg, *args)

    def short(self, args):
        return " ".join(["s3cmd"] + list(args[3:]))

    def url(self, key=""):
        return f"s3://{self.bucket}/{key}"

    def put(self, key):
        r = self.s3cmd("put", self.local(key), self.url(key))
        expect(
            f"-> '{self.url(key)}' ({len(OBJECTS[key])} bytes" in r.out,
            f"no upload line for {len(OBJECTS[key])} bytes: {r.brief()}",
        )

    def get(self, key, dest=None, data=None):
        dest = dest or self.down / key
        dest.parent.mkdir(parents=True, exist_ok=True)
        self.s3cmd("get", self.url(key), dest)
        expect_file(dest, OBJECTS[key] if data is None else data, key)

    def info(self, key=""):
        """`s3cmd info`: its `Name: value` lines."""
        r = self.s3cmd("info", self.url(key))
        fields = {}
        for line in r.out.splitlines():
            if ":" in line and line.startswith("   "):
                name, value = line.strip().split(":", 1)
                fields[name.strip()] = value.strip()
        return fields

    def ls(self, url, recursive=False):
        """`s3cmd ls`: the keys (full, without s3://bucket/) and DIR lines."""
        r = self.s3cmd("ls", *(["--recursive"] if recursive else []), url)
        keys, dirs = set(), set()
        base = f"s3://{self.bucket}/"
        for line in r.out.splitlines():
            parts = line.split(None, 1)
            if parts and parts[0] == "DIR":
                dirs.add(parts[1].strip()[len(base) :])
            elif line.strip():
                keys.add(line.split(None, 3)[3][len(base) :])
        return keys, dirs

    def steps(self):
        b = self.bucket

        def make_bucket():
            r = self.s3cmd("mb", self.url())
            expect(f"Bucket '{self.url()}' created" in r.out, f"no 'created' line: {r.brief()}")

        def make_bucket_again():
            self.s3cmd("mb", self.url())

        def list_buckets():
            r = self.s3cmd("ls")
            names = {line.split()[-1] for line in r.out.splitlines() if line.strip()}
            expect(f"s3://{b}" in names, f"s3://{b} not in `s3cmd ls`: {sorted(names)}")

        def bucket_info():
            fields = self.info()
            expect_equal("Location", fields.get("Location"), REGION)

        def list_flat():
            keys, _ = self.ls(self.url(), recursive=True)
            expect_equal("s3cmd ls --recursive", keys, KEYS)

        def list_prefix():
            keys, _ = self.ls(self.url("odd/"), recursive=True)
            expect_equal("s3cmd ls --recursive s3://B/odd/", keys, {k for k in KEYS if k.startswith("odd/")})

        def list_delimiter():
            keys, dirs = self.ls(self.url())
            expect_equal("s3cmd ls s3://B/ keys", keys, {"small.txt", "empty.txt", "big.bin"})
            expect_equal("s3cmd ls s3://B/ DIR", dirs, {"odd/"})
            keys, dirs = self.ls(self.url("odd/"))
            expect_equal("s3cmd ls s3://B/odd/ keys", keys, set(ODD))
            expect_equal("s3cmd ls s3://B/odd/ DIR", dirs, {"odd/deeper/"})

        def head():
            f = self.info("small.txt")
            expect_equal("small.txt File size", f.get("File size"), str(len(SMALL)))
            expect_equal("small.txt MD5 sum", f.get("MD5 sum"), md5(SMALL))
            f = self.info("big.bin")
            expect_equal("big.bin File size", f.get("File size"), str(len(BIG)))
            expect_equal("big.bin MD5 sum", f.get("MD5 sum"), md5(BIG))

        def get_recursive():
            dest = self.down / "rec"
            dest.mkdir()
            self.s3cmd("get", "--recursive", self.url("odd/"), f"{dest}/")
            expect_equal("s3cmd get --recursive s3://B/odd/", tree(dest), ODD_TREE)

        def get_range():
            # --continue asks for the rest of a partial file (Range: bytes=N-):
            # the local first 1000 bytes (zeros, unlike the object's) stay.
            part = self.down / "partial.bin"
            part.write_bytes(bytes(1000))
            self.s3cmd("get", "--continue", self.url("big.bin"), part)
            expect_file(part, bytes(1000) + BIG[1000:], "big.bin resumed at 1000")

        def copy(key):
            r = self.s3cmd("cp", self.url(key), self.url("copy/" + key))
            expect("remote copy:" in r.out, f"no 'remote copy' line: {r.brief()}")

        def metadata():
            self.s3cmd(
                "put", *[f"--add-header=x-amz-meta-{k}:{v}" for k, v in META.items()],
                f"--mime-type={CONTENT_TYPE}", self.local("small.txt"), self.url("meta.txt"),
            )
            f = self.info("meta.txt")
            for k, v in META.items():
                expect_equal(f"x-amz-meta-{k}", f.get(f"x-amz-meta-{k}"), v)
            expect_equal("MIME type", f.get("MIME type"), CONTENT_TYPE)

        def sync(expected):
            r = self.s3cmd("sync", "--stats", f"{self.syncdir}/", self.url("sync/"))
            uploads = len([line for line in r.out.splitlines() if line.startswith("upload:")])
            stats = re.search(r"^Stats: Number of files transferred: (\d+)", r.out, re.M)
            expect(re.search(r"^Stats: Number of files: \d+", r.out, re.M), f"no Stats lines: {r.brief()}")
            transferred = int(stats.group(1)) if stats else 0
            expect_equal("files transferred (Stats)", transferred, expected)
            expect_equal("upload lines", uploads, expected)

        def sync_first():
            sync(len(SYNC))
            keys, _ = self.ls(self.url("sync/"), recursive=True)
            expect_equal("synced keys", keys, {"sync/" + k for k in SYNC})

        def sync_down():
            dest = self.down / "sync"
            dest.mkdir()
            self.s3cmd("sync", self.url("sync/"), f"{dest}/")
            expect_equal("synced down", tree(dest), digests(SYNC))

        def presigned():
            self.presigned(lambda key: self.s3cmd("signurl", self.url(key), "+600").out.strip())

        def delete_object():
            r = self.s3cmd("del", self.url("small.txt"))
            expect(f"delete: '{self.url('small.txt')}'" in r.out, f"no delete line: {r.brief()}")
            self.s3cmd_refused(["404"], "info", self.url("small.txt"))

        def delete_recursive():
            r = self.s3cmd("del", "--recursive", self.url("sync/"))
            deleted = [line for line in r.out.splitlines() if line.startswith("delete:")]
            expect_equal("delete lines", len(deleted), len(SYNC))
            keys, _ = self.ls(self.url("sync/"), recursive=True)
            expect_equal("keys left under sync/", keys, set())

        def remove_bucket():
            self.s3cmd("del", "--recursive", "--force", self.url())
            r = self.s3cmd("rb", self.url())
            expect(f"Bucket '{self.url()}' removed" in r.out, f"no 'removed' line: {r.brief()}")
            names = {line.split()[-1] for line in self.s3cmd("ls").out.splitlines() if line.strip()}
            expect(f"s3://{b}" not in names, f"s3://{b} still listed")

        mb = self.missing_bucket
        return [
            ("make-bucket", make_bucket),
            ("make-bucket-again", make_bucket_again),
            ("list-buckets", list_buckets),
            ("bucket-info", bucket_info),
            *self.put_steps(),
            ("list-flat", list_flat),
            ("list-prefix", list_prefix),
            ("list-delimiter", list_delimiter),
            ("head", head),
            *self.get_steps(),
            ("get-recursive", get_recursive),
            ("get-range", get_range),
            *self.copy_steps(copy),
            ("metadata", metadata),
            ("sync-first", sync_first),
            ("sync-second", lambda: sync(0)),
            ("sync-down", sync_down),
            ("presigned-url", presigned),
            # s3cmd asks HeadObject first; its 404 (no body) is shown as NoSuchKey.
            ("missing-key-get", lambda: self.s3cmd_refused(["Source object", "does not exist"], "get", self.url("missing"), self.down / "missing")),
            ("missing-key-info", lambda: self.s3cmd_refused(["404 (NoSuchKey)"], "info", self.url("missing"))),
            ("missing-bucket", lambda: self.s3cmd_refused(["404 (NoSuchBucket)"], "ls", f"s3://{mb}/")),
            ("delete-object", delete_object),
            ("delete-recursive", delete_recursive),
            ("remove-non-empty-bucket", lambda: self.s3cmd_refused(["409 (BucketNotEmpty)"], "rb", self.url())),
            ("remove-bucket", remove_bucket),
        ]


# ---------------------------------------------------------------- rclone


class Rclone(Session):
    tool = "rclone"

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        # Defaults, plus provider Other (a generic S3 endpoint, path-style),
        # credentials, the endpoint and the region.
        self.cfg = self.work / "rclone.conf"
        self.cfg.write_text(
            "[s3]\n"
            "type = s3\n"
            "provider = Other\n"
            f"access_key_id = {ACCESS_KEY}\n"
            f"secret_access_key = {SECRET_KEY}\n"
            f"endpoint = {self.endpoint}\n"
            f"region = {REGION}\n"
        )

    def rclone(self, *args, **kw):
        return self.ok("rclone", "--config", self.cfg, *args, **kw)

    def rclone_refused(self, needles, *args):
        return self.refused(needles, "rclone", "--config", self.cfg, *args)

    def short(self, args):
        return " ".join(["rclone"] + list(args[3:]))

    def remote(self, key=""):
        return f"s3:{self.bucket}/{key}"

    def stat(self, key):
        return json.loads(self.rclone("lsjson", "--stat", "--hash", "-M", self.remote(key)).out)

    def put(self, key):
        self.rclone("copyto", self.local(key), self.remote(key))
        st = self.stat(key)
        expect(not st.get("IsDir"), f"{key}: not an object after the upload")
        expect_equal(f"{key}: Size", st.get("Size"), len(OBJECTS[key]))

    def get(self, key, dest=None, data=None):
        dest = dest or self.down / key
        self.rclone("copyto", self.remote(key), dest)
        expect_file(dest, OBJECTS[key] if data is None else data, key)

    def lsf(self, path, recursive=False):
        args = ["lsf"] + (["-R", "--files-only"] if recursive else []) + [path]
        return {line for line in self.rclone(*args).out.splitlines() if line}

    def steps(self):
        b = self.bucket
        odd_rel = {k[len("odd/") :] for k in KEYS if k.startswith("odd/")}

        def buckets():
            return {line.split()[-1] for line in self.rclone("lsd", "s3:").out.splitlines() if line.strip()}

        def make_bucket():
            self.rclone("mkdir", f"s3:{b}")

        def list_buckets():
            expect(b in buckets(), f"{b} not in `rclone lsd s3:`")

        def head():
            st = self.stat("small.txt")
            expect_equal("small.txt Size", st.get("Size"), len(SMALL))
            expect_equal("small.txt md5", st.get("Hashes", {}).get("md5"), md5(SMALL))
            st = self.stat("big.bin")
            expect_equal("big.bin Size", st.get("Size"), len(BIG))
            expect_equal("big.bin md5", st.get("Hashes", {}).get("md5"), md5(BIG))

        def md5sum():
            r = self.rclone("md5sum", self.remote())
            got = {}
            for line in r.out.splitlines():
                digest, name = line.split("  ", 1)
                got[name] = digest
            expect_equal("rclone md5sum", got, {k: md5(v) for k, v in OBJECTS.items()})

        def get_cat():
            r = self.rclone("cat", self.remote("small.txt"), binary=True)
            expect_equal("rclone cat small.txt", sha(r.out), sha(SMALL))

        def get_recursive():
            self.rclone("copy", self.remote("odd"), self.down / "rec")
            expect_equal("rclone copy s3:B/odd", tree(self.down / "rec"), ODD_TREE)

        def get_range():
            r = self.rclone("cat", "--offset", "1000", "--count", "1000", self.remote("big.bin"), binary=True)
            expect(r.out == BIG[1000:2000], f"rclone cat --offset 1000 --count 1000: {len(r.out)} bytes, not bytes 1000-1999")

        def copy(key):
            r = self.rclone("copyto", "-v", self.remote(key), self.remote("copy/" + key))
            expect("server-side copy" in r.err, f"no server-side copy logged: {r.brief()}")

        def metadata():
            sets = [a for k, v in META.items() for a in ("--metadata-set", f"{k}={v}")]
            self.rclone("copyto", "-M", *sets, "--metadata-set", f"content-type={CONTENT_TYPE}",
                        self.local("small.txt"), self.remote("meta.txt"))
            st = self.stat("meta.txt")
            for k, v in META.items():
                expect_equal(f"metadata {k}", st.get("Metadata", {}).get(k), v)
            expect_equal("MimeType", st.get("MimeType"), CONTENT_TYPE)

        def sync(expected):
            r = self.rclone("sync", "-v", self.syncdir, self.remote("sync"))
            expect(re.search(r"^Transferred:\s+[\d.]+ \S*B / ", r.err, re.M), f"no Transferred lines: {r.brief()}")
            count = re.search(r"^Transferred:\s+(\d+) / \d+, ", r.err, re.M)
            transferred = int(count.group(1)) if count else 0
            expect_equal("files transferred", transferred, expected)
            copied = len(re.findall(r": Copied \(", r.err))
            expect_equal("Copied lines", copied, expected)

        def sync_first():
            sync(len(SYNC))
            expect_equal("synced keys", self.lsf(self.remote("sync"), recursive=True), set(SYNC))

        def sync_down():
            self.rclone("sync", self.remote("sync"), self.down / "sync")
            expect_equal("synced down", tree(self.down / "sync"), digests(SYNC))

        def check():
            r = self.rclone("check", self.syncdir, self.remote("sync"))
            expect("0 differences found" in r.err, f"no '0 differences found': {r.brief()}")
            expect(f"{len(SYNC)} matching files" in r.err, f"no '{len(SYNC)} matching files': {r.brief()}")
            # The same check fails for a local copy differing in one file's
            # bytes (same size), so the md5s are compared.
            other = self.work / "sync-changed"
            shutil.copytree(self.syncdir, other)
            (other / "one.txt").write_bytes(b"FIRST\n")
            self.rclone_refused(["1 differences found", "one.txt: md5 differ"], "check", other, self.remote("sync"))

        def presigned():
            self.presigned(lambda key: self.rclone("link", self.remote(key)).out.strip().splitlines()[-1])

        def missing_key():
            # A file that HeadObject does not find is, to rclone, maybe a
            # directory: deletefile refuses it; cat lists it (prefix
            # `missing/`), finds nothing, prints nothing and exits 0.
            self.rclone_refused(["doesn't exist"], "deletefile", self.remote("missing"))
            r = self.rclone("cat", self.remote("missing"), binary=True)
            expect_equal("rclone cat of a missing key", (r.out, r.err), (b"", ""))

        def missing_bucket():
            mb = self.missing_bucket
            # A listing's NoSuchBucket is rclone's "directory not found" (exit 3).
            r = self.rclone_refused(["directory not found"], "ls", f"s3:{mb}")
            expect_equal("rclone ls exit status", r.rc, 3)
            self.rclone_refused(["directory not found"], "cat", f"s3:{mb}/k")
            self.rclone_refused(["NoSuchBucket"], "rmdir", f"s3:{mb}")

        def delete_object():
            self.rclone("deletefile", self.remote("small.txt"))
            left = self.lsf(self.remote())
            expect("small.txt" not in left and "big.bin" in left, f"after deletefile small.txt, lsf s3:B gives {sorted(left)}")

        def delete_recursive():
            self.rclone("delete", self.remote("sync"))
            expect_equal("keys left under sync", self.lsf(self.remote("sync"), recursive=True), set())

        def remove_non_empty():
            self.rclone_refused(["BucketNotEmpty"], "rmdir", f"s3:{b}")
            expect(b in buckets(), f"{b} gone after a refused rmdir")

        def remove_bucket():
            self.rclone("delete", f"s3:{b}")
            self.rclone("rmdir", f"s3:{b}")
            expect(b not in buckets(), f"{b} still listed")

        return [
            ("make-bucket", make_bucket),
            ("list-buckets", list_buckets),
            *self.put_steps(),
            ("list-flat", lambda: expect_equal("rclone lsf -R", self.lsf(self.remote(), recursive=True), KEYS)),
            ("list-prefix", lambda: expect_equal("rclone lsf -R s3:B/odd", self.lsf(self.remote("odd"), recursive=True), odd_rel)),
            ("list-delimiter", lambda: (
                expect_equal("rclone lsf s3:B", self.lsf(self.remote()), {"small.txt", "empty.txt", "big.bin", "odd/"}),
                expect_equal("rclone lsf s3:B/odd", self.lsf(self.remote("odd")), {k[4:] for k in ODD} | {"deeper/"}),
            )),
            ("head", head),
            ("md5sum", md5sum),
            *self.get_steps(),
            ("get-cat", get_cat),
            ("get-recursive", get_recursive),
            ("get-range", get_range),
            *self.copy_steps(copy),
            ("metadata", metadata),
            ("sync-first", sync_first),
            ("sync-second", lambda: sync(0)),
            ("sync-down", sync_down),
            ("check", check),
            ("presigned-url", presigned),
            ("missing-key", missing_key),
            ("missing-bucket", missing_bucket),
            ("delete-object", delete_object),
            ("delete-recursive", delete_recursive),
            ("remove-non-empty-bucket", remove_non_empty),
            ("remove-bucket", remove_bucket),
        ]


TOOLS = {"aws": Aws, "s3cmd": S3cmd, "rclone": Rclone}


def main():
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("endpoint", help="http://127.0.0.1:PORT")
    ap.add_argument("--tool", action="append", choices=sorted(TOOLS), help="run this tool's session only (repeatable)")
    ap.add_argument("--tools-dir", default=here.parent.parent / "target/interop-tools", type=Path,
                    help="where install.sh put the AWS CLI (default: target/interop-tools)")
    ap.add_argument("--bucket-prefix", help="bucket names start with this (default: s3err-RANDOM)")
    ap.add_argument("--keep", action="store_true", help="keep the work directories (each has session.log)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every command and its output")
    args = ap.parse_args()
    if not re.fullmatch(r"http://[^/]+", args.endpoint.rstrip("/")):
        ap.error("ENDPOINT must be http://HOST:PORT")
    prefix = args.bucket_prefix or f"s3err-{secrets.token_hex(3)}"
    ok = True
    for name in args.tool or ["aws", "s3cmd", "rclone"]:
        work = tempfile.mkdtemp(prefix=f"s3err-{name}-")
        try:
            session = TOOLS[name](args.endpoint, work, args.tools_dir, prefix, args.verbose)
            ok &= session.execute()
        finally:
            if args.keep:
                print(f"{name}: work directory {work}", file=sys.stderr)
            else:
                shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
