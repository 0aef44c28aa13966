#!/usr/bin/env bash
# Load test of flawmap serve on loopback. It fits PaDiM on the dataset if no model is given and
# starts the service on a free port. Then it sends the test images from CLIENTS threads until
# MAX_REQUESTS responses or MAX_SECONDS have passed, prints throughput, latency percentiles,
# errors and server memory, and stops the service.
#
#   scripts/load-test-serve.sh [DATASET] [CLIENTS] [MAX_REQUESTS] [MAX_SECONDS] [MODEL]
#
# Defaults: ../shared/data/magnetic_tile, 4 clients, 100000 requests, 150 s, a model fitted into
# build/load-test/model.flawmap. The service runs with --max-concurrent CLIENTS unless
# FLAWMAP_SERVE_MAX_CONCURRENT sets another value; other service options go in
# FLAWMAP_SERVE_OPTS.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dataset=${1:-$root/../shared/data/magnetic_tile}
clients=${2:-4}
max_requests=${3:-100000}
max_seconds=${4:-150}
work="$root/build/load-test"
model=${5:-$work/model.flawmap}
mkdir -p "$work"

if [ ! -f "$model" ]; then
  "$root/bin/flawmap" fit --dataset "$dataset" --output "$model"
fi

log="$work/serve.log"
# shellcheck disable=SC2086
"$root/bin/flawmap" serve --model "$model" --port 0 --max-concurrent "${FLAWMAP_SERVE_MAX_CONCURRENT:-$clients}" \
  ${FLAWMAP_SERVE_OPTS:-} >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT

url=""
for _ in $(seq 1 120); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -1 || true)
  [ -n "$url" ] && break
  if ! kill -0 "$server" 2>/dev/null; then
    echo "flawmap serve exited; its log:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.5
done
if [ -z "$url" ]; then
  echo "flawmap serve did not print its URL within 60 s; see $log" >&2
  exit 1
fi

echo "server $url, pid $server, model $model"
java -cp "$root/flawmap-cli/target/flawmap-cli.jar:$root/flawmap-cli/target/lib/*" \
  org.flawmap.service.LoadTest "$url" "$dataset/test" "$clients" "$max_requests" "$max_seconds"
echo "server resident memory at the end: $(ps -o rss= -p "$server") KiB (ps)"
