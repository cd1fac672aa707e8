#!/usr/bin/env bash
# Installs the system packages the tests need (Debian): chromium for the browser tests, CJK fonts for readable
# screenshots, npm for the portal's packages (DOMPurify, axe-core),
# python3-feedparser and xmllint to check the feeds with parsers other than our own, wrk, nginx, curl and jq for the bench check,
# postgresql for the suite's run on the PostgreSQL store. As root it installs them; otherwise it prints the command and fails.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
command -v npm >/dev/null 2>&1 || missing+=(npm)
/usr/bin/python3 -c 'import feedparser' >/dev/null 2>&1 || missing+=(python3-feedparser)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v jq >/dev/null 2>&1 || missing+=(jq)
# PostgreSQL's server and client (the second run of the API tests, make cluster, backups of the postgres store)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "Installing ${missing[*]} ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "The tests need: ${missing[*]}. Install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
