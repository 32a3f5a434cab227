#!/usr/bin/env bash
# Creates per second on loopback, cjh serve in memory and with --state-dir (every create
# fsync'd before it is answered), the same wrk load against each.
# Run from anywhere: bash xtask/load/create-rate.sh. Knobs: DURATION, CONNECTIONS, STATE_DIR
# (default: a fresh directory under target/, on the disk the state would live on), and
# BASELINE: another cjh binary (an older build) whose --state-dir is measured in the same
# run, between the two, for a comparison on equal terms.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
PORT=4578
THREADS=$(( CONNECTIONS < 2 ? 1 : 2 ))
here=xtask/load
state=${STATE_DIR:-target/create-rate-state}

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
cargo build -q --release -p cjh

pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; }
trap cleanup EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(df -T "$(dirname "$state")" | awk 'NR==2{print $2}') under $(dirname "$state")"
echo "wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), $CONNECTIONS connections, $DURATION"
declare -A rate
modes=(memory state-dir)
[ -n "${BASELINE:-}" ] && modes=(memory baseline-state-dir state-dir)
for mode in "${modes[@]}"; do
    rm -rf "$state"
    args=(serve --port "$PORT")
    binary=target/release/cjh
    [ "$mode" != memory ] && args+=(--state-dir "$state")
    [ "$mode" = baseline-state-dir ] && binary=$BASELINE
    "$binary" "${args[@]}" > /dev/null 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
        sleep 0.1
    done
    echo "== $mode: wrk -t$THREADS -c$CONNECTIONS -d$DURATION -s $here/create.lua"
    out=$(RUN="$mode" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$here/create.lua" "http://127.0.0.1:$PORT")
    echo "$out"
    rate[$mode]=$(echo "$out" | awk '/Requests\/sec/{print $2}')
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    pid=
done
rm -rf "$state"
echo "== creates/sec: memory ${rate[memory]}, state-dir ${rate[state-dir]}${BASELINE:+, baseline state-dir ${rate[baseline-state-dir]}}"
