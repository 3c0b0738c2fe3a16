#!/usr/bin/env bash
# The zero-downtime benchmark of docs/BENCHMARKS.md (issue 6): real Postgres in real cgroups, the
# endpoint proxy and the real control loop on a one-node store, one local host.
#   switch:   select-only readers (pgbench processes) and a writer through the proxy, a planned
#             restart in the middle, with a prewarmed replacement, one that only streamed (copy)
#             and a cold one; each run does the three back to back. Throughput each second from 10 s before to 60 s after the
#             switch, the pause a new connection sees, failed connections, commits lost.
#   overhead: pgbench -S (4 clients) straight to the primary and through the proxy, alternately, the
#             proxy steering new connections to the primary's listener (the default) and splicing
#             them (--proxy splice, as for a primary on another machine): the endpoint at 1 CU, then
#             at 2 CU (the whole machine, which pgbench and the proxy share), then at 2 CU with a
#             proxy that copies every byte itself (--proxy copy), then spliced at 1 CU with as many
#             clients as the machine has cores.
#   resume:   a suspended endpoint, then a new connection through the proxy to its first answer.
# Needs root, cgroups and Postgres 15. Prints markdown tables.
#
#   bench/switch.sh [--runs 3] [--scale 20] [--readers 4] [--seconds 20] [--trials 10]
set -euo pipefail

runs=3 scale=20 readers=4 seconds=20 trials=10
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --scale) scale="$2"; shift 2 ;;
    --readers) readers="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --trials) trials="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; grep -m1 '^#   bench/switch.sh' "$0" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/switch-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

. "$root/bench/lib.sh"
bench_server_classpath
machine="$(bench_machine)"
echo "$machine" >&2

bench() {
  java -Xmx1g --add-opens java.base/sun.nio.ch=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Djava.io.tmpdir="$work" -cp "$cp" \
    io.tidepool.server.bench.SwitchBench "$@"
}

modes="prewarm copy cold"
# Endpoint CU, proxy, pgbench clients: the last has as many clients as the machine has cores.
overheads="1-steer-4 1-splice-4 2-steer-4 2-splice-4 2-copy-4 1-splice-$(nproc)"
for run in $(seq "$runs"); do
  for mode in $modes; do
    echo "run $run: planned restart under load, $mode replacement, scale $scale, $readers readers" >&2
    bench switch --mode "$mode" --scale "$scale" --readers "$readers" | tee -a "$work/switch.tsv" >&2
  done
  for setup in $overheads; do
    IFS=- read -r cu proxy clients <<< "$setup"
    echo "run $run: proxy overhead, pgbench -S, $clients clients, $seconds s each way, endpoint at $cu CU, proxy: $proxy" >&2
    bench overhead --seconds "$seconds" --rounds 1 --cu "$cu" --proxy "$proxy" --clients "$clients" \
      | sed "s/^overhead/overhead-$setup/" | tee -a "$work/overhead.tsv" >&2
  done
  echo "run $run: resume from suspend, $trials trials" >&2
  bench resume --trials "$trials" | tee -a "$work/resume.tsv" >&2
done

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
col() { awk -F'\t' -v m="$1" -v c="$2" '$1 == "summary" && $2 == m { print $c }' "$work/switch.tsv" | median; }

echo "Planned restart under select-only load through the proxy: $runs run(s), medians over runs; $(date -u +%F)"
echo "machine: $machine"
echo
echo "| replacement | TPS before | 1st s after / before | 1 s from resume / before | worst of 10 s after | new-connection wait p50 ms | p99 ms | max ms | failed connects | writes refused | commits acknowledged | lost | fence to switch ms |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for mode in $modes; do
  echo "| $mode | $(col "$mode" 3) | $(col "$mode" 4) | $(col "$mode" 14) | $(col "$mode" 5) | $(col "$mode" 6) | $(col "$mode" 7) | $(col "$mode" 8) | $(col "$mode" 9) | $(col "$mode" 10) | $(col "$mode" 11) | $(col "$mode" 12) | $(col "$mode" 13) |"
done
echo
echo "Throughput each second around the switch (second 0 holds the switch), fraction of the steady 10 s before the restart was asked for, medians over runs:"
echo
header="| replacement |" rule="|---|"
for s in -10 -5 -2 -1 0 1 2 3 5 10 20 30 60; do header="$header $s |"; rule="$rule---|"; done
echo "$header"; echo "$rule"
for mode in $modes; do
  row="| $mode |"
  for s in -10 -5 -2 -1 0 1 2 3 5 10 20 30 60; do
    row="$row $(awk -F'\t' -v m="$mode" -v c=$((s + 13)) '$1 == "series" && $2 == m { print $c }' "$work/switch.tsv" | median) |"
  done
  echo "$row"
done
echo
echo "Proxy overhead, pgbench -S, $seconds s each way, medians over runs:"
echo
echo "| endpoint | proxy | clients | straight TPS | through the proxy TPS | loss |"
echo "|---|---|---|---|---|---|"
for setup in $overheads; do
  IFS=- read -r cu proxy clients <<< "$setup"
  straight="$(awk -F'\t' -v k="overhead-$setup" '$1 == k { print $3 }' "$work/overhead.tsv" | median)"
  proxied="$(awk -F'\t' -v k="overhead-$setup" '$1 == k { print $4 }' "$work/overhead.tsv" | median)"
  awk -v cu="$cu" -v p="$proxy" -v c="$clients" -v a="$straight" -v b="$proxied" \
    'BEGIN { printf "| %s CU | %s | %s | %.0f | %.0f | %.1f%% |\n", cu, p, c, a, b, (a - b) * 100 / a }'
done
echo
echo "Resume from suspend to the first answer, through the proxy ($trials trials per run, all runs):"
echo
awk -F'\t' '$1 == "resume" { print $3 }' "$work/resume.tsv" | sort -n | awk '{ v[NR] = $1 } END { printf "| p50 ms | p90 ms | max ms |\n|---|---|---|\n| %d | %d | %d |\n", v[int((NR + 1) / 2)], v[int(NR * 0.9 + 0.5)], v[NR] }'
