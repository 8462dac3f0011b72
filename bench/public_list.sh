#!/usr/bin/env bash
# Throughput of the public pages under gunicorn, each beside the same bytes served as a static
# file by the same gunicorn through whitenoise (the floor) and by nginx (the machine's limit).
# Targets: the list, its CSV and JSON and the certificate's page >= 0.9 x whitenoise, the
# firm's page >= 0.5 x.
#
#     bench/public_list.sh            # from the repository root; needs PostgreSQL and Redis
#
# Creates the database portal_bench_web, loads the demo (which rates and publishes 2023 and
# issues a credit certificate), makes sure 2023 is published (bench/public_list_setup.py, which
# also names the certificate and a black-listed firm), collects the static files into a
# temporary STATIC_ROOT, and saves there the bytes of each page, fetched from gunicorn, as
# bench/<name>.<ext>. Then gunicorn (WORKERS sync workers, production settings) and nginx (as
# many workers, its own port, a temporary configuration) serve; after a warm-up, wrk runs RUNS
# times on each address, the page, its whitenoise copy and its nginx copy one after the other,
# and the script prints per run and per page (medians) the requests/s and their ratios, the CPU
# time the serving processes spent per request (what the load of others moves least) and its
# ratio, and the load average before and after. Drops the database and stops gunicorn and
# nginx on exit.
#
# Cache: the production one, Redis (REDIS_URL and CACHE_URL: database 12 of 127.0.0.1:6379
# unless BENCH_REDIS says otherwise), shared by the workers; it is flushed at the start. The
# demo is loaded with REDIS_URL unset (its rating runs eagerly, in process), the same cache.
#
# Environment: RUNS (3), DURATION (10s), THREADS (2), CONNECTIONS (16), WORKERS (2),
# PORT (8765), NGINX_PORT (8766), BENCH_REDIS, KEEP_DB=1 to keep the database, REUSE_DB=1 to
# measure again on a kept one (no demo loading).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RUNS="${RUNS:-3}"
DURATION="${DURATION:-10s}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-16}"
WORKERS="${WORKERS:-2}"
PORT="${PORT:-8765}"
NGINX_PORT="${NGINX_PORT:-8766}"
BENCH_REDIS="${BENCH_REDIS:-redis://127.0.0.1:6379/12}"
DB=portal_bench_web
HOST=127.0.0.1
BASE="http://$HOST:$PORT"
NGINX_BASE="http://$HOST:$NGINX_PORT"

command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
command -v nginx >/dev/null || apt-get install -y nginx >/dev/null
command -v psql >/dev/null || { echo "psql is missing" >&2; exit 1; }
command -v redis-cli >/dev/null || { echo "redis-cli is missing" >&2; exit 1; }

TMP="$(mktemp -d)"
chmod 755 "$TMP"  # nginx's workers read the copies
STATIC_ROOT="$TMP/static"
GUNICORN_PID=""
NGINX_PID=""

