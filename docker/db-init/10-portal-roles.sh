#!/bin/sh
# The portal's database and its two roles. The postgres image runs this once, when its data
# volume is new (compose.yaml mounts this folder at /docker-entrypoint-initdb.d); `make
# prodcheck` and `make drill` run the same file against their own clusters. On a managed
# PostgreSQL, run the SQL below once as the provider's administrator.
#
#   postgres      the superuser (POSTGRES_PASSWORD): administration and nothing else
#   portal_owner  owns the database and every table; only the `migrate` service connects
#                 as it (MIGRATE_DATABASE_URL)
#   portal_app    what web, worker and beat connect as (DATABASE_URL): it reads and writes
#                 rows but cannot alter, drop or truncate a table, drop a trigger, or change
#                 or delete an audit event. `migrate` grants it exactly that after every run
#                 (DATABASE_APP_ROLE; brunswick/audit/privileges.py).
set -eu
psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
    -v owner_password="${PORTAL_OWNER_PASSWORD:?set PORTAL_OWNER_PASSWORD}" \
    -v app_password="${PORTAL_APP_PASSWORD:?set PORTAL_APP_PASSWORD}" <<'SQL'
CREATE ROLE portal_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE portal_app LOGIN PASSWORD :'app_password';
CREATE DATABASE portal OWNER portal_owner ENCODING 'UTF8';
REVOKE ALL ON DATABASE portal FROM PUBLIC;
GRANT CONNECT ON DATABASE portal TO portal_app;
-- The portal has no business in the server's own database.
REVOKE CONNECT ON DATABASE postgres FROM PUBLIC;
\connect portal
-- PostgreSQL 15 already refuses CREATE on public to all but the database owner; say so anyway.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
