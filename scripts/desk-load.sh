#!/usr/bin/env bash
# The staff desk under load: wrk with 50 connections for 30 s against the dashboard with a valid session, on a
# copy of the sample content. Prints wrk's figures and the desk's memory (RSS) before and after, and fails on any
# error or non-2xx answer. Not part of scripts/test (it takes about a minute); the README records a run.
#   scripts/desk-load.sh [SECONDS] [CONNECTIONS]     (default 30 50; uses .build/release/kepu if built, else debug)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
connections=${2:-50}
scripts/setup --load
kepu=.build/release/kepu
[ -x "$kepu" ] || kepu=.build/debug/kepu
[ -x "$kepu" ] || swift build --product kepu
work=$(mktemp -d)
desk_pid=""
cleanup() { [ -n "$desk_pid" ] && kill "$desk_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

cp -r content "$work/content"
export LANG=C.UTF-8 GIT_AUTHOR_NAME=load GIT_AUTHOR_EMAIL=load@example.invalid GIT_COMMITTER_NAME=load GIT_COMMITTER_EMAIL=load@example.invalid
unset LC_ALL
(cd "$work/content" && git init -q && git add -A && git commit -q -m sample)
echo "load-test-password" | "$kepu" desk user add load --role 审核 --content "$work/content" >/dev/null
"$kepu" desk --content "$work/content" --output "$work/public" --cache "$work/cache" --port 0 --now 2023-10-01 \
  > "$work/desk.out" 2> "$work/desk.err" &
desk_pid=$!
for _ in $(seq 100); do grep -q http:// "$work/desk.out" 2>/dev/null && break; sleep 0.1; done
url=$(grep -o 'http://[^ ]*' "$work/desk.out" | head -1)
# Log in like a browser: the login page's token and cookie, then the form.
login_page=$(curl -s -c "$work/jar" "${url}login")
token=$(printf '%s' "$login_page" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
curl -s -b "$work/jar" -c "$work/jar" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode "username=load" \
  --data-urlencode "password=load-test-password" "${url}login"
session=$(awk '$6 == "kepu_desk" { print $7 }' "$work/jar")
[ -n "$session" ] || { echo "desk-load: could not log in"; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: kepu_desk=$session" "$url")
[ "$status" = 200 ] || { echo "desk-load: dashboard answered $status"; exit 1; }
rss() { awk '/VmRSS/ { print $2 " kB" }' "/proc/$desk_pid/status"; }
# One warm-up second, so "before" is the desk with its caches filled.
wrk -t 2 -c 10 -d 1s -H "Cookie: kepu_desk=$session" "$url" >/dev/null
before=$(rss)
wrk -t 2 -c "$connections" -d "${seconds}s" --latency -H "Cookie: kepu_desk=$session" "$url" | tee "$work/wrk.txt"
after=$(rss)
echo "kepu: $kepu"
echo "RSS before: $before, after: $after"
if grep -qE "Non-2xx|Socket errors" "$work/wrk.txt"; then echo "desk-load: errors under load"; exit 1; fi
echo "desk-load: no errors"