cleanup() {
    if [[ -n "$GUNICORN_PID" ]] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
        kill -TERM "$GUNICORN_PID" && wait "$GUNICORN_PID" 2>/dev/null || true
    fi
    if [[ -n "$NGINX_PID" ]] && kill -0 "$NGINX_PID" 2>/dev/null; then
        kill -QUIT "$NGINX_PID" && wait "$NGINX_PID" 2>/dev/null || true
    fi
    if [[ "${KEEP_DB:-0}" != 1 ]]; then
        psql -h "$HOST" -U postgres -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT

# Production settings, with the temporary STATIC_ROOT (a two-line settings module in $TMP).
cat >"$TMP/bench_settings.py" <<EOF
from portal.settings import *  # noqa: F403

STATIC_ROOT = "$STATIC_ROOT"
EOF
export PYTHONPATH="$TMP:$ROOT${PYTHONPATH:+:$PYTHONPATH}"
export DJANGO_SETTINGS_MODULE=bench_settings
export DJANGO_ENV=production DJANGO_SECRET_KEY=bench DJANGO_ALLOWED_HOSTS=$HOST
export DJANGO_SECURE_SSL_REDIRECT=0 LOG_LEVEL=WARNING
# wrk is one address asking thousands of times a second: the public rate limit would answer 429.
export PORTAL_RATE_LIMITS_ENABLED=0
export DATABASE_URL="postgres://postgres@$HOST:5432/$DB"
export CACHE_URL="$BENCH_REDIS"
unset REDIS_URL  # the demo's rating runs eagerly, in process; gunicorn gets it below
PY=.venv/bin/python

echo "== database $DB, cache $CACHE_URL (flushed)"
redis-cli -u "$BENCH_REDIS" flushdb >/dev/null
if [[ "${REUSE_DB:-0}" == 1 ]]; then
    echo "reusing the database of a run with KEEP_DB=1"
else
    psql -h "$HOST" -U postgres -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
    psql -h "$HOST" -U postgres -q -c "CREATE DATABASE $DB"
    $PY manage.py migrate --no-input -v 0
    # The demo refuses production settings (its accounts have known passwords): development.
    DJANGO_ENV=development DJANGO_DEBUG=0 $PY manage.py load_demo | sed -n 1p
fi
$PY bench/public_list_setup.py "$TMP/pages.sh"
# shellcheck disable=SC1091
source "$TMP/pages.sh"
$PY manage.py collectstatic --no-input -v 0

# name, address, file of the copy (its extension gives the Content-Type whitenoise and nginx send)
NAMES=(list csv json verify firm)
declare -A URL_PATH=(
    [list]="/credit/redblack/"
    [csv]="/credit/redblack/$YEAR.csv"
    [json]="/credit/redblack/$YEAR.json"
    [verify]="$VERIFY_PATH"
    [firm]="$FIRM_PATH"
)
declare -A COPY=(
    [list]=bench/list.html [csv]=bench/list.csv [json]=bench/list.json
    [verify]=bench/verify.html [firm]=bench/firm.html
)

start_gunicorn() {
    REDIS_URL="$BENCH_REDIS" .venv/bin/gunicorn portal.wsgi -w "$WORKERS" -b "$HOST:$PORT" \
        --log-level warning >"$TMP/gunicorn.log" 2>&1 &
    GUNICORN_PID=$!
    for _ in $(seq 100); do
        curl -fs -o /dev/null "$BASE/static/css/portal.css" 2>/dev/null && return 0
        sleep 0.2
    done
    cat "$TMP/gunicorn.log" >&2
    return 1
}
stop_gunicorn() {
    kill -TERM "$GUNICORN_PID" && wait "$GUNICORN_PID" 2>/dev/null || true
    GUNICORN_PID=""
}

start_nginx() {
    mkdir -p "$TMP/nginx"
    cat >"$TMP/nginx/nginx.conf" <<EOF
daemon off;
worker_processes $WORKERS;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 1024; }
http {
    types { text/html html; text/csv csv; application/json json; }
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    keepalive_timeout 0;  # as gunicorn's sync workers: one request per connection
    client_body_temp_path $TMP/nginx/body;
    proxy_temp_path $TMP/nginx/proxy;
    fastcgi_temp_path $TMP/nginx/fastcgi;
    uwsgi_temp_path $TMP/nginx/uwsgi;
    scgi_temp_path $TMP/nginx/scgi;
    server {
        listen $HOST:$NGINX_PORT;
        location /static/ { alias $STATIC_ROOT/; }
    }
}
EOF
    nginx -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" &
    NGINX_PID=$!
    for _ in $(seq 50); do
        curl -fs -o /dev/null "$NGINX_BASE/static/${COPY[list]}" 2>/dev/null && return 0
        sleep 0.1
    done
    cat "$TMP/nginx/error.log" >&2
    return 1
}

# The copies: each page's bytes, fetched from gunicorn, saved under STATIC_ROOT; whitenoise
# scans STATIC_ROOT when a worker starts, so gunicorn starts again afterwards.
echo "== saving the pages' bytes as the floors"
start_gunicorn
mkdir -p "$STATIC_ROOT/bench"
for name in "${NAMES[@]}"; do
    curl -fsS -o "$STATIC_ROOT/${COPY[$name]}" "$BASE${URL_PATH[$name]}"
done
chmod -R a+rX "$STATIC_ROOT"
stop_gunicorn
start_gunicorn
start_nginx
for name in "${NAMES[@]}"; do
    page="$TMP/page.$name"
    curl -fsS -o "$page" "$BASE${URL_PATH[$name]}"
    curl -fsS -o "$page.nginx" "$NGINX_BASE/static/${COPY[$name]}"
    same=same
    cmp -s "$page" "$STATIC_ROOT/${COPY[$name]}" && cmp -s "$page" "$page.nginx" || same=DIFFERENT
    printf '%-7s %-48s %7s bytes, copies: %s\n' "$name" "${URL_PATH[$name]}" \
        "$(wc -c <"$page")" "$same"
done

