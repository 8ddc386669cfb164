#!/usr/bin/env bash
# docker-compose's RabbitMQ: the broker, plus the platform's user with its password from the environment.
#
# The node loads definitions.json at boot (30-nhsv2.conf). RabbitMQ then seeds no default user, not even
# from RABBITMQ_DEFAULT_USER/PASS, because it takes imported definitions as definitive; and definitions.json
# (generated from the code) holds no users, since a password hash in the repository would be a secret. So
# once the node is up this adds NHSV2_RABBITMQ_USER (or sets its password again after a restart) with every
# permission on NHSV2_RABBITMQ_VHOST, then marks itself ready for the healthcheck.
set -euo pipefail
: "${NHSV2_RABBITMQ_USER:?}" "${NHSV2_RABBITMQ_PASSWORD:?}" "${NHSV2_RABBITMQ_VHOST:?}"

ready=/tmp/nhsv2-user-ready
rm -f "$ready"

# The image's entrypoint drops to the rabbitmq user and execs the node, so $broker is the node itself.
docker-entrypoint.sh rabbitmq-server &
broker=$!
trap 'rm -f "$ready"; kill -TERM "$broker" 2>/dev/null || true' TERM INT

# As the rabbitmq user: a CLI run as root before the node wrote its Erlang cookie would write one the
# node cannot read.
ctl() { gosu rabbitmq rabbitmqctl --quiet "$@"; }

until ctl await_startup >/dev/null 2>&1; do
  if ! kill -0 "$broker" 2>/dev/null; then
    wait "$broker" || exit $?
    exit 1
  fi
  sleep 2
done
# The password goes on standard input, not the command line.
if ! ctl add_user "$NHSV2_RABBITMQ_USER" <<<"$NHSV2_RABBITMQ_PASSWORD" 2>/dev/null; then
  ctl change_password "$NHSV2_RABBITMQ_USER" <<<"$NHSV2_RABBITMQ_PASSWORD"
fi
ctl set_permissions -p "$NHSV2_RABBITMQ_VHOST" "$NHSV2_RABBITMQ_USER" '.*' '.*' '.*'
touch "$ready"
echo "nhsv2: user $NHSV2_RABBITMQ_USER may use vhost $NHSV2_RABBITMQ_VHOST"

# A signal ends the first wait early (the trap passes it on): wait again until the node has stopped.
status=0
while kill -0 "$broker" 2>/dev/null; do
  wait "$broker" || status=$?
done
rm -f "$ready"
exit "$status"
