#!/usr/bin/env bash
# Measures batch prediction (bin/flawmap predict) with PaDiM and PatchCore on the magnetic tile
# test images: images per second, latency per image (mean, p50, p95), the time per image of
# each stage (decode, backbone, scoring, writing) and peak memory. Each model is fitted first
# unless its file exists. The figures come from predict --timings (timings.json in each output
# folder); GNU time reports the peak resident set size of the whole command as a check.
# "backbone bench" first times the backbone alone with the same thread count, the reference
# for the backbone's share of predict's time per image.
# The test folder is copied three times (1,746 images), so that the JIT's warm-up weighs
# little in the time per image.
# Usage: scripts/benchmark-predict.sh [DATASET_DIR]   (default ../shared/data/magnetic_tile)
# THREADS sets predict's --threads (default: predict's own, half the processors).
# Needs bin/flawmap and the default backbone (./setup.sh) and GNU time (/usr/bin/time).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
data=${1:-../shared/data/magnetic_tile}
out=build/bench-predict
mkdir -p "$out"
images="$out/images"
if [ ! -d "$images/3" ]; then
  rm -rf "$images"
  for copy in 1 2 3; do
    mkdir -p "$images/$copy"
    cp -r "$data/test/." "$images/$copy/"
  done
fi
cpus=$(nproc)
threads=${THREADS:-$(( cpus / 2 > 0 ? cpus / 2 : 1 ))}

peak_mb() { awk '/Maximum resident set size/ {printf "%.0f", $NF / 1024}' "$1"; }

echo "== machine: $(nproc) processors, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for model in padim patchcore; do
  file="$out/$model.flawmap"
  if [ ! -f "$file" ]; then
    if ! bin/flawmap fit --model "$model" --dataset "$data" --output "$file" \
        >"$out/fit-$model.log" 2>&1; then
      echo "fitting $model failed; the end of $out/fit-$model.log:" >&2
      tail -n 5 "$out/fit-$model.log" >&2
      exit 1
    fi
  fi
  echo "== $model, backbone alone, $threads threads"
  bin/flawmap backbone bench --model "$file" --threads "$threads" "$data/test" 2>/dev/null
  for pictures in with-png no-png; do
    flag=()
    if [ "$pictures" = no-png ]; then flag=(--no-images); fi
    target="$out/predict-$model-$pictures"
    rm -rf "$target"
    echo "== $model, $pictures, batch 8, $threads backbone threads, $images (3 × $data/test)"
    /usr/bin/time -v bin/flawmap predict --timings "${flag[@]}" --threads "$threads" \
      --model "$file" --output "$target" "$images" >"$target.log" 2>&1
    grep '^timings:' "$target.log"
    echo "GNU time: peak RSS $(peak_mb "$target.log") MB;" \
      "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
