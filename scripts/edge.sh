#!/usr/bin/env bash
# The edge device (firmware/edge) end to end: builds it, starts two
# s3err-gateways (one plain with --test-routes, one with --max-rps 1) and
# the fault server (firmware/edge/fault_server.py), each on a free port of
# 127.0.0.1, runs the device under qemu-system-riscv32 (virt, virtio-net,
# user networking restricted to three guestfwd addresses) bounded by a
# timeout, decodes its defmt log with defmt-print, and passes only if the
# device exited 0 AND logged `edge: PASS` and the lines below. Then the
# same with one scenario's expectation deliberately wrong (feature
# demo-wrong-expectation): that run must exit 1.
#
#   scripts/edge.sh            the check (CI)
#   scripts/edge.sh --figures  writes docs/edge-device-figures.md: flash and
#                              RAM with and without s3err, stack high-water
#
# Needs qemu-system-riscv32 (Debian: qemu-system-misc), defmt-print
# (`cargo install defmt-print --locked`), python3, and the
# riscv32imc-unknown-none-elf target. S3ERR_GATEWAY may name a built
# s3err-gateway (else the release one is built).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
edge="$root/firmware/edge"
target=riscv32imc-unknown-none-elf
elf="${CARGO_TARGET_DIR:-$edge/target}/$target/release/s3err-edge"
work="$(mktemp -d)"
pids=()
stop_servers() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
trap 'stop_servers; rm -rf "$work"' EXIT

# QEMU splits -netdev options at commas; the forwarder's path is in one.
[[ $edge != *,* ]] || { echo "edge: the checkout path must not contain a comma: $edge" >&2; exit 1; }

# wait_line FILE REGEX: the first match of REGEX in FILE (a server's
# stdout), waiting up to 20 s for it.
wait_line() {
  local i line
  for ((i = 0; i < 200; i++)); do
    if line=$(grep -Eo -m1 -- "$2" "$1" 2>/dev/null); then
      echo "$line"
      return
    fi
    sleep 0.1
  done
  echo "edge: no line /$2/ in $1 after 20 s" >&2
  cat "$1" >&2 || true
  exit 1
}

# start_gateway NAME ARGS...: a gateway over a fresh root holding the
# bucket `edge`; its port in $port (not printed: a command substitution
# would run it in a subshell, and its pid would not reach `pids`).
start_gateway() {
  local name=$1
  shift
  local dir
  dir=$(mktemp -d "$work/$name.XXXXXX") # a fresh root: one gateway per root
  mkdir -p "$dir/edge"
  "$gateway_bin" --root "$dir" --listen 127.0.0.1:0 "$@" \
    >"$work/$name.out" 2>"$work/$name.err" &
  pids+=($!)
  port=$(wait_line "$work/$name.out" 'listening on http://127\.0\.0\.1:[0-9]+' | sed 's/.*://')
}

# session LOG: fresh servers, one run of $elf, the decoded log in LOG and
# QEMU's exit status in $status.
session() {
  local log=$1 gateway limited faults
  start_gateway gateway --test-routes
  gateway=$port
  start_gateway limited --max-rps 1
  limited=$port
  python3 -u "$edge/fault_server.py" serve >"$work/faults.out" 2>"$work/faults.err" &
  pids+=($!)
  faults=$(wait_line "$work/faults.out" 'listening on 127\.0\.0\.1:[0-9]+' | sed 's/.*://')
  echo "servers: gateway 127.0.0.1:$gateway, limited gateway 127.0.0.1:$limited, fault server 127.0.0.1:$faults"
  # One forwarder process per guest connection (see fault_server.py).
  local fwd="python3 -I $edge/fault_server.py forward"
  local netdev="user,id=n0,restrict=on"
  netdev+=",guestfwd=tcp:10.0.2.100:80-cmd:$fwd $gateway"
  netdev+=",guestfwd=tcp:10.0.2.101:80-cmd:$fwd $limited"
  netdev+=",guestfwd=tcp:10.0.2.102:80-cmd:$fwd $faults"
  rm -f "$work/defmt.bin"
  local started=$SECONDS
  set +e
  timeout 120 qemu-system-riscv32 -machine virt -bios none -display none -monitor none \
    -serial "file:$work/defmt.bin" -semihosting-config enable=on,target=native \
    -global virtio-mmio.force-legacy=false \
    -netdev "$netdev" -device virtio-net-device,netdev=n0 \
    -kernel "$elf" 2>"$work/qemu.err"
  status=$?
  set -e
  echo "qemu: exit status $status after $((SECONDS - started)) s"
  stop_servers
  if [[ -s $work/qemu.err ]]; then sed 's/^/  qemu: /' "$work/qemu.err"; fi
  defmt-print -e "$elf" <"$work/defmt.bin" >"$log" 2>&1 || true
  sed 's/^/    /' "$log"
}

