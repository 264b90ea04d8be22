#!/usr/bin/env bash
# Produce/consume benchmark of one Gregor broker with librdkafka tools nobody here wrote:
#   - throughput: `kcat -P -l FILE` (acks=1, acks=all) and `kcat -C -e` of N messages on one partition;
#   - latency at a fixed rate: bench/latency.py (confluent-kafka-python) with acks=1 and acks=all;
#   - the broker's peak RSS (VmHWM) after all of that;
# once per durability mode (`log.flush.mode=fsync`, the default, and `page-cache`, Kafka's behaviour),
# each in several rounds that alternate the modes (the machine is shared and noisy; the report gives
# medians and ranges), plus same-run baselines of the disk and of the load generator.
# See docs/benchmarks.md.
#
# Usage: bench/produce-consume.sh [--quick] [--messages N] [--size BYTES] [--rate MSG_PER_S]
#          [--latency-seconds S] [--linger-ms MS] [--modes "fsync page-cache"] [--rounds K]
#          [--out DIR] [--work-parent DIR] [--step-timeout S]
# Prints a table on stdout and writes DIR/results.jsonl (one JSON object per measurement).
set -euo pipefail

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$bench_dir")"
python=/usr/bin/python3 # Debian's interpreter: the one that sees python3-confluent-kafka

messages=1000000
size=1024
rate=10000
latency_seconds=10
linger_ms=1
modes="fsync page-cache"
rounds=4
out=""
work_parent="${TMPDIR:-/tmp}"
step_timeout=300

usage() { sed -n '11,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit "${1:-64}"; }
while (($# > 0)); do
  case "$1" in
    --quick) messages=100000; latency_seconds=3; rounds=1; shift ;;
    --messages) messages="$2"; shift 2 ;;
    --size) size="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --latency-seconds) latency_seconds="$2"; shift 2 ;;
    --linger-ms) linger_ms="$2"; shift 2 ;;
    --modes) modes="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --work-parent) work_parent="$2"; shift 2 ;;
    --step-timeout) step_timeout="$2"; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "produce-consume.sh: unknown argument '$1'" >&2; usage ;;
  esac
done

log() { echo "bench: $*" >&2; }
fail() { echo "bench: FAILED: $*" >&2; exit 1; }

for tool in kcat dd cmp awk; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install -y kcat)"
done
"$python" -c 'import confluent_kafka' 2>/dev/null || fail "$python cannot import confluent_kafka (apt-get install -y python3-confluent-kafka)"

work="$(mktemp -d "$work_parent/gregor-bench.XXXXXX")"
[[ -n "$out" ]] || out="$(mktemp -d "${TMPDIR:-/tmp}/gregor-bench-results.XXXXXX")"
mkdir -p "$out"
results="$out/results.jsonl"
: >"$results"
broker_pid=""

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
cleanup() {
  stop_broker
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ns() { date +%s%N; }
ticks=$(getconf CLK_TCK)
# Broker CPU time as "user system" seconds, from /proc/PID/stat fields 14 and 15.
broker_cpu() { awk -v t="$ticks" '{ sub(/.*\) /, ""); printf "%.2f %.2f", $12 / t, $13 / t }' "/proc/$broker_pid/stat"; }
# JSON fields for one step: the broker's CPU between two broker_cpu readings, and the tool's own CPU
# as /usr/bin/time wrote it ("user system") into a file.
cpu_fields() {
  awk -v a="$1" -v b="$2" -v tool="$(cat "$3")" 'BEGIN {
    split(a, x, " "); split(b, y, " "); split(tool, z, " ")
    printf "\"broker_user_s\":%.2f,\"broker_sys_s\":%.2f,\"broker_cpu_s\":%.2f,\"client_cpu_s\":%.2f",
      y[1] - x[1], y[2] - x[2], y[1] - x[1] + y[2] - x[2], z[1] + z[2] }'
}
status_kib() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$broker_pid/status"; }
record() { echo "$1" >>"$results"; }
# rate COUNT NANOSECONDS -> per second, one decimal
per_second() { awk -v n="$1" -v ns="$2" 'BEGIN { printf "%.1f", n / (ns / 1e9) }'; }
seconds() { awk -v ns="$1" 'BEGIN { printf "%.3f", ns / 1e9 }'; }
payload_mb_per_s() { awk -v n="$1" -v s="$size" -v ns="$2" 'BEGIN { printf "%.1f", n * s / 1e6 / (ns / 1e9) }'; }
step() { timeout -k 5 "$step_timeout" "$@"; }

