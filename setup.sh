#!/usr/bin/env bash
# Builds flawmap with its two backbones, the default mobilenet_v2_nsfwjs and
# mobilenet_v3_centernet. Given a dataset folder, it then runs the main job on it: fit PaDiM on
# the defect-free images, set the pixel threshold on the validation split, test, and write
# anomaly maps. Usage: ./setup.sh [DATASET_DIR [OUTPUT_DIR]]
set -euo pipefail

root=$(cd "$(dirname "$0")" && pwd)
if [ $# -ge 1 ] && [ ! -d "$1" ]; then
  echo "dataset folder $1 not found; name a folder in the MVTec AD layout (train/good, test, ground_truth)" >&2
  exit 3
fi
dataset=${1:+$(cd "$1" && pwd)}
output=${2:+$(mkdir -p "$2" && cd "$2" && pwd)}
cd "$root"

scripts/fetch-backbone.sh
scripts/fetch-centernet.sh
mvn -B -q -ntp -DskipTests package
if [ ! -f backbones/mobilenet_v2_nsfwjs/backbone.json ]; then
  bin/flawmap backbone import-nsfwjs \
    --package build/npm/nsfwjs/package --output backbones/mobilenet_v2_nsfwjs
fi
if [ ! -f backbones/mobilenet_v3_centernet/backbone.json ]; then
  bin/flawmap backbone import-centernet \
    --package build/npm-centernet/package --output backbones/mobilenet_v3_centernet
fi
echo "Built: $root/bin/flawmap" >&2

if [ -n "$dataset" ]; then
  bin/flawmap run --dataset "$dataset" --output "${output:-runs/$(basename "$dataset")}"
fi
