#!/usr/bin/env bash
# Builds the static assets from the npm registry: Det Fælles Designsystem (dkfds) and htmx.
set -euo pipefail
cd "$(dirname "$0")/.."
out=src/faelles/web/static/dkfds
npm install --no-audit --no-fund --loglevel=error
rm -rf "$out"
mkdir -p "$out"
cp -r node_modules/dkfds/dist/css node_modules/dkfds/dist/js "$out"/
for d in img fonts; do
  [ -d "node_modules/dkfds/dist/$d" ] && cp -r "node_modules/dkfds/dist/$d" "$out"/
done
mkdir -p "$out"/htmx
cp node_modules/htmx.org/dist/htmx.min.js "$out"/htmx/
touch "$out/.built"
