#!/usr/bin/env bash
# Runs s3err inside Cortex-M firmware under QEMU and checks the decoded
# defmt log (lookups of every code, junk refused, one S3 error body
# rendered into a heapless::String and parsed back) and the semihosting
# exit status, on three boards:
#   lm3s6965evb (Cortex-M3,  thumbv7m-none-eabi)
#   mps2-an386  (Cortex-M4F, thumbv7em-none-eabihf)
#   microbit    (Cortex-M0,  thumbv6m-none-eabi, 16 KiB RAM)
# then the same firmware with only the `s3` group, a deliberate panic
# (must exit 1), and the panic-never link on those three and on RISC-V
# (riscv32imc, QEMU virt): no panicking branch may remain in from_name,
# from_bytes, lookup, status, description, record; then the same with the
# XML renderer added; PANIC_NEVER_XML=warn turns a failed renderer link
# into a warning while debugging.
#
# Needs qemu-system-arm, qemu-system-riscv32 (Debian: qemu-system-misc),
# defmt-print (`cargo install defmt-print --locked`) and the four rust
# targets.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
fw="$root/firmware"
export DEFMT_LOG=debug
panic_never_xml=${PANIC_NEVER_XML:-require} # require | warn
log_dir="$(mktemp -d)"
trap 'rm -rf "$log_dir"' EXIT

# Expected numbers, from the data file (not from the library), as the
# library's own reader reads it (`cargo xtask names`: the live names,
# retired rows left out).
# The check firmware is built with the default groups (firmware/Cargo.toml).
names=$(cd "$root" && for g in s3 iam zenko; do cargo xtask names --group "$g"; done)
all=$(wc -l <<<"$names")
s3=$( (cd "$root" && cargo xtask names --group s3) | wc -l)
longest=$(wc -L <<<"$names")
cd "$fw" # .cargo/config.toml and rust-toolchain.toml are found from the current directory

machine() {
  case "$1" in
    thumbv7m-none-eabi) echo "lm3s6965evb -cpu cortex-m3" ;;
    thumbv7em-none-eabihf) echo "mps2-an386 -cpu cortex-m4" ;;
    thumbv6m-none-eabi) echo "microbit" ;;
    riscv32imc-unknown-none-elf) echo "virt -bios none" ;;
  esac
}
qemu() { if [[ $1 == riscv32* ]]; then echo qemu-system-riscv32; else echo qemu-system-arm; fi; }

# run TARGET BIN PROFILE -> log in $log_dir/out (decoded by defmt-print for
# `check`, the one binary that logs), exit status in $status
run() {
  local target=$1 bin=$2 profile=$3
  local elf="${CARGO_TARGET_DIR:-$fw/target}/$target/$profile/$bin"
  set +e
  # shellcheck disable=SC2046 # word splitting of the machine options is wanted
  timeout 60 "$(qemu "$target")" -machine $(machine "$target") \
    -display none -monitor none -serial null \
    -semihosting-config enable=on,target=native -kernel "$elf" 2>"$log_dir/qemu.err" |
    if [[ $bin == check ]]; then defmt-print -e "$elf"; else cat; fi >"$log_dir/out" 2>&1
  status=${PIPESTATUS[0]}
  set -e
  sed 's/^/    /' "$log_dir/out"
}

expect() { # regex...
  local re
  for re in "$@"; do
    grep -Eq -- "$re" "$log_dir/out" || { echo "FAIL: decoded log lacks /$re/" >&2; exit 1; }
  done
}

