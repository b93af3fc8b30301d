#!/usr/bin/env bash
# Exact instruction counts per lookup call, on two boards under QEMU:
#   m3    Cortex-M3, lm3s6965evb (thumbv7m-none-eabi, qemu-system-arm)
#   rv32  RISC-V virt, no firmware (riscv32imc-unknown-none-elf,
#         qemu-system-riscv32 -bios none; the ESP32-C3 class: no
#         misaligned loads, no atomic read-modify-write)
#
# Builds firmware/src/bin/icount.rs (release, fat LTO, opt-level s) and
# runs it twice per board with one guest instruction per translation block
# and an unchained execution trace, so that every executed instruction is
# one "Trace" line tagged with the symbol it belongs to. The instructions
# between the `icount_begin` and `icount_end` markers that are not in an
# `icount_*` function are the lookup's own (plus what it calls, e.g. the
# hash rounds and memcmp). Fails unless every run exits 0 (every answer
# right) and the two runs of a board agree.
#
# Lookups: s3err's `from_name` and `from_bytes`; THE `match` baseline, a
# `match` on the bytes (`b"NoSuchKey" => …`, as s3s's generated
# `S3ErrorCode::from_bytes` writes it); a `match` on `&str`; a plain
# `phf::Map<&str, u8>`. Inputs: every name (hits); five miss sets: four
# shapes of every name (last letter case-flipped, one byte appended, last
# byte dropped, first letter case-flipped) and other S3 services' codes
# that the table lacks (firmware/foreign-codes.txt); two too-long inputs.
# "miss mean" is the mean of the five sets' means (each set weighs the
# same), "worst miss" the worst of them all; the last table gives each set
# alone.
#
# Usage: scripts/icount.sh [--check] [--board m3|rv32]
#   prints markdown tables on stdout. --check then fails (exit 1) if s3err
#   breaks a threshold below (both boards must be counted).
set -euo pipefail

# ---- Thresholds for --check (issue 11, "keep the gains"). Each may be
# overridden from the environment. The ratios hold for `from_name` and
# `from_bytes` alike, against the byte `match` counted in the same run.
# The M3 ratios are the issue's targets (1.25x and 1.5x). On 2026-11-25
# the final lookup measured M3 1.20x hit, 1.36x miss, worst hit 1.37x its
# mean; RISC-V mean hit 176.9 for both (280.9 / 334.6 for from_name /
# from_bytes before this round's lookup work), so its ceiling keeps the
# gain with a margin of about 5 instructions.
MAX_HIT_RATIO=${ICOUNT_MAX_HIT_RATIO:-1.25}           # M3 mean hit  <= this x the byte match's
MAX_MISS_RATIO=${ICOUNT_MAX_MISS_RATIO:-1.5}          # M3 mean miss <= this x the byte match's
MAX_WORST_HIT=${ICOUNT_MAX_WORST_HIT:-2.0}            # M3 worst hit <= this x its own mean hit
RV32_MAX_HIT_NAME=${ICOUNT_RV32_MAX_HIT_NAME:-182}    # RISC-V from_name mean hit <= this
RV32_MAX_HIT_BYTES=${ICOUNT_RV32_MAX_HIT_BYTES:-182}  # RISC-V from_bytes mean hit <= this
# ----

root="$(cd "$(dirname "$0")/.." && pwd)"
check=0
boards=(m3 rv32)
while (($#)); do
  case "$1" in
    --check) check=1 ;;
    --board) shift; boards=("${1:?--board takes m3 or rv32}") ;;
    *) echo "usage: $0 [--check] [--board m3|rv32]" >&2; exit 2 ;;
  esac
  shift
done
if ((check)) && ((${#boards[@]} != 2)); then
  echo "icount: --check needs both boards" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

target_of() { case "$1" in m3) echo thumbv7m-none-eabi ;; rv32) echo riscv32imc-unknown-none-elf ;; esac; }
qemu_of() { case "$1" in m3) echo qemu-system-arm ;; rv32) echo qemu-system-riscv32 ;; esac; }
machine_of() {
  case "$1" in
    m3) echo "-machine lm3s6965evb -cpu cortex-m3" ;;
    rv32) echo "-machine virt -bios none" ;;
  esac
}
label_of() { case "$1" in m3) echo "Cortex-M3 (lm3s6965evb)" ;; rv32) echo "RISC-V rv32imc (virt)" ;; esac; }

qver="$(qemu-system-arm --version | sed -n 's/.*version \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')"
read -r qmaj qmin <<<"$qver"
if ((qmaj > 8 || (qmaj == 8 && qmin >= 1))); then
  # shellcheck disable=SC2054 # one option, commas inside
  one_insn=(-accel tcg,one-insn-per-tb=on)