expect() { # LOG REGEX...
  local log=$1 re
  shift
  for re in "$@"; do
    grep -Eq -- "$re" "$log" || { echo "FAIL: the decoded log lacks /$re/" >&2; exit 1; }
  done
}

# id NAME: the code's one-byte id, from the data file (not from s3err).
id() {
  (cd "$root" && cargo xtask names --ids) | sed -n "s/^\([0-9]*\)\t$1\$/\1/p"
}

build() { # cargo features arguments
  (cd "$edge" && cargo build --quiet --release "$@")
}

# The release gateway: S3ERR_GATEWAY names a built one (as for the interop
# tests), else it is built (a no-op when up to date).
if [[ -n ${S3ERR_GATEWAY:-} ]]; then
  gateway_bin=$S3ERR_GATEWAY
else
  (cd "$root" && cargo build --quiet --release -p s3err-gateway)
  gateway_bin="${CARGO_TARGET_DIR:-$root/target}/release/s3err-gateway"
fi

if [[ ${1:-} == --figures ]]; then
  # flash and RAM of the same program with and without s3err, and the
  # stack high-water mark the device measures (paint at start, scan at
  # the end), written to docs/edge-device-figures.md.
  size_tool=$(ls "$(rustc --print sysroot)"/lib/rustlib/*/bin/llvm-size 2>/dev/null | head -1)
  [[ -x $size_tool ]] || { echo "edge: llvm-size not found; rustup component add llvm-tools" >&2; exit 1; }
  sections() { # ELF -> "text rodata data bss eh_frame"
    "$size_tool" -A "$1" | awk '
      $1 == ".text" { t = $2 } $1 == ".rodata" { r = $2 }
      $1 == ".data" { d = $2 } $1 == ".bss" { b = $2 } $1 == ".eh_frame" { e = $2 }
      END { print t + 0, r + 0, d + 0, b + 0, e + 0 }'
  }
  rows=()
  for variant in with without; do
    if [[ $variant == with ]]; then build; else build --no-default-features; fi
    read -r t r d b e <<<"$(sections "$elf")"
    session "$work/$variant.log"
    stack=$(sed -n 's/.*stack high-water mark: \([0-9]*\) bytes.*/\1/p' "$work/$variant.log")
    [[ -n $stack ]] || { echo "edge: no stack figure from the $variant-s3err run" >&2; exit 1; }
    rows+=("$t $r $d $b $stack $e")
  done
  build # leave the normal firmware in place
  read -r wt wr wd wb ws we <<<"${rows[0]}"
  read -r ot or od ob os oe <<<"${rows[1]}"
  out="$root/docs/edge-device-figures.md"
  {
    echo "<!-- @generated by scripts/edge.sh --figures: do not edit, run it again -->"
    echo "# Edge device: flash, RAM and stack"
    echo
    echo "The edge device (firmware/edge) built for \`$target\` (release: opt-level s, fat LTO,"
    echo "codegen-units 1, panic abort) with $(rustc --version | cut -d' ' -f1-2), sections read by"
    echo "\`llvm-size -A\`. *Without s3err* is the same program with the error handling replaced by"
    echo "a status check (\`--no-default-features\`: no s3err linked). Flash is .text + .rodata +"
    echo ".data; RAM is .data + .bss, then the stack. The stack high-water mark is measured by the"
    echo "device itself over the whole scenario run (the stack painted at start, scanned at the"
    echo "end; the status-only build runs the same scenarios, some of which it then fails)."
    echo "Not counted: .eh_frame ($we and $oe bytes), unwind tables riscv-rt's link script keeps"
    echo "although nothing unwinds (panic = abort)."
    echo
    echo "| build | .text | .rodata | .data | .bss | flash | RAM (static) | stack high-water |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    printf '| with s3err (group s3, XML parser, no descriptions) | %d | %d | %d | %d | **%d** | %d | %d |\n' \
      "$wt" "$wr" "$wd" "$wb" $((wt + wr + wd)) $((wd + wb)) "$ws"
    printf '| without s3err (status check) | %d | %d | %d | %d | **%d** | %d | %d |\n' \
      "$ot" "$or" "$od" "$ob" $((ot + or + od)) $((od + ob)) "$os"
    printf '| s3err'"'"'s share | %+d | %+d | %+d | %+d | **%+d** | %+d | %+d |\n' \
      $((wt - ot)) $((wr - or)) $((wd - od)) $((wb - ob)) $((wt + wr + wd - ot - or - od)) \
      $((wd + wb - od - ob)) $((ws - os))
  } >"$out"
  cat "$out"
  exit 0
fi

echo "-- a wrong expectation must exit 1 (feature demo-wrong-expectation)"
build --features demo-wrong-expectation
session "$work/wrong.log"
[[ $status == 1 ]] || { echo "FAIL: a wrong expectation gave exit status $status, not 1" >&2; exit 1; }
expect "$work/wrong.log" "scenario no-such-key: FAIL: gave up after 1 attempt" "edge: FAIL: 1 of [0-9]+ scenarios"
if grep -q 'edge: PASS' "$work/wrong.log"; then echo "FAIL: PASS logged by a failing run" >&2; exit 1; fi
echo "ok: the wrong expectation was caught, exit 1"

echo "-- the device against the gateways and the fault server"
build
session "$work/edge.log"
log="$work/edge.log"
[[ $status == 0 ]] || { echo "FAIL: the device exited with status $status" >&2; exit 1; }
if grep -Eq '^(ERROR|panic)' "$log"; then echo "FAIL: errors logged" >&2; exit 1; fi
n=$(grep -Ec '^INFO +scenario [a-z0-9-]+: ok after' "$log" || true)
expect "$log" "^INFO +edge: PASS: $n scenarios in [0-9]+ ms$"
[[ $n -ge 16 ]] || { echo "FAIL: only $n scenarios passed" >&2; exit 1; }
for s in put get head no-such-key head-missing delete get-deleted slow-down internal-error \
  500-twice 503-once error-in-200 too-large truncated malformed closed; do
  expect "$log" "^INFO +scenario $s: ok after"
done
# Codes logged as their one-byte ids, decoded on the host; the ids come
# from data/errors.tsv.
nsk=$(id NoSuchKey) slow=$(id SlowDown) ie=$(id InternalError) su=$(id ServiceUnavailable)
[[ $nsk == 61 ]] || { echo "FAIL: NoSuchKey's id is $nsk in data/errors.tsv" >&2; exit 1; }
expect "$log" \
  "^WARN +S3 error NoSuchKey \(id $nsk\) in HTTP 404: retry Never$" \
  "^WARN +HTTP 404 without a body: retry Never \(by status\)$" \
  "^WARN +S3 error SlowDown \(id $slow\) in HTTP 503: retry Throttle$" \
  "^INFO +scenario slow-down: [1-9][0-9]* throttling error\(s\) backed off$" \
  "^WARN +S3 error InternalError \(id $ie\) in HTTP 500: retry Transient$" \
  "^INFO +attempt 3: giving up \(Attempts\)$" \
  "^WARN +S3 error ServiceUnavailable \(id $su\) in HTTP 503: retry Transient$" \
  "^WARN +S3 error InternalError \(id $ie\) in HTTP 200: retry Transient$" \
  "^WARN +GET /edge/too-large: BodyTooLarge \{ status: 503, length: Some\(4[0-9]{3}\) \}: retry Transient$" \
  "^WARN +HTTP 404, body unreadable: ParseError \{ kind: UnexpectedEof, offset: [0-9]+, detail: \"\" \}: retry Never \(by status\)$" \
  "^WARN +HTTP 503, body unreadable: ParseError \{ kind: MismatchedTag, offset: [0-9]+, detail: \"\" \}: retry Transient \(by status\)$" \
  "^WARN +GET /edge/closed: ClosedInBody \{ status: 200, received: 20, expected: 64 \}: retry Transient$" \
  "^INFO +GET /edge/reading.txt: HTTP 200, [0-9]+ body bytes$" \
  "^INFO +stack high-water mark: [0-9]+ bytes$"
# Keep-alive: one connection to the gateway for its first seven requests,
# a second after the device talked to the other one; one to the fault
# server, and a second after it closed mid-answer (a body too large was
# read past, keeping the connection).
connections() { grep -Ec "^INFO +connected to $1:80 from port" "$log" || true; }
[[ $(connections 10.0.2.100) == 2 && $(connections 10.0.2.102) == 2 ]] || {
  echo "FAIL: connections: $(connections 10.0.2.100) to the gateway, $(connections 10.0.2.102) to the fault server; 2 each expected" >&2
  exit 1
}
echo "edge: all checks passed"
