#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite.
#
#   bash .ci/postgres.sh start DIR   make a cluster in DIR (created if missing), start it on a
#                                    free port of 127.0.0.1 (unix socket inside DIR), create the
#                                    test role and database, print the URL on stdout:
#                                    postgresql+psycopg://quizdl_test:PASSWORD@127.0.0.1:PORT/quizdl_test
#   bash .ci/postgres.sh stop DIR    stop that cluster and remove DIR
#
# The server is installed (Debian: apt-get install postgresql) when no initdb is found.
# PostgreSQL refuses to run as root, so as root the cluster runs as the user `postgres`
# if it exists, else as `quizdl-pg` (created). DIR's parent folders must be readable by
# that user (/tmp is). Everything but the URL goes to stderr. Durability is switched off
# (fsync, full_page_writes): the data lives only as long as the test run.
set -euo pipefail

ROLE=quizdl_test
DATABASE=quizdl_test
MARKER=.quizdl-throwaway-cluster

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() {
    log "$*"
    exit 1
}

bin_dir() {
    # initdb and pg_ctl are not on PATH on Debian: they live in /usr/lib/postgresql/<ver>/bin.
    local initdb
    if initdb=$(command -v initdb 2>/dev/null); then
        dirname "$(readlink -f "$initdb")"
        return
    fi
    find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null |
        sort -V | tail -n 1 | xargs -r dirname
}

install_server() {
    [ "$(id -u)" = 0 ] || die "initdb not found and not root: install PostgreSQL (apt-get install postgresql)"
    command -v apt-get >/dev/null || die "initdb not found and no apt-get: install PostgreSQL by hand"
    log "initdb not found: installing PostgreSQL with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    apt-get install -y -q postgresql >&2
}

cluster_user() {
    if [ "$(id -u)" != 0 ]; then
        id -un
    elif id postgres >/dev/null 2>&1; then
        echo postgres
    else
        id quizdl-pg >/dev/null 2>&1 ||
            useradd --system --no-create-home --shell /usr/sbin/nologin quizdl-pg
        echo quizdl-pg
    fi
}

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u "$OWNER" -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    local dir=$1 bin port password attempt
    bin=$(bin_dir)
    if [ -z "$bin" ] || [ ! -x "$bin/pg_ctl" ]; then
        install_server
        bin=$(bin_dir)
        [ -n "$bin" ] && [ -x "$bin/pg_ctl" ] || die "PostgreSQL was installed but initdb/pg_ctl are still missing"
    fi
    [ -x "$bin/psql" ] || die "psql not found beside $bin/initdb"
    OWNER=$(cluster_user)

    mkdir -p "$dir"
    [ -z "$(ls -A "$dir")" ] || die "$dir is not empty: give start a new folder"
    dir=$(cd "$dir" && pwd)
    touch "$dir/$MARKER"
    mkdir -p "$dir/socket"
    chown -R "$OWNER" "$dir"
    chmod 700 "$dir"

    password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    log "initdb in $dir/data as $OWNER ($("$bin/initdb" --version))"
    # Local (socket) connections trust the cluster owner, whose folder alone holds the socket;
    # TCP connections need the test role's password.
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --encoding=UTF8 --no-locale \
        --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; die "initdb failed"; }

    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
            "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir/socket \
             -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
             -c max_connections=200 -c autovacuum=off" >&2; then
            break
        fi
        log "start on port $port failed (attempt $attempt); server log:"
        tail -n 5 "$dir/server.log" >&2 || true
        port=
    done
    [ -n "$port" ] || die "could not start PostgreSQL"
    as_owner "$bin/pg_isready" -q -h "$dir/socket" -p "$port" -t 30 || die "PostgreSQL is not ready"

    as_owner "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/socket" -p "$port" -U postgres \
        -d postgres -v password="$password" >&2 <<SQL
CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD :'password';
CREATE DATABASE $DATABASE OWNER $ROLE;
SQL
    log "$("$bin/postgres" --version) ready on 127.0.0.1:$port"
    echo "postgresql+psycopg://$ROLE:$password@127.0.0.1:$port/$DATABASE"
}

stop() {
    local dir=$1 bin
    [ -d "$dir" ] || return 0
    [ -e "$dir/$MARKER" ] || die "$dir was not made by postgres.sh start: not removing it"
    if [ -e "$dir/data/postmaster.pid" ]; then
        bin=$(bin_dir)
        OWNER=$(stat -c %U "$dir/data")
        as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || log "pg_ctl stop failed"
    fi
    rm -rf "$dir"
}

case "${1:-}:$#" in
start:2) start "$2" ;;
stop:2) stop "$2" ;;
*) die "usage: $0 start DIR | stop DIR" ;;
esac
