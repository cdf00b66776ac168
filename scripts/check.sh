#!/usr/bin/env bash
# Installs what is missing, builds everything with warnings as errors, and runs every test.
# This is the README's test command and what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh --tests
cmake --preset ci
cmake --build --preset ci -- -j"$(nproc)"
ctest --preset ci --output-on-failure -j"$(nproc)" "$@"
