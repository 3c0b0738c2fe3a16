#!/usr/bin/env bash
# The fleet benchmark of docs/BENCHMARKS.md: N endpoints placed onto 2,000 simulated hosts from empty,
# then one simulated hour of load, on the real store (single-node RatisStore on RocksDB in a temporary
# directory), the real control loop and the sim driver, in one JVM with an explicit heap bound.
# Prints markdown tables of the medians over runs.
#
#   bench/fleet-scale.sh [--runs 3] [--endpoints 10000,25000,50000,100000] [--hosts 2000]
#                        [--simulated-minutes 60] [--results FILE]
#
# Each run is its own JVM (BENCH_JAVA_OPTS, default -Xmx2g); the sizes are interleaved run by run,
# so a machine that gets busier part-way affects every size alike.
set -euo pipefail

runs=3 sizes=10000,25000,50000,100000 hosts=2000 minutes=60 results=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --endpoints) sizes="$2"; shift 2 ;;
    --hosts) hosts="$2"; shift 2 ;;
    --simulated-minutes) minutes="$2"; shift 2 ;;
    --results) results="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; sed -n '7,8p' "$0" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
bench_java_opts="${BENCH_JAVA_OPTS:--XX:+UseG1GC -Xmx2g -XX:MaxDirectMemorySize=512m}"
work="$(mktemp -d /tmp/fleet-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

. "$root/bench/lib.sh"
bench_server_classpath
# The stores' data directories go under $work too, so they go when the script ends, however it ends.
jvm_flags="-Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Djava.io.tmpdir=$work"

echo "$(bench_machine); JVM options: $bench_java_opts" >&2
for run in $(seq "$runs"); do
  for n in ${sizes//,/ }; do
    echo "run $run, $n endpoints on $hosts hosts" >&2
    # shellcheck disable=SC2086
    java $bench_java_opts $jvm_flags -cp "$cp" io.tidepool.sim.bench.FleetScaleBench run --endpoints "$n" \
      --hosts "$hosts" --run "$run" --simulated-minutes "$minutes" --out "$work/results.tsv" >&2
  done
done

if [[ -n "$results" ]]; then cp "$work/results.tsv" "$results"; fi
echo "fleet: N endpoints onto $hosts hosts from empty, then $minutes simulated minutes; $runs run(s) each;" \
  "medians; $(date -u +%F)"
echo
java -cp "$cp" io.tidepool.sim.bench.FleetScaleBench report --in "$work/results.tsv"
