#!/usr/bin/env bash
# Opens two consoles as two workstations ("ws-a", "ws-b") of one small demo shop, joined
# through a shared SQLite file, so that a move at one shows at the other within a second.
# With --postgres the shop's database is a throwaway PostgreSQL server instead (initdb
# and pg_ctl in a temporary folder, on a Unix socket only, run as "nobody" under root),
# stopped and removed when the consoles close.
#
# The shop lives in $OPFLOW_SHOP_DIR (default ~/.local/share/opflow/shop-demo): made the
# first time (a demo of 300 orders at ws-a, then ws-b made from the shop), reused after.
# Both consoles sign in the demo supervisor (sam). Without a display both are rendered
# to PNG files instead (opflow-shop-ws-a.png, opflow-shop-ws-b.png).
set -euo pipefail
cd "$(dirname "$0")/.."

backend=sqlite
if [ "${1:-}" = "--postgres" ]; then
  backend=postgres
  shift
fi
if [ "$backend" = postgres ]; then
  bash scripts/install-deps.sh --tests
else
  bash scripts/install-deps.sh
fi
cmake --preset console >/dev/null
cmake --build --preset console -- -j"$(nproc)"
cli=./build/app/opflow-cli
console=./build/app/opflow

shop="${OPFLOW_SHOP_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/opflow/shop-demo}/$backend"
mkdir -p "$shop"
server=""
stop_server() {
  if [ -n "$server" ]; then
    as_server pg_ctl -D "$server/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$server"
  fi
}
as_server() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/$1"
  shift
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u nobody -- "$bin" "$@"
  else
    "$bin" "$@"
  fi
}
trap stop_server EXIT

if [ "$backend" = postgres ]; then
  # A new server each time: the workstations are made again with it.
  rm -f "$shop"/ws-a.db* "$shop"/ws-b.db*
  server="$(mktemp -d /tmp/opflow-shop-pg.XXXXXX)"
  chmod 755 "$server"
  if [ "$(id -u)" -eq 0 ]; then chown nobody:nogroup "$server"; fi
  as_server initdb -D "$server/data" -U opflow --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  as_server pg_ctl -D "$server/data" -l "$server/server.log" \
    -o "-k $server -c listen_addresses=''" -w start >/dev/null
  as_server psql -h "$server" -U opflow -d postgres -qc "CREATE DATABASE opflow_shop" >/dev/null
  target="host=$server dbname=opflow_shop user=opflow"
else
  target="$shop/shared.db"
fi

if [ ! -e "$shop/ws-b.db" ]; then
  echo "shop-demo: making the demo shop in $shop (about half a minute, once)"
  rm -f "$shop"/ws-a.db* "$shop"/shared.db*
  "$cli" --db "$shop/ws-a.db" init --demo --orders 300 >/dev/null
  echo ada-demo | "$cli" --db "$shop/ws-a.db" shared init "$target" --as ada --workstation ws-a
  "$cli" --db "$shop/ws-a.db" sync
  echo ada-demo | "$cli" --db "$shop/ws-b.db" init --shared "$target" --as ada --workstation ws-b
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "shop-demo: no display here, so both consoles are rendered to opflow-shop-ws-a.png and opflow-shop-ws-b.png" >&2
  export QT_QPA_PLATFORM=offscreen
  "$console" --db "$shop/ws-a.db" --demo --screenshot opflow-shop-ws-a.png "$@"
  "$console" --db "$shop/ws-b.db" --demo --screenshot opflow-shop-ws-b.png "$@"
  exit 0
fi
echo "shop-demo: two consoles, ws-a and ws-b; move an order at one and watch the other (Console > Sync with the shop)"
"$console" --db "$shop/ws-a.db" --demo "$@" &
first=$!
"$console" --db "$shop/ws-b.db" --demo "$@" || true
kill "$first" 2>/dev/null || true
wait "$first" 2>/dev/null || true
