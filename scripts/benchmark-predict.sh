#!/usr/bin/env bash
# Measures batch prediction (bin/flawmap predict) with PaDiM and PatchCore on the magnetic tile
# test images: images per second, latency per image (mean, p50, p95), the time per image of
# each stage (decode, backbone, scoring, writing) and peak memory. Each model is fitted first
# unless its file exists. The figures come from predict --timings (timings.json in each output
# folder); GNU time reports the peak resident set size of the whole command as a check.
# Usage: scripts/benchmark-predict.sh [DATASET_DIR]   (default ../shared/data/magnetic_tile)
# Needs bin/flawmap built (./setup.sh or mvn -DskipTests package) and GNU time (/usr/bin/time).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
data=${1:-../shared/data/magnetic_tile}
out=build/bench-predict
mkdir -p "$out"

peak_mb() { awk '/Maximum resident set size/ {printf "%.0f", $NF / 1024}' "$1"; }

echo "== machine: $(nproc) processors, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for model in padim patchcore; do
  file="$out/$model.flawmap"
  if [ ! -f "$file" ]; then
    bin/flawmap fit --model "$model" --dataset "$data" --output "$file" >"$out/fit-$model.log" 2>&1
  fi
  for images in with-png no-png; do
    flag=()
    if [ "$images" = no-png ]; then flag=(--no-images); fi
    target="$out/predict-$model-$images"
    rm -rf "$target"
    echo "== $model, $images, batch 8, $data/test"
    /usr/bin/time -v bin/flawmap predict --timings "${flag[@]}" --model "$file" \
      --output "$target" "$data/test" >"$target.log" 2>&1
    grep '^timings:' "$target.log"
    echo "GNU time: peak RSS $(peak_mb "$target.log") MB;" \
      "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