# CPU per request: on this shared machine the requests/s of a run move with everybody else's
# load, the CPU time the serving processes spend per request much less. The serving processes:
# the gunicorn workers, Redis and the PostgreSQL backends of $DB (Redis is shared: what other
# clients make it do in the same seconds is counted too).
TICK_US=$((1000000 / $(getconf CLK_TCK)))
REDIS_PID="$(redis-cli -u "$BENCH_REDIS" info server | awk -F: '/^process_id:/ {print $2}' | tr -d '\r')"
cpu_snapshot() {  # "pid ticks" (user + system) of each serving process
    local pid
    for pid in $(pgrep -P "$GUNICORN_PID") $REDIS_PID \
        $(psql -h "$HOST" -U postgres -Atc "SELECT pid FROM pg_stat_activity WHERE datname = '$DB'"); do
        [[ -r /proc/$pid/stat ]] && echo "$pid $(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')"
    done
    return 0
}

measure() {  # "requests/s CPU-µs/request" of one wrk run of $1 on $2; a non-2xx fails the benchmark
    local out before after requests ticks
    before="$(cpu_snapshot)"
    out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" "$2")"
    after="$(cpu_snapshot)"
    if grep -q "Non-2xx" <<<"$out"; then
        echo "$out" >&2
        return 1
    fi
    requests="$(awk '/requests in/ {print $1}' <<<"$out")"
    # processes gone in between (a database connection past its CONN_MAX_AGE) are left out
    ticks="$(awk 'NR == FNR {a[$1] = $2; next} ($1 in a) {s += $2 - a[$1]} END {print s + 0}' \
        <(echo "$before") <(echo "$after"))"
    awk -v out="$out" -v t="$ticks" -v r="$requests" -v us="$TICK_US" 'BEGIN {
        match(out, /Requests\/sec: *[0-9.]+/); split(substr(out, RSTART, RLENGTH), f, ": *")
        printf "%s %.0f\n", f[2], t * us / r }'
}

echo "== warm-up (3 s of each address)"
for name in "${NAMES[@]}"; do
    measure 3s "$BASE${URL_PATH[$name]}" >/dev/null
    measure 3s "$BASE/static/${COPY[$name]}" >/dev/null
    measure 3s "$NGINX_BASE/static/${COPY[$name]}" >/dev/null
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo "== wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $RUNS runs of each, alternately"
echo "   (cpu: µs of CPU per request of the serving processes; cpu ratio: whitenoise's / the app's)"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "load average before: $load_before"
declare -A RUNS_OF
printf '%-4s %-7s %10s %10s %10s %8s %8s %8s %9s\n' run page gunicorn whitenoise nginx \
    app/wn "cpu app" "cpu wn" "cpu ratio"
for i in $(seq "$RUNS"); do
    for name in "${NAMES[@]}"; do
        read -r a ac < <(measure "$DURATION" "$BASE${URL_PATH[$name]}")
        read -r w wc < <(measure "$DURATION" "$BASE/static/${COPY[$name]}")
        read -r n _ < <(measure "$DURATION" "$NGINX_BASE/static/${COPY[$name]}")
        RUNS_OF[$name.app]+="$a "
        RUNS_OF[$name.whitenoise]+="$w "
        RUNS_OF[$name.nginx]+="$n "
        RUNS_OF[$name.ratio]+="$(ratio "$a" "$w") "
        RUNS_OF[$name.cpu_app]+="$ac "
        RUNS_OF[$name.cpu_whitenoise]+="$wc "
        RUNS_OF[$name.cpu_ratio]+="$(ratio "$wc" "$ac") "
        printf '%-4s %-7s %10s %10s %10s %8s %8s %8s %9s\n' "$i" "$name" "$a" "$w" "$n" \
            "$(ratio "$a" "$w")" "$ac" "$wc" "$(ratio "$wc" "$ac")"
    done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "load average after: $load_after"

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
declare -A TARGET=([list]=0.9 [csv]=0.9 [json]=0.9 [verify]=0.9 [firm]=0.5)
echo "== medians of the runs; load average $load_before before, $load_after after"
printf '%-7s %10s %10s %10s %8s %8s %8s %8s %9s %7s\n' page gunicorn whitenoise nginx app/wn \
    app/nginx "cpu app" "cpu wn" "cpu ratio" target
for name in "${NAMES[@]}"; do
    declare -A M=()
    for what in app whitenoise nginx ratio cpu_app cpu_whitenoise cpu_ratio; do
        # shellcheck disable=SC2086
        M[$what]=$(median ${RUNS_OF[$name.$what]})
    done
    printf '%-7s %10s %10s %10s %8s %8s %8s %8s %9s %7s\n' "$name" "${M[app]}" \
        "${M[whitenoise]}" "${M[nginx]}" "${M[ratio]}" "$(ratio "${M[app]}" "${M[nginx]}")" \
        "${M[cpu_app]}" "${M[cpu_whitenoise]}" "${M[cpu_ratio]}" ">= ${TARGET[$name]}"
done