else
  one_insn=(-singlestep)
fi

# count BOARD OUT: one line per input set, the window counts of its inputs.
count() {
  local board=$1 out=$2 log="$work/exec.log"
  local elf
  elf="$root/firmware/target/$(target_of "$board")/release/icount"
  # shellcheck disable=SC2046 # the machine options are split on purpose
  timeout 300 "$(qemu_of "$board")" $(machine_of "$board") \
    -display none -monitor none -serial null \
    -semihosting-config enable=on,target=native \
    "${one_insn[@]}" -d exec,nochain -D "$log" -kernel "$elf" 2>/dev/null || {
    echo "icount: $board firmware failed (exit $?): a lookup gave a wrong answer" >&2
    exit 1
  }
  awk '/^Trace/ {
         sym = $NF
         if (sym == "icount_set" && prev != "icount_set") {
           if (sets++) print line
           line = ""
         } else if (sym == "icount_begin") { inside = 1; n = 0 }
         else if (sym == "icount_end") { if (inside) line = line (line == "" ? "" : " ") n; inside = 0 }
         else if (inside && sym !~ /^icount_/) n++
         prev = sym
       }
       END { if (sets) print line }' "$log" >"$out"
  rm -f "$log"
}

for board in "${boards[@]}"; do
  echo "icount: $board" >&2
  (cd "$root/firmware" && cargo build --quiet --release --target "$(target_of "$board")" --bin icount)
  count "$board" "$work/$board.1"
  count "$board" "$work/$board.2"
  if ! cmp -s "$work/$board.1" "$work/$board.2"; then
    echo "icount: two runs on $board disagree: counts are not deterministic" >&2
    diff "$work/$board.1" "$work/$board.2" | head -c 2000 >&2
    exit 1
  fi
  # 5 lookups x (hits, 5 miss sets, too long)
  if [[ $(wc -l <"$work/$board.1") != 35 ]]; then
    echo "icount: $board: $(wc -l <"$work/$board.1") input sets, expected 35" >&2
    exit 1
  fi
done

