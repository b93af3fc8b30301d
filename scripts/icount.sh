#!/usr/bin/env bash
# Exact instruction counts per lookup on a Cortex-M3 (QEMU lm3s6965evb).
#
# Builds firmware/src/bin/icount.rs (release, fat LTO, opt-level s), runs it
# twice under QEMU with one guest instruction per translation block and an
# unchained execution trace, so that every executed instruction is one
# "Trace" line tagged with the symbol it belongs to. The instructions
# between the `icount_begin` and `icount_end` markers that are not in an
# `icount_*` function are the lookup's own (plus what it calls, e.g. the
# SipHash rounds and memcmp). Fails unless both runs exit 0 and agree.
#
# Usage: scripts/icount.sh            (prints a markdown table)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target=thumbv7m-none-eabi
elf="$root/firmware/target/$target/release/icount"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$root/firmware" && cargo build --quiet --release --target "$target" --bin icount)

qver="$(qemu-system-arm --version | sed -n 's/.*version \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')"
read -r qmaj qmin <<<"$qver"
if ((qmaj > 8 || (qmaj == 8 && qmin >= 1))); then
  one_insn=(-accel tcg,one-insn-per-tb=on)
else
  one_insn=(-singlestep)
fi

count() { # $1: output file of per-window counts
  local log="$work/exec.log"
  timeout 120 qemu-system-arm -machine lm3s6965evb -cpu cortex-m3 \
    -display none -monitor none -serial null \
    -semihosting-config enable=on,target=native \
    "${one_insn[@]}" -d exec,nochain -D "$log" -kernel "$elf" 2>/dev/null || {
    echo "icount: firmware failed (exit $?): a lookup gave a wrong answer" >&2
    exit 1
  }
  awk '/^Trace/ {
         sym = $NF
         if (sym == "icount_begin") { inside = 1; n = 0 }
         else if (sym == "icount_end") { if (inside) print n; inside = 0 }
         else if (inside && sym !~ /^icount_/) n++
       }' "$log" >"$1"
  rm -f "$log"
}

count "$work/run1"
count "$work/run2"
if ! cmp -s "$work/run1" "$work/run2"; then
  echo "icount: two runs disagree: counts are not deterministic" >&2
  diff "$work/run1" "$work/run2" | head >&2
  exit 1
fi

windows=$(wc -l <"$work/run1")
per=$((windows / 3))         # per lookup: N hits, N misses, 2 too-long
names=$(((per - 2) / 2))
longest=$(awk -F'\t' '!/^#/ && NF { if (length($2) > m) m = length($2) } END { print m }' "$root/data/errors.tsv")
if ((windows != 3 * (2 * names + 2) || names < 1)); then
  echo "icount: unexpected window count $windows" >&2
  exit 1
fi

echo "Instructions executed per lookup call (Cortex-M3, lm3s6965evb, $(qemu-system-arm --version | head -1 | sed 's/ (.*//'), release + fat LTO, opt-level s; $names names; two runs identical)"
echo
awk -v n="$names" '
  { c[NR - 1] = $1 }
  function stats(base, len,    i, s, lo, hi) {
    s = 0; lo = c[base]; hi = c[base]
    for (i = base; i < base + len; i++) { s += c[i]; if (c[i] < lo) lo = c[i]; if (c[i] > hi) hi = c[i] }
    avg = s / len; mn = lo; mx = hi
  }
  END {
    split("s3err `ErrorCode::from_name`|`match` on the name|plain `phf::Map<&str, u8>`", label, "|")
    print "| lookup | hit, mean | hit, min–max | miss, mean | miss, min–max | too long (" long1 " B) | too long (1 KiB) |"
    print "|---|---:|---:|---:|---:|---:|---:|"
    for (k = 0; k < 3; k++) {
      b = k * (2 * n + 2)
      stats(b, n);     ha[k] = avg; hr = mn "–" mx
      stats(b + n, n); ma[k] = avg; mr = mn "–" mx
      l1[k] = c[b + 2 * n]; lk[k] = c[b + 2 * n + 1]
      printf "| %s | %.1f | %s | %.1f | %s | %d | %d |\n", label[k + 1], ha[k], hr, ma[k], mr, l1[k], lk[k]
    }
    print ""
    print "| ratio | hit | miss | too long (1 KiB) |"
    print "|---|---:|---:|---:|"
    printf "| s3err / plain phf | %.2f | %.2f | %.3f |\n", ha[0] / ha[2], ma[0] / ma[2], lk[0] / lk[2]
    printf "| s3err / match | %.2f | %.2f | %.2f |\n", ha[0] / ha[1], ma[0] / ma[1], lk[0] / lk[1]
  }' long1="$((longest + 1))" "$work/run1"
