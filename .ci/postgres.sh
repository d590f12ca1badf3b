# Sourced by .ci/run: makes sure a PostgreSQL server listens on 127.0.0.1:5432 for the PostgreSQL
# test suites (state store, PostgreSQL relations) and exports WEFT_TEST_PG_URL.
#   1. a server already listening is used as it is;
#   2. else the machine's own cluster is started (Debian: pg_ctlcluster);
#   3. else a throwaway cluster is created with the installed binaries (initdb + pg_ctl) in a temp
#      dir, trust auth, and stopped and removed when .ci/run exits.
# Under CI=true the suites fail (never skip) when the server cannot be reached.

PG_HOST=127.0.0.1
PG_PORT=5432

pg_listening() {
  pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null
}

pg_wait_ready() {
  for _ in $(seq 1 60); do
    pg_listening && return 0
    sleep 0.5
  done
  return 1
}

pg_start_machine_cluster() {
  command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ] || return 1
  local version
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  [ -n "$version" ] || return 1
  echo "ci: starting PostgreSQL $version (pg_ctlcluster)" >&2
  pg_ctlcluster --skip-systemctl-redirect "$version" main start && pg_wait_ready
}

# Runs a command as the postgres user when we are root (initdb and postgres refuse to run as root).
pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start_throwaway_cluster() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -x "$bin/initdb" ] || { echo "ci: no PostgreSQL binaries found under /usr/lib/postgresql" >&2; return 1; }
  PG_THROWAWAY_DIR=$(mktemp -d /tmp/weft-ci-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres: "$PG_THROWAWAY_DIR"
  echo "ci: starting a throwaway PostgreSQL cluster in $PG_THROWAWAY_DIR" >&2
  pg_as_owner "$bin/initdb" -D "$PG_THROWAWAY_DIR/data" -U postgres --auth=trust >/dev/null || return 1
  pg_as_owner "$bin/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -l "$PG_THROWAWAY_DIR/log" -w \
    -o "-c listen_addresses=$PG_HOST -p $PG_PORT -k $PG_THROWAWAY_DIR" start >/dev/null || return 1
  trap 'pg_as_owner "'"$bin"'/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -m fast stop >/dev/null 2>&1; rm -rf "$PG_THROWAWAY_DIR"' EXIT
  pg_wait_ready && pg_as_owner "$bin/createdb" -h "$PG_HOST" -p "$PG_PORT" -U postgres test
}

ensure_postgres() {
  if ! pg_listening; then
    pg_start_machine_cluster || pg_start_throwaway_cluster || {
      echo "ci: PostgreSQL is not listening on $PG_HOST:$PG_PORT and could not be started" >&2
      return 1
    }
  fi
  export WEFT_TEST_PG_URL="${WEFT_TEST_PG_URL:-postgres://postgres@$PG_HOST:$PG_PORT/test}"
  echo "ci: PostgreSQL ready, WEFT_TEST_PG_URL=$WEFT_TEST_PG_URL" >&2
}
