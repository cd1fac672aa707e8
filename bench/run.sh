#!/usr/bin/env bash
# make bench: N generated articles (BENCH_N, default 10000), the API in Release on loopback and nginx serving the
# same response bytes as static files, both under wrk with 32 connections for BENCH_SECONDS (default 10) per endpoint;
# then the same endpoints without the memory cache (BENCH_UNCACHED=0 skips that), and search with a query log of
# 2,000 different queries against the API (cached and uncached) and against Lucene.NET indexing the same articles.
# Prints the tables and writes them to $BENCH_OUT/n-$N.md, then rebuilds $BENCH_OUT/latest.md from every n-*.md there.
# BENCH_WARM (default 20): seconds of mixed load before the uncached pass, and a tenth of it before each query set.
# BENCH_NOTE="…" adds a line to the report (e.g. what else ran on the machine).
# STORE=postgres: the same articles copied into PostgreSQL (a throwaway cluster in $BENCH_WORK/pg, store-copy) and the
# API on it; the report is n-$N-postgres.md. INSTANCES=2..9 (PostgreSQL only) starts that many API processes behind
# nginx as the load balancer (scripts/cluster.sh's upstream settings) and measures through it; the report is
# n-$N-postgres-xINSTANCES.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
N=${BENCH_N:-10000}
SECONDS_EACH=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-32}
OUT=${BENCH_OUT:-$ROOT/bench/results}
WORK=${BENCH_WORK:-$ROOT/bench/.work}
API_PORT=${BENCH_API_PORT:-5391}
NGINX_PORT=${BENCH_NGINX_PORT:-5392}
LUCENE_PORT=${BENCH_LUCENE_PORT:-5393}
UNCACHED=${BENCH_UNCACHED:-1}
# seconds of load before a server's first measured pass: .NET compiles hot methods again, optimized from what it saw
# them do, only after they have run a while (some 30,000 requests here; a 1-s warm-up measured 3,000 req/s where a
# warm process gives 8,000), and a running server has long passed that point
WARM=${BENCH_WARM:-20}
SET_WARM=$(( WARM / 10 > 1 ? WARM / 10 : 1 ))   # before each query set, after its curl pass
STORE=${STORE:-sqlite}
PG_PORT=${BENCH_PG_PORT:-5394}
INSTANCES=${INSTANCES:-1}
[[ "$STORE" =~ ^(sqlite|postgres)$ ]] || { echo "STORE must be sqlite or postgres" >&2; exit 2; }
[[ "$INSTANCES" =~ ^[1-9]$ ]] || { echo "INSTANCES must be 1 to 9" >&2; exit 2; }
[ "$INSTANCES" = 1 ] || [ "$STORE" = postgres ] || { echo "INSTANCES above 1 needs STORE=postgres (one SQLite file has one API process)" >&2; exit 2; }
# the generated articles' version: bump it when Generate writes other articles, so databases of the old kind go
CORPUS=v2
mkdir -p "$OUT" "$WORK"

need() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
missing=()
need wrk || missing+=(wrk)
need nginx || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "make bench needs: ${missing[*]} (sudo apt-get install -y ${missing[*]})" >&2; exit 1
  fi
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

echo "== building (Release)"
dotnet build api -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build bench -c Release -nologo -v quiet -clp:ErrorsOnly

BENCH_DLL=bench/bin/Release/net10.0/Cms.Bench.dll
DB="$WORK/bench-$CORPUS-$N.db"
for f in "$WORK"/bench-*; do
  if [ -e "$f" ] && [[ "$f" != "$WORK/bench-$CORPUS-"* ]]; then
    echo "== deleting $f (an older kind of generated articles)"; rm -f "$f"
  fi
done
if [ ! -f "$DB" ]; then
  echo "== generating $N articles into $DB"
  # a $DB.tmp left by a run that was stopped is carried on (the articles are a function of their ordinal)
  # its last line, the rate at which the database's triggers index articles, is kept beside the database
  dotnet "$BENCH_DLL" generate "$DB.tmp" "$N" | tee "$DB.tmp.indexing"
  mv "$DB.tmp.indexing" "$DB.indexing"
  mv "$DB.tmp" "$DB"
else
  echo "== reusing $DB"
fi
# the query log and the articles for timing a publish, drawn from the same dictionary and seed as the articles
QUERIES="$WORK/queries-$CORPUS-$N"
rm -rf "$QUERIES"
dotnet "$BENCH_DLL" queries "$QUERIES" "$N"
dotnet "$BENCH_DLL" articles "$QUERIES/publish" "$N" 20 > /dev/null

