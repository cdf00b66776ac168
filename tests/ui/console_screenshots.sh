#!/usr/bin/env bash
# The console binary end to end: a small demo shop (opflow-cli init --demo), then
# `opflow --demo --screenshot FILE --view V` for every view; each must exit 0 and leave a
# PNG; the flowcharts view also with --operation. Also refused with a message:
# --screenshot without --demo, an unknown view, --operation without --view flowcharts, and
# an unknown operation.
# Usage: console_screenshots.sh OPFLOW OPFLOW_CLI WORKDIR
set -euo pipefail
opflow=$1 cli=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
db="$work/demo.db"
"$cli" --db "$db" init --demo --orders 60 >/dev/null 2>&1
export QT_QPA_PLATFORM=offscreen
check_size() {
  size=$(stat -c %s "$1")
  if [ "$size" -lt 10000 ]; then
    echo "console_screenshots: $1 is only $size bytes" >&2
    exit 1
  fi
}
for view in orders order runs audit operations flowcharts dashboard; do
  "$opflow" --db "$db" --demo --screenshot "$work/$view.png" --view "$view"
  check_size "$work/$view.png"
done
"$opflow" --db "$db" --demo --screenshot "$work/flowcharts-price.png" --view flowcharts --operation order.calculate_price
check_size "$work/flowcharts-price.png"
if "$opflow" --db "$db" --demo --view orders --operation order.calculate_price 2>"$work/err.txt"; then
  echo "console_screenshots: --operation without --view flowcharts was accepted" >&2
  exit 1
fi
grep -q -- "--operation goes with --view flowcharts" "$work/err.txt"
if "$opflow" --db "$db" --demo --view flowcharts --operation no.such_op 2>"$work/err.txt"; then
  echo "console_screenshots: an unknown operation was accepted" >&2
  exit 1
fi
grep -q 'no operation "no.such_op"' "$work/err.txt"
if "$opflow" --db "$db" --screenshot "$work/x.png" 2>"$work/err.txt"; then
  echo "console_screenshots: --screenshot without --demo was accepted" >&2
  exit 1
fi
grep -q -- "--screenshot needs --demo" "$work/err.txt"
if "$opflow" --db "$db" --demo --view nowhere 2>"$work/err.txt"; then
  echo "console_screenshots: an unknown view was accepted" >&2
  exit 1
fi
grep -q 'no view "nowhere"' "$work/err.txt"
if "$opflow" --db "$work/missing.db" --demo 2>"$work/err.txt"; then
  echo "console_screenshots: a missing database was accepted" >&2
  exit 1
fi
grep -q "no database at" "$work/err.txt"
echo "console_screenshots: every view rendered"
