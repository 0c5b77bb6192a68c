#!/usr/bin/env bash
# Refreshes the front-end assets embedded in the binary from the npm registry.
# The running system fetches nothing: these files are compiled into `phongtrao`.
set -euo pipefail
HTMX_VERSION="${HTMX_VERSION:-2.0.11}"
here="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "htmx.org@${HTMX_VERSION}" >/dev/null && tar xzf htmx.org-*.tgz)
cp "$tmp/package/dist/htmx.min.js" "$here/crates/web/static/htmx.min.js"
sha=$(sha256sum "$here/crates/web/static/htmx.min.js" | cut -d' ' -f1)
cat > "$here/crates/web/static/PROVENANCE.md" <<EOP
# Embedded front-end assets

| file | package | version | licence | sha256 |
|---|---|---|---|---|
| htmx.min.js | htmx.org (npm registry), dist/htmx.min.js | ${HTMX_VERSION} | 0BSD | ${sha} |
| app.css | written for phongtrao | — | MIT | — |

Refresh with \`scripts/vendor-assets.sh\`.
EOP
echo "htmx ${HTMX_VERSION} vendored (${sha})"