# PostgreSQL: the generated articles copied once into a database of their own (kept for the next run)
store_env=()
if [ "$STORE" = postgres ]; then
  pg_server=$(bash scripts/pg.sh start "$WORK/pg" "$PG_PORT")
  pgdb="bench_${CORPUS}_$N"
  pg_cs="Host=127.0.0.1;Port=$PG_PORT;Username=cms;Database=$pgdb"
  pg_psql="host=127.0.0.1 port=$PG_PORT user=cms dbname=$pgdb"
  if [ "$(psql "host=127.0.0.1 port=$PG_PORT user=cms dbname=postgres" -Atc "SELECT 1 FROM pg_database WHERE datname = '$pgdb'")" != 1 ] \
     || [ ! -f "$WORK/pg-$pgdb.copied" ]; then
    echo "== copying the articles into PostgreSQL ($pgdb)"
    psql "host=127.0.0.1 port=$PG_PORT user=cms dbname=postgres" -qc "DROP DATABASE IF EXISTS $pgdb" \
      -c "CREATE DATABASE $pgdb ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0"
    Cms__Store=postgres ConnectionStrings__Cms="$pg_cs" dotnet api/bin/Release/net10.0/Cms.Api.dll store-copy "$DB" | tr '\r' '\n' | tail -n 3 | tee "$WORK/pg-$pgdb.copy"
    psql "$pg_psql" -qc "VACUUM ANALYZE"
    touch "$WORK/pg-$pgdb.copied"
  else
    echo "== reusing PostgreSQL database $pgdb"
  fi
  store_env=(Cms__Store=postgres "ConnectionStrings__Cms=$pg_cs")
fi

api_pid=""; writer_pid=""; lucene_pid=""; nginx_prefix="$WORK/nginx"; lb_prefix="$WORK/lb"
BENCH_KEY="cms_bench-writer-key-$(date +%s)-000000000000"
cleanup() {
  [ -n "$writer_pid" ] && kill "$writer_pid" 2>/dev/null || true
  [ -n "$api_pid" ] && kill $api_pid 2>/dev/null || true
  [ -f "$lb_prefix/nginx.pid" ] && kill "$(cat "$lb_prefix/nginx.pid")" 2>/dev/null || true
  [ -n "$lucene_pid" ] && kill "$lucene_pid" 2>/dev/null || true
  [ -f "$nginx_prefix/nginx.pid" ] && kill "$(cat "$nginx_prefix/nginx.pid")" 2>/dev/null || true
  [ "$STORE" = postgres ] && bash scripts/pg.sh stop "$WORK/pg"
  return 0
}
trap cleanup EXIT

# start_api CACHE(true|false): starts the API (INSTANCES processes behind the load balancer on $API_PORT when more
# than one), sets api_pid (their pids) and cold_ms (process start to the first 200 through $API_PORT)
start_api() {
  [ -n "$api_pid" ] && { kill $api_pid 2>/dev/null; wait $api_pid 2>/dev/null || true; }
  api_pid=""
  local start_ns i; start_ns=$(date +%s%N)
  for i in $(seq 1 "$INSTANCES"); do
    # every request comes from one address: the per-address limit on uncached searches would measure the limiter
    env "${store_env[@]}" CMS_DB="$DB" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning Cms__DemoContent=false Cms__PublicCache="$1" \
      Cms__AdminKey="$BENCH_KEY" Cms__RateLimits__SearchAndSyncPerMinute=0 Cms__Site="$WORK/site-$N" Cms__Publisher__Run=false \
      dotnet api/bin/Release/net10.0/Cms.Api.dll --urls "http://127.0.0.1:$(instance_port "$i")" > "$WORK/api$([ "$INSTANCES" = 1 ] || echo "-$i").log" 2>&1 &
    api_pid="$api_pid $!"
  done
  [ "$INSTANCES" = 1 ] || start_balancer
  for _ in $(seq 1 1500); do
    if curl -fs -o /dev/null "http://127.0.0.1:$API_PORT/api/v1/site"; then break; fi
    sleep 0.02
  done
  cold_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
  # every instance answers before a pass begins
  for i in $(seq 1 "$INSTANCES"); do
    for _ in $(seq 1 1500); do curl -fs -o /dev/null "http://127.0.0.1:$(instance_port "$i")/api/v1/site" && break; sleep 0.02; done
  done
}
instance_port() { if [ "$INSTANCES" = 1 ]; then echo "$API_PORT"; else echo $((API_PORT + 100 + $1)); fi; }
# the load balancer when INSTANCES > 1: nginx on $API_PORT, each URL to one instance (consistent hashing, so the
# instances' memory caches do not hold the same answers), kept-alive upstream connections: scripts/cluster.sh's
# settings; started once, the instances behind it come and go
start_balancer() {
  [ -f "$lb_prefix/nginx.pid" ] && kill -0 "$(cat "$lb_prefix/nginx.pid")" 2>/dev/null && return 0
  rm -rf "$lb_prefix"; mkdir -p "$lb_prefix/tmp"
  {
    echo "worker_processes 2;"
    echo "pid $lb_prefix/nginx.pid;"
    echo "error_log $lb_prefix/error.log warn;"
    echo "events { worker_connections 4096; }"
    echo "http {"
    echo "  access_log off;"
    echo "  client_max_body_size 60m;"
    echo "  client_body_temp_path $lb_prefix/tmp; proxy_temp_path $lb_prefix/tmp; fastcgi_temp_path $lb_prefix/tmp;"
    echo "  uwsgi_temp_path $lb_prefix/tmp; scgi_temp_path $lb_prefix/tmp;"
    echo "  upstream cms {"
    echo "    hash \$request_uri consistent;"
    for i in $(seq 1 "$INSTANCES"); do echo "    server 127.0.0.1:$(instance_port "$i") max_fails=1 fail_timeout=2s;"; done
    echo "    keepalive 32;"
    echo "  }"
    echo "  server {"
    echo "    listen 127.0.0.1:$API_PORT;"
    echo "    location / {"
    echo "      proxy_pass http://cms; proxy_http_version 1.1; proxy_set_header Connection \"\";"
    echo "      proxy_set_header Host \$host; proxy_set_header X-Forwarded-For \$remote_addr;"
    echo "      proxy_next_upstream error timeout http_502 http_503 http_504; proxy_next_upstream_tries $INSTANCES;"
    echo "      proxy_connect_timeout 1s; proxy_read_timeout 60s;"
    echo "    }"
    echo "  }"
    echo "}"
  } > "$lb_prefix/nginx.conf"
  "$NGINX" -p "$lb_prefix" -c "$lb_prefix/nginx.conf" -g "user $(id -un) $(id -gn);" 2>/dev/null \
    || "$NGINX" -p "$lb_prefix" -c "$lb_prefix/nginx.conf"
}
# the largest peak RSS of the instances (kB)
peak_rss_kb() {
  local p m=0 v
  for p in $api_pid; do v=$(awk '/VmHWM/ { print $2 }' "/proc/$p/status" 2>/dev/null); [ "${v:-0}" -gt "$m" ] && m=$v; done
  echo "$m"
}

