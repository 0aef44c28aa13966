#!/usr/bin/env bash
# Fetches the npm package that ships the default backbone (nsfwjs 4.4.0, MIT licence) with the
# ordinary npm client, checks its SHA-512 against the value pinned here, and unpacks it under
# build/npm/nsfwjs. Idempotent: a second run with the package in place does nothing.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
version=4.4.0
integrity='krC1fgeTLXtZwgdpKJ0jm7hqv0gTSRQQRL+FhOaxaJ9Wj92t42BO3csO2odwgTAgZgf2RvkwPtp0R8Aa7dc+MA=='
dest="$root/build/npm/nsfwjs"

if [ -f "$dest/.complete-$version" ]; then
  exit 0
fi

command -v npm >/dev/null || { echo "npm not found: install Node.js and npm, then rerun" >&2; exit 1; }
rm -rf "$dest"
mkdir -p "$dest/download"
echo "Fetching nsfwjs@$version with npm pack ..." >&2
(cd "$dest/download" && npm pack "nsfwjs@$version" --silent >/dev/null)
tarball="$dest/download/nsfwjs-$version.tgz"

actual=$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)
if [ "$actual" != "$integrity" ]; then
  echo "nsfwjs-$version.tgz has SHA-512 $actual, expected $integrity; refusing to use it" >&2
  exit 1
fi

tar xzf "$tarball" -C "$dest"
touch "$dest/.complete-$version"
echo "nsfwjs@$version unpacked in $dest/package" >&2
