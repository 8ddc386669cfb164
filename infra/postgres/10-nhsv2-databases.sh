#!/usr/bin/env bash
# docker-compose's PostgreSQL runs this once, on an empty data directory (/docker-entrypoint-initdb.d):
# one login role and one database per service, the database owned by its role, so a service reaches
# only its own tables (DESIGN.md: each service owns its data). Passwords come from the container's
# environment (docker-compose.yml, from .env), never from this file.
#
# Owning its database is all a service needs for its Flyway migrations: the appointment service's
# `CREATE EXTENSION btree_gist` (the slot claims' exclusion constraint) is allowed to the owner because
# btree_gist is a trusted extension, and on PostgreSQL 15 the owner of a database owns its `public`
# schema (pg_database_owner), where the tables go.
set -euo pipefail

create_service_database() {
  local name="$1" password="$2"
  # psql variables (:"name", :'password') quote the identifier and the literal, whatever they hold.
  psql --no-psqlrc -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v name="$name" -v password="$password" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
-- No other role may connect: services never read each other's tables.
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
  echo "nhsv2: created role and database $name"
}

create_service_database nhsv2_appointment "${NHSV2_APPOINTMENT_DB_PASSWORD:?set NHSV2_APPOINTMENT_DB_PASSWORD}"
create_service_database nhsv2_payment "${NHSV2_PAYMENT_DB_PASSWORD:?set NHSV2_PAYMENT_DB_PASSWORD}"
create_service_database nhsv2_notification "${NHSV2_NOTIFICATION_DB_PASSWORD:?set NHSV2_NOTIFICATION_DB_PASSWORD}"
