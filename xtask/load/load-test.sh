#!/usr/bin/env bash
# Load test of ListCompilationJobs on loopback: cjh serve and moto_server side by side,
# the same jobs, the same requests (MaxResults 10, keep-alive), the same machine and run.
# Run from anywhere: bash xtask/load/load-test.sh. Knobs: JOBS, DURATION, CONNECTIONS.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

JOBS=${JOBS:-10000}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-16}
MOTO_VERSION=5.2.5
CJH_PORT=4577
MOTO_PORT=5055
here=xtask/load

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
venv=target/load-venv
if ! "$venv/bin/python" -c "import moto; assert moto.__version__ == '$MOTO_VERSION'" 2>/dev/null; then
    python3 -m venv --clear "$venv"
    "$venv/bin/pip" install -q "moto[server]==$MOTO_VERSION"
fi
cargo build -q --release -p cjh

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

target/release/cjh serve --port "$CJH_PORT" > /dev/null &
pids+=($!)
"$venv/bin/moto_server" -H 127.0.0.1 -p "$MOTO_PORT" > /dev/null 2>&1 &
pids+=($!)
for port in "$CJH_PORT" "$MOTO_PORT"; do
    for _ in $(seq 1 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.1
    done
done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), moto $MOTO_VERSION, $JOBS jobs, $CONNECTIONS connections, $DURATION"
declare -A rps
for name in cjh moto; do
    port=$([ "$name" = cjh ] && echo "$CJH_PORT" || echo "$MOTO_PORT")
    url="http://127.0.0.1:$port"
    echo "== $name: populate"
    "$venv/bin/python" "$here/populate.py" "$url" "$JOBS"
    echo "== $name: wrk -t1 -c$CONNECTIONS -d$DURATION -s $here/list.lua $url"
    out=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$here/list.lua" "$url")
    echo "$out"
    rps[$name]=$(echo "$out" | awk '/Requests\/sec/{print $2}')
done
ratio=$(awk -v a="${rps[cjh]}" -v b="${rps[moto]}" 'BEGIN { printf "%.0f", a / b }')
echo "== requests/sec: cjh ${rps[cjh]}, moto ${rps[moto]}, ratio ${ratio}x"
