#!/usr/bin/env bash
# Builds and runs every test project, then prints the one line CI reads: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p TestResults
rm -f TestResults/contract.txt
log=TestResults/test.log
# the tools the contract tests judge openapi.yaml with: NSwag and Kiota (dotnet tools), Redocly and openapi-ts (npm)
dotnet tool restore >/dev/null || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
npm ci --prefix tests/Contract --no-audit --no-fund --loglevel=error >/dev/null || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
dotnet build Cms.sln -c Debug -nologo -v quiet -clp:ErrorsOnly || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
dotnet test Cms.sln -c Debug --no-build --nologo --logger "console;verbosity=normal" --filter "Category!=PostgresOnly" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

# the API and feed suites again on PostgreSQL, and the cluster test (three instances behind nginx), on a throwaway
# cluster (scripts/pg.sh); CMS_TEST_PG= skips starting one and uses that server instead (it must let the suite create databases)
if [ -z "${CMS_TEST_PG:-}" ]; then
  pgdir=$(mktemp -d /tmp/cms-test-pg.XXXXXX)
  port=55433
  while (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$((port + 1)); done
  trap 'bash scripts/pg.sh stop "$pgdir"; rm -rf "$pgdir" "$pgdir.initdb.log"' EXIT
  CMS_TEST_PG=$(PG_FAST=1 bash scripts/pg.sh start "$pgdir" "$port") || { echo "PostgreSQL did not start"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
fi
echo "== the API and feed tests on PostgreSQL, and the cluster test"
CMS_TEST_STORE=postgres CMS_TEST_PG="$CMS_TEST_PG" dotnet test tests -c Debug --no-build --nologo --logger "console;verbosity=normal" \
  --filter "(FullyQualifiedName~Cms.Tests.Api|FullyQualifiedName~Cms.Tests.Feeds|FullyQualifiedName~Cms.Tests.Cluster)&Category!=SqliteOnly" 2>&1 | tee -a "$log"
pgrc=${PIPESTATUS[0]}
[ "$rc" -eq 0 ] && rc=$pgrc
# dotnet test's closing block per test assembly: "Total tests: N" then "Passed: N", "Failed: N", "Skipped: N" lines
summary=$(awk '
  /^Total tests: /           { inblock = 1; next }
  inblock && /^ +Passed: /   { p += $2; next }
  inblock && /^ +Failed: /   { f += $2; next }
  inblock && /^ +Skipped: /  { s += $2; next }
  inblock && /Total time:/   { inblock = 0 }
  END { printf "%d passed, %d failed, %d skipped", p, f, s }' "$log")
echo
[ -f TestResults/contract.txt ] && cat TestResults/contract.txt
echo "$summary"
if [ "$rc" -eq 0 ] && [[ "$summary" == 0\ passed* ]]; then
  echo "no test ran" >&2
  exit 1
fi
exit "$rc"
