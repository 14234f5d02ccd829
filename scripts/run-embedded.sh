#!/usr/bin/env bash
# `make run`: the portal on its embedded defaults, with a real Celery worker and beat.
#
# Without REDIS_URL the broker is a folder under var/broker (kombu's filesystem transport),
# so e-mails, letter PDFs, reminders, subject-access reminders, the hourly clean-up of
# staged screenshots and the nightly purge all run here as they do in production. The
# worker stops with the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
UV=${UV:-uv}
VAR=${BRUNSWICK_VAR_DIR:-var}
mkdir -p "$VAR"

$UV run --locked celery -A brunswick worker --beat --pool=solo --concurrency=1 \
  --without-gossip --without-mingle --loglevel=INFO \
  --schedule="$VAR/celerybeat-schedule" >"$VAR/worker.log" 2>&1 &
worker=$!
server=""
# Both run in the background, so Ctrl-C (or a TERM) reaches this trap at once and stops both.
stop() { kill $server "$worker" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT
trap 'exit 130' INT TERM

for _ in $(seq 1 100); do
  grep -q "ready." "$VAR/worker.log" 2>/dev/null && break
  kill -0 "$worker" 2>/dev/null || { cat "$VAR/worker.log" >&2; exit 1; }
  sleep 0.2
done
echo "Celery worker and beat are running (log: $VAR/worker.log)."
echo
echo "The portal is at http://127.0.0.1:8000 (staff: http://127.0.0.1:8000/staff/login/). Ctrl-C stops it."
$UV run --locked python manage.py runserver 127.0.0.1:8000 --noreload &
server=$!
wait "$server"
