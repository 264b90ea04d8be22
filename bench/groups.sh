#!/usr/bin/env bash
# Consumer-group benchmark of one Gregor broker (the real `./gregor serve` process), with the
# C# consumer in bench/Gregor.Bench.Groups speaking what a Kafka 2.3+ Java consumer speaks:
#   - time for 1, 10, 50 and 100 members (one connection each) to join a new group and reach Stable
#     (JoinGroup v5 with its MEMBER_ID_REQUIRED round trip, range assignment by the leader, SyncGroup),
#     with group.initial.rebalance.delay.ms=0 (the coordinator's own cost), and with Kafka's default
#     3000 (what users see);
#   - the OffsetCommit rate one consumer sustains, 1 and 6 partitions per commit, 1/16/64 requests in
#     flight, in both flush modes, against same-run baselines (a produce with acks=all of the same
#     shape; ApiVersions round trips).
# See docs/benchmarks.md ("Consumer groups").
#
# Usage: bench/groups.sh [--quick] [--rounds K] [--commit-rounds K] [--seconds S] [--out DIR]
#          [--work-parent DIR] [--step-timeout S]
# Prints Markdown tables on stdout and keeps DIR/results.jsonl (one JSON object per measurement), the
# brokers' logs and DIR/load.log (load average and busiest processes every 5 s).
set -euo pipefail

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$bench_dir")"
project="$bench_dir/Gregor.Bench.Groups"

rounds=5          # join rounds per member count
commit_rounds=3   # rounds of every commit/produce/ApiVersions workload
seconds=0.8       # timed window of each workload (after 0.2 s of warm-up)
out=""
work_parent="${TMPDIR:-/tmp}"
step_timeout=240

usage() { sed -n '13,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit "${1:-64}"; }
while (($# > 0)); do
  case "$1" in
    --quick) rounds=2; commit_rounds=1; seconds=0.5; shift ;;
    --rounds) rounds="$2"; shift 2 ;;
    --commit-rounds) commit_rounds="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --work-parent) work_parent="$2"; shift 2 ;;
    --step-timeout) step_timeout="$2"; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "groups.sh: unknown argument '$1'" >&2; usage ;;
  esac
done

log() { echo "bench: $*" >&2; }
fail() { echo "bench: FAILED: $*" >&2; exit 1; }

work="$(mktemp -d "$work_parent/gregor-bench-groups.XXXXXX")"
[[ -n "$out" ]] || out="$(mktemp -d "${TMPDIR:-/tmp}/gregor-bench-groups-results.XXXXXX")"
mkdir -p "$out"
results="$out/results.jsonl"
: >"$results"
broker_pid=""
broker_name=""

