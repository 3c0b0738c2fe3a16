#!/usr/bin/env bash
# The footprint benchmark of docs/BENCHMARKS.md: the memory of the host agent and of each compute's
# guest agent, and how many idle computes fit on this machine. Runs the real separate processes
# through the distribution launcher: a control plane with no hosts of its own (tidepool up --hosts 0),
# one host agent (tidepool host-agent) running real Postgres computes in cgroups, and idle endpoints
# at 0.25 CU applied in steps. Needs root, cgroup v1, Postgres 15, jq; jcmd for the heap figures.
#
#   bench/footprint.sh [--runs 3] [--computes 5,all] [--memory 20Gi] [--cpus N] [--settle-seconds 65]
#                      [--cpu-seconds 20] [--port N] [--results FILE]
#
# Each run starts both processes afresh. "all" is as many 0.25 CU computes as the host's capacity
# admits. The guest agents are threads of the host agent's JVM, so a guest agent's memory is the growth
# of the host agent per compute. Prints markdown tables of the medians over runs.
set -euo pipefail

runs=3 counts=5,all memory=20Gi cpus="$(nproc)" settle=65 cpu_window=20 port="" results=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --computes) counts="$2"; shift 2 ;;
    --memory) memory="$2"; shift 2 ;;
    --cpus) cpus="$2"; shift 2 ;;
    --settle-seconds) settle="$2"; shift 2 ;;
    --cpu-seconds) cpu_window="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --results) results="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; sed -n '8,9p' "$0" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
host=bench-host
# Before the first measurement the host agent settles this long; after the computes' start, the
# --settle-seconds wait also lets the driver's start threads end (their pool keeps them 60 s).
settle_empty=30
for tool in jq; do
  command -v "$tool" >/dev/null || { echo "footprint: $tool is needed (apt-get install $tool)" >&2; exit 3; }
done
have_jcmd=true
command -v jcmd >/dev/null || { have_jcmd=false; echo "footprint: no jcmd; heap figures are left out" >&2; }
[[ "$(id -u)" == 0 ]] || { echo "footprint: needs root (computes run in cgroups as user tidepool)" >&2; exit 3; }
grep -Eq ' - cgroup [^ ]+ ([^ ]*,)?memory(,|$)' /proc/self/mountinfo || { echo "footprint: needs the cgroup v1 memory controller" >&2; exit 3; }

work="$(mktemp -d /tmp/footprint-bench.XXXXXX)"
# The computes run as user tidepool: their directory must not lie under a root-only one.
computes_root="$(mktemp -d /var/tmp/footprint-bench.XXXXXX)"
chmod 755 "$computes_root"
up_pid="" agent_pid=""

# The host's parent cgroup in each hierarchy its process driver uses (CgroupTree on v1: under this
# process's own cgroup, which the host agent inherits, then tidepool/HOST).
host_cgroups() {
  awk -v host="$host" '
    FNR == NR { split($0, f, ":"); if (f[2] == "") own["unified"] = f[3]
                n = split(f[2], c, ","); for (i = 1; i <= n; i++) own[c[i]] = f[3]; next }
    { for (i = 7; $i != "-"; i++) ; fstype = $(i + 1); opts = $(i + 3)
      if (fstype == "cgroup2" && ("unified" in own)) print $5 "/" own["unified"] "/tidepool/" host
      if (fstype != "cgroup") next
      n = split(opts, o, ",")
      for (j = 1; j <= n; j++) if (o[j] ~ /^(cpu|cpuacct|memory|freezer)$/ && (o[j] in own)) {
        print $5 "/" own[o[j]] "/tidepool/" host; break } }' /proc/$$/cgroup /proc/self/mountinfo \
    | sed 's#//*#/#g' | sort -u
}
memory_cgroup="$(host_cgroups | grep '^/sys/fs/cgroup/memory/' || true)"
cpuacct_cgroup="$(host_cgroups | grep 'cpuacct' | head -1 || true)"
[[ -n "$memory_cgroup" && -n "$cpuacct_cgroup" ]] \
  || { echo "footprint: cannot find the memory and cpuacct cgroups the host agent will use" >&2; exit 3; }

# Computes' cgroups under the host's parents: what a stopped agent should have removed.
compute_cgroups() {
  local parent
  for parent in $(host_cgroups); do
    [[ -d "$parent" ]] && find "$parent" -mindepth 1 -maxdepth 1 -type d
  done
  return 0
}