# --- the machine and the input ----------------------------------------------------------------
log "work dir $work (data, input file; removed at the end); results in $out"
fs_type="$(df --output=fstype "$work" | tail -n 1)"
device="$(df --output=source "$work" | tail -n 1)"
load="$(cut -d' ' -f1-3 /proc/loadavg)"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
record "$(printf '{"kind":"env","date":"%s","nproc":%d,"mem_total_kib":%d,"work_fs":"%s","work_device":"%s","load_avg_at_start":"%s","commit":"%s","messages":%d,"size":%d,"rate":%d,"rounds":%d,"latency_seconds":%s,"linger_ms":%s,"kcat":"%s"}' \
  "$(date -Is)" "$(nproc)" "$(awk '/MemTotal/ { print $2 }' /proc/meminfo)" "$fs_type" "$device" "$load" "$commit" \
  "$messages" "$size" "$rate" "$rounds" "$latency_seconds" "$linger_ms" "$(kcat -V 2>&1 | sed -n 's/^Version \([^ ]*\) .*librdkafka \([^ ]*\) .*/kcat \1, librdkafka \2/p' | head -n 1)")"

input="$work/messages.txt"
log "writing $messages messages of $size bytes to $input ..."
# Unique, newline-free lines: a 10-digit sequence number, ':' and hex filler up to $size bytes.
"$python" - "$messages" "$size" "$input" <<'EOF'
import os, sys
count, size, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
if size < 12:
    sys.exit("--size must be at least 12 bytes (sequence number + filler)")
fillers = [os.urandom(size).hex().encode()[: size - 11] for _ in range(997)]
with open(path, "wb", buffering=1 << 20) as out:
    for i in range(count):
        out.write(b"%010d:" % i + fillers[i % 997] + b"\n")
EOF
input_bytes=$((messages * (size + 1)))
[[ $(stat -c %s "$input") -eq $input_bytes ]] || fail "the input file has the wrong size"
# A few seconds' worth of the same messages warm each new broker process up (JIT tiers, buffer pools)
# before anything is timed.
warmup_input="$work/warmup.txt"
head -n "$(( messages < 50000 ? messages : 50000 ))" "$input" >"$warmup_input"

# --- the broker -----------------------------------------------------------------------------------
start_broker() {
  local mode="$1" data="$2"
  # No build servers may outlive this script when ./gregor has to (re)build the CLI first.
  MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 UseSharedCompilation=false \
    "$root/gregor" serve --listen 127.0.0.1:0 --data-dir "$data" --log-level warning \
    --set "log.flush.mode=$mode" >"$out/broker-$mode-$round.out" 2>"$out/broker-$mode-$round.err" &
  broker_pid=$!  # ./gregor execs dotnet, so this is the broker's own PID
  local deadline=$((SECONDS + step_timeout))
  until grep -q "listening on" "$out/broker-$mode-$round.out" 2>/dev/null; do
    kill -0 "$broker_pid" 2>/dev/null || { cat "$out/broker-$mode-$round.err" >&2; broker_pid=""; fail "the broker exited during start"; }
    ((SECONDS < deadline)) || fail "the broker did not report 'listening on' within $step_timeout s"
    sleep 0.2
  done
  bootstrap="$(sed -n 's/.*listening on \([0-9.]*:[0-9]*\).*/\1/p' "$out/broker-$mode-$round.out" | head -n 1)"
  [[ -n "$bootstrap" ]] || fail "cannot read the broker's address from: $(cat "$out/broker-$mode-$round.out")"
}

produce() { # mode acks topic
  local mode="$1" acks="$2" topic="$3" errors="$out/kcat-produce-$1-$2-$round.err"
  sync # start from clean write-back so an earlier phase's dirty pages do not land on this one
  local cpu0 cpu1 t0 t1 tool_cpu="$work/tool-cpu"
  cpu0=$(broker_cpu); t0=$(now_ns)
  local rc=0
  step /usr/bin/time -f '%U %S' -o "$tool_cpu" kcat -P -b "$bootstrap" -t "$topic" -p 0 -X "acks=$acks" -l "$input" 2>"$errors" || rc=$?
  t1=$(now_ns); cpu1=$(broker_cpu)
  ((rc == 0)) || { cat "$errors" >&2; fail "kcat -P (acks=$acks, $mode) exited with $rc"; }
  [[ ! -s "$errors" ]] || { cat "$errors" >&2; fail "kcat -P (acks=$acks, $mode) reported errors (above)"; }
  local high
  high="$(step "$python" "$bench_dir/admin.py" "$bootstrap" high-watermark "$topic")"
  [[ "$high" == "$messages" ]] || fail "after kcat -P (acks=$acks, $mode) the high watermark is $high, expected $messages"
  record "$(printf '{"kind":"throughput","round":%d,"mode":"%s","test":"produce","acks":"%s","messages":%d,"seconds":%s,"msg_per_s":%s,"MBps":%s,%s}' \
    "$round" "$mode" "$acks" "$messages" "$(seconds $((t1 - t0)))" "$(per_second "$messages" $((t1 - t0)))" \
    "$(payload_mb_per_s "$messages" $((t1 - t0)))" "$(cpu_fields "$cpu0" "$cpu1" "$tool_cpu")")"
}

