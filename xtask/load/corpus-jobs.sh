#!/usr/bin/env bash
# The corpus against a slow endpoint, serially and with --jobs: `cjh serve` on loopback
# delays every API answer by LATENCY_MS (fault injection), as a remote endpoint would,
# and the same corpus runs once with one scenario at a time and once with JOBS at once,
# each worker in a region of its own. Prints both wall times and their ratio.
# Run from anywhere: bash xtask/load/corpus-jobs.sh. Knobs: JOBS (at most 16), LATENCY_MS.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

JOBS=${JOBS:-16}
LATENCY_MS=${LATENCY_MS:-200}
PORT=4588
REGIONS=us-east-1,us-east-2,us-west-1,us-west-2,eu-west-1,eu-west-2,eu-west-3,eu-central-1,eu-north-1,ap-south-1,ap-northeast-1,ap-northeast-2,ap-southeast-1,ap-southeast-2,ca-central-1,sa-east-1
regions=$(echo "$REGIONS" | cut -d, -f1-"$JOBS")

cargo build -q --release -p cjh
target/release/cjh serve --port "$PORT" --fault-latency 1 --fault-latency-ms "$LATENCY_MS" > /dev/null &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    sleep 0.1
done

run() {
    local started ended
    started=$(date +%s.%N)
    # Bounded: a run that hangs is cut off rather than measured.
    timeout 3600 target/release/cjh run --target "http://127.0.0.1:$PORT" "$@" | tail -2 | head -1 >&2
    ended=$(date +%s.%N)
    awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.1f", b - a }' 
}

echo "machine: $(nproc) cores; every answer $LATENCY_MS ms late; corpus of $(find scenarios -name '*.toml' | wc -l) scenarios"
serial=$(run)
echo "serial:        ${serial} s"
parallel=$(run --jobs "$JOBS" --regions "$regions")
echo "--jobs $JOBS:     ${parallel} s (regions $regions)"
echo "speed-up: $(awk -v s="$serial" -v p="$parallel" 'BEGIN { printf "%.1f", s / p }')x"
