#!/usr/bin/env bash
# `make prod`: Fælles in production mode on this machine, in one command.
#
# Creates the PostgreSQL database if it is missing, collects the static files, migrates, then
# runs a Celery worker and gunicorn with FAELLES_ENV=production until stopped (Ctrl+C or
# SIGTERM stops both). Everything comes from the environment, with these defaults:
#   DATABASE_URL       postgres://postgres@127.0.0.1:5432/faelles_prod
#   CELERY_BROKER_URL  redis://127.0.0.1:6379/0   (amqp://guest@127.0.0.1:5672// for RabbitMQ)
#   SECRET_KEY         generated once into $FAELLES_VAR/secret_key (mode 600) and reused
#   ALLOWED_HOSTS      127.0.0.1,localhost
#   PROD_HOST/PROD_PORT  127.0.0.1/8000; WEB_CONCURRENCY 3 gunicorn workers; CELERY_CONCURRENCY 2
#   PROMETHEUS_MULTIPROC_DIR  $FAELLES_VAR/prometheus: every process's metrics, added up by
#                      /metrics; its files are removed at each start
#   COLLECTSTATIC      1; 0 skips collectstatic (the load test, when nothing static changed)
# Each process keeps its database connection (settings: CONN_MAX_AGE 600 in production).
# PLAIN HTTP ON LOOPBACK ONLY: SECURE_SSL_REDIRECT=0 and SECURE_COOKIES=0 are the defaults here
# so that a browser on this machine can log in over http://127.0.0.1. Behind a TLS proxy set
# both to 1 (and TRUSTED_PROXY_COUNT to the number of proxies).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${BIN:-.venv/bin}"

export FAELLES_ENV=production
export FAELLES_VAR="${FAELLES_VAR:-$PWD/var}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/faelles_prod}"
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-0}"
export SECURE_COOKIES="${SECURE_COOKIES:-0}"
PROD_HOST="${PROD_HOST:-127.0.0.1}"
PROD_PORT="${PROD_PORT:-8000}"
mkdir -p "$FAELLES_VAR"
export PROMETHEUS_MULTIPROC_DIR="${PROMETHEUS_MULTIPROC_DIR:-$FAELLES_VAR/prometheus}"
mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
find "$PROMETHEUS_MULTIPROC_DIR" -maxdepth 1 -name '*.db' -type f -delete

if [ -z "${SECRET_KEY:-}" ]; then
  keyfile="$FAELLES_VAR/secret_key"
  if [ ! -s "$keyfile" ]; then
    (umask 077 && "$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$keyfile")
  fi
  SECRET_KEY="$(cat "$keyfile")"
  export SECRET_KEY
fi

if [ "$SECURE_SSL_REDIRECT" = 0 ] || [ "$SECURE_COOKIES" = 0 ]; then
  echo "prod: plain http (SECURE_SSL_REDIRECT=$SECURE_SSL_REDIRECT SECURE_COOKIES=$SECURE_COOKIES):" \
    "for loopback only; behind TLS set both to 1"
fi

echo "prod: database ${DATABASE_URL##*/}"
"$BIN/python" - <<'PY'
import os
import psycopg
from psycopg import sql

url = os.environ["DATABASE_URL"]
base, name = url.rsplit("/", 1)
name = name.split("?", 1)[0]
with psycopg.connect(base + "/postgres", autocommit=True, connect_timeout=10) as conn:
    if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"prod: created database {name}")
PY

if [ "${COLLECTSTATIC:-1}" = 1 ]; then
  echo "prod: collectstatic"
  "$BIN/faelles" collectstatic --noinput -v 0
else
  echo "prod: collectstatic skipped (COLLECTSTATIC=0: collected for this code already)"
fi
echo "prod: migrate"
"$BIN/faelles" migrate --noinput -v 0

worker=""
web=""
stop() {
  trap - EXIT INT TERM
  [ -n "$web" ] && kill -TERM "$web" 2>/dev/null || true
  [ -n "$worker" ] && kill -TERM "$worker" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

echo "prod: celery worker on $CELERY_BROKER_URL"
"$BIN/celery" -A faelles.celery worker --loglevel=INFO \
  --concurrency="${CELERY_CONCURRENCY:-2}" -n "${CELERY_WORKER_NAME:-faelles}@%h" &
worker=$!

echo "prod: Fælles on http://$PROD_HOST:$PROD_PORT/ (Ctrl+C stops)"
"$BIN/python" -m gunicorn faelles.wsgi:application --bind "$PROD_HOST:$PROD_PORT" \
  --workers "${WEB_CONCURRENCY:-3}" --access-logfile - &
web=$!

# When either stops, stop the other.
wait -n "$worker" "$web" || true
