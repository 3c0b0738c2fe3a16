#!/usr/bin/env bash
# The console benchmark of docs/BENCHMARKS.md: the endpoints list and search (and the other pages'
# views) on 100,000 endpoints and 2,000 hosts in a real single-node Ratis store, over real HTTP,
# one request at a time; how long the console's index takes to read the fleet and the heap it holds.
#
#   bench/console.sh [--runs 3] [--endpoints 100000] [--hosts 2000] [--requests 300]
#
# Each run is its own JVM; prints each figure of every run and the median over runs, as markdown.
set -euo pipefail

runs=3 endpoints=100000 hosts=2000 requests=300
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --endpoints) endpoints="$2"; shift 2 ;;
    --hosts) hosts="$2"; shift 2 ;;
    --requests) requests="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; sed -n '6p' "$0" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/console-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

. "$root/bench/lib.sh"
bench_server_classpath
bench_machine >&2

for run in $(seq "$runs"); do
  echo "run $run of $runs: $endpoints endpoints on $hosts hosts, $requests requests per page" >&2
  java -XX:+UseG1GC -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Djava.io.tmpdir="$work" -cp "$cp" \
    io.tidepool.server.bench.ConsoleBench --endpoints "$endpoints" --hosts "$hosts" --requests "$requests" \
    | sed "s/^/$run\t/" | tee -a "$work/results.tsv" >&2
done

echo "| figure | $(seq -s ' | ' -f 'run %g' "$runs") | median |"
printf '|---|%s---|\n' "$(printf -- '---|%.0s' $(seq "$runs"))"
awk -F'\t' '
  { if (!($2 in seen)) { order[++n] = $2; seen[$2] = 1 } values[$2] = values[$2] " " $3 }
  END {
    for (i = 1; i <= n; i++) {
      k = split(substr(values[order[i]], 2), v, " ")
      line = "| " order[i] " |"
      for (j = 1; j <= k; j++) { line = line " " v[j] " |"; sorted[j] = v[j] + 0 }
      for (a = 1; a <= k; a++) for (b = a + 1; b <= k; b++) if (sorted[b] < sorted[a]) { t = sorted[a]; sorted[a] = sorted[b]; sorted[b] = t }
      median = (k % 2) ? sorted[(k + 1) / 2] : (sorted[k / 2] + sorted[k / 2 + 1]) / 2
      printf "%s %.3f |\n", line, median
    }
  }' "$work/results.tsv"
