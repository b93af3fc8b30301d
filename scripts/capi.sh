#!/usr/bin/env bash
# The C API (capi/): the header, the C tests, the C firmware, its size.
#
#   scripts/capi.sh header     regenerate capi/include/s3err.h; fail if it differs from the committed one
#   scripts/capi.sh lint       rustfmt, clippy (host, thumbv7m, riscv32imc), rustdoc, the unit tests
#   scripts/capi.sh host       the C test suite (C99, -Werror -pedantic) under ASan + UBSan,
#                              default features and `s3` alone; the C++17 translation unit
#   scripts/capi.sh firmware   the C firmware on QEMU lm3s6965evb: exits 0, and 1 with a wrong expectation
#   scripts/capi.sh riscv      the same C firmware, freestanding, on QEMU virt (riscv32imc)
#   scripts/capi.sh size       flash the C firmware adds, with and without descriptions;
#                              rewrites the table in capi/README.md
#   scripts/capi.sh            all of the above but size, in that order
#
# Needs gcc, g++, arm-none-eabi-gcc with newlib (Debian: gcc-arm-none-eabi,
# libnewlib-arm-none-eabi), riscv64-unknown-elf-gcc (gcc-riscv64-unknown-elf),
# qemu-system-arm, qemu-system-riscv32 (qemu-system-misc) and the
# thumbv7m-none-eabi and riscv32imc-unknown-none-elf rust targets.
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
  # Prints "dropping unsupported crate type `cdylib`" (not a lint): the
  # manifest's cdylib is for hosts.
  cargo clippy --target thumbv7m-none-eabi -- -D warnings
  cargo clippy --target riscv32imc-unknown-none-elf -- -D warnings
  RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps --workspace
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

# ---- C firmware (Cortex-M3, QEMU lm3s6965evb).

