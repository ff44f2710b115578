# A throwaway PostgreSQL server on a free loopback port, for the test suite and the benchmarks.
# Source this file, then:
#   throwaway_pg_start [max_connections] [durable]
#       sets THROWAWAY_PG (an Npgsql connection string) on success. Without "durable" the server
#       runs with fsync off (tests: nothing worth keeping); benchmarks pass "durable" so commits
#       cost what they cost in production.
#   throwaway_pg_stop                       stops the server and deletes its files (safe to call twice)
# Callers should `trap throwaway_pg_stop EXIT`.

throwaway_pg_dir=""
throwaway_pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
THROWAWAY_PG=""

throwaway_pg_log() { echo "[postgres] $*" >&2; }

throwaway_pg_as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

throwaway_pg_start() {
  local max_connections="${1:-300}" settings=""
  [[ "${2:-}" == durable ]] || settings="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  if [[ -z "$throwaway_pg_bin" || ! -x "$throwaway_pg_bin/initdb" ]]; then
    throwaway_pg_log "PostgreSQL is not installed"; return 1
  fi
  if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    throwaway_pg_log "there is no postgres user to run the server as"; return 1
  fi
  throwaway_pg_dir="$(mktemp -d /tmp/tandem-pg.XXXXXX)"
  [[ $(id -u) -eq 0 ]] && chown postgres "$throwaway_pg_dir"
  local port user
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 55432)"
  user="$([[ $(id -u) -eq 0 ]] && echo postgres || id -un)"
  if throwaway_pg_as_postgres "$throwaway_pg_bin/initdb" -D "$throwaway_pg_dir/data" -U postgres -A trust --no-sync >/dev/null \
     && throwaway_pg_as_postgres "$throwaway_pg_bin/pg_ctl" -D "$throwaway_pg_dir/data" -l "$throwaway_pg_dir/log" -w start \
          -o "-p $port -k $throwaway_pg_dir -c listen_addresses=127.0.0.1 $settings -c max_connections=$max_connections" >/dev/null; then
    THROWAWAY_PG="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    throwaway_pg_log "running on 127.0.0.1:$port"
    return 0
  fi
  throwaway_pg_log "did not start; see $throwaway_pg_dir/log"
  return 1
}

throwaway_pg_stop() {
  if [[ -n "$throwaway_pg_dir" ]]; then
    throwaway_pg_as_postgres "$throwaway_pg_bin/pg_ctl" -D "$throwaway_pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$throwaway_pg_dir"
    throwaway_pg_dir=""
  fi
}