consume() { # mode topic
  local mode="$1" topic="$2" errors="$out/kcat-consume-$1-$round.err"
  local cpu0 cpu1 t0 t1 rc=0 tool_cpu="$work/tool-cpu"
  # Timed: to /dev/null. kcat writes each message to stdout separately, and through a pipe that alone
  # costs several times the whole consume on this machine, so nothing reads its output here.
  cpu0=$(broker_cpu); t0=$(now_ns)
  step /usr/bin/time -f '%U %S' -o "$tool_cpu" kcat -C -b "$bootstrap" -t "$topic" -p 0 -o beginning -e >/dev/null 2>"$errors" || rc=$?
  t1=$(now_ns); cpu1=$(broker_cpu)
  ((rc == 0)) || { cat "$errors" >&2; fail "kcat -C ($mode) exited with $rc"; }
  grep -q "Reached end of topic $topic \[0\] at offset $messages\b" "$errors" \
    || { cat "$errors" >&2; fail "kcat -C ($mode) did not reach offset $messages (its output is above)"; }
  ! grep -v "Reached end of topic" "$errors" | grep -q . \
    || { cat "$errors" >&2; fail "kcat -C ($mode) reported errors (above)"; }
  record "$(printf '{"kind":"throughput","round":%d,"mode":"%s","test":"consume","acks":"","messages":%d,"seconds":%s,"msg_per_s":%s,"MBps":%s,%s}' \
    "$round" "$mode" "$messages" "$(seconds $((t1 - t0)))" "$(per_second "$messages" $((t1 - t0)))" \
    "$(payload_mb_per_s "$messages" $((t1 - t0)))" "$(cpu_fields "$cpu0" "$cpu1" "$tool_cpu")")"
  # Untimed: the consumed stream must equal the input byte for byte (count, order and content).
  local verdict
  verdict="$(set +o pipefail; step kcat -C -b "$bootstrap" -t "$topic" -p 0 -o beginning -e -q 2>>"$errors" | cmp - "$input" 2>&1 || true)"
  [[ -z "$verdict" ]] || { cat "$errors" >&2; fail "kcat -C ($mode) did not return exactly the produced messages: $verdict"; }
}

consume_fixed_cost() { # mode topic ; kcat -C of a one-message topic: start, metadata, and the end-of-partition wait
  local mode="$1" topic="$2" t0 t1
  printf 'x\n' | step kcat -P -b "$bootstrap" -t "$topic" -p 0 -X acks=all 2>>"$out/kcat-consume-$1-$round.err"
  t0=$(now_ns)
  step kcat -C -b "$bootstrap" -t "$topic" -p 0 -o beginning -e -q >/dev/null 2>>"$out/kcat-consume-$1-$round.err"
  t1=$(now_ns)
  record "$(printf '{"kind":"fixed_cost","round":%d,"mode":"%s","test":"consume one message","seconds":%s}' \
    "$round" "$mode" "$(seconds $((t1 - t0)))")"
}

latency() { # mode acks topic
  local mode="$1" acks="$2" topic="$3" json
  sync
  json="$(step "$python" "$bench_dir/latency.py" --bootstrap "$bootstrap" --topic "$topic" --acks "$acks" \
    --rate "$rate" --seconds "$latency_seconds" --size "$size" --linger-ms "$linger_ms")" \
    || fail "latency.py (acks=$acks, $mode) failed: $json"
  record "{\"kind\":\"latency\",\"round\":$round,\"mode\":\"$mode\",${json#\{}"
}

