#!/usr/bin/env bash
# Installs what is missing, builds, and opens the Opflow console.
# Extra arguments go to the console (e.g. --screenshot console.png).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset dev
cmake --build --preset dev -- -j"$(nproc)"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  export QT_QPA_PLATFORM=offscreen
  if [[ " $* " != *" --screenshot "* ]]; then
    echo "console: no display here, so the console is rendered to opflow-console.png instead" >&2
    set -- "$@" --screenshot opflow-console.png
  fi
fi
exec ./build/app/opflow "$@"
