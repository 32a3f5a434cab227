#!/usr/bin/env bash
# How long `cjh serve --state-dir` takes to start on a directory of JOBS jobs (1M by
# default), and its resident memory once ready: fills a fresh directory through the
# server with wrk (create.lua, 16 connections, until JOBS are acknowledged), kills it
# with SIGKILL, then restarts it three times, timing each until its listening line and
# reading VmHWM (peak resident set) from /proc.
# Run from anywhere: bash xtask/load/start-time.sh. Knobs: JOBS, BIN (the cjh binary;
# default: the release build of this checkout), STATE_DIR, and KEEP=1 to keep the
# directory afterwards and to reuse it, unfilled, when it is there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

JOBS=${JOBS:-1000000}
PORT=4579
here=xtask/load
state=${STATE_DIR:-target/start-time-state}

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
if [ -z "${BIN:-}" ]; then
    cargo build -q --release -p cjh
    BIN=target/release/cjh
fi

pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true; }
trap cleanup EXIT

# Starts the server (its pid in $pid); prints the seconds until its listening line.
serve() {
    local out start
    out=$(mktemp)
    start=$(date +%s.%N)
    "$BIN" serve --port "$PORT" --state-dir "$state" > "$out" 2>/dev/null &
    pid=$!
    until grep -q listening "$out"; do
        kill -0 "$pid" 2>/dev/null || { echo "cjh exited before it was ready" >&2; exit 1; }
        sleep 0.01
    done
    echo "$(date +%s.%N) - $start" | bc
    rm -f "$out"
}

created=0
if [ "${KEEP:-}" = 1 ] && [ -d "$state" ]; then
    created=$JOBS
    echo "reusing $state"
else
    rm -rf "$state"
    serve > /dev/null
fi
round=0
while [ "$created" -lt "$JOBS" ]; do
    round=$((round + 1))
    out=$(RUN="fill$round" wrk -t2 -c16 -d20s -s "$here/create.lua" "http://127.0.0.1:$PORT")
    sent=$(echo "$out" | awk '/requests in/{print $1}')
    failed=$(echo "$out" | awk '/non-200 answers/{print $3}')
    created=$((created + sent - failed))
    echo "filled: $created jobs"
done
[ -n "$pid" ] && { kill -9 "$pid"; wait "$pid" 2>/dev/null || true; pid=; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "binary: $BIN; state: $(du -sh "$state" | cut -f1) for ${created} jobs"
timing=$(mktemp)
for run in 1 2 3; do
    serve > "$timing"
    seconds=$(cat "$timing")
    hwm=$(awk '/VmHWM/{print $2 " " $3}' "/proc/$pid/status")
    echo "start $run: ready in ${seconds} s, peak resident ${hwm}"
    kill -9 "$pid"; wait "$pid" 2>/dev/null || true; pid=
done
rm -f "$timing"
[ "${KEEP:-}" = 1 ] || rm -rf "$state"
