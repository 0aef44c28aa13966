#!/usr/bin/env bash
# Measures PaDiM with the default backbone on the magnetic tile images. It times the fit of 200
# training images of 900x900 pixels, fits and tests on the real dataset with every metric, and
# times inference per image including decoding; each command's peak resident memory is kept.
# Usage: scripts/benchmark-padim.sh [DATASET_DIR]   (default ../shared/data/magnetic_tile)
# Needs ./setup.sh to have built bin/flawmap, and GNU time (/usr/bin/time).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
data=${1:-../shared/data/magnetic_tile}
out=build/bench
mkdir -p "$out"

peak_mb() { awk '/Maximum resident set size/ {printf "%.0f", $NF / 1024}' "$1"; }
seconds_of() { sed -n "s/.*$2: \([0-9]*\) images in \([0-9.]*\) s.*/\1 \2/p" "$1" | tail -1; }

if [ ! -d "$out/tile900/train/good" ]; then
  java scripts/MakeBenchmarkDataset.java "$data" "$out/tile900" 200 900
fi

echo "== fit, 200 training images of 900x900"
/usr/bin/time -v bin/flawmap fit --dataset "$out/tile900" --output "$out/tile900.flawmap" \
  >"$out/fit900.log" 2>&1
read -r n s < <(seconds_of "$out/fit900.log" "fit padim")
echo "fit: $n images in $s s; peak RSS $(peak_mb "$out/fit900.log") MB"

echo "== fit and test on $data"
/usr/bin/time -v bin/flawmap fit --dataset "$data" --output "$out/model.flawmap" \
  >"$out/fit.log" 2>&1
read -r n s < <(seconds_of "$out/fit.log" "fit padim")
echo "fit: $n images in $s s; peak RSS $(peak_mb "$out/fit.log") MB"
/usr/bin/time -v bin/flawmap test --model "$out/model.flawmap" --dataset "$data" \
  --output "$out/test" >"$out/test.log" 2>&1
read -r n s < <(seconds_of "$out/test.log" "test")
echo "test: $n images in $s s; peak RSS $(peak_mb "$out/test.log") MB"
cat "$out/test/summary.txt"

echo "== predict, no PNG output (decode, backbone, PaDiM, map resize)"
for batch in 1 8; do
  /usr/bin/time -v bin/flawmap predict --no-images --batch-size "$batch" \
    --model "$out/model.flawmap" --output "$out/predict-$batch" "$data/test" \
    >"$out/predict-$batch.log" 2>&1
  read -r n s < <(seconds_of "$out/predict-$batch.log" "predict")
  awk -v n="$n" -v s="$s" -v b="$batch" -v m="$(peak_mb "$out/predict-$batch.log")" \
    'BEGIN {printf "predict batch %d: %d images in %.1f s = %.1f ms per image; peak RSS %d MB\n", b, n, s, 1000 * s / n, m}'
done
