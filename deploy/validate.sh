#!/usr/bin/env bash
# Checks the deployment files without a Docker engine (issue 13, point 2):
#   yamllint (PyPI)                    compose.yaml's YAML, in step with Prettier
#   deploy/compose-check (Go, the      compose.yaml as `docker compose` loads it: schema, anchors,
#   compose-go loader)                 interpolation, each profile (replicaset, embedded)
#   caddy validate / adapt (Go)        deploy/Caddyfile with both profiles' upstreams; no access log
# Tools go to .cache/deploy-tools (yamllint, compose-check, caddy from the Go module proxy).
# The commands the image runs are tested by test/integration/container-commands.test.ts.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tools="$root/.cache/deploy-tools"
mkdir -p "$tools"
CADDY_VERSION=${CADDY_VERSION:-v2.11.9}

echo "== yamllint"
[ -d "$tools/py/yamllint" ] || python3 -m pip install --quiet --target "$tools/py" yamllint==1.38.0
PYTHONPATH="$tools/py" python3 -m yamllint -s -c deploy/yamllint.yaml compose.yaml deploy/yamllint.yaml

echo "== compose.yaml (compose-go)"
(cd deploy/compose-check && go build -o "$tools/compose-check" .)
"$tools/compose-check" compose.yaml replicaset embedded

echo "== Caddyfile (caddy $CADDY_VERSION)"
[ -x "$tools/caddy" ] || GOBIN="$tools" go install "github.com/caddyserver/caddy/v2/cmd/caddy@$CADDY_VERSION"
for upstreams in "app1:3000 app2:3000" "portal:3000"; do
  export SITE_ADDRESS=report.example.gov.ua PORTAL_UPSTREAMS="$upstreams"
  "$tools/caddy" validate --adapter caddyfile --config deploy/Caddyfile
  json=$("$tools/caddy" adapt --adapter caddyfile --config deploy/Caddyfile)
  # Every upstream is in the config, and no server has an access log.
  for u in $upstreams; do grep -q "\"dial\":\"$u\"" <<<"$json" || { echo "missing upstream $u" >&2; exit 1; }; done
  python3 -c '
import json, sys
servers = json.load(sys.stdin)["apps"]["http"]["servers"]
logged = [name for name, s in servers.items() if "logs" in s]
sys.exit("access log configured on: " + ", ".join(logged) if logged else 0)
' <<<"$json"
done
"$tools/caddy" fmt deploy/Caddyfile | diff -u deploy/Caddyfile - || { echo "run: caddy fmt --overwrite deploy/Caddyfile" >&2; exit 1; }
echo "deployment files OK"