run_mode() { # mode: one broker, every measurement, then the broker's peak memory
  local mode="$1" data="$work/data-$1" what="round $round/$rounds, mode $1"
  log "$what: starting the broker ..."
  start_broker "$mode" "$data"
  log "$what: broker $broker_pid on $bootstrap"
  step "$python" "$bench_dir/admin.py" "$bootstrap" create warmup tp-acks1 tp-acksall lat-acks1 lat-acksall one-message
  log "$what: warming up (untimed) ..."
  step kcat -P -b "$bootstrap" -t warmup -p 0 -X acks=all -l "$warmup_input" 2>>"$out/kcat-warmup-$mode-$round.err"
  step kcat -C -b "$bootstrap" -t warmup -p 0 -o beginning -e -q >/dev/null 2>>"$out/kcat-warmup-$mode-$round.err"
  # Even rounds produce with acks=all first, so neither setting always runs on the fuller log.
  local acks_order=(1 all)
  ((round % 2 == 1)) || acks_order=(all 1)
  for acks in "${acks_order[@]}"; do
    if [[ $acks == 1 ]]; then log "$what: kcat -P acks=1 ..."; produce "$mode" 1 tp-acks1
    else log "$what: kcat -P acks=all ..."; produce "$mode" all tp-acksall; fi
  done
  log "$what: kcat -C ..."; consume "$mode" tp-acksall; consume_fixed_cost "$mode" one-message
  log "$what: latency acks=1 at $rate msg/s ..."; latency "$mode" 1 lat-acks1
  log "$what: latency acks=all at $rate msg/s ..."; latency "$mode" all lat-acksall
  record "$(printf '{"kind":"rss","round":%d,"mode":"%s","vm_hwm_kib":%s,"vm_rss_kib":%s,"broker_warning_lines":%d}' \
    "$round" "$mode" "$(status_kib VmHWM)" "$(status_kib VmRSS)" \
    "$(grep -cE ' (warn|fail|crit):' "$out/broker-$mode-$round.err" || true)")"
  stop_broker
  rm -rf "$data"
  sync
}

read -r -a mode_list <<<"$modes"
for round in $(seq 1 "$rounds"); do
  # Even rounds run the modes in reverse order, so neither mode always goes first.
  order=("${mode_list[@]}")
  if ((round % 2 == 0)); then
    order=()
    for ((i = ${#mode_list[@]} - 1; i >= 0; i--)); do order+=("${mode_list[i]}"); done
  fi
  for mode in "${order[@]}"; do run_mode "$mode"; done
done
# --- same-run baselines -------------------------------------------------------------------------
# Taken after the broker rounds: deleting their 1 GB files (ext4 mounted with discard) must not
# land on the broker's first measurement.
# 1. The generator's floor: reading the input file (from the page cache) costs this much at least.
cat "$input" >/dev/null
t0=$(now_ns); cat "$input" >/dev/null; t1=$(now_ns)
record "$(printf '{"kind":"baseline","name":"cat input > /dev/null","seconds":%s,"MBps":%s}' \
  "$(seconds $((t1 - t0)))" "$(payload_mb_per_s "$messages" $((t1 - t0)))")"
# 2. The disk's sequential write speed for the same bytes, fsynced once at the end (a reference, not
#    a hard ceiling: a log that fsyncs as it goes overlaps write-back with receiving).
sync
t0=$(now_ns); dd if="$input" of="$work/dd-copy" bs=1M conv=fsync status=none; t1=$(now_ns)
rm -f "$work/dd-copy"
record "$(printf '{"kind":"baseline","name":"dd input, bs=1M, one fsync","seconds":%s,"MBps":%s}' \
  "$(seconds $((t1 - t0)))" "$(payload_mb_per_s "$messages" $((t1 - t0)))")"
# 3. The cost of one small durable write: 4 KiB writes with O_DSYNC, the floor of a group commit.
sync
dsync_count=500
t0=$(now_ns); dd if=/dev/zero of="$work/dd-dsync" bs=4k count=$dsync_count oflag=dsync status=none; t1=$(now_ns)
rm -f "$work/dd-dsync"
record "$(printf '{"kind":"baseline","name":"dd 4 KiB writes, oflag=dsync","seconds":%s,"syncs_per_s":%s,"ms_per_sync":%s}' \
  "$(seconds $((t1 - t0)))" "$(per_second $dsync_count $((t1 - t0)))" \
  "$(awk -v ns=$((t1 - t0)) -v n=$dsync_count 'BEGIN { printf "%.3f", ns / 1e6 / n }')")"
# 4. The same for 1 MiB writes (about one kcat produce request each).
sync
t0=$(now_ns); dd if="$input" of="$work/dd-dsync" bs=1M count=256 oflag=dsync status=none; t1=$(now_ns)
rm -f "$work/dd-dsync"
record "$(printf '{"kind":"baseline","name":"dd 1 MiB writes, oflag=dsync","seconds":%s,"MBps":%s,"ms_per_sync":%s}' \
  "$(seconds $((t1 - t0)))" "$(awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.1f", 256 * 1048576 / 1e6 / (ns / 1e9) }')" \
  "$(awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.3f", ns / 1e6 / 256 }')")"

record "$(printf '{"kind":"end","date":"%s","load_avg_at_end":"%s"}' "$(date -Is)" "$(cut -d' ' -f1-3 /proc/loadavg)")"

"$python" "$bench_dir/report.py" "$results"
log "results: $results"
