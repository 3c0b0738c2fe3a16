#!/usr/bin/env bash
# The pressure-to-relief benchmark of docs/BENCHMARKS.md: real Postgres computes at 0.25 CU in real
# cgroups with their guest agents, one local host, the real control loop on a 1- or 3-node Ratis store
# in one JVM. Each trial takes 950 MiB of a compute's 1 GiB at once (a process in its memory cgroup)
# and times, in the guest, how long until the larger limit is in place. Needs root, cgroup v1 and
# Postgres 15. Prints a markdown table.
#
#   bench/pressure-relief.sh [--runs 3] [--trials 100] [--nodes 1,3] [--endpoints 2]
#
# Each run is its own JVM; the store sizes are interleaved run by run.
set -euo pipefail

runs=3 trials=100 nodes=1,3 endpoints=2
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --trials) trials="$2"; shift 2 ;;
    --nodes) nodes="$2"; shift 2 ;;
    --endpoints) endpoints="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; sed -n '8p' "$0" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/pressure-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

. "$root/bench/lib.sh"
bench_server_classpath
bench_machine >&2

for run in $(seq "$runs"); do
  for n in ${nodes//,/ }; do
    echo "run $run, $n store node(s), $trials trials on $endpoints endpoints" >&2
    java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Djava.io.tmpdir="$work" -cp "$cp" \
      io.tidepool.server.bench.PressureReliefBench run --trials "$trials" --nodes "$n" --endpoints "$endpoints" \
      | tee -a "$work/results.tsv" >&2
  done
done

echo "pressure to relief: $trials trials per run, $runs run(s), medians over runs; $(date -u +%F)"
echo
echo "| store nodes | trials/run | reliefs timed | p50 ms | p90 ms | p99 ms | max ms |"
echo "|---|---|---|---|---|---|---|"
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for n in ${nodes//,/ }; do
  # each column's median over the runs
  row="| $n |"
  for col in 2 3 4 5 6 7; do
    row="$row $(awk -F'\t' -v n="$n" -v c="$col" '$1 == n { print $c }' "$work/results.tsv" | median) |"
  done
  echo "$row"
done
