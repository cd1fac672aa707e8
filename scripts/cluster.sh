#!/usr/bin/env bash
# Several API instances on one PostgreSQL database behind nginx, all on loopback: what make cluster runs, and what the
# cluster test drives.
#   scripts/cluster.sh run    starts everything, prints the URLs, stops everything on Ctrl-C (make cluster)
#   scripts/cluster.sh up     starts everything in the background and returns once every instance is ready
#   scripts/cluster.sh down   stops what up started
# Settings (environment): CLUSTER_DIR (data/cluster), CLUSTER_PORT (nginx, 5090; instances on the next INSTANCES ports),
# INSTANCES (3), PG_PORT (55440, the throwaway cluster's port), CLUSTER_PG (a server's connection string instead of
# the throwaway cluster: the database cms is created there when missing), CLUSTER_DB (cms), CLUSTER_KEY (an admin key;
# made and printed when not given), CLUSTER_CONFIG (Debug or Release build, Release).
set -euo pipefail
cd "$(dirname "$0")/.."
cmd=${1:-}
[[ "$cmd" =~ ^(run|up|down)$ ]] || { echo "usage: $0 run | up | down" >&2; exit 2; }
dir=$(mkdir -p "${CLUSTER_DIR:-data/cluster}" && cd "${CLUSTER_DIR:-data/cluster}" && pwd)
port=${CLUSTER_PORT:-5090}; n=${INSTANCES:-3}; pgport=${PG_PORT:-55440}; dbname=${CLUSTER_DB:-cms}; config=${CLUSTER_CONFIG:-Release}
[[ "$port" =~ ^[0-9]+$ && "$n" =~ ^[1-9][0-9]?$ && "$pgport" =~ ^[0-9]+$ && "$dbname" =~ ^[a-z_][a-z0-9_]*$ ]] \
  || { echo "CLUSTER_PORT, INSTANCES, PG_PORT must be numbers and CLUSTER_DB a plain name" >&2; exit 2; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

down() {
  for f in "$dir"/api-*.pid; do
    [ -f "$f" ] && { kill "$(cat "$f")" 2>/dev/null || true; rm -f "$f"; }
  done
  [ -f "$dir/nginx/nginx.pid" ] && kill "$(cat "$dir/nginx/nginx.pid")" 2>/dev/null || true
  [ -z "${CLUSTER_PG:-}" ] && bash scripts/pg.sh stop "$dir/pg"
  return 0
}
if [ "$cmd" = down ]; then down; exit 0; fi

# PostgreSQL: the given server, or a throwaway cluster in $dir/pg (kept between runs: the content stays)
if [ -n "${CLUSTER_PG:-}" ]; then
  server=$CLUSTER_PG
else
  server=$(bash scripts/pg.sh start "$dir/pg" "$pgport")
fi
psql_server=$(echo "$server" | sed -E 's/Host=([^;]*)/host=\1/; s/Port=([^;]*)/port=\1/; s/Username=([^;]*)/user=\1/; s/Database=([^;]*)/dbname=\1/; s/Password=([^;]*)/password=\1/; s/;/ /g')
if [ -z "$(psql "$psql_server" -Atc "SELECT 1 FROM pg_database WHERE datname = '$dbname'")" ]; then
  psql "$psql_server" -qc "CREATE DATABASE $dbname ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0"
fi
cs="${server/Database=postgres/Database=$dbname}"
[[ "$cs" == *"Database=$dbname"* ]] || cs="$cs;Database=$dbname"

key=${CLUSTER_KEY:-}
[ -z "$key" ] && [ -f "$dir/admin-key" ] && key=$(cat "$dir/admin-key")
[ -z "$key" ] && { key="cms_cluster_$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"; echo "$key" > "$dir/admin-key"; chmod 600 "$dir/admin-key"; }

dll="api/bin/$config/net10.0/Cms.Api.dll"
[ -f "$dll" ] && [ "${CLUSTER_BUILD:-1}" = 0 ] || dotnet build api -c "$config" -nologo -v quiet -clp:ErrorsOnly >/dev/null
mkdir -p "$dir/media" "$dir/site"
start() {   # instance i on port+i
  local i=$1
  ASPNETCORE_ENVIRONMENT=${CLUSTER_ENVIRONMENT:-Development} Cms__Store=postgres ConnectionStrings__Cms="$cs" Cms__AdminKey="$key" \
    Cms__Media__Root="$dir/media" Cms__Site="$dir/site" CMS_WEB="$PWD/web" Cms__TrustedProxies=127.0.0.1 \
    Cms__Publisher__Run="${CLUSTER_PUBLISHER:-true}" Cms__RateLimits__WritesPerMinute="${CLUSTER_WRITES_PER_MINUTE:-600}" \
    nohup dotnet "$dll" --urls "http://127.0.0.1:$((port + i))" >"$dir/api-$i.log" 2>&1 &
  echo $! > "$dir/api-$i.pid"
}
ready() {
  for _ in $(seq 1 300); do
    curl -fs -o /dev/null "http://127.0.0.1:$1/healthz/ready" && return 0
    sleep 0.2
  done
  echo "the instance on port $1 did not become ready (see $dir/api-*.log)" >&2
  return 1
}
# the first instance alone migrates and loads the demo content; the others start on a ready database
start 1; ready $((port + 1))
for i in $(seq 2 "$n"); do start "$i"; done
for i in $(seq 2 "$n"); do ready $((port + i)); done

rm -rf "$dir/nginx"; mkdir -p "$dir/nginx/tmp"
upstreams=$(for i in $(seq 1 "$n"); do printf '    server 127.0.0.1:%s max_fails=1 fail_timeout=2s;\n' $((port + i)); done)
cat > "$dir/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_max_body_size 60m;
  client_body_temp_path $dir/nginx/tmp; proxy_temp_path $dir/nginx/tmp; fastcgi_temp_path $dir/nginx/tmp;
  uwsgi_temp_path $dir/nginx/tmp; scgi_temp_path $dir/nginx/tmp;
  upstream cms {
    # each URL goes to one instance (consistent hashing): every instance keeps its own memory cache, so round robin
    # would cache each answer N times and miss N times as often; when an instance is gone its URLs move to the others
    hash \$request_uri consistent;
$upstreams
    keepalive 32;
  }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://cms;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto \$scheme;
      # an instance that is gone or not ready: the request goes to the next one; only idempotent requests (GET, HEAD,
      # PUT, DELETE are sent again; a POST or PATCH that may have reached an instance is never repeated)
      proxy_next_upstream error timeout http_502 http_503 http_504;
      proxy_next_upstream_tries $n;
      proxy_connect_timeout 1s;
      proxy_read_timeout 60s;
    }
  }
}
CONF
"$NGINX" -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -g "user $(id -un) $(id -gn);" 2>/dev/null \
  || "$NGINX" -p "$dir/nginx" -c "$dir/nginx/nginx.conf"

echo "  Cms cluster: $n instances on PostgreSQL database $dbname ($(echo "$server" | sed -E 's/Password=[^;]*;?//'))"
echo "  Load balancer (nginx): http://127.0.0.1:$port/api/v1/site"
echo "  Swagger UI:            http://127.0.0.1:$port/swagger"
echo "  Portal:                http://127.0.0.1:$port/"
for i in $(seq 1 "$n"); do echo "  Instance $i:            http://127.0.0.1:$((port + i))/healthz/ready   (pid $(cat "$dir/api-$i.pid"), log $dir/api-$i.log)"; done
echo "  Admin key:             $key   (also in $dir/admin-key)"
if [ "$cmd" = run ]; then
  echo "  Ctrl-C stops everything."
  trap 'echo; echo "stopping"; down; exit 0' INT TERM
  while sleep 3600; do :; done
fi
