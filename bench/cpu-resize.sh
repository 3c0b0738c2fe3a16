#!/usr/bin/env bash
# The CPU resize benchmark of docs/BENCHMARKS.md: a real Postgres compute in real cgroups with its
# guest agent, one local host, the real control loop on a 1- or 3-node Ratis store in one JVM.
#   resize: the operator moves an endpoint between 0.25 and 1 CU; time from the autoscaler's
#           decision to the new quota in the compute's cpu.cfs_quota_us, up and down.
#   tps:    pgbench select-only at 0.25, 0.5, 1 and 2 CU, and the CPUs the compute used.
# Needs root, cgroup v1 and Postgres 15. Prints markdown tables.
#
#   bench/cpu-resize.sh [--runs 3] [--trials 20] [--nodes 1,3] [--seconds 20] [--clients 4]
#
# Each run is its own JVM; medians over runs.
set -euo pipefail

runs=3 trials=20 nodes=1,3 seconds=20 clients=4
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --trials) trials="$2"; shift 2 ;;
    --nodes) nodes="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; sed -n '9p' "$0" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/cpu-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

. "$root/bench/lib.sh"
bench_server_classpath
machine="$(bench_machine)"
echo "$machine" >&2

bench() {
  java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Djava.io.tmpdir="$work" -cp "$cp" \
    io.tidepool.server.bench.CpuResizeBench "$@"
}

for run in $(seq "$runs"); do
  for n in ${nodes//,/ }; do
    echo "run $run: resize, $n store node(s), $trials trials each way" >&2
    bench resize --trials "$trials" --nodes "$n" | tee -a "$work/resize.tsv" >&2
  done
  echo "run $run: pgbench -S, $clients clients, $seconds s per size" >&2
  bench tps --seconds "$seconds" --clients "$clients" | tee -a "$work/tps.tsv" >&2
done

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "CPU resize, decision to quota in place: $trials each way per run, $runs run(s), medians over runs; $(date -u +%F)"
echo "machine: $machine"
echo
echo "| store nodes | up p50 ms | up p90 ms | up max ms | down p50 ms | down p90 ms | down max ms |"
echo "|---|---|---|---|---|---|---|"
for n in ${nodes//,/ }; do
  row="| $n |"
  for col in 3 4 5 6 7 8; do
    row="$row $(awk -F'\t' -v n="$n" -v c="$col" '$1 == n { print $c }' "$work/resize.tsv" | median) |"
  done
  echo "$row"
done
echo
echo "pgbench -S, $clients clients, $seconds s per size, medians over runs"
echo
echo "| CU | quota (CPUs) | TPS | CPUs used by the compute | TPS per CU |"
echo "|---|---|---|---|---|"
for cu in 0.25 0.5 1 2; do
  tps="$(awk -F'\t' -v cu="$cu" '$1 == cu { print $2 }' "$work/tps.tsv" | median)"
  used="$(awk -F'\t' -v cu="$cu" '$1 == cu { print $3 }' "$work/tps.tsv" | median)"
  awk -v cu="$cu" -v tps="$tps" -v used="$used" 'BEGIN { printf "| %s | %s | %.0f | %s | %.0f |\n", cu, cu, tps, used, tps / cu }' 
done