echo "== starting the API"
start_api true

mid=$(( N / 2 + 3 ))
q4=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("市长论坛"))')
q2=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("投资"))')
q4rare=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("招商引资"))')
# name | API path | file nginx serves
endpoints=(
  "article|/api/v1/articles/b$mid|article.json"
  "list page 1|/api/v1/articles?category=c&page=1|list1.json"
  "list page 50|/api/v1/articles?category=c&page=50|list50.json"
  "site bundle|/api/v1/site|site.json"
  "column RSS|/feeds/c/rss.xml|rss.xml"
  "search 4 chars|/api/v1/search?q=$q4|search4.json"
  "search 4 chars, rare|/api/v1/search?q=$q4rare|search4rare.json"
  "search 2 chars|/api/v1/search?q=$q2|search2.json"
)

echo "== nginx with the same bytes"
rm -rf "$nginx_prefix"; mkdir -p "$nginx_prefix/www" "$nginx_prefix/tmp"
for e in "${endpoints[@]}"; do
  IFS='|' read -r name path file <<< "$e"
  curl -fs "http://127.0.0.1:$API_PORT$path" -o "$nginx_prefix/www/$file"
done
chmod -R a+rX "$nginx_prefix"
cat > "$nginx_prefix/nginx.conf" <<CONF
worker_processes 2;
pid $nginx_prefix/nginx.pid;
error_log $nginx_prefix/error.log warn;
events { worker_connections 1024; }
http {
  types { application/json json; application/rss+xml xml; }
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  client_body_temp_path $nginx_prefix/tmp; proxy_temp_path $nginx_prefix/tmp; fastcgi_temp_path $nginx_prefix/tmp;
  uwsgi_temp_path $nginx_prefix/tmp; scgi_temp_path $nginx_prefix/tmp;
  server { listen 127.0.0.1:$NGINX_PORT; root $nginx_prefix/www; etag on; }
}
CONF
"$NGINX" -p "$nginx_prefix" -c "$nginx_prefix/nginx.conf" -g "user $(id -un) $(id -gn);" 2>/dev/null \
  || "$NGINX" -p "$nginx_prefix" -c "$nginx_prefix/nginx.conf"
sleep 0.3

