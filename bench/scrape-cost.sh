#!/usr/bin/env bash
# The /metrics scrape benchmark of docs/BENCHMARKS.md: what one scrape costs the leader of a fleet of
# H hosts and E endpoints in S apply sets (ScrapeCostBench, server test code), on a single-node
# RatisStore in a temporary directory. Each run is its own JVM; prints each run's line and the
# medians over runs.
#
#   bench/scrape-cost.sh [--runs 3] [--hosts 2000] [--endpoints 100000] [--sets 25] [--scrapes 200]
# (an apply of more than about 5,000 objects passes the store's 20,000 operations per transaction)
set -euo pipefail

runs=3 hosts=2000 endpoints=100000 sets=25 scrapes=200
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --hosts) hosts="$2"; shift 2 ;;
    --endpoints) endpoints="$2"; shift 2 ;;
    --sets) sets="$2"; shift 2 ;;
    --scrapes) scrapes="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; sed -n '7p' "$0" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
bench_java_opts="${BENCH_JAVA_OPTS:--XX:+UseG1GC -Xmx2g -XX:MaxDirectMemorySize=512m}"
work="$(mktemp -d /tmp/scrape-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

. "$root/bench/lib.sh"
bench_server_classpath

bench_machine >&2
printf 'hosts\tendpoints\tsets\tseries\tbytes\tscrape_p50_ms\tscrape_p99_ms\tfleet_p50_ms\tapplysets_p50_ms\tdrift_count_ms\n' \
  | tee "$work/results.tsv"
for ((run = 1; run <= runs; run++)); do
  # shellcheck disable=SC2086
  java $bench_java_opts -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Djava.io.tmpdir="$work" -cp "$cp" \
    io.tidepool.server.metrics.ScrapeCostBench run --hosts "$hosts" --endpoints "$endpoints" --sets "$sets" \
    --scrapes "$scrapes" | tee -a "$work/results.tsv"
done
echo "medians of $runs runs:"
head -1 "$work/results.tsv"
median() { tail -n +2 "$work/results.tsv" | cut -f"$1" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
line="$hosts\t$endpoints\t$sets"
for column in 4 5 6 7 8 9 10; do line="$line\t$(median "$column")"; done
printf '%b\n' "$line"
