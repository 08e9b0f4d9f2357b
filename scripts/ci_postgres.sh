#!/usr/bin/env bash
# Runs the storage and service tests against a real PostgreSQL server (design §3, issue 9):
# installs Debian's postgresql when it is missing (as root), starts a private cluster in a temporary folder
# (Unix socket only, no TCP port opened), creates a database, exports CADRECARE_PG_URL, runs the tests,
# then stops the server and removes the folder. Extra arguments go to pytest.
# Usage: bash scripts/ci_postgres.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

find_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
PGBIN="$(find_pg_bin || true)"
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "安装 PostgreSQL（Debian 软件包 postgresql）…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends postgresql >/dev/null
    PGBIN="$(find_pg_bin)"
  else
    echo "缺少 PostgreSQL。请用管理员权限执行：sudo apt-get install -y --no-install-recommends postgresql" >&2
    exit 1
  fi
fi

WORK="$(mktemp -d /tmp/cadrecare-pg.XXXXXX)"
PORT="${CADRECARE_PG_PORT:-54329}"
if [ "$(id -u)" = "0" ]; then
  # PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
  chown postgres "$WORK"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

stop() {
  as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap stop EXIT

as_pg "$PGBIN/initdb" -D "$WORK/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 \
  || { cat "$WORK/initdb.log" >&2; exit 1; }
as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w \
  -o "-p $PORT -k $WORK -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
"$PGBIN/createdb" -h "$WORK" -p "$PORT" -U postgres cadrecare

export CADRECARE_PG_URL="postgresql+psycopg://postgres@/cadrecare?host=$WORK&port=$PORT"
export QT_QPA_PLATFORM=offscreen
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') 已启动（$WORK）；运行存储和服务测试…"
.venv/bin/python -m pytest -q -p no:cacheprovider tests/models tests/security "$@"
