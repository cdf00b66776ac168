#!/usr/bin/env bash
# Installs the Debian packages Opflow needs to build, test and run.
# Idempotent: it asks apt only for what is missing, and runs `apt-get update` only then.
# With --tests it adds what only the tests need: a PostgreSQL server they start themselves,
# and Prometheus (promtool checks the metrics; a real server scrapes the console).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  qt6-base-dev qt6-scxml-dev qt6-charts-dev libqt6opengl6-dev libgl-dev
  nlohmann-json3-dev libsodium-dev libcli11-dev libfmt-dev libspdlog-dev libsqlite3-dev sqlite3
  libgtest-dev libgmock-dev libbenchmark-dev libqt6sql6-sqlite
  graphviz fonts-dejavu-core fonts-liberation2
  libgraphviz-dev librsvg2-dev libxml2-dev
  libpq-dev
)
if [ "${1:-}" = "--tests" ]; then
  packages+=(postgresql prometheus)
fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