# Codes of the given groups, as the library's own reader of the data file
# counts them (`cargo xtask names`: live rows only).
codes_in() { # comma-separated groups
  local g n=0
  for g in ${1//,/ }; do
    n=$((n + $( (cd "$root" && cargo xtask names --group "$g") | wc -l)))
  done
  echo "$n"
}

arm_cflags=(-mcpu=cortex-m3 -mthumb -Os -g -ffunction-sections -fdata-sections -Wall -Wextra -Werror -DBOARD='"lm3s6965evb"'
  -I "$capi/include" -I "$capi/firmware")
arm_ldflags=(-nostartfiles --specs=nano.specs --specs=nosys.specs -L "$root/firmware"
  -T "$capi/firmware/link.ld" -Wl,--gc-sections -Wl,--no-warn-execstack)

# arm_lib LABEL CARGO_ARGS... -> the thumbv7m staticlib (release: fat LTO,
# opt-level s, panic abort) in $out/thumbv7m-LABEL/. `cargo rustc
# --crate-type staticlib` builds the staticlib alone: a bare-metal target
# has no cdylib, and the manifest keeps both for hosts.
arm_lib() {
  local label=$1
  shift
  cargo rustc --quiet --release --target thumbv7m-none-eabi --lib --crate-type staticlib "$@"
  mkdir -p "$out/thumbv7m-$label"
  cp "$target_dir/thumbv7m-none-eabi/release/libs3err.a" "$out/thumbv7m-$label/"
}

# arm_elf LABEL PROGRAM [CFLAGS...] -> $out/thumbv7m-LABEL/PROGRAM.elf
arm_elf() {
  local label=$1 program=$2 dir="$out/thumbv7m-$1"
  shift 2
  arm-none-eabi-gcc "${arm_cflags[@]}" -std=c99 -pedantic "$@" -c "$capi/firmware/$program.c" -o "$dir/$program.o"
  arm-none-eabi-gcc "${arm_cflags[@]}" -c "$capi/firmware/startup.c" -o "$dir/startup.o"
  arm-none-eabi-gcc "${arm_cflags[@]}" -c "$capi/firmware/semihosting.c" -o "$dir/semihosting.o"
  local lib=()
  [[ $program != baseline ]] && lib=("$dir/libs3err.a")
  arm-none-eabi-gcc "${arm_cflags[@]}" "${arm_ldflags[@]}" "$dir/$program.o" "$dir/startup.o" "$dir/semihosting.o" "${lib[@]}" \
    -Wl,-Map="$dir/$program.map" -o "$dir/$program.elf"
}

# qemu_run ELF -> output in $out/qemu.out, exit status in $status
qemu_run() {
  set +e
  timeout 60 qemu-system-arm -machine lm3s6965evb -cpu cortex-m3 -display none -monitor none -serial null \
    -semihosting-config enable=on,target=native -kernel "$1" >"$out/qemu.out" 2>&1
  status=$?
  set -e
  sed 's/^/    /' "$out/qemu.out"
}

firmware() {
  local set label groups desc args
  for set in "default|s3,iam,zenko|1|" "nodesc|s3,iam,zenko|0|--no-default-features --features s3,iam,zenko"; do
    IFS='|' read -r label groups desc args <<<"$set"
    echo "-- C firmware on lm3s6965evb, features: $label"
    # shellcheck disable=SC2086 # $args is a list of arguments
    arm_lib "$label" $args
    arm_elf "$label" check -DEXPECT_COUNT="$(codes_in "$groups")" -DDESCRIPTIONS="$desc"
    qemu_run "$out/thumbv7m-$label/check.elf"
    [[ $status == 0 ]] || { echo "FAIL: the C firmware exited with status $status" >&2; exit 1; }
    grep -qx PASS "$out/qemu.out" || { echo "FAIL: no PASS in its output" >&2; exit 1; }
    grep -q '^<Error><Code>NoSuchKey</Code>' "$out/qemu.out" || { echo "FAIL: no rendered body" >&2; exit 1; }
    echo "ok: exit 0"
  done
  echo "-- a wrong expectation must exit 1"
  arm_elf default check -DEXPECT_COUNT="$(codes_in s3,iam,zenko)" -DDESCRIPTIONS=1 -DWRONG_EXPECTATION
  qemu_run "$out/thumbv7m-default/check.elf"
  [[ $status == 1 ]] || { echo "FAIL: a failed check gave exit status $status, not 1" >&2; exit 1; }
  grep -qx 'FAIL: NoSuchKey status' "$out/qemu.out" || { echo "FAIL: the failed check is not named" >&2; exit 1; }
  echo "ok: a failed check exits 1"
}

# ---- C firmware (RISC-V rv32imc, QEMU virt), freestanding: no C library,
# semihosting and the few string functions of its own (firmware/riscv/).

rv_cflags=(-march=rv32imc -mabi=ilp32 -Os -g -ffreestanding -ffunction-sections -fdata-sections -DBOARD='"virt"'
  -Wall -Wextra -Werror -I "$capi/firmware/riscv" -I "$capi/include" -I "$capi/firmware")

riscv() {
  local dir="$out/riscv32imc" program
  echo "-- C firmware on QEMU virt (riscv32imc), default features"
  cargo rustc --quiet --release --target riscv32imc-unknown-none-elf --lib --crate-type staticlib
  mkdir -p "$dir"
  cp "$target_dir/riscv32imc-unknown-none-elf/release/libs3err.a" "$dir/"
  for program in check wrong; do
    local defs=(-DEXPECT_COUNT="$(codes_in s3,iam,zenko)" -DDESCRIPTIONS=1)
    [[ $program == wrong ]] && defs+=(-DWRONG_EXPECTATION)
    riscv64-unknown-elf-gcc "${rv_cflags[@]}" -std=c99 -pedantic "${defs[@]}" -c "$capi/firmware/check.c" -o "$dir/$program.o"
    riscv64-unknown-elf-gcc "${rv_cflags[@]}" -c "$capi/firmware/riscv/startup.c" -o "$dir/startup.o"
    riscv64-unknown-elf-gcc "${rv_cflags[@]}" -c "$capi/firmware/semihosting.c" -o "$dir/semihosting.o"
    # -fno-builtin: the compiler must not turn these loops into calls to themselves.
    riscv64-unknown-elf-gcc "${rv_cflags[@]}" -fno-builtin -c "$capi/firmware/riscv/libc.c" -o "$dir/libc.o"
    riscv64-unknown-elf-gcc "${rv_cflags[@]}" -nostdlib -L "$root/firmware" -T "$capi/firmware/riscv/link.ld" \
      -Wl,--gc-sections -Wl,--no-warn-rwx-segments "$dir/$program.o" "$dir/startup.o" "$dir/semihosting.o" "$dir/libc.o" "$dir/libs3err.a" \
      -lgcc -o "$dir/$program.elf"
  done
  set +e
  timeout 60 qemu-system-riscv32 -machine virt -bios none -display none -monitor none -serial null \
    -semihosting-config enable=on,target=native -kernel "$dir/check.elf" >"$out/qemu.out" 2>&1
  status=$?
  set -e
  sed 's/^/    /' "$out/qemu.out"
  [[ $status == 0 ]] && grep -qx PASS "$out/qemu.out" || { echo "FAIL: RISC-V C firmware exited $status" >&2; exit 1; }
  echo "ok: exit 0"
  set +e
  timeout 60 qemu-system-riscv32 -machine virt -bios none -display none -monitor none -serial null \
    -semihosting-config enable=on,target=native -kernel "$dir/wrong.elf" >"$out/qemu.out" 2>&1
  status=$?
  set -e
  sed 's/^/    /' "$out/qemu.out"
  [[ $status == 1 ]] || { echo "FAIL: a failed check on RISC-V gave exit status $status, not 1" >&2; exit 1; }
  echo "ok: a failed check exits 1"
}

# ---- Flash the C firmware adds.

# flash ELF -> bytes of flash: every section loaded from flash (vectors,
# code, read-only data, unwind index, .data's initial values).
flash() {
  arm-none-eabi-size -A "$1" | awk '$1 ~ /^\.(vectors|text|rodata|ARM\.exidx|data)$/ { n += $2 } END { print n + 0 }'
}

# The table, as capi/README.md shows it between its size markers.
size_table() {
  local set label args base probe check
  echo "| s3err features | lookup, status, description (\`probe.c\`) | the whole C API used by \`check.c\` |"
  echo "|---|---:|---:|"
  for set in "default (s3, iam, zenko, descriptions)|" "s3, iam, zenko (no descriptions)|--no-default-features --features s3,iam,zenko" \
    "s3 alone (no descriptions)|--no-default-features --features s3"; do
    IFS='|' read -r label args <<<"$set"
    echo "size: $label" >&2
    # shellcheck disable=SC2086 # $args is a list of arguments
    arm_lib size $args
    arm_elf size baseline
    arm_elf size probe
    arm_elf size check -DEXPECT_COUNT=0 -DDESCRIPTIONS=0
    base=$(flash "$out/thumbv7m-size/baseline.elf")
    probe=$(flash "$out/thumbv7m-size/probe.elf")
    check=$(flash "$out/thumbv7m-size/check.elf")
    printf '| %s | %+d B | %+d B |\n' "$label" $((probe - base)) $((check - base))
  done
  echo
  echo "s3err $version, $(rustc --version | cut -d' ' -f1-2), $(arm-none-eabi-gcc --version | head -1 | sed 's/ (.*)//'), newlib-nano; thumbv7m-none-eabi."
}

size() {
  local table readme="$capi/README.md"
  table=$(size_table)
  echo "$table"
  grep -q '^<!-- size:begin' "$readme" && grep -q '^<!-- size:end' "$readme" ||
    { echo "size: $readme lacks the size markers" >&2; exit 1; }
  awk -v table="$table" '/^<!-- size:begin/ { print; print table; skip = 1; next }
    /^<!-- size:end/ { skip = 0 } !skip' "$readme" >"$out/README.md"
  mv "$out/README.md" "$readme"
  echo "size: table written to capi/README.md"
}

if (($#)); then steps=("$@"); else steps=(header lint host firmware riscv); fi
for s in "${steps[@]}"; do
  case $s in
    header | lint | host | firmware | riscv | size) "$s" ;;
    *) echo "unknown step: $s" >&2; exit 2 ;;
  esac
done
