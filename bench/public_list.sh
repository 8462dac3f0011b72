#!/usr/bin/env bash
# Throughput of the public red and black list under gunicorn, beside the same bytes served as a
# static file by the same gunicorn through whitenoise (the floor). Target: list/floor >= 0.5.
#
#     bench/public_list.sh            # from the repository root; needs PostgreSQL on 127.0.0.1
#
# Creates the database portal_bench_web, loads the demo (which rates 2023), publishes the 2023
# rating through the real services (bench/public_list_setup.py), collects the static files into
# a temporary STATIC_ROOT, saves the bytes of /credit/redblack/ there as bench/redblack.html,
# starts gunicorn (2 sync workers, production settings), warms up, then runs wrk RUNS times on
# each URL, alternately, and prints requests/s per run, the medians and the ratio. Drops the
# database and stops gunicorn on exit.
#
# Cache: the per-version cache of the rendered lists is Django's default LocMem cache, one per
# gunicorn worker: each worker renders a version once (the warm-up covers both workers).
#
# Environment: RUNS (3), DURATION (10s), THREADS (2), CONNECTIONS (16), WORKERS (2), PORT (8765),
# KEEP_DB=1 to keep the database.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RUNS="${RUNS:-3}"
DURATION="${DURATION:-10s}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-16}"
WORKERS="${WORKERS:-2}"
PORT="${PORT:-8765}"
DB=portal_bench_web
HOST=127.0.0.1
BASE="http://$HOST:$PORT"
LIST_URL="$BASE/credit/redblack/"
FLOOR_PATH="bench/redblack.html"
FLOOR_URL="$BASE/static/$FLOOR_PATH"

command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
command -v psql >/dev/null || { echo "psql is missing" >&2; exit 1; }

TMP="$(mktemp -d)"
STATIC_ROOT="$TMP/static"
GUNICORN_PID=""

cleanup() {
    if [[ -n "$GUNICORN_PID" ]] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
        kill -TERM "$GUNICORN_PID" && wait "$GUNICORN_PID" 2>/dev/null || true
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
unset REDIS_URL  # the demo's rating runs eagerly, in process
PY=.venv/bin/python

echo "== database $DB"
psql -h "$HOST" -U postgres -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
psql -h "$HOST" -U postgres -q -c "CREATE DATABASE $DB"
$PY manage.py migrate --no-input -v 0
$PY manage.py load_demo | sed -n 1p
$PY bench/public_list_setup.py
$PY manage.py collectstatic --no-input -v 0

start_gunicorn() {
    .venv/bin/gunicorn portal.wsgi -w "$WORKERS" -b "$HOST:$PORT" \
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

# The floor's bytes: the page itself, fetched from gunicorn, saved under STATIC_ROOT; whitenoise
# scans STATIC_ROOT when a worker starts, so gunicorn starts again afterwards.
echo "== saving the page's bytes as the floor"
start_gunicorn
mkdir -p "$STATIC_ROOT/bench"
curl -fsS -o "$STATIC_ROOT/$FLOOR_PATH" "$LIST_URL"
stop_gunicorn
start_gunicorn
page_bytes=$(curl -fsS "$LIST_URL" | wc -c)
floor_bytes=$(curl -fsS "$FLOOR_URL" | wc -c)
echo "page $page_bytes bytes, static copy $floor_bytes bytes"

echo "== warm-up"
wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "$LIST_URL" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "$FLOOR_URL" >/dev/null

rps() {  # requests/s of one wrk run on $1; non-2xx responses fail the benchmark
    local out
    out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "$1")"
    if grep -q "Non-2xx" <<<"$out"; then
        echo "$out" >&2
        return 1
    fi
    awk '/^Requests\/sec:/ {print $2}' <<<"$out"
}

echo "== wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $RUNS runs each, alternately"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
list_runs=()
floor_runs=()
printf '%-4s %12s %12s\n' run list floor
for i in $(seq "$RUNS"); do
    l=$(rps "$LIST_URL")
    f=$(rps "$FLOOR_URL")
    list_runs+=("$l")
    floor_runs+=("$f")
    printf '%-4s %12s %12s\n' "$i" "$l" "$f"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
list_median=$(median "${list_runs[@]}")
floor_median=$(median "${floor_runs[@]}")
ratio=$(awk -v l="$list_median" -v f="$floor_median" 'BEGIN {printf "%.2f", l/f}')
printf 'median list %s req/s, floor %s req/s, ratio list/floor %s (target >= 0.5)\n' \
    "$list_median" "$floor_median" "$ratio"
