#!/usr/bin/env bash
# Installs the portal's browser packages from npm (package-lock.json) and copies DOMPurify into web/vendor/,
# which is generated, not committed. Installs npm from Debian first when it is missing and we are root.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
  else
    echo "npm is needed for the portal's packages: sudo apt-get install -y npm" >&2
    exit 1
  fi
fi
npm ci --no-audit --no-fund --loglevel=error
mkdir -p web/vendor
# the minified build (a third of the module build's bytes), as an ES module: its UMD wrapper sets globalThis.DOMPurify
{ grep -v '^//# sourceMappingURL' node_modules/dompurify/dist/purify.min.js; printf '\nexport default globalThis.DOMPurify;\n'; } > web/vendor/purify.es.mjs
cp node_modules/dompurify/LICENSE web/vendor/purify.LICENSE