stop_broker() {
  [[ -n "$broker_pid" ]] || return 0
  kill -TERM "$broker_pid" 2>/dev/null || true
  for _ in $(seq 1 200); do kill -0 "$broker_pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$broker_pid" 2>/dev/null; then
    log "broker $broker_pid did not stop within 20 s of SIGTERM; sending SIGKILL"
    kill -KILL "$broker_pid" 2>/dev/null || true
  fi
  wait "$broker_pid" 2>/dev/null || true
  broker_pid=""
}
sampler_pid=""
cleanup() {
  stop_broker
  [[ -z "$sampler_pid" ]] || kill "$sampler_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# No build servers may outlive this script.
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 UseSharedCompilation=false

# --- builds (before anything is timed) ---------------------------------------------------------
log "building bench/Gregor.Bench.Groups (Release) ..."
dotnet build "$project" -c Release -nologo -v q -clp:ErrorsOnly -o "$work/bench-bin" >&2 || fail "the benchmark did not build"
bench_dll="$work/bench-bin/Gregor.Bench.Groups.dll"
"$root/gregor" --version >/dev/null || fail "the broker (./gregor) did not build"
bench() { timeout -k 5 "$step_timeout" dotnet "$bench_dll" "$@"; }

commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
record_env() {
  printf '{"kind":"env","when":"%s","date":"%s","commit":"%s","nproc":%d,"mem_total_mib":%d,"load_average":"%s"}\n' \
    "$1" "$(date -Is)" "$commit" "$(nproc)" "$(($(awk '/MemTotal/ { print $2 }' /proc/meminfo) / 1024))" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$results"
}
record_env start
log "work dir $work (broker data; removed at the end); results in $out"
# Every 5 s: the load average and the busiest processes, to tell afterwards what else ran (shared machine).
while sleep 5; do
  echo "$(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg):" \
    "$(top -b -c -n 1 -o %CPU -w 300 | awk 'NR > 7 && $9 + 0 >= 5 { printf "[%s%% %s %s %s] ", $9, $12, $13, $14 }')"
done >"$out/load.log" 2>/dev/null &
sampler_pid=$!

# --- the broker -----------------------------------------------------------------------------------
# start_broker NAME [--set key=value ...]: a fresh broker on a fresh data directory.
start_broker() {
  broker_name="$1"; shift
  local data="$work/data-$broker_name"
  "$root/gregor" serve --listen 127.0.0.1:0 --data-dir "$data" --log-level warning "$@" \
    >"$out/broker-$broker_name.out" 2>"$out/broker-$broker_name.err" &
  broker_pid=$!  # ./gregor execs dotnet, so this is the broker's own PID
  local deadline=$((SECONDS + 60))
  until grep -q "listening on" "$out/broker-$broker_name.out" 2>/dev/null; do
    kill -0 "$broker_pid" 2>/dev/null || { cat "$out/broker-$broker_name.err" >&2; broker_pid=""; fail "the broker exited during start"; }
    ((SECONDS < deadline)) || fail "the broker did not report 'listening on' within 60 s"
    sleep 0.1
  done
  bootstrap="$(sed -n 's/.*listening on \([0-9.]*:[0-9]*\).*/\1/p' "$out/broker-$broker_name.out" | head -n 1)"
  [[ -n "$bootstrap" ]] || fail "cannot read the broker's address from: $(cat "$out/broker-$broker_name.out")"
}
finish_broker() {
  local warnings
  warnings="$(cat "$out/broker-$broker_name.out" "$out/broker-$broker_name.err" | { grep -ciE 'warn|fail|error|crit' || true; })"
  printf '{"kind":"broker","name":"%s","peak_rss_mib":%d,"warning_lines":%d}\n' "$broker_name" \
    "$(($(awk '$1 == "VmHWM:" { print $2 }' "/proc/$broker_pid/status") / 1024))" "$warnings" >>"$results"
  stop_broker
  rm -rf "$work/data-$broker_name"
}

# --- the runs -------------------------------------------------------------------------------------
for mode in fsync page-cache; do
  start_broker "delay0-$mode" --set group.initial.rebalance.delay.ms=0 --set "log.flush.mode=$mode"
  log "[$mode, initial delay 0] joins, members starting together ..."
  bench join --bootstrap "$bootstrap" --results "$results" --broker-pid "$broker_pid" --rounds "$rounds" \
    --start together --labels "flush=$mode,initial_delay_ms=0" || fail "join benchmark ($mode)"
  if [[ "$mode" == fsync ]]; then
    log "[$mode, initial delay 0] joins, members running free ..."
    bench join --bootstrap "$bootstrap" --results "$results" --broker-pid "$broker_pid" --rounds "$rounds" \
      --start free --labels "flush=$mode,initial_delay_ms=0" || fail "join benchmark, free start ($mode)"
  fi
  log "[$mode] OffsetCommit rate and baselines ..."
  bench commit --bootstrap "$bootstrap" --results "$results" --broker-pid "$broker_pid" --rounds "$commit_rounds" \
    --seconds "$seconds" --warmup-seconds 0.2 --labels "flush=$mode" || fail "commit benchmark ($mode)"
  finish_broker
done

# Kafka's default initial delay (3000 ms, not set here) with free-running members: what users see.
start_broker "delay-default-fsync"
log "[fsync, initial delay 3000 (default)] joins, members running free ..."
bench join --bootstrap "$bootstrap" --results "$results" --broker-pid "$broker_pid" --rounds 1 --warmup-rounds 0 \
  --members 1,10,50,100 --start free --labels "flush=fsync,initial_delay_ms=3000" || fail "join benchmark, default delay"
finish_broker

record_env end
bench report --results "$results"
log "done in $SECONDS s; results in $out"