# wrk's report → "req/s p50_ms p99_ms errors"
summarize() {
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec:/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { err += $NF }
    /Socket errors:/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) err += $i + 0 }
    END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, err }'
}
measure() {
  wrk -t2 -c"$CONNS" -d"${SECONDS_EACH}s" --latency ${2:+-H "$2"} "$1" 2>&1 | summarize
}
# search with a query log: every request another query (bench/search.lua cycles through the file)
query_sets=(mix two four)
# search_pass BASE_URL → one line per query set: "set req/s p50_ms p99_ms errors"
search_pass() {
  local s r
  for s in "${query_sets[@]}"; do
    # warm with one pass through the same log (curl, 16 at a time), then SET_WARM s of wrk: JIT, the database pages those queries read in memory
    # and, with the cache on, every answer cached, so the pass measures a running server, not the minute after a start
    xargs -P 16 -I{} curl -s -o /dev/null --max-time 30 "$1{}" < "$QUERIES/$s.txt" || true
    wrk -t2 -c"$CONNS" -d"${SET_WARM}s" -s "$ROOT/bench/search.lua" "$1" -- "$QUERIES/$s.txt" > /dev/null 2>&1
    r=$(wrk -t2 -c"$CONNS" -d"${SECONDS_EACH}s" --latency -s "$ROOT/bench/search.lua" "$1" -- "$QUERIES/$s.txt" 2>&1 | summarize)
    echo "  $s: $r (req/s p50 p99 errors)" >&2
    echo "$s $r"
  done
}
# take_back_written: the generated database is kept for the next run, so what was published through the API goes again
take_back_written() {
  local id etag
  while read -r id; do
    etag=$(curl -fs -D - -o /dev/null -X POST "http://127.0.0.1:$API_PORT/api/v1/admin/articles/$id/offline" -H "X-Api-Key: $BENCH_KEY" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')
    curl -fs -o /dev/null -X DELETE "http://127.0.0.1:$API_PORT/api/v1/admin/articles/$id" -H "X-Api-Key: $BENCH_KEY" -H "If-Match: $etag" || true
  done < <(cat "$WORK/written" 2>/dev/null); rm -f "$WORK/written"
}

rows=()
echo "== load: $CONNS connections, ${SECONDS_EACH}s per endpoint and server"
for e in "${endpoints[@]}"; do
  IFS='|' read -r name path file <<< "$e"
  # warm up both: the API's JIT, cache and connections, nginx's page cache
  wrk -t2 -c"$CONNS" -d1s "http://127.0.0.1:$API_PORT$path" > /dev/null 2>&1
  wrk -t2 -c"$CONNS" -d1s "http://127.0.0.1:$NGINX_PORT/$file" > /dev/null 2>&1
  read -r a_rps a_p50 a_p99 a_err <<< "$(measure "http://127.0.0.1:$API_PORT$path")"
  read -r n_rps n_p50 n_p99 n_err <<< "$(measure "http://127.0.0.1:$NGINX_PORT/$file")"
  size=$(stat -c %s "$nginx_prefix/www/$file")
  ratio=$(awk -v a="$a_rps" -v n="$n_rps" 'BEGIN { printf "%.0f%%", (n > 0 ? 100 * a / n : 0) }')
  rows+=("| $name | $size | $a_rps | $a_p50 | $a_p99 | $a_err | $n_rps | $n_p50 | $n_p99 | $ratio |")
  echo "  $name: API $a_rps req/s (p50 $a_p50 ms, p99 $a_p99 ms), nginx $n_rps req/s, ratio $ratio"
done
# the same cached answers asked for with Accept-Encoding: br (compressed once when cached, then sent as stored)
compressed=()
echo "== compressed: Accept-Encoding: br, cached"
for e in "${endpoints[@]:0:5}"; do
  IFS='|' read -r name path file <<< "$e"
  idx=0; for r in "${rows[@]}"; do [[ "$r" == "| $name |"* ]] && break; idx=$((idx + 1)); done
  identity_rps=$(awk -F'|' '{ gsub(/ /, "", $4); print $4 }' <<< "${rows[$idx]}")
  br_bytes=$(curl -fs -H 'Accept-Encoding: br' "http://127.0.0.1:$API_PORT$path" | wc -c)
  wrk -t2 -c"$CONNS" -d1s -H 'Accept-Encoding: br' "http://127.0.0.1:$API_PORT$path" > /dev/null 2>&1
  read -r c_rps c_p50 c_p99 c_err <<< "$(measure "http://127.0.0.1:$API_PORT$path" 'Accept-Encoding: br')"
  ratio=$(awk -v a="$c_rps" -v n="$identity_rps" 'BEGIN { printf "%.0f%%", (n > 0 ? 100 * a / n : 0) }')
  compressed+=("| $name | $(stat -c %s "$nginx_prefix/www/$file") | $br_bytes | $identity_rps | $c_rps | $c_p50 | $c_p99 | $c_err | $ratio |")
  echo "  $name: br $c_rps req/s (p99 $c_p99 ms), $br_bytes bytes; identity $identity_rps req/s"
done
# the same cached reads while a writer publishes one article a second in the measured column: each publish evicts
# only what it touches (the column's lists, the site-wide list, searches it enters), so the rest stays cached
writer() {
  local i=0 id
  while :; do
    i=$((i + 1))
    id=$(curl -fs "http://127.0.0.1:$API_PORT/api/v1/admin/articles" -H "X-Api-Key: $BENCH_KEY" -H 'Content-Type: application/json' \
      -d "{\"categoryId\":2,\"title\":\"压测期间发布的工作动态$i\",\"bodyHtml\":\"<p>日常工作动态。</p>\"}" | sed -n 's/^{"id":\([0-9]*\).*/\1/p')
    [ -n "$id" ] && curl -fs -o /dev/null -X POST "http://127.0.0.1:$API_PORT/api/v1/admin/articles/$id/publish" -H "X-Api-Key: $BENCH_KEY" \
      && echo "$id" >> "$WORK/written"
    # renamed into place: the pass reads it at any moment, and the writer is killed at any moment
    echo "$i" > "$WORK/writes.tmp" && mv "$WORK/writes.tmp" "$WORK/writes"
    sleep 1
  done
}
under_writes=()
echo "== cached reads while one article a second is published"
for e in "${endpoints[@]:0:2}" "${endpoints[5]}"; do
  IFS='|' read -r name path file <<< "$e"
  idx=0; for r in "${rows[@]}"; do [[ "$r" == "| $name |"* ]] && break; idx=$((idx + 1)); done
  quiet_rps=$(awk -F'|' '{ gsub(/ /, "", $4); print $4 }' <<< "${rows[$idx]}")
  quiet_p99=$(awk -F'|' '{ gsub(/ /, "", $6); print $6 }' <<< "${rows[$idx]}")
  echo 0 > "$WORK/writes"
  wrk -t2 -c"$CONNS" -d1s "http://127.0.0.1:$API_PORT$path" > /dev/null 2>&1   # warm, as the quiet pass was
  writer & writer_pid=$!
  # the pass starts once the writer's first publish is through (its first write pays for the write path's start-up)
  for _ in $(seq 1 400); do [ "$(cat "$WORK/writes")" -ge 1 ] && break; sleep 0.05; done
  read -r w_rps w_p50 w_p99 w_err <<< "$(measure "http://127.0.0.1:$API_PORT$path")"
  kill "$writer_pid" 2>/dev/null; wait "$writer_pid" 2>/dev/null || true; writer_pid=""
  take_back_written
  ratio=$(awk -v a="$w_rps" -v n="$quiet_rps" 'BEGIN { printf "%.0f%%", (n > 0 ? 100 * a / n : 0) }')
  under_writes+=("| $name | $quiet_rps | $w_rps | $ratio | $quiet_p99 | $w_p99 | $w_err | $(cat "$WORK/writes") |")
  echo "  $name: $w_rps req/s under writes ($ratio of quiet $quiet_rps), p99 $w_p99 ms, $(cat "$WORK/writes") publishes"
done

declare -A search_cached search_uncached search_lucene
echo "== search, cached: the query logs against the API"
while read -r s r; do search_cached[$s]=$r; done < <(search_pass "http://127.0.0.1:$API_PORT")

# one publish at this size: create + publish a generated article, curl's own timings (without its start-up)
echo "== the cost of one publish (create + publish, 20 articles)"
publish_ms=()
for f in "$QUERIES"/publish/article-*.json; do
  out=$(curl -fs -w '\n%{time_total}' "http://127.0.0.1:$API_PORT/api/v1/admin/articles" -H "X-Api-Key: $BENCH_KEY" \
    -H 'Content-Type: application/json' --data-binary @"$f")
  id=$(head -n 1 <<< "$out" | sed -n 's/^{"id":\([0-9]*\).*/\1/p')
  [ -n "$id" ] || { echo "creating an article failed" >&2; exit 1; }
  echo "$id" >> "$WORK/written"
  t=$(curl -fs -o /dev/null -w '%{time_total}' -X POST "http://127.0.0.1:$API_PORT/api/v1/admin/articles/$id/publish" -H "X-Api-Key: $BENCH_KEY")
  publish_ms+=("$(awk -v a="$(tail -n 1 <<< "$out")" -v b="$t" 'BEGIN { printf "%.1f", (a + b) * 1000 }')")
done
take_back_written
read -r publish_median publish_min publish_max <<< "$(printf '%s\n' "${publish_ms[@]}" | sort -n | awk '{ v[NR] = $1 }
  END { printf "%.1f %.1f %.1f\n", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[1], v[NR] }')"
echo "  create + publish: median $publish_median ms (fastest $publish_min, slowest $publish_max)"

# the published portal: a full publish, the time from one publish to its page on disk, nginx serving a published page
# against the API's JSON for the same article (BENCH_PUBLISH=0 skips it)
publish_rows=()
if [ "${BENCH_PUBLISH:-1}" = 1 ]; then
  SITE="$WORK/site-$N"   # the API serves this folder (Cms:Site): empty it, not remove it
  mkdir -p "$SITE" && find "$SITE" -mindepth 1 -delete
  echo "== publisher: every page of the portal"
  node publisher/publish.mjs build --api "http://127.0.0.1:$API_PORT" --out "$SITE" > "$WORK/publish.log" 2> "$WORK/publish.err" \
    || { tail -n 5 "$WORK/publish.err" >&2; exit 1; }
  # "published P pages (A articles) in S s: R pages/s, W files written, peak RSS M MB"
  read -r pub_pages pub_seconds pub_rate pub_rss <<< "$(sed -n 's/^published \([0-9]*\) pages .* in \([0-9.]*\) s: \([0-9]*\) pages\/s, .* peak RSS \([0-9]*\) MB.*/\1 \2 \3 \4/p' "$WORK/publish.log")"
  pub_bytes=$(du -sb "$SITE" | cut -f1)
  echo "  $pub_pages pages in $pub_seconds s ($pub_rate pages/s), peak RSS $pub_rss MB, $(( pub_bytes / 1024 / 1024 )) MB on disk"
  echo "== publisher: following 20 publishes (API write answered → page on disk)"
  node publisher/publish.mjs watch --api "http://127.0.0.1:$API_PORT" --out "$SITE" > "$WORK/watch.log" 2>&1 &
  watch_pid=$!
  until grep -q '^publisher following' "$WORK/watch.log"; do kill -0 "$watch_pid" 2>/dev/null || { cat "$WORK/watch.log" >&2; exit 1; }; sleep 0.1; done
  follow_ms=()
  for f in "$QUERIES"/publish/article-*.json; do
    id=$(curl -fs "http://127.0.0.1:$API_PORT/api/v1/admin/articles" -H "X-Api-Key: $BENCH_KEY" -H 'Content-Type: application/json' \
      --data-binary @"$f" | sed -n 's/^{"id":\([0-9]*\).*/\1/p')
    [ -n "$id" ] || { echo "creating an article failed" >&2; exit 1; }
    echo "$id" >> "$WORK/written"
    url=$(curl -fs -X POST "http://127.0.0.1:$API_PORT/api/v1/admin/articles/$id/publish" -H "X-Api-Key: $BENCH_KEY" | jq -r .url)
    t0=$(date +%s%N)
    for _ in $(seq 1 600); do [ -f "$SITE$url" ] && break; sleep 0.005; done
    [ -f "$SITE$url" ] || { echo "the publisher did not write $url within 3 s" >&2; exit 1; }
    follow_ms+=("$(( ($(date +%s%N) - t0) / 1000000 ))")
    sleep 0.2
  done
  kill "$watch_pid" 2>/dev/null; wait "$watch_pid" 2>/dev/null || true
  take_back_written
  read -r follow_p50 follow_p95 follow_max <<< "$(printf '%s\n' "${follow_ms[@]}" | sort -n | awk '{ v[NR] = $1 } END { printf "%d %d %d\n", v[int((NR + 1) / 2)], v[int(NR * 0.95 + 0.999)], v[NR] }')"
  echo "  p50 $follow_p50 ms, p95 $follow_p95 ms, slowest $follow_max ms"
  # one published article page by nginx, against the API's JSON for that article (cached) and the script-rendered
  # template's first request
  page_url=$(curl -fs "http://127.0.0.1:$API_PORT/api/v1/articles/b$mid" | jq -r .url)
  cp "$SITE$page_url" "$nginx_prefix/www/page.html"
  chmod a+r "$nginx_prefix/www/page.html"
  read -r s_rps s_p50 s_p99 s_err <<< "$(measure "http://127.0.0.1:$NGINX_PORT/page.html")"
  read -r j_rps j_p50 j_p99 j_err <<< "$(measure "http://127.0.0.1:$API_PORT/api/v1/articles/b$mid")"
  read -r a_rps a_p50 a_p99 a_err <<< "$(measure "http://127.0.0.1:$API_PORT$page_url")"
  publish_rows+=("|published article page (HTML) by nginx|$(stat -c %s "$SITE$page_url")|$s_rps|$s_p50|$s_p99|$s_err|")
  publish_rows+=("|the same page served by the API (static files)|$(stat -c %s "$SITE$page_url")|$a_rps|$a_p50|$a_p99|$a_err|")
  publish_rows+=("|the article's JSON from the API (cached)|$(curl -fs "http://127.0.0.1:$API_PORT/api/v1/articles/b$mid" | wc -c)|$j_rps|$j_p50|$j_p99|$j_err|")
  echo "  page by nginx $s_rps req/s, by the API $a_rps req/s; JSON by the API $j_rps req/s"
fi

peak_kb=$(peak_rss_kb)
if [ "$STORE" = postgres ]; then
  db_mb=$(( $(psql "$pg_psql" -Atc "SELECT pg_database_size(current_database())") / 1024 / 1024 ))
else
  db_mb=$(( $(stat -c %s "$DB") / 1024 / 1024 ))
fi
cached_cold_ms=$cold_ms

# the same endpoints with the memory cache off, every request reaching SQLite (BENCH_UNCACHED=0 skips it)
uncached=()
if [ "$UNCACHED" = 1 ]; then
  echo "== uncached: the API with Cms:PublicCache=false"
  start_api false
  # WARM seconds cycling through every endpoint first, so the pass measures the optimized code a running server has
  for e in "${endpoints[@]}"; do IFS='|' read -r name path file <<< "$e"; echo "$path"; done > "$WORK/uncached-paths.txt"
  wrk -t2 -c"$CONNS" -d"${WARM}s" -s "$ROOT/bench/search.lua" "http://127.0.0.1:$API_PORT" -- "$WORK/uncached-paths.txt" > /dev/null 2>&1
  for e in "${endpoints[@]}"; do
    IFS='|' read -r name path file <<< "$e"
    wrk -t2 -c"$CONNS" -d1s "http://127.0.0.1:$API_PORT$path" > /dev/null 2>&1
    read -r u_rps u_p50 u_p99 u_err <<< "$(measure "http://127.0.0.1:$API_PORT$path")"
    uncached+=("| $name | $u_rps | $u_p50 | $u_p99 | $u_err |")
    echo "  $name: uncached API $u_rps req/s (p50 $u_p50 ms, p99 $u_p99 ms)"
  done
  echo "== search, uncached: the query logs against the API"
  while read -r s r; do search_uncached[$s]=$r; done < <(search_pass "http://127.0.0.1:$API_PORT")
  uncached_peak_kb=$(peak_rss_kb)
fi
kill $api_pid 2>/dev/null; wait $api_pid 2>/dev/null || true; api_pid=""

# the anchor: Lucene.NET indexes the same published articles (SmartCn) and answers the same paths
echo "== Lucene.NET: indexing the published articles, then serving /api/v1/search"
LUCENE_INDEX="$WORK/lucene-$CORPUS-$N"
dotnet "$BENCH_DLL" lucene "$DB" "$LUCENE_INDEX" "$LUCENE_PORT" > "$WORK/lucene.log" 2>&1 &
lucene_pid=$!
while ! grep -q '^lucene listening' "$WORK/lucene.log"; do
  kill -0 "$lucene_pid" 2>/dev/null || { cat "$WORK/lucene.log" >&2; exit 1; }
  sleep 0.5
done
lucene_line=$(grep '^lucene indexed' "$WORK/lucene.log")
echo "  $lucene_line"
lucene_rate=$(sed -n 's/.*: \([0-9]*\) articles\/s.*/\1/p' <<< "$lucene_line")
lucene_index_bytes=$(sed -n 's/.*index \([0-9]*\) bytes.*/\1/p' <<< "$lucene_line")
lucene_articles=$(sed -n 's/^lucene indexed \([0-9]*\) .*/\1/p' <<< "$lucene_line")
lucene_index_per_article=$(( lucene_index_bytes / (lucene_articles > 0 ? lucene_articles : 1) ))
echo "== search: the query logs against Lucene.NET"
# the same warm-up the uncached API had: WARM seconds of load before the first measured pass
wrk -t2 -c"$CONNS" -d"${WARM}s" -s "$ROOT/bench/search.lua" "http://127.0.0.1:$LUCENE_PORT" -- "$QUERIES/mix.txt" > /dev/null 2>&1
while read -r s r; do search_lucene[$s]=$r; done < <(search_pass "http://127.0.0.1:$LUCENE_PORT")
kill "$lucene_pid" 2>/dev/null; wait "$lucene_pid" 2>/dev/null || true; lucene_pid=""
# the index stays for the next run on the same articles (LuceneAnchor checks that they are the same; at 1,000,000
# articles indexing takes the better part of an hour) and reports the figures of its build

# the API's search index: every table whose name starts with article_search, article_fts or search_, with its indexes
# (after the Lucene pass: reading every page of a large file pushes the articles out of the page cache, and Lucene's
# start-up check reads them)
echo "== the API's search index on disk"
if [ "$STORE" = postgres ]; then
  table_sizes=$(psql "$pg_psql" -At -F ' ' -c "
    SELECT rpad(c.relname, 44) || lpad(to_char(pg_total_relation_size(c.oid), 'FM999,999,999,999'), 15) ||
           CASE WHEN c.relname LIKE 'search%' THEN '  search index' ELSE '' END
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY pg_total_relation_size(c.oid) DESC" \
    -c "SELECT (SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname LIKE 'search%'),
              (SELECT count(*) FROM articles WHERE status = 'published' AND publish_at IS NOT NULL)")
else
# one sequential read of the file (bench/pages.py); dbstat's page-by-page walk took an hour over the 35 GB of 1M articles
table_sizes=$(python3 bench/pages.py "$DB" || printf 'page scan failed (see above)\n0 0\n')
fi
read -r api_index_bytes index_articles <<< "$(tail -n 1 <<< "$table_sizes")"
table_sizes=$(sed '$d' <<< "$table_sizes")
echo "$table_sizes" | sed 's/^/  /'
api_index_per_article=$(( api_index_bytes / (index_articles > 0 ? index_articles : 1) ))
api_index_rate=$(sed -n 's/.*: \([0-9]*\) articles\/s.*/\1/p' "$DB.indexing" 2>/dev/null || true)
if [ "$STORE" = postgres ]; then
  # store-copy's last line: "Search index: N articles in S s in all" (the copy and the index build together)
  api_index_rate=$(sed -n 's/^Search index: \([0-9,]*\) articles in \([0-9.]*\) s.*/\1 \2/p' "$WORK/pg-$pgdb.copy" 2>/dev/null \
    | awk '{ gsub(",", "", $1); if ($2 > 0) printf "%d", $1 / $2 }')
fi

# the search tables' lines start "|name", no space after the bar: tests/Bench counts the lines starting "| " as the
# endpoint tables' rows
search_rows=()
for s in "${query_sets[@]}"; do
  read -r c_rps c_p50 c_p99 c_err <<< "${search_cached[$s]}"
  read -r u_rps u_p50 u_p99 u_err <<< "${search_uncached[$s]:-— — — —}"
  read -r l_rps l_p50 l_p99 l_err <<< "${search_lucene[$s]}"
  ratio=$(awk -v a="$u_rps" -v n="$l_rps" 'BEGIN { if (a == "—") print "—"; else printf "%.0f%%", (n > 0 ? 100 * a / n : 0) }')
  search_rows+=("|$s|$(wc -l < "$QUERIES/$s.txt")|$c_rps|$c_p50|$c_p99|$c_err|$u_rps|$u_p50|$u_p99|$u_err|$l_rps|$l_p50|$l_p99|$l_err|$ratio|")
done
# two- against four-character words: req/s of four ÷ req/s of two (above 1: the two-character words are slower)
four_over_two() {
  awk -v t="$(cut -d' ' -f1 <<< "$1")" -v f="$(cut -d' ' -f1 <<< "$2")" 'BEGIN { if (t == "—" || t <= 0) print "—"; else printf "%.2f×", f / t }'
}
two_four="API cached $(four_over_two "${search_cached[two]}" "${search_cached[four]}"), API uncached $(four_over_two "${search_uncached[two]:-—}" "${search_uncached[four]:-—}"), Lucene $(four_over_two "${search_lucene[two]}" "${search_lucene[four]}")"

report="$OUT/n-$N.md"
[ "$STORE" = postgres ] && report="$OUT/n-$N-postgres$([ "$INSTANCES" = 1 ] || echo "-x$INSTANCES").md"
{
  echo "## $N articles$([ "$STORE" = postgres ] && { [ "$INSTANCES" = 1 ] && echo ", PostgreSQL store (one instance)" || echo ", PostgreSQL store, $INSTANCES instances behind nginx"; })"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, wrk with $CONNS connections for ${SECONDS_EACH}s per endpoint, load generator on the same machine."
  echo "Database $db_mb MB. API cold start (process start to first 200): **$cached_cold_ms ms**. API peak RSS$([ "$INSTANCES" = 1 ] || echo " (the largest instance)"): **$(( peak_kb / 1024 )) MB**."
  # BENCH_NOTE: what else the machine was doing, when it was not quiet
  [ -n "${BENCH_NOTE:-}" ] && echo "Note: $BENCH_NOTE"
  echo
  echo "| endpoint | bytes | API req/s | API p50 ms | API p99 ms | API errors (incl. timeouts over 2 s) | nginx req/s | nginx p50 ms | nginx p99 ms | API / nginx |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Under writes (the same cached reads while a writer publishes one article a second in column c):"
  echo
  echo "| endpoint | quiet req/s | under writes req/s | under writes / quiet | quiet p99 ms | under writes p99 ms | errors | publishes |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${under_writes[@]}"
  echo
  echo "Compressed (cached answers asked for with Accept-Encoding: br, compressed once when cached):"
  echo
  echo "| endpoint | identity bytes | br bytes | identity req/s | br req/s | br p50 ms | br p99 ms | br errors | br / identity |"
  echo "|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${compressed[@]}"
  echo
  if [ ${#uncached[@]} -gt 0 ]; then
    echo "Uncached (Cms:PublicCache=false, every request runs its SQL; after ${WARM} s of load cycling through these endpoints, so"
    echo ".NET has compiled the hot paths again with what it saw them do, as in a running server), peak RSS $(( uncached_peak_kb / 1024 )) MB:"
    echo
    echo "| endpoint | req/s | p50 ms | p99 ms | errors |"
    echo "|---|---|---|---|---|"
    printf '%s\n' "${uncached[@]}"
    echo
  fi
  echo "Search, 2,000 different queries: bench/search.lua cycles through a query log (every request another query; warmed"
  echo "with one pass through the same log and ${SET_WARM} s of wrk first, as a running server is; Lucene after ${WARM} s of the mix as well). mix: 2,000 queries as a site's log mixes them (60 % two-character words, 20 % three or"
  echo "four characters, 8 % two words, 5 % phrases cut from the articles, 4 % single characters, 3 % words no article"
  echo "holds); two, four: 500 two-character and 500 four-character words; all drawn by their frequency in the dictionary"
  echo "the articles are written from. The anchor is Lucene.NET 4.8 (SmartCn) over the same published articles at the same"
  echo "path, every word required (a phrase of its SmartCn tokens in the title, boosted, or the text), first 20 hits."
  echo
  echo "|query set|queries|API cached req/s|p50 ms|p99 ms|errors/timeouts|API uncached req/s|p50 ms|p99 ms|errors/timeouts|Lucene req/s|p50 ms|p99 ms|errors/timeouts|uncached / Lucene|"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${search_rows[@]}"
  echo
  echo "Two- against four-character words, req/s of four ÷ req/s of two (the aim: within 2×): $two_four."
  echo
  echo "|search index|bytes|articles|bytes per article|articles indexed per second|"
  echo "|---|---|---|---|---|"
  if [ "$STORE" = postgres ]; then
    echo "|API: PostgreSQL tables search_* with their GIN and other indexes|$api_index_bytes|$index_articles|$api_index_per_article|${api_index_rate:-—}|"
  else
    echo "|API: SQLite tables and indexes named article_search*, article_fts*, search_*|$api_index_bytes|$index_articles|$api_index_per_article|${api_index_rate:-—}|"
  fi
  echo "|Lucene.NET 4.8, SmartCn, $(nproc) indexing threads|$lucene_index_bytes|$lucene_articles|$lucene_index_per_article|$lucene_rate|"
  echo
  if [ "$STORE" = postgres ]; then
    echo "The API's rate is store-copy's: the articles copied from the generated SQLite file (COPY), then indexed by the app"
    echo "in batches of a thousand (PgSearchIndex), copy and index together. Every table of the database with its indexes (bytes):"
  else
    echo "The API's rate is the generator's: inserting the articles through SQL, the database's triggers keeping the index."
    echo "Every table and index of the API's database (bench/pages.py: each b-tree's pages and overflow pages, as dbstat counts them; bytes):"
  fi
  echo
  echo '```'
  echo "$table_sizes"
  echo '```'
  echo
  if [ ${#publish_rows[@]} -gt 0 ]; then
    echo "Published pages (publisher/publish.mjs against the API with the cache on): a full publish of every page wrote"
    echo "**$pub_pages pages in $pub_seconds s** ($pub_rate pages/s, publisher peak RSS $pub_rss MB, $(( pub_bytes / 1024 / 1024 )) MB on disk)."
    echo "From a publish answered by the API to the article's page on disk, with the publisher following the sync feed"
    echo "(${#follow_ms[@]} publishes): **p50 $follow_p50 ms, p95 $follow_p95 ms** (slowest $follow_max ms). Serving a published page:"
    echo
    echo "|what|bytes|req/s|p50 ms|p99 ms|errors|"
    echo "|---|---|---|---|---|---|"
    printf '%s\n' "${publish_rows[@]}"
    echo
  fi
  echo "One publish at this size (a generated article created, then published, through the staff API with the cache on;"
  echo "curl's timings, median of ${#publish_ms[@]}): **$publish_median ms** (fastest $publish_min ms, slowest $publish_max ms)."
  echo
} > "$report"
{
  echo "# make bench results"
  echo
  echo "Produced by \`make bench\` (\`BENCH_N=100000 make bench\` for another size); each section is one run."
  echo "Ratios compare the API with nginx serving the same bytes as static files in the same run."
  echo
  for f in $(ls "$OUT"/n-*.md | sort -t- -k2 -n); do cat "$f"; done
} > "$OUT/latest.md"
echo
cat "$report"