check_run() { # TARGET BOARD CODES NOSUCHKEY_DESCRIPTION
  local target=$1 board=$2 codes=$3 desc=$4
  run "$target" check release
  [[ $status == 0 ]] || { echo "FAIL: $board exited with status $status" >&2; exit 1; }
  if grep -Eq '^(ERROR|WARN)' "$log_dir/out"; then echo "FAIL: errors logged on $board" >&2; exit 1; fi
  expect "^INFO +s3err check on $board: $codes codes, longest name [0-9]+ bytes$" \
    "^INFO +round trip: $codes/$codes codes$" \
    "^INFO +NoSuchKey -> 404 ${desc}$" \
    "^INFO +junk refused: 10/10$" \
    "^INFO +rendered [0-9]+ bytes:$" \
    "^<Error><Code>NoSuchKey</Code><Message>${desc:-NoSuchKey}</Message><Resource>/bucket/a&amp;b\.txt</Resource>" \
    "^INFO +parsed back: NoSuchKey$" \
    "^INFO +PASS$"
  echo "ok: $board, $codes codes, exit 0"
}

# FIRMWARE_QUICK=1: the check on the Cortex-M3 board only (the code count,
# the longest name, the round trip), for CI's grown-table step.
boards=(thumbv7m-none-eabi thumbv7em-none-eabihf thumbv6m-none-eabi)
[[ ${FIRMWARE_QUICK:-0} == 1 ]] && boards=(thumbv7m-none-eabi)
for target in "${boards[@]}"; do
  board=$(machine "$target" | cut -d' ' -f1)
  echo "-- check on $board ($target), default features"
  cargo build --quiet --release --target "$target" --features defmt,heapless --bin check
  check_run "$target" "$board" "$all" "The specified key does not exist\\."
  grep -Eq "longest name $longest bytes" "$log_dir/out" || { echo "FAIL: longest name" >&2; exit 1; }
done
if [[ ${FIRMWARE_QUICK:-0} == 1 ]]; then
  echo "firmware: quick check passed"
  exit 0
fi

echo "-- check on lm3s6965evb, --no-default-features --features s3 (no descriptions)"
cargo build --quiet --release --target thumbv7m-none-eabi --no-default-features --features s3,defmt,heapless --bin check
check_run thumbv7m-none-eabi lm3s6965evb "$s3" ""

echo "-- a panic must exit 1 (feature demo-panic)"
cargo build --quiet --release --target thumbv7m-none-eabi --features defmt,heapless,demo-panic --bin check
run thumbv7m-none-eabi check release
[[ $status == 1 ]] || { echo "FAIL: panic gave exit status $status, not 1" >&2; exit 1; }
expect "^ERROR +panic: panicked at src/proof/check.rs" "demo-panic: deliberate panic"
echo "ok: panic logged and exit 1"
# Leave the normal firmware in place for anyone running it afterwards.
cargo build --quiet --release --target thumbv7m-none-eabi --features defmt,heapless --bin check

echo "-- panic-never link (release, fat LTO)"
for target in thumbv7m-none-eabi thumbv7em-none-eabihf thumbv6m-none-eabi riscv32imc-unknown-none-elf; do
  cargo build --quiet --release --target "$target" --bin panic_never
  run "$target" panic_never release
  [[ $status == 0 ]] || { echo "FAIL: panic_never on $target exited $status" >&2; exit 1; }
  echo "ok: panic_never links and runs on $target"
done

echo "-- panic-never link with the XML renderer (PANIC_NEVER_XML=$panic_never_xml)"
for target in thumbv7m-none-eabi thumbv7em-none-eabihf thumbv6m-none-eabi riscv32imc-unknown-none-elf; do
  if cargo build --quiet --release --target "$target" --features panic-never-xml --bin panic_never 2>"$log_dir/link.err"; then
    run "$target" panic_never release
    [[ $status == 0 ]] || { echo "FAIL: panic_never (xml) on $target exited $status" >&2; exit 1; }
    echo "ok: panic_never with the renderer links and runs on $target"
  elif grep -q 'panic-never' "$log_dir/link.err" && [[ $panic_never_xml != require ]]; then
    echo "GAP: the XML renderer keeps a panicking branch on $target (link refused by panic-never; not yet required)"
  else
    cat "$log_dir/link.err" >&2
    echo "FAIL: panic_never with the renderer does not link on $target" >&2
    exit 1
  fi
done
echo "firmware: all checks passed"
