#!/usr/bin/env bash
# Install what the tests need outside Python: Debian's Chromium for the browser tests and,
# with the argument "postgres", a running PostgreSQL with the test database.
# Installing needs root (as on CI); without it, say what is missing and carry on: the browser
# tests then skip themselves with that reason.
set -euo pipefail

apt_install() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "test-deps: not root, cannot install $*; install it with apt-get" >&2
        return 1
    fi
    if [ -z "$(find /var/lib/apt/lists -name '*Packages*' 2>/dev/null | head -1)" ]; then
        apt-get update -qq
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
}

if [ ! -x /usr/bin/chromium ]; then
    echo "test-deps: installing Debian's chromium for the browser tests"
    apt_install chromium || true
fi

if [ "${1:-}" = "postgres" ]; then
    if ! command -v pg_ctlcluster >/dev/null 2>&1; then
        echo "test-deps: installing PostgreSQL"
        apt_install postgresql
    fi
    if ! pg_isready -q -h 127.0.0.1 -p 5432; then
        echo "test-deps: starting PostgreSQL"
        version=$(ls /etc/postgresql | sort -n | tail -1)
        pg_ctlcluster --skip-systemctl-redirect "$version" main start
        for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    fi
    as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sh -c "$1"; fi; }
    # A fresh install authenticates TCP clients by password: give postgres the one CI uses.
    as_postgres "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
    exists=$(as_postgres "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = 'influence_test'\"")
    [ "$exists" = "1" ] || as_postgres "createdb influence_test"
fi
