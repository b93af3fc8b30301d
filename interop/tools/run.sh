#!/usr/bin/env bash
# Runs the real-tool sessions (session.py: AWS CLI, s3cmd, rclone) against
# an S3 endpoint, starting and stopping the server when asked to.
#
#   interop/tools/run.sh http://127.0.0.1:PORT [SESSION ARGS]   a running endpoint
#   interop/tools/run.sh --moto [SESSION ARGS]                   moto's S3 emulator
#   interop/tools/run.sh --gateway BIN [SESSION ARGS]            s3err-gateway BIN
#
# SESSION ARGS go to session.py (e.g. `--tool rclone`, `-v`, `--keep`).
# The tools must be installed first (install.sh); TOOLS_DIR overrides where
# (default: target/interop-tools). Servers listen on 127.0.0.1 only, the
# gateway over a temporary --root; both are stopped on exit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tools_dir=${TOOLS_DIR:-$here/../../target/interop-tools}

usage() {
  sed -n '5,7s/^#   //p' "$0" >&2
  exit 2
}
(($#)) || usage

scratch=$(mktemp -d)
server=
cleanup() {
  if [[ -n $server ]]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT

# Waits until a server answers HTTP on $1, or fails after 30 s.
wait_http() {
  local i
  for ((i = 0; i < 300; i++)); do
    curl -s -o /dev/null --max-time 1 "$1/" && return 0
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
  done
  echo "run.sh: no server answering at $1; its log:" >&2
  cat "$scratch/server.log" >&2
  exit 1
}

case $1 in
--moto)
  shift
  moto=$tools_dir/moto/bin/moto_server
  [[ -x $moto ]] || {
    echo "run.sh: $moto missing: run interop/tools/install.sh first" >&2
    exit 1
  }
  # moto needs a port number: ask the kernel for a free one.
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$moto" -H 127.0.0.1 -p "$port" >"$scratch/server.log" 2>&1 &
  server=$!
  endpoint=http://127.0.0.1:$port
  wait_http "$endpoint"
  ;;
--gateway)
  (($# >= 2)) || usage
  bin=$2
  shift 2
  mkdir "$scratch/root"
  : >"$scratch/server.out" # read below before the gateway may have opened it
  "$bin" --root "$scratch/root" --listen 127.0.0.1:0 >"$scratch/server.out" 2>"$scratch/server.log" &
  server=$!
  # The gateway's first line on stdout: `s3err-gateway listening on http://ADDR`.
  for ((i = 0; i < 300; i++)); do
    endpoint=$(sed -n 's/^s3err-gateway listening on \(http:.*\)$/\1/p' "$scratch/server.out")
    [[ -n $endpoint ]] && break
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
  done
  [[ -n $endpoint ]] || {
    echo "run.sh: the gateway printed no address; its log:" >&2
    cat "$scratch/server.log" >&2
    exit 1
  }
  ;;
http://*)
  endpoint=$1
  shift
  ;;
*) usage ;;
esac

echo "run.sh: sessions against $endpoint"
python3 "$here/session.py" --tools-dir "$tools_dir" "$endpoint" "$@"
