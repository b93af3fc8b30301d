#!/usr/bin/env bash
# The C API (capi/): the header, the C tests, the C firmware, its size.
#
#   scripts/capi.sh header     regenerate capi/include/s3err.h; fail if it differs from the committed one
#   scripts/capi.sh lint       rustfmt, clippy (host and thumbv7m-none-eabi), the generator's tests
#   scripts/capi.sh host       the C test suite (C99, -Werror -pedantic) under ASan + UBSan,
#                              default features and `s3` alone; the C++17 translation unit
#   scripts/capi.sh firmware   the C firmware on QEMU lm3s6965evb: exits 0, and 1 with a wrong expectation
#   scripts/capi.sh size       flash the C firmware adds, with and without descriptions;
#                              rewrites the table in capi/README.md
#   scripts/capi.sh            all of the above but size, in that order
#
# Needs gcc, g++, arm-none-eabi-gcc with newlib (Debian: gcc-arm-none-eabi,
# libnewlib-arm-none-eabi), qemu-system-arm and the thumbv7m-none-eabi
# rust target.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
capi="$root/capi"
cd "$capi"
target_dir="${CARGO_TARGET_DIR:-$capi/target}"
out="$target_dir/c"
mkdir -p "$out"

# Expected facts for the tests, from the sources, not from the library.
version=$(sed -n '/^\[package\]/,/^\[/s/^version = "\(.*\)"/\1/p' "$root/Cargo.toml")

header() {
  git -C "$root" ls-files --error-unmatch capi/include/s3err.h >/dev/null
  cargo run --quiet -p s3err-capi-gen
  git -C "$root" diff --exit-code -- capi/include/s3err.h ||
    { echo "FAIL: capi/include/s3err.h is not what the generator writes (run: cd capi && cargo run -p s3err-capi-gen)" >&2; exit 1; }
  echo "ok: the committed header equals a fresh generation"
}

lint() {
  cargo fmt --all -- --check
  cargo clippy --workspace --all-targets -- -D warnings
  cargo clippy --no-default-features --features s3 -- -D warnings
  cargo clippy --target thumbv7m-none-eabi -- -D warnings
  cargo test --quiet --workspace
}

# staticlib DIR CARGO_ARGS... -> the host staticlib built with CARGO_ARGS, copied to DIR
host_lib() {
  local dir=$1
  shift
  cargo rustc --quiet --lib --crate-type staticlib "$@"
  mkdir -p "$dir"
  cp "$target_dir/debug/libs3err.a" "$dir/"
}

cflags=(-std=c99 -Wall -Wextra -Werror -pedantic -g -O1 -I "$capi/include")
san=(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
# What the std staticlib needs from the system (rustc --print native-static-libs).
syslibs=(-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc)

host() {
  local set label args groups desc
  for set in "default|s3,iam,zenko|1|" "s3|s3|0|--no-default-features --features s3"; do
    IFS='|' read -r label groups desc args <<<"$set"
    echo "-- host C tests, features: $label (ASan + UBSan)"
    # shellcheck disable=SC2086 # $args is a list of arguments
    host_lib "$out/host-$label" $args
    gcc "${cflags[@]}" "${san[@]}" tests/host.c "$out/host-$label/libs3err.a" "${syslibs[@]}" -o "$out/host-$label/host"
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
      "$out/host-$label/host" "$root/data/errors.tsv" "$groups" "$desc" "$version"
  done
  echo "-- C++17 translation unit"
  g++ -std=c++17 -Wall -Wextra -Werror -pedantic -I "$capi/include" tests/cxx.cpp \
    "$out/host-default/libs3err.a" "${syslibs[@]}" -o "$out/cxx"
  "$out/cxx"
}

if (($#)); then steps=("$@"); else steps=(header lint host firmware); fi
for s in "${steps[@]}"; do
  case $s in
    header | lint | host | firmware | size) "$s" ;;
    *) echo "unknown step: $s" >&2; exit 2 ;;
  esac
done
