#!/usr/bin/env bash
# Runs every test. Tests that need the nsfwjs package or ../shared/data skip with a message
# when those are missing; this script fetches the package first so that they run.
set -euo pipefail

root=$(cd "$(dirname "$0")" && pwd)
cd "$root"

scripts/fetch-backbone.sh
mvn -B -ntp verify "$@"
