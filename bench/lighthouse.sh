#!/usr/bin/env bash
# make lighthouse: Lighthouse 12 (npm, pinned; 13 wants Node 22) with Debian's Chromium on the published portal of a
# running make run (PORT=, default 5080): home, a column and the seed article, desktop and mobile. Writes the reports to
# bench/results/lighthouse/ and a table of the four scores to bench/results/lighthouse.md.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PORT=${PORT:-5080}
BASE="http://127.0.0.1:$PORT"
TOOLS="$ROOT/bench/.work/lighthouse"
OUT="$ROOT/bench/results/lighthouse"
curl -fs -o /dev/null "$BASE/" || { echo "nothing answers on $BASE: start make run first (PORT=$PORT)" >&2; exit 1; }
if [ ! -x "$TOOLS/node_modules/.bin/lighthouse" ]; then
  mkdir -p "$TOOLS"
  (cd "$TOOLS" && [ -f package.json ] || echo '{"private":true}' > package.json)
  (cd "$TOOLS" && npm i -E lighthouse@12.2.3 --no-audit --no-fund --loglevel=error)
fi
mkdir -p "$OUT"
pages=("home|/" "column|/article/c/" "article|/article/c/202105/20210503064097.shtml")
rows=()
for p in "${pages[@]}"; do
  IFS='|' read -r name path <<< "$p"
  for form in desktop mobile; do
    preset=(); [ "$form" = desktop ] && preset=(--preset=desktop)
    CHROME_PATH=${CMS_CHROMIUM:-/usr/bin/chromium} "$TOOLS/node_modules/.bin/lighthouse" "$BASE$path" "${preset[@]}" --quiet \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu" --output=json --output-path="$OUT/$name-$form.report.json"
    rows+=("$(python3 - "$OUT/$name-$form.report.json" "$name" "$form" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
# kept without the page screenshots (most of a report's bytes), then gzipped
for k in ("full-page-screenshot", "screenshot-thumbnails", "final-screenshot"):
    r["audits"].pop(k, None)
r.get("fullPageScreenshot") and r.pop("fullPageScreenshot")
json.dump(r, open(sys.argv[1], "w"))
c = r["categories"]
s = lambda k: round(c[k]["score"] * 100)
a = r["audits"]
print(f"|{sys.argv[2]}|{sys.argv[3]}|{s('performance')}|{s('accessibility')}|{s('best-practices')}|{s('seo')}|"
      f"{a['largest-contentful-paint']['displayValue']}|{a['cumulative-layout-shift']['displayValue']}|{a['total-byte-weight']['displayValue']}|")
PY
)")
    gzip -f "$OUT/$name-$form.report.json"
    echo "  ${rows[-1]}"
  done
done
{
  echo "# Lighthouse"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), Lighthouse 12.2.3 with Debian's Chromium, the published portal of make run on loopback"
  echo "(its simulated throttling: mobile is a slow 4G phone). Reports (without their screenshots):"
  echo "bench/results/lighthouse/*.report.json.gz."
  echo
  echo "|page|form|performance|accessibility|best practices|SEO|largest contentful paint|cumulative layout shift|bytes|"
  echo "|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} > "$ROOT/bench/results/lighthouse.md"
cat "$ROOT/bench/results/lighthouse.md"
