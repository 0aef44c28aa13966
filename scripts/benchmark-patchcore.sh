#!/usr/bin/env bash
# Measures PatchCore with the default backbone and settings on the magnetic tile images: fit
# time (backbone pass and coreset selection), test metrics, inference time per image including
# decoding, and peak resident memory of each command.
# Usage: scripts/benchmark-patchcore.sh [DATASET_DIR]   (default ../shared/data/magnetic_tile)
# Needs bin/flawmap built (./setup.sh or mvn -DskipTests package) and GNU time (/usr/bin/time).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
data=${1:-../shared/data/magnetic_tile}
out=build/bench-patchcore
mkdir -p "$out"

peak_mb() { awk '/Maximum resident set size/ {printf "%.0f", $NF / 1024}' "$1"; }
seconds_of() { sed -n "s/.*$2: \([0-9]*\) [a-z]* in \([0-9.]*\) s.*/\1 \2/p" "$1" | tail -1; }

echo "== fit and test on $data"
/usr/bin/time -v bin/flawmap fit --model patchcore --dataset "$data" \
  --output "$out/model.flawmap" >"$out/fit.log" 2>&1
read -r n s < <(seconds_of "$out/fit.log" "fit patchcore")
read -r k c < <(seconds_of "$out/fit.log" "coreset")
fit=$(sed -n 's/.*Fitted patchcore on [0-9]* images in \([0-9.]*\) s.*/\1/p' "$out/fit.log")
echo "fit: $n images through the backbone in $s s, coreset of $k patches in $c s," \
  "$fit s in all; peak RSS $(peak_mb "$out/fit.log") MB"
/usr/bin/time -v bin/flawmap test --model "$out/model.flawmap" --dataset "$data" \
  --output "$out/test" >"$out/test.log" 2>&1
read -r n s < <(seconds_of "$out/test.log" "test")
echo "test: $n images in $s s; peak RSS $(peak_mb "$out/test.log") MB"
cat "$out/test/summary.txt"

echo "== predict, no PNG output (decode, backbone, PatchCore, map resize)"
for batch in 1 8; do
  /usr/bin/time -v bin/flawmap predict --no-images --batch-size "$batch" \
    --model "$out/model.flawmap" --output "$out/predict-$batch" "$data/test" \
    >"$out/predict-$batch.log" 2>&1
  read -r n s < <(seconds_of "$out/predict-$batch.log" "predict")
  awk -v n="$n" -v s="$s" -v b="$batch" -v m="$(peak_mb "$out/predict-$batch.log")" \
    'BEGIN {printf "predict batch %d: %d images in %.1f s = %.1f ms per image; peak RSS %d MB\n", b, n, s, 1000 * s / n, m}'
done