alive() { [[ -r "/proc/$1/stat" ]] && [[ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" != Z ]]; }

stop_pid() { # pid seconds: SIGTERM, then SIGKILL after the grace; prints the seconds it took
  local pid="$1" grace="$2" start deadline
  start="$(date +%s.%N)"
  if [[ -z "$pid" ]] || ! alive "$pid"; then echo 0; return 0; fi
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + grace))
  while alive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
  if alive "$pid"; then
    echo "footprint: $pid did not stop within $grace s of SIGTERM; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", b - a }'
}

# Whatever the agents left: processes in the computes' cgroups, the cgroups, the host's parents.
clear_cgroups() {
  local group pid parent
  for group in $(compute_cgroups); do
    for pid in $(cat "$group/cgroup.procs" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
  done
  for group in $(compute_cgroups); do
    for _ in 1 2 3 4 5 6 7 8 9 10; do rmdir "$group" 2>/dev/null && break; sleep 0.5; done
  done
  for parent in $(host_cgroups); do
    rmdir "$parent" 2>/dev/null || true
    rmdir "$(dirname "$parent")" 2>/dev/null || true # tidepool/, when no other host uses it
  done
}

cleanup() {
  stop_pid "$agent_pid" 30 >/dev/null
  stop_pid "$up_pid" 30 >/dev/null
  agent_pid="" up_pid=""
  clear_cgroups
}
trap 'cleanup; rm -rf "$work" "$computes_root"' EXIT
trap 'exit 130' INT TERM

if [[ -n "$(compute_cgroups)" ]]; then
  echo "footprint: computes' cgroups already exist under tidepool/$host (another run of this benchmark?):" >&2
  compute_cgroups >&2
  exit 3
fi

tp() { "$root/tidepool" "$@"; }
# A sleep that a signal interrupts at once, so that the clean-up does not wait for it.
pause() { sleep "$1" & wait $!; }

free_port_pair() { # a port P with P and P+1 free (the API and the store's Raft port)
  local p used
  used="$(ss -Htan | awk '{ n = split($4, a, ":"); print a[n] }' | sort -u)"
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 30000))
    grep -qx "$p" <<<"$used" || grep -qx "$((p + 1))" <<<"$used" || { echo "$p"; return; }
  done
  echo "footprint: no free port pair found" >&2; exit 3
}

wait_for() { # seconds description command...: polls the command until it succeeds
  local seconds="$1" what="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { echo "footprint: $what did not happen within $seconds s" >&2; return 1; }
    sleep 1
  done
}

running_count() { tp get endpoints -o json | jq '[.items[] | select(.status.phase == "Running")] | length'; }
all_running() { [[ "$(running_count)" == "$1" ]]; }
host_ready() { tp get host "$host" -o json | jq -e '.status.ready == true'; }

kib() { awk -v k="$2" '$1 == k":" { print $2 }' "$1"; } # a "Name: N kB" field of a /proc file
median_of() { # the median of the numbers on stdin, one a line; "-" when there are none
  sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) { print "-"; exit }
    print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# The host agent now: RSS, PSS, threads; then, after a full GC, live heap, metaspace and RSS.
measure_agent() { # prefix
  local prefix="$1" pid="$agent_pid"
  echo -e "$prefix\tagent_rss_kib\t$(kib /proc/$pid/status VmRSS)"
  echo -e "$prefix\tagent_pss_kib\t$(kib /proc/$pid/smaps_rollup Pss)"
  echo -e "$prefix\tagent_threads\t$(awk '$1 == "Threads:" { print $2 }' /proc/$pid/status)"
  echo -e "$prefix\tagent_fds\t$(find /proc/$pid/fd -mindepth 1 -maxdepth 1 | wc -l)"
  echo -e "$prefix\tcp_rss_kib\t$(kib /proc/$up_pid/status VmRSS)"
  if $have_jcmd; then
    # The class histogram collects first (a full GC) and sums the live objects: heap_info's "used"
    # read even a moment after a GC also holds what the guests allocated since (megabytes a second).
    jcmd "$pid" GC.class_histogram | awk -v p="$prefix" '$1 == "Total" { printf "%s\tagent_heap_live_kib\t%.0f\n", p, $3 / 1024 }'
    jcmd "$pid" GC.heap_info | awk -v p="$prefix" '
      /^ *Metaspace/ { v = $3; sub(/K.*/, "", v); print p "\tagent_metaspace_kib\t" v }'
    echo -e "$prefix\tagent_rss_after_gc_kib\t$(kib /proc/$pid/status VmRSS)"
  fi
}

