#!/usr/bin/env bash
# The kept-cache benchmark of docs/BENCHMARKS.md: a real Postgres compute at 0.5 CU in real cgroups
# with its guest agent reads a table larger than 0.25 CU can cache, shrinks to 0.25 CU, grows back
# to 0.5 CU, then scans the table whole; with the cache kept (loaded back after the growth) and
# without. Needs root, cgroups and Postgres 15. Prints a markdown table.
#
#   bench/kept-cache.sh [--runs 5] [--blocks 150000]
#
# Each run is two JVMs (kept, cold; the order alternates); medians over runs.
set -euo pipefail

runs=5 blocks=150000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --blocks) blocks="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; sed -n '7p' "$0" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/kept-cache-bench.XXXXXX)"
chmod 755 "$work" # computes run as their own user and must reach their data below it
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

. "$root/bench/lib.sh"
bench_host_runtime_classpath
machine="$(bench_machine)"
echo "$machine" >&2

bench() {
  local dir="$work/run-$1-$2"
  mkdir -p "$dir"
  java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Djava.io.tmpdir="$work" -cp "$cp" \
    io.tidepool.process.KeptCacheBench "$dir" "$blocks" "$2"
  rm -rf "$dir"
}

for run in $(seq "$runs"); do
  modes="kept cold"
  if (( run % 2 == 0 )); then modes="cold kept"; fi
  for mode in $modes; do
    echo "run $run: $mode" >&2
    bench "$run" "$mode" | tee -a "$work/results.tsv" >&2
  done
done

median() { grep -v '^-$' | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'; }
col() { awk -F'\t' -v m="$1" -v c="$2" '$1 == m { print $c }' "$work/results.tsv" | median; }

echo "Kept cache: scan of a $((blocks * 8 / 1024)) MiB table after 0.5 -> 0.25 -> 0.5 CU; $runs run(s), medians; $(date -u +%F)"
echo "machine: $machine; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| cache | scan, cached before the shrink (ms) | scan right after the growth (ms) | resident right after the growth (blocks of $blocks) | scan once loaded back (ms) | load back, from the growth (ms) |"
echo "|---|---|---|---|---|---|"
for mode in kept cold; do
  echo "| $mode | $(col "$mode" 2) | $(col "$mode" 3) | $(col "$mode" 6) | $(col "$mode" 4) | $(col "$mode" 5) |"
done
