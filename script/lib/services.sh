# shellcheck shell=bash
# Shared helpers for script/*: find or start the servers the platform needs.
#
# Each ensure_* reuses a server already answering on its port (the machines and CI start
# PostgreSQL and Redis before a session) and otherwise starts its own as a local process with
# data, log and pid under the git-ignored .local/, so a bare machine works too. Pid files
# mark what the scripts started, so script/stop stops only those.
#
# Sourced, not executed: the caller sets `set -euo pipefail`.

NHSV2_ROOT="${NHSV2_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
NHSV2_LOCAL="${NHSV2_LOCAL:-$NHSV2_ROOT/.local}"

KEYCLOAK_VERSION="${KEYCLOAK_VERSION:-26.7.3}"
KEYCLOAK_HOME="${KEYCLOAK_HOME:-$NHSV2_LOCAL/keycloak-$KEYCLOAK_VERSION}"
KEYCLOAK_PORT="${KEYCLOAK_PORT:-8180}"
KEYCLOAK_MGMT_PORT="${KEYCLOAK_MGMT_PORT:-9180}"
KEYCLOAK_URL="http://localhost:$KEYCLOAK_PORT"
KEYCLOAK_REALM_URL="$KEYCLOAK_URL/realms/nhsv2"
KEYCLOAK_ADMIN_USER="admin"
KEYCLOAK_ADMIN_PASSWORD="fake-local-admin-password" # fake, local only

PG_HOST="127.0.0.1"
PG_PORT="${PG_PORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"

say() { printf '%s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# True if the pid in file $1 is alive and its command line contains $2 (guards against a
# recycled pid after a reboot).
pid_file_alive() {
  local file="$1" expect="$2" pid cmdline
  [[ -s "$file" ]] || return 1
  pid="$(head -n 1 "$file")" # postmaster.pid has more lines after the pid
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"$expect"* ]]
}