names=$(awk 'NR == 1 { print NF }' "$work/${boards[0]}.1")
# The longest live name (columns found by the header; retired rows left out).
longest=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) { h = $i; sub(/^# */, "", h); c[h] = i } }
  !/^#/ && NF && $c["group"] != "retired" { if (length($c["name"]) > m) m = length($c["name"]) } END { print m }' "$root/data/errors.tsv")

echo "Instructions executed per lookup call: $(qemu-system-arm --version | head -1 | sed 's/ (.*//'), release + fat LTO, opt-level s; $names names, hits and $(awk 'NR >= 2 && NR <= 6 { n += NF } END { print n }' "$work/${boards[0]}.1") misses per lookup; two runs per board identical."
echo

files=()
for board in "${boards[@]}"; do files+=("$work/$board.1"); done
labels=""
for board in "${boards[@]}"; do labels+="$(label_of "$board")|"; done

# stats: one line per board and lookup, for the check below.
awk -v labels="$labels" -v bkeys="${boards[*]}" -v long1="$((longest + 1))" -v stats="$work/stats" '
  BEGIN { S = 7 } # input sets per lookup: hits, 5 miss sets, too long
  FNR == 1 { b++ }
  { for (i = 1; i <= NF; i++) c[b, FNR, i] = $i; nf[b, FNR] = NF }
  # mean and max over set rows r0..r1 of board bb, lookup k (0-based)
  function agg(bb, k, r0, r1,    r, i, s, n) {
    s = 0; n = 0; mx = 0; mn = -1
    for (r = r0; r <= r1; r++)
      for (i = 1; i <= nf[bb, S * k + r]; i++) {
        v = c[bb, S * k + r, i]; s += v; n++
        if (v > mx) mx = v
        if (mn < 0 || v < mn) mn = v
      }
    return s / n
  }
  # cells of one board in one row of a table
  function cells(kind, bb, k) {
    if (kind == "counts") return sprintf(" %.1f | %d | %.1f | %d |", hm[bb, k], hx[bb, k], mm[bb, k], mxx[bb, k])
    return sprintf(" %.2f | %.2f | %.2f |", hm[bb, k] / hm[bb, 2], mm[bb, k] / mm[bb, 2], hx[bb, k] / hm[bb, k])
  }
  # a table with one row per lookup and the boards side by side
  function table(title, cols, align, kind,    bb, k, head, rule, row) {
    head = "| " title " |"; rule = "|---|"
    for (bb = 1; bb <= nb; bb++) { head = head " " blabel[bb] ": " cols; rule = rule align }
    print head; print rule
    for (k = 0; k < 5; k++) {
      row = "| " lname[k + 1] " |"
      for (bb = 1; bb <= nb; bb++) row = row cells(kind, bb, k)
      print row
    }
    print ""
  }
  END {
    nb = b
    split(labels, blabel, "|")
    split(bkeys, bkey, " ")
    split("s3err `from_name`|s3err `from_bytes`|**`match` on bytes** (the baseline)|`match` on `&str`|plain `phf::Map<&str, u8>`", lname, "|")
    split("s3err_from_name s3err_from_bytes match_bytes match_str phf", key, " ")
    for (bb = 1; bb <= nb; bb++)
      for (k = 0; k < 5; k++) {
        hm[bb, k] = agg(bb, k, 1, 1); hx[bb, k] = mx; hn[bb, k] = mn
        agg(bb, k, 2, S - 1); mxx[bb, k] = mx; mnn[bb, k] = mn
        mm[bb, k] = 0
        for (r = 2; r < S; r++) { sm[bb, k, r] = agg(bb, k, r, r); mm[bb, k] += sm[bb, k, r] / (S - 2) }
        l1[bb, k] = c[bb, S * k + S, 1]; lk[bb, k] = c[bb, S * k + S, 2]
        print bkey[bb], key[k + 1], hm[bb, k], hx[bb, k], mm[bb, k], mxx[bb, k] > stats
      }

    table("lookup", "hit mean | worst hit | miss mean | worst miss |", "---:|---:|---:|---:|", "counts")
    table("ratio to the byte `match`", "hit mean | miss mean | worst hit / own mean hit |", "---:|---:|---:|", "ratios")
    print "| board | lookup | hit, min–max | miss: last letter case-flipped | name + `x` | last byte dropped | first letter case-flipped | codes of other services | miss, min–max | too long (" long1 " B) | too long (1 KiB) |"
    print "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for (bb = 1; bb <= nb; bb++)
      for (k = 0; k < 5; k++)
        printf "| %s | %s | %d–%d | %.1f | %.1f | %.1f | %.1f | %.1f | %d–%d | %d | %d |\n", blabel[bb], lname[k + 1], \
          hn[bb, k], hx[bb, k], sm[bb, k, 2], sm[bb, k, 3], sm[bb, k, 4], sm[bb, k, 5], sm[bb, k, 6], mnn[bb, k], mxx[bb, k], l1[bb, k], lk[bb, k]
  }' "${files[@]}"

((check)) || exit 0

echo
echo "Check (thresholds at the top of scripts/icount.sh): M3 mean hit <= ${MAX_HIT_RATIO}x and mean miss <= ${MAX_MISS_RATIO}x the byte match's, worst hit <= ${MAX_WORST_HIT}x own mean hit; RISC-V mean hit <= ${RV32_MAX_HIT_NAME} (from_name), ${RV32_MAX_HIT_BYTES} (from_bytes)"
awk -v rh="$MAX_HIT_RATIO" -v rm="$MAX_MISS_RATIO" -v rw="$MAX_WORST_HIT" \
  -v rvn="$RV32_MAX_HIT_NAME" -v rvb="$RV32_MAX_HIT_BYTES" '
  # lines: board lookup hit_mean hit_max miss_mean miss_max
  { hm[$1, $2] = $3; hx[$1, $2] = $4; mm[$1, $2] = $5 }
  function verdict(ok, what) { printf "%s: %s\n", ok ? "ok" : "FAIL", what; if (!ok) bad = 1 }
  END {
    split("s3err_from_name s3err_from_bytes", ks, " ")
    ceiling["s3err_from_name"] = rvn; ceiling["s3err_from_bytes"] = rvb
    for (j = 1; j <= 2; j++) {
      k = ks[j]; rv = ceiling[k]
      verdict(hm["m3", k] <= rh * hm["m3", "match_bytes"], sprintf("%s M3 mean hit %.1f <= %s x %.1f", k, hm["m3", k], rh, hm["m3", "match_bytes"]))
      verdict(mm["m3", k] <= rm * mm["m3", "match_bytes"], sprintf("%s M3 mean miss %.1f <= %s x %.1f", k, mm["m3", k], rm, mm["m3", "match_bytes"]))
      verdict(hx["m3", k] <= rw * hm["m3", k], sprintf("%s M3 worst hit %d <= %s x %.1f", k, hx["m3", k], rw, hm["m3", k]))
      verdict(hm["rv32", k] <= rv, sprintf("%s RISC-V mean hit %.1f <= %s", k, hm["rv32", k], rv))
    }
    exit bad
  }' "$work/stats"