# CPU over a window of idling: the host agent's (from /proc/PID/stat) and the computes' (their
# cgroups' cpuacct.usage), as percent of one core; the computes' as their mean per compute.
measure_cpu() { # prefix
  local prefix="$1" ticks0 ticks1 ns0 ns1 t0 t1 n gc0 gc1
  agent_ticks() { awk '{ print $14 + $15 }' "/proc/$agent_pid/stat"; }
  young_gcs() { # from the JVM's perf data (jstat), no attach; 0 without jstat
    if command -v jstat >/dev/null; then
      jstat -gc "$agent_pid" | awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "YGC") c = i } NR == 2 { print $c }'
    else echo 0; fi
  }
  computes_ns() { cat "$cpuacct_cgroup"/*/cpuacct.usage 2>/dev/null | awk '{ s += $1 } END { printf "%.0f\n", s }'; }
  gc0="$(young_gcs)" ticks0="$(agent_ticks)" ns0="$(computes_ns)" t0="$(date +%s.%N)"
  pause "$cpu_window"
  gc1="$(young_gcs)" ticks1="$(agent_ticks)" ns1="$(computes_ns)" t1="$(date +%s.%N)"
  n="$(find "$cpuacct_cgroup" -mindepth 1 -maxdepth 1 -type d | wc -l)"
  awk -v p="$prefix" -v a="$((ticks1 - ticks0))" -v hz="$(getconf CLK_TCK)" -v c0="$ns0" -v c1="$ns1" -v n="$n" \
    -v t0="$t0" -v t1="$t1" -v gcs="$((gc1 - gc0))" 'BEGIN {
      printf "%s\tagent_cpu_pct\t%.2f\n", p, a / hz / (t1 - t0) * 100
      printf "%s\tagent_young_gcs_per_min\t%.1f\n", p, gcs / (t1 - t0) * 60
      if (n > 0) printf "%s\tcompute_cpu_pct\t%.3f\n", p, (c1 - c0) / 1e9 / (t1 - t0) * 100 / n }'
}

# Each compute's cgroup and Postgres processes; the medians over the computes.
measure_computes() { # prefix
  local prefix="$1" group pid pss rss procs c name
  for group in $(find "$memory_cgroup" -mindepth 1 -maxdepth 1 -type d); do
    pss=0 rss=0 procs=0
    for pid in $(cat "$group/cgroup.procs"); do
      pss=$((pss + $(kib "/proc/$pid/smaps_rollup" Pss 2>/dev/null || echo 0)))
      rss=$((rss + $(kib "/proc/$pid/status" VmRSS 2>/dev/null || echo 0)))
      procs=$((procs + 1))
    done
    awk -v usage="$(cat "$group/memory.usage_in_bytes")" -v kmem="$(cat "$group/memory.kmem.usage_in_bytes" 2>/dev/null || echo 0)" \
      -v pss="$pss" -v rss="$rss" -v procs="$procs" '
      { s[$1] = $2 } END {
        printf "%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%d\t%d\t%d\n", usage / 1024, s["total_rss"] / 1024, s["total_cache"] / 1024,
          s["total_shmem"] / 1024, kmem / 1024, pss, rss, procs }' "$group/memory.stat"
  done >"$work/computes.tsv"
  echo -e "$prefix\tcomputes_measured\t$(wc -l <"$work/computes.tsv")"
  c=0
  for name in cg_usage_kib cg_rss_kib cg_cache_kib cg_shmem_kib cg_kmem_kib pg_pss_kib pg_rss_kib pg_procs; do
    c=$((c + 1))
    echo -e "$prefix\t$name\t$(cut -f "$c" "$work/computes.tsv" | median_of)"
  done
}

endpoints_manifest() { # count
  local i
  for i in $(seq "$1"); do
    printf -- '---\napiVersion: tidepool.io/v1\nkind: Endpoint\nmetadata:\n  name: idle-%02d\nspec:\n  cell: local\n  compute: {minCu: 0.25, maxCu: 0.25}\n' "$i"
  done
}

one_run() { # run
  local run="$1" dir="$work/run$1" computes="$computes_root/run$1" p capacity_cu k all start
  mkdir -p "$dir" "$computes"
  export TIDEPOOL_CONFIG="$dir/config.yaml"
  p="${port:-$(free_port_pair)}"
  echo -e "$run\t-\tmem_available_kib\t$(kib /proc/meminfo MemAvailable)" >>"$work/results.tsv"
  if [[ -n "$offered_kib" ]] && (($(kib /proc/meminfo MemAvailable) < offered_kib)); then
    echo "footprint: warning: less memory available than the host offers ($memory): the computes' limits" \
      "could not all be filled at once (they stay idle here)" >&2
  fi
  echo "run $run: control plane on port $p, $(awk '$1 == "MemAvailable:" { printf "%.1f", $2 / 1048576 }' /proc/meminfo) GiB available" >&2

  # Started as jobs (set -m): a script's background commands would otherwise ignore SIGQUIT, and a
  # JVM that ignores it cannot be attached to by jcmd. The launcher execs java, so $! is the JVM.
  set -m
  "$root/tidepool" up --data-dir "$dir/data" --port "$p" --hosts 0 --driver process --computes-dir "$computes" \
    >"$dir/up.log" 2>&1 &
  up_pid=$!
  set +m
  wait_for 180 "the control plane answering" tp get cells
  tp token create --host "$host" >"$dir/token" 2>/dev/null
  set -m
  "$root/tidepool" host-agent --name "$host" --cell local --cpus "$cpus" --memory "$memory" \
    --computes-dir "$computes" --token-file "$dir/token" >"$dir/agent.log" 2>&1 &
  agent_pid=$!
  set +m
  wait_for 120 "host $host ready" host_ready
  # The first attach starts the JVM's attach listener thread: before the first count, not in between.
  if $have_jcmd; then jcmd "$agent_pid" VM.version >/dev/null; fi
  capacity_cu="$(tp get host "$host" -o json | jq '.status.capacityCu')"
  all="$(awk -v c="$capacity_cu" 'BEGIN { printf "%d", c * 4 + 1e-9 }')"
  pause "$settle_empty"
  { measure_cpu "$run"$'\t0'; measure_agent "$run"$'\t0'; } >>"$work/results.tsv"
  echo -e "$run\t-\tadmitted\t$all" >>"$work/results.tsv"

  for k in ${counts//,/ }; do
    [[ "$k" == all ]] && k="$all"
    if ((k > all)); then
      echo "footprint: $k computes asked for, but host $host admits $all at 0.25 CU (--memory, --cpus)" >&2; return 1
    fi
    endpoints_manifest "$k" >"$dir/endpoints.yaml"
    start=$SECONDS
    tp apply -f "$dir/endpoints.yaml" >/dev/null
    wait_for 600 "$k endpoints Running" all_running "$k"
    echo -e "$run\t$k\tall_running_s\t$((SECONDS - start))" >>"$work/results.tsv"
    echo "run $run: $k computes Running after $((SECONDS - start)) s; settling $settle s" >&2
    pause "$settle"
    [[ "$(running_count)" == "$k" ]] || { echo "footprint: a compute left Running while settling" >&2; return 1; }
    { measure_cpu "$run"$'\t'"$k"; measure_agent "$run"$'\t'"$k"; measure_computes "$run"$'\t'"$k"; } >>"$work/results.tsv"
  done

  # One endpoint more than the host admits: placement should leave it waiting, and say why.
  printf -- 'apiVersion: tidepool.io/v1\nkind: Endpoint\nmetadata:\n  name: one-too-many\nspec:\n  cell: local\n  compute: {minCu: 0.25, maxCu: 0.25}\n' \
    >"$dir/extra.yaml"
  tp apply -f "$dir/extra.yaml" >/dev/null
  pause 10
  tp get endpoint one-too-many -o json \
    | jq -r '"\(.status.phase // "-"): \([.status.conditions[]? | select(.type == "Scheduled") | .message] | first // "-")"' \
    >"$dir/extra.txt"
  echo "run $run: one endpoint more: $(cat "$dir/extra.txt")" >&2

  # What SIGTERM leaves: the agent should stop its computes and remove their cgroups.
  echo -e "$run\t-\tagent_stop_s\t$(stop_pid "$agent_pid" 60)" >>"$work/results.tsv"
  agent_pid=""
  echo -e "$run\t-\tcgroups_left\t$(compute_cgroups | wc -l)" >>"$work/results.tsv"
  echo -e "$run\t-\tparents_left\t$(for d in $(host_cgroups); do [[ -d "$d" ]] && echo "$d"; done | wc -l)" >>"$work/results.tsv"
  stop_pid "$up_pid" 60 >/dev/null
  up_pid=""
  clear_cgroups
  cp "$dir/extra.txt" "$work/extra-$run.txt"
  rm -rf "$computes" "$dir"
}

# --memory in KiB, for the check that the machine has it free: 20Gi, 512Mi, 1Ti, or bytes.
offered_kib="$(awk -v s="$memory" 'BEGIN { n = s + 0; u = substr(s, length(n "") + 1)
  f["Ki"] = 1; f["Mi"] = 1024; f["Gi"] = 1048576; f["Ti"] = 1073741824; f[""] = 1 / 1024
  if (u in f) printf "%.0f\n", n * f[u] }')"
started=$SECONDS
echo "building the distribution if needed (./tidepool)" >&2
tp --version >&2
machine="$(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs);"
machine+=" $(awk '$1 == "MemTotal:" { printf "%.1f GiB RAM", $2 / 1048576 }' /proc/meminfo); $(uname -r);"
machine+=" $(java -version 2>&1 | head -1)"
echo "$machine" >&2
: >"$work/results.tsv"
for run in $(seq "$runs"); do
  one_run "$run"
done
if [[ -n "$results" ]]; then cp "$work/results.tsv" "$results"; fi
echo "footprint: $runs run(s) took $((SECONDS - started)) s" >&2

# The median over runs of one figure: value(run, step, metric).
median() { # step metric
  awk -F'\t' -v s="$1" -v m="$2" '$2 == s && $3 == m { print $4 }' "$work/results.tsv" | median_of
}
# Per run, (metric at step k - metric at step 0) / k, then the median over runs.
growth() { # k metric [from]
  local from="${3:-0}"
  awk -F'\t' -v k="$1" -v f="$from" -v m="$2" '
    $3 == m && $2 == f { base[$1] = $4 } $3 == m && $2 == k { at[$1] = $4 }
    END { for (r in at) if (r in base) print (at[r] - base[r]) / (k - f) }' "$work/results.tsv" | median_of
}
mib() { awk -v v="$1" 'BEGIN { if (v == "-") print "-"; else printf "%.1f", v / 1024 }'; }

steps=(0)
all="$(median - admitted)"
for k in ${counts//,/ }; do [[ "$k" == all ]] && k="$all"; steps+=("$k"); done
last="${steps[-1]}"

echo "footprint: one host agent ($cpus cpus, $memory offered), idle 0.25 CU computes; $runs run(s), medians; $(date -u +%F)"
echo "machine: $machine"
echo
header="| | $(for k in "${steps[@]}"; do printf '%s computes | ' "$k"; done)"
echo "${header% }"
echo "|---|$(for _ in "${steps[@]}"; do printf -- '---|'; done)"
row() { # label metric kind(mib|count)
  printf '| %s |' "$1"
  for k in "${steps[@]}"; do
    v="$(median "$k" "$2")"
    if [[ "$3" == mib ]]; then v="$(mib "$v")"; fi
    printf ' %s |' "$v"
  done
  echo
}
per_compute_row() { # label metric kind
  printf '| %s | - |' "$1"
  for k in "${steps[@]:1}"; do
    v="$(growth "$k" "$2")"
    if [[ "$3" == mib ]]; then v="$(mib "$v")"; elif [[ "$v" != - ]]; then v="$(printf '%.2f' "$v")"; fi
    printf ' %s |' "$v"
  done
  echo
}
row "host agent RSS, MiB" agent_rss_kib mib
row "host agent PSS, MiB" agent_pss_kib mib
row "host agent threads" agent_threads count
row "host agent open files" agent_fds count
row "host agent CPU, % of a core" agent_cpu_pct count
row "host agent young GCs per minute" agent_young_gcs_per_min count
row "host agent live heap (objects after a full GC), MiB" agent_heap_live_kib mib
row "host agent metaspace, MiB" agent_metaspace_kib mib
row "host agent RSS after that GC, MiB" agent_rss_after_gc_kib mib
per_compute_row "per compute: host agent RSS growth, MiB" agent_rss_kib mib
per_compute_row "per compute: host agent PSS growth, MiB" agent_pss_kib mib
per_compute_row "per compute: host agent live heap growth, MiB" agent_heap_live_kib mib
per_compute_row "per compute: host agent threads" agent_threads count
per_compute_row "per compute: host agent open files" agent_fds count
per_compute_row "per compute: host agent CPU, % of a core" agent_cpu_pct count
row "per compute: Postgres CPU (its cgroup), % of a core, mean" compute_cpu_pct count
row "per compute: cgroup memory.usage_in_bytes, MiB" cg_usage_kib mib
row "per compute: cgroup total_rss, MiB" cg_rss_kib mib
row "per compute: cgroup total_cache, MiB" cg_cache_kib mib
row "per compute: of which shmem, MiB" cg_shmem_kib mib
row "per compute: cgroup kernel memory (kmem), MiB" cg_kmem_kib mib
row "per compute: Postgres processes" pg_procs count
row "per compute: Postgres PSS sum, MiB" pg_pss_kib mib
row "per compute: Postgres RSS sum, MiB" pg_rss_kib mib
row "control plane (up) RSS, MiB (not on a host)" cp_rss_kib mib
row "seconds until all Running" all_running_s count
if ((${#steps[@]} > 2)); then
  echo
  echo "From ${steps[1]} to $last computes, per compute added: host agent RSS $(mib "$(growth "$last" agent_rss_kib "${steps[1]}")") MiB," \
    "live heap $(mib "$(growth "$last" agent_heap_live_kib "${steps[1]}")") MiB, threads $(growth "$last" agent_threads "${steps[1]}")."
fi

mem_total_kib="$(kib /proc/meminfo MemTotal)"
agent0="$(median 0 agent_rss_kib)"
per_compute="$(awk -v a="$(median "$last" cg_usage_kib)" -v b="$(growth "$last" agent_rss_kib)" 'BEGIN { print a + b }')"
echo
echo "How many idle 0.25 CU computes fit:"
echo "* admitted by this host's capacity ($memory, $cpus cpus; memory is never overcommitted, 1 GiB per 0.25 CU): $all"
echo "* admitted if one host offered all of this machine's memory: $(awk -v t="$mem_total_kib" -v c="$(nproc)" \
  'BEGIN { m = int(t / 1048576); p = c * 4 * 4; print (m < p ? m : p) }') (floor of $(mib "$mem_total_kib") MiB / 1 GiB, at most nproc x 4 cpu overcommit x 4)"
echo "* by measured idle use alone: $(awk -v t="$mem_total_kib" -v a="$agent0" -v p="$per_compute" 'BEGIN { printf "%d", (t - a) / p }')" \
  "((machine $(mib "$mem_total_kib") MiB - host agent $(mib "$agent0") MiB) / ($(mib "$per_compute") MiB: cgroup usage + host agent growth per compute at $last))"
cpu0="$(median 0 agent_cpu_pct)"
cpu_per_compute="$(awk -v a="$(median "$last" compute_cpu_pct)" -v b="$(growth "$last" agent_cpu_pct)" 'BEGIN { print a + b }')"
echo "* by measured idle CPU alone: $(awk -v c="$(nproc)" -v a="$cpu0" -v p="$cpu_per_compute" 'BEGIN { printf "%d", (c * 100 - a) / p }')" \
  "(($(nproc) cores x 100% - host agent $cpu0%) / ($cpu_per_compute% of a core: the compute's Postgres + host agent growth per compute at $last))"
echo "* actually run: $last of $last Running in every run; one more endpoint: $(sort "$work"/extra-*.txt | uniq -c | sed 's/^ *//' | paste -sd ';')"
echo
echo "Every run:"
echo
echo "| run | MemAvailable at start, GiB | computes | agent RSS MiB | agent threads | agent live heap MiB | agent CPU % | cgroup usage MiB (median compute) | Postgres PSS MiB | all Running s | agent stop s (SIGTERM) | compute cgroups left | host parent cgroups left |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for run in $(seq "$runs"); do
  for k in "${steps[@]}"; do
    awk -F'\t' -v r="$run" -v k="$k" '
      $1 == r && $2 == k { v[$3] = $4 } $1 == r && $2 == "-" { g[$3] = $4 }
      function mb(x) { return x == "" ? "-" : sprintf("%.1f", x / 1024) }
      function or(x) { return x == "" ? "-" : x }
      END { printf "| %s | %.1f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", r, g["mem_available_kib"] / 1048576, k,
        mb(v["agent_rss_kib"]), or(v["agent_threads"]), mb(v["agent_heap_live_kib"]), or(v["agent_cpu_pct"]), mb(v["cg_usage_kib"]),
        mb(v["pg_pss_kib"]), or(v["all_running_s"]), or(g["agent_stop_s"]), or(g["cgroups_left"]), or(g["parents_left"]) }' \
      "$work/results.tsv"
  done
done
