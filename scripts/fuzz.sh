#!/usr/bin/env bash
# Runs one cargo-fuzz target for a bounded time over its committed corpus
# and prints executions, coverage and corpus size.
#
#   scripts/fuzz.sh TARGET SECONDS [LIBFUZZER-OPTION...]
#
# TARGET is parse, parse_differential, render_parse or lookup. The run
# starts from fuzz/corpus/TARGET (new inputs are added there; with
# FUZZ_SCRATCH=1 they go to a scratch copy, and the committed corpus is
# only read, as in CI) plus, for
# the XML targets, the real error bodies in tests/data/s3-error-bodies
# (read only). Each target has a fixed -max_len (below). Needs
# a nightly (`cargo +nightly`, or the toolchain named in $FUZZ_TOOLCHAIN)
# and cargo-fuzz. The build has no sanitizer (s3err is
# `forbid(unsafe_code)`: a sanitizer would only halve the speed); set
# FUZZ_SANITIZER=address to change that. Extra options go to libFuzzer
# (e.g. -runs=N to stop after N executions). The full libFuzzer log is kept
# in $FUZZ_LOG (default: a temporary file); its path is printed.
set -euo pipefail
[[ $# -ge 2 ]] || { echo "usage: $0 TARGET SECONDS [LIBFUZZER-OPTION...]" >&2; exit 2; }
target=$1 secs=$2
shift 2
cd "$(dirname "$0")/../fuzz"
case $target in
  parse | parse_differential) max_len=4096 seeds=(../tests/data/s3-error-bodies) ;;
  render_parse) max_len=1024 seeds=() ;;
  lookup) max_len=128 seeds=() ;;
  *) echo "unknown target: $target" >&2; exit 2 ;;
esac
mkdir -p "corpus/$target"
corpus="corpus/$target"
if [[ ${FUZZ_SCRATCH:-0} == 1 ]]; then
  corpus=$(mktemp -d -t "fuzz-corpus-$target.XXXXXX")
  cp -R "corpus/$target/." "$corpus"
fi
log=${FUZZ_LOG:-$(mktemp -t "fuzz-$target.XXXXXX")}
start=$(date +%s)
if ! cargo "+${FUZZ_TOOLCHAIN:-nightly}" fuzz run -s "${FUZZ_SANITIZER:-none}" "$target" "$corpus" "${seeds[@]}" -- \
  -max_total_time="$secs" -max_len="$max_len" -print_final_stats=1 "$@" >"$log" 2>&1; then
  tail -n 60 "$log"
  echo "$target: FAILED (log: $log)" >&2
  exit 1
fi
elapsed=$(($(date +%s) - start))
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
fuzz_secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
last=$(grep -E '^#[0-9]+' "$log" | tail -1)
cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
files=$(find "$corpus" -type f | wc -l)
bytes=$(du -sb "$corpus" | cut -f1)
echo "$target: executions $execs in ${fuzz_secs:-$secs} s of fuzzing ($rate/s; ${elapsed} s with the build)," \
  "coverage $cov edges ($ft features), corpus $files files ($bytes bytes), log $log"
