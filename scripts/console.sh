#!/usr/bin/env bash
# Installs what is missing, builds, and opens the Opflow console on the workstation
# database ($OPFLOW_DB, else ~/.local/share/opflow/opflow.db); the first time, that
# database is created as the demo shop (opflow-cli init --demo, a few minutes). The console
# opens in demo mode (--demo: the demo shop's supervisor is signed in); run
# build/app/opflow without --demo to sign in yourself.
# Extra arguments go to the console (e.g. --view runs, --screenshot console.png).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset console
cmake --build --preset console -- -j"$(nproc)" # the two programs only; the tests build in build-ci
db="${OPFLOW_DB:-${XDG_DATA_HOME:-$HOME/.local/share}/opflow/opflow.db}"
if [ ! -e "$db" ]; then
  ./build/app/opflow-cli --db "$db" init --demo
else
  ./build/app/opflow-cli --db "$db" init # brings a database from an older build up to date
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  export QT_QPA_PLATFORM=offscreen
  if [[ " $* " != *" --screenshot "* ]]; then
    echo "console: no display here, so the console is rendered to opflow-console.png instead" >&2
    set -- "$@" --screenshot opflow-console.png
  fi
fi
exec ./build/app/opflow --db "$db" --demo "$@"
