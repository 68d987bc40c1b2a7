#!/usr/bin/env bash
# Builds FerretDB v1 (SQLite backend) for the test suite from the Go module proxy,
# through the small wrapper module in tools/ferretdb. Cached in .cache/bin; rebuilt
# only when missing (or when FORCE=1).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/.cache/bin/ferretdb"
if [ -x "$out" ] && [ "${FORCE:-0}" != 1 ]; then
  echo "ferretdb: cached at .cache/bin/ferretdb"
  exit 0
fi
command -v go >/dev/null || { echo "ferretdb: Go is not installed; Mongo tests will be skipped" >&2; exit 1; }
mkdir -p "$root/.cache/bin"
start=$(date +%s)
cd "$root/tools/ferretdb"
CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -tags ferretdb_no_postgresql -o "$out" .
echo "ferretdb: built in $(( $(date +%s) - start ))s -> .cache/bin/ferretdb"