# A JDK 21+ for Keycloak (the project itself builds with Java 17). Prints its home.
find_keycloak_java() {
  local candidates=() dir major
  if [[ -n "${KEYCLOAK_JAVA_HOME:-}" ]]; then candidates+=("$KEYCLOAK_JAVA_HOME"); fi
  candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64)
  for dir in /usr/lib/jvm/*-2[1-9]* /usr/lib/jvm/*-[3-9][0-9]*; do
    if [[ -e "$dir" ]]; then candidates+=("$dir"); fi
  done
  if [[ -n "${JAVA_HOME:-}" ]]; then candidates+=("$JAVA_HOME"); fi
  for dir in "${candidates[@]}"; do
    [[ -x "$dir/bin/java" ]] || continue
    major="$("$dir/bin/java" -XshowSettings:properties -version 2>&1 |
      sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')"
    if [[ -n "$major" && "$major" -ge 21 ]]; then
      printf '%s\n' "$(readlink -f "$dir")"
      return 0
    fi
  done
  return 1
}

# Waits until command "$@" succeeds or $1 seconds pass; 1 if the deadline passed.
wait_until() {
  local seconds="$1"; shift
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 1
  done
}

# --- PostgreSQL --------------------------------------------------------------------------

# Newest installed server binaries (Debian keeps them per major version).
postgres_bin() { printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1; }

pg_answers() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; }

# How the scripts reach PostgreSQL as its superuser: over TCP as user postgres (their own server trusts it; so
# may the machine's, or PGPASSWORD / ~/.pgpass holds its password), else, as root, through the local socket as
# the postgres OS user: peer authentication, all a fresh Debian/Ubuntu package's cluster allows.
PG_ADMIN_ROUTE=""
pg_admin_route() {
  if psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -w -X -q -t -c 'SELECT 1' >/dev/null 2>&1; then
    PG_ADMIN_ROUTE=tcp
  elif [[ "$(id -u)" == 0 ]] && command -v runuser >/dev/null &&
    runuser -u postgres -- psql -p "$PG_PORT" -d postgres -w -X -q -t -c 'SELECT 1' >/dev/null 2>&1; then
    PG_ADMIN_ROUTE=socket
  else
    die "postgres: the server on $PG_HOST:$PG_PORT lets no superuser in: set PGPASSWORD (or a ~/.pgpass line) for its user postgres, or run as root where the postgres account may use the local socket"
  fi
}

psql_admin() {
  [[ -n "$PG_ADMIN_ROUTE" ]] || pg_admin_route
  local args=(-p "$PG_PORT" -U postgres -d postgres -w -X -q -A -t -v ON_ERROR_STOP=1 "$@")
  if [[ "$PG_ADMIN_ROUTE" == socket ]]; then
    PGOPTIONS="-c client_min_messages=warning" runuser -u postgres -- psql "${args[@]}"
  else
    PGOPTIONS="-c client_min_messages=warning" psql -h "$PG_HOST" "${args[@]}"
  fi
}

ensure_postgres() {
  local dir="$NHSV2_LOCAL/postgres"
  local data="$dir/data"
  if command -v pg_isready >/dev/null && pg_answers; then
    if pid_file_alive "$data/postmaster.pid" postgres; then
      say "postgres: reusing own server on $PG_HOST:$PG_PORT (data in $data)"
    else
      say "postgres: reusing server on $PG_HOST:$PG_PORT"
    fi
    pg_admin_route
    return 0
  fi
  [[ -x "$(postgres_bin)/initdb" ]] || die "postgres: nothing answers on $PG_HOST:$PG_PORT and no server binaries found; run script/bootstrap"
  if [[ -f "$dir/postgres.log" ]]; then mv -f "$dir/postgres.log" "$dir/postgres.log.prev"; fi
  # The same server a test starts for itself (as the postgres user: PostgreSQL refuses root), on the standard port.
  "$NHSV2_ROOT/script/lib/postgres-node" start "$dir" "$PG_PORT" >/dev/null ||
    die "postgres: could not start own server on $PG_HOST:$PG_PORT (log: $dir/postgres.log)"
  # script/stop uses pg_ctl with this data dir; the pid file marks that we started it.
  printf '%s\n' "$data" >"$dir/started-by-scripts"
  say "postgres: started own server on $PG_HOST:$PG_PORT (data $data, log $dir/postgres.log)"
}

valid_identifier() {
  [[ "$1" =~ ^[a-z_][a-z0-9_]*$ ]] || die "not a plain lower-case identifier: '$1'"
}

# Login role NAME with password NAME (local dev credentials; the services read theirs from env).
ensure_role() {
  local name="$1"
  valid_identifier "$name"
  if [[ -z "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$name'")" ]]; then
    psql_admin -c "CREATE ROLE $name LOGIN PASSWORD '$name'"
    say "postgres: created role $name"
  fi
}

# Database NAME owned by role NAME, both created if missing; existing data is kept.
ensure_database() {
  local name="$1"
  ensure_role "$name"
  if [[ -z "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$name'")" ]]; then
    psql_admin -c "CREATE DATABASE $name OWNER $name"
    say "postgres: created database $name"
  else
    say "postgres: database $name exists (kept)"
  fi
}

# A fresh, empty database NAME owned by OWNER (default NAME): tests never see what an
# earlier run left behind. WITH (FORCE) ends sessions a crashed run may have left open.
recreate_database() {
  local name="$1" owner="${2:-$1}"
  valid_identifier "$name"
  ensure_role "$owner"
  psql_admin -c "DROP DATABASE IF EXISTS $name WITH (FORCE)"
  psql_admin -c "CREATE DATABASE $name OWNER $owner"
  say "postgres: recreated empty database $name (owner $owner)"
}

# --- Redis -------------------------------------------------------------------------------

redis_answers() { [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }

ensure_redis() {
  local dir="$NHSV2_LOCAL/redis"
  if command -v redis-cli >/dev/null && redis_answers; then
    if pid_file_alive "$dir/redis.pid" redis-server; then
      say "redis: reusing own server on 127.0.0.1:$REDIS_PORT"
    else
      say "redis: reusing server on 127.0.0.1:$REDIS_PORT"
    fi
    return 0
  fi
  command -v redis-server >/dev/null || die "redis: nothing answers on 127.0.0.1:$REDIS_PORT and redis-server is not installed; run script/bootstrap"
  mkdir -p "$dir"
  # A cache only: no RDB/AOF persistence.
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes \
    --dir "$dir" --logfile "$dir/redis.log" --pidfile "$dir/redis.pid" \
    --save '' --appendonly no ||
    die "redis: could not start (log: $dir/redis.log)"
  if ! wait_until 15 redis_answers; then
    tail -n 20 "$dir/redis.log" >&2
    die "redis: started but does not answer on 127.0.0.1:$REDIS_PORT (log: $dir/redis.log)"
  fi
  say "redis: started own server on 127.0.0.1:$REDIS_PORT (log $dir/redis.log)"
}

# --- Keycloak ----------------------------------------------------------------------------

keycloak_answers() {
  curl -fs -o /dev/null --max-time 5 "$KEYCLOAK_REALM_URL/.well-known/openid-configuration"
}

ensure_keycloak() {
  local dir="$NHSV2_LOCAL/keycloak" java_home pid
  local pidfile="$dir/keycloak.pid" log="$dir/keycloak.log"
  if keycloak_answers; then
    if pid_file_alive "$pidfile" keycloak; then
      say "keycloak: reusing own server on $KEYCLOAK_URL (realm nhsv2)"
    else
      say "keycloak: reusing server on $KEYCLOAK_URL (realm nhsv2)"
    fi
    return 0
  fi
  mkdir -p "$dir"
  if pid_file_alive "$pidfile" keycloak; then
    # Started by an earlier call that is still booting: wait for it instead of a second one.
    pid="$(cat "$pidfile")"
    say "keycloak: own server (pid $pid) still starting; waiting"
  else
    [[ -x "$KEYCLOAK_HOME/bin/kc.sh" ]] || die "keycloak: $KEYCLOAK_HOME missing; run script/bootstrap"
    java_home="$(find_keycloak_java)" || die "keycloak: needs a JDK 21+ (set KEYCLOAK_JAVA_HOME); run script/bootstrap"
    if curl -s -o /dev/null --max-time 3 "http://localhost:$KEYCLOAK_PORT/"; then
      die "keycloak: port $KEYCLOAK_PORT is taken by something that does not serve realm nhsv2"
    fi
    # start-dev with an in-memory database re-imports the realm on every start, so the
    # realm always matches infra/keycloak/nhsv2-realm.json.
    mkdir -p "$KEYCLOAK_HOME/data/import"
    cp "$NHSV2_ROOT/infra/keycloak/nhsv2-realm.json" "$KEYCLOAK_HOME/data/import/nhsv2-realm.json"
    if [[ -f "$log" ]]; then mv -f "$log" "$log.prev"; fi
    # setsid: its own process group, so script/stop can end kc.sh and its JVM together.
    JAVA_HOME="$java_home" \
      KC_BOOTSTRAP_ADMIN_USERNAME="$KEYCLOAK_ADMIN_USER" \
      KC_BOOTSTRAP_ADMIN_PASSWORD="$KEYCLOAK_ADMIN_PASSWORD" \
      JAVA_OPTS_KC_HEAP="-Xms64m -Xmx512m" \
      setsid "$KEYCLOAK_HOME/bin/kc.sh" start-dev --db=dev-mem \
        --http-port="$KEYCLOAK_PORT" --http-management-port="$KEYCLOAK_MGMT_PORT" \
        --import-realm --hostname="$KEYCLOAK_URL" \
        </dev/null >"$log" 2>&1 &
    pid=$!
    printf '%s\n' "$pid" >"$pidfile"
    say "keycloak: starting own server (pid $pid, JDK $java_home, log $log); ~45 s on first start, ~20 s after"
  fi
  local started=$SECONDS deadline=$((SECONDS + ${KEYCLOAK_START_TIMEOUT:-240}))
  until keycloak_answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 40 "$log" >&2
      rm -f "$pidfile"
      die "keycloak: process exited during start (log: $log)"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 40 "$log" >&2
      die "keycloak: realm nhsv2 not served on $KEYCLOAK_URL after ${KEYCLOAK_START_TIMEOUT:-240} s (still running as pid $pid; log: $log)"
    fi
    sleep 2
  done
  say "keycloak: started own server on $KEYCLOAK_URL in $((SECONDS - started)) s (admin console: $KEYCLOAK_ADMIN_USER / $KEYCLOAK_ADMIN_PASSWORD)"
}

# --- RabbitMQ ----------------------------------------------------------------------------

RABBITMQ_PORT="${RABBITMQ_PORT:-5672}"
RABBITMQ_USER="nhsv2"
RABBITMQ_PASSWORD="${NHSV2_RABBITMQ_PASSWORD:-fake-local-rabbitmq-password}" # fake, local only

rabbitmq_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$RABBITMQ_PORT") 2>/dev/null; }

# rabbitmqctl against the broker on RABBITMQ_PORT: the scripts' own node, or the machine's.
rabbitmq_ctl() {
  if [[ -s "$NHSV2_LOCAL/rabbitmq/port" ]] && [[ "$(cat "$NHSV2_LOCAL/rabbitmq/port")" == "$RABBITMQ_PORT" ]] &&
    pid_file_alive "$NHSV2_LOCAL/rabbitmq/rabbitmq.pid" beam; then
    "$NHSV2_ROOT/script/lib/rabbitmq-node" ctl "$NHSV2_LOCAL/rabbitmq" "$@"
  else
    rabbitmqctl -q "$@"
  fi
}

ensure_rabbitmq() {
  local dir="$NHSV2_LOCAL/rabbitmq"
  if rabbitmq_answers; then
    if pid_file_alive "$dir/rabbitmq.pid" beam; then
      say "rabbitmq: reusing own server on 127.0.0.1:$RABBITMQ_PORT"
    else
      say "rabbitmq: reusing server on 127.0.0.1:$RABBITMQ_PORT"
    fi
  else
    [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] || die "rabbitmq: nothing answers on 127.0.0.1:$RABBITMQ_PORT and rabbitmq-server is not installed; run script/bootstrap"
    "$NHSV2_ROOT/script/lib/rabbitmq-node" start "$dir" "$RABBITMQ_PORT" || die "rabbitmq: could not start (log: $dir/log)"
  fi
  rabbitmq_ctl list_users >/dev/null 2>&1 ||
    die "rabbitmq: rabbitmqctl cannot reach the broker on 127.0.0.1:$RABBITMQ_PORT to add user $RABBITMQ_USER; add it and its vhosts yourself, or stop that broker so the scripts start their own"
  if ! rabbitmq_ctl list_users | grep -q "^$RABBITMQ_USER\b"; then
    rabbitmq_ctl add_user "$RABBITMQ_USER" "$RABBITMQ_PASSWORD" >/dev/null
    say "rabbitmq: added user $RABBITMQ_USER"
  fi
}

# The vhost $1 exists and user nhsv2 may use it.
ensure_vhost() {
  local vhost="$1"
  if ! rabbitmq_ctl list_vhosts | grep -qx "$vhost"; then
    rabbitmq_ctl add_vhost "$vhost" >/dev/null
    say "rabbitmq: added vhost $vhost"
  fi
  rabbitmq_ctl set_permissions -p "$vhost" "$RABBITMQ_USER" '.*' '.*' '.*' >/dev/null
}

# A vhost with nothing in it: what the tests use, so no earlier run's messages remain.
recreate_vhost() {
  local vhost="$1"
  if rabbitmq_ctl list_vhosts | grep -qx "$vhost"; then rabbitmq_ctl delete_vhost "$vhost" >/dev/null; fi
  ensure_vhost "$vhost"
  say "rabbitmq: recreated empty vhost $vhost"
}

# --- OpenTelemetry Java agent (script/server --traces) -----------------------------------

OTEL_AGENT_VERSION="${OTEL_AGENT_VERSION:-2.33.1}" # as system-tests/pom.xml, which gives it to TraceJourneyIT
OTEL_AGENT_JAR="$NHSV2_LOCAL/otel/opentelemetry-javaagent-$OTEL_AGENT_VERSION.jar"

# The agent jar from Maven Central (or ~/.m2) under the git-ignored .local/, fetched once.
ensure_otel_agent() {
  local dir="${OTEL_AGENT_JAR%/*}"
  [[ -s "$OTEL_AGENT_JAR" ]] && return 0
  mkdir -p "$dir"
  say "otel: fetching io.opentelemetry.javaagent:opentelemetry-javaagent:$OTEL_AGENT_VERSION"
  # Outside the project, as for Keycloak: a half-edited pom.xml cannot break it.
  (cd "$dir" && mvn -q -B -Dstyle.color=never org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="io.opentelemetry.javaagent:opentelemetry-javaagent:$OTEL_AGENT_VERSION" \
    -DoutputDirectory="$dir" 2>&1) | sed 's/\x1b\[[0-9;]*m//g' # Maven 3.8's -q still prints colour resets
  [[ -s "$OTEL_AGENT_JAR" ]] || die "otel: could not fetch the agent into $dir"
}
