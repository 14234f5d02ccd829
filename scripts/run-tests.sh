#!/usr/bin/env bash
# `make test`'s three runs. The PostgreSQL suite runs in front, printing as it goes; the
# SQLite smoke run and the production checks (tests/production, all but `long`) run beside
# it on the second core, their output kept in var/test-beside.log and printed at the end.
# Fails if any of the three fails (or runs nothing: pytest exits 5).
set -uo pipefail
UV=${UV:-uv}
mkdir -p var
log=var/test-beside.log
(
  set -e
  BRUNSWICK_TEST_DATABASE=sqlite $UV run --locked pytest -m smoke -p no:cacheprovider
  $UV run --locked pytest tests/production -m "not long" -p no:cacheprovider
) >"$log" 2>&1 &
beside=$!
# Stopped (Ctrl-C, a cancelled job): the runs beside stop too; uv passes the signal on, and
# the production checks' teardown stops every server they started.
trap 'pkill -TERM -P $beside 2>/dev/null; kill -TERM $beside 2>/dev/null' INT TERM

$UV run --locked pytest --ignore=tests/production
main=$?
wait $beside
beside_status=$?

echo
echo "=== SQLite smoke run and production checks (from $log) ==="
cat "$log"
if [ "$main" -ne 0 ] || [ "$beside_status" -ne 0 ]; then
  echo "make test FAILED (PostgreSQL suite: exit $main; smoke and production checks: exit $beside_status)" >&2
  exit 1
fi
