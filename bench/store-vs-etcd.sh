#!/usr/bin/env bash
# The store benchmark of docs/BENCHMARKS.md: blocking puts of 1 KiB values with 1 and 64 writers,
# Tidepool's store (RatisStore) against etcd (Debian's etcd-server), single node and 3 nodes,
# fsync on for both, measured in the same run by one load-generator JVM. Prints a markdown table.
#
#   bench/store-vs-etcd.sh [--runs 3] [--seconds 20] [--warmup-seconds 10] [--initial-warmup-seconds 90]
#                          [--writers 1,64] [--nodes "1 3"] [--etcd-client grpc|jetcd] [--results FILE]
#
# Every server runs as its own process on loopback ports, with its data under a temporary
# directory; all are stopped by PID and the directory removed when the script ends, however it ends.
set -euo pipefail

runs=3 seconds=20 warmup=10 initial_warmup=90 writers=1,64 node_counts="1 3" etcd_client=grpc results=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --warmup-seconds) warmup="$2"; shift 2 ;;
    --initial-warmup-seconds) initial_warmup="$2"; shift 2 ;;
    --etcd-client) etcd_client="$2"; shift 2 ;;
    --writers) writers="$2"; shift 2 ;;
    --nodes) node_counts="$2"; shift 2 ;;
    --results) results="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; sed -n '6,7p' "$0" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
store_java_opts="${STORE_JAVA_OPTS:--XX:+UseG1GC -Xms1g -Xmx1g -XX:MaxDirectMemorySize=512m}"
bench_java_opts="${BENCH_JAVA_OPTS:--XX:+UseG1GC -Xms1g -Xmx2g}"

if ! command -v etcd >/dev/null; then
  echo "installing etcd-server (apt-get)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >/dev/null
fi

work="$(mktemp -d /tmp/store-bench.XXXXXX)"
pids=()
stop_servers() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  pids=()
}
cleanup() {
  stop_servers
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "building raft-store and the benchmark (mvn -q)" >&2
(cd "$root" && mvn -q -B -pl raft-store -DskipTests test-compile \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath" >&2)
cp="$root/raft-store/target/test-classes:$root/raft-store/target/classes:$(cat "$work/classpath")"

used_ports=" "
free_port() {
  local port
  while true; do
    port=$((20000 + RANDOM % 20000))
    [[ "$used_ports" == *" $port "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      used_ports+="$port "
      echo "$port"
      return
    fi
  done
}

await_line() { # file, text, seconds
  for _ in $(seq $(($3 * 5))); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "timed out waiting for '$2' in $1:" >&2; tail -20 "$1" >&2; return 1
}

await_port() { # port, seconds
  for _ in $(seq $(($2 * 5))); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.2
  done
  echo "nothing listens on 127.0.0.1:$1" >&2; return 1
}

echo "etcd: $(etcd --version | head -1); $(nproc) cores; $(uname -r)" >&2
for nodes in $node_counts; do
  dir="$work/$nodes-nodes"
  mkdir -p "$dir"
  etcd_cluster="" etcd_clients="" tidepool_peers=""
  declare -a etcd_client_ports=() etcd_peer_ports=() store_ports=()
  for i in $(seq "$nodes"); do
    etcd_client_ports[$i]=$(free_port); etcd_peer_ports[$i]=$(free_port); store_ports[$i]=$(free_port)
    etcd_cluster+="${etcd_cluster:+,}e$i=http://127.0.0.1:${etcd_peer_ports[$i]}"
    etcd_clients+="${etcd_clients:+,}http://127.0.0.1:${etcd_client_ports[$i]}"
    tidepool_peers+="${tidepool_peers:+,}n$i=127.0.0.1:${store_ports[$i]}"
  done
  etcd_pids="" tidepool_pids=""
  for i in $(seq "$nodes"); do
    # Defaults otherwise (fsync of the WAL on every commit); history compacted every minute and an
    # 8 GB quota so that long runs do not hit etcd's 2 GB space alarm (Tidepool compacts too).
    etcd --name "e$i" --data-dir "$dir/etcd-e$i" \
      --listen-client-urls "http://127.0.0.1:${etcd_client_ports[$i]}" \
      --advertise-client-urls "http://127.0.0.1:${etcd_client_ports[$i]}" \
      --listen-peer-urls "http://127.0.0.1:${etcd_peer_ports[$i]}" \
      --initial-advertise-peer-urls "http://127.0.0.1:${etcd_peer_ports[$i]}" \
      --initial-cluster "$etcd_cluster" --initial-cluster-state new --initial-cluster-token "bench-$$-$nodes" \
      --auto-compaction-mode periodic --auto-compaction-retention 1m --quota-backend-bytes 8589934592 \
      --logger zap --log-level warn >"$dir/etcd-e$i.log" 2>&1 &
    pids+=($!); etcd_pids+="${etcd_pids:+,}$!"
    # shellcheck disable=SC2086
    java $store_java_opts -cp "$cp" io.tidepool.store.bench.StoreNodeMain "n$i" "$dir/tidepool-n$i" \
      "$tidepool_peers" >"$dir/tidepool-n$i.log" 2>&1 &
    pids+=($!); tidepool_pids+="${tidepool_pids:+,}$!"
  done
  for i in $(seq "$nodes"); do
    await_port "${etcd_client_ports[$i]}" 60
    await_line "$dir/tidepool-n$i.log" '^ready' 120
  done
  echo "$nodes node(s) up: etcd pids $etcd_pids, tidepool pids $tidepool_pids" >&2
  # shellcheck disable=SC2086
  java $bench_java_opts -cp "$cp" io.tidepool.store.bench.StoreVsEtcdBench run --nodes "$nodes" \
    --tidepool "$tidepool_peers" --etcd "$etcd_clients" --tidepool-pids "$tidepool_pids" --etcd-pids "$etcd_pids" \
    --writers "$writers" --runs "$runs" --initial-warmup-seconds "$initial_warmup" --warmup-seconds "$warmup" \
    --seconds "$seconds" --etcd-client "$etcd_client" \
    --out "$work/results.tsv" >&2
  stop_servers
done

if [[ -n "$results" ]]; then cp "$work/results.tsv" "$results"; fi
echo "store puts, 1 KiB values, fsync on; ${initial_warmup} s initial warm-up per store, then $runs run(s) of" \
  "${seconds} s after ${warmup} s warm-up each; medians; etcd client: $etcd_client; $(date -u +%F)"
echo
java -cp "$cp" io.tidepool.store.bench.StoreVsEtcdBench report --in "$work/results.tsv"
