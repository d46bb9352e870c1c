#!/bin/bash
# plc-runner: the benchmark runner of a plc client node.
#
# Takes the next workload from s3://$PLC_BUCKET/inbox/ (oldest key first by
# name), runs OMB on it from the OMB root, and puts under outbox/<run-id>/:
# result.json (when OMB wrote one), omb.log and, last, exit.json. Its own
# state goes to status/runner.json. A key control/stop makes it stop before
# taking another workload.
#
# usage: plc-runner [--drain]
#   --drain  exit once the inbox is empty (local mode) instead of waiting.
#
# Environment: PLC_BUCKET (required), PLC_OMB_COMMAND (default bin/benchmark),
# PLC_OMB_HOME, PLC_DRIVER, PLC_WORKERS (comma-separated worker URLs, may be
# empty), PLC_WORK_DIR, PLC_NODE, PLC_EXPERIMENT_ID, PLC_POLL_SECONDS
# (default 1: an idle runner lists the inbox once a second, 3600 LIST and
# 3600 HEAD requests an idle hour, about $0.02; README, "Idle time between
# runs"), PLC_RUN_ALLOWANCE_SECONDS (default 600), PLC_RUN_KILL_GRACE_SECONDS
# (default 60). With PLC_PROM_URL set (the monitor node's Prometheus), a run
# with a result also gets cluster.json: metrics/queries.json answered over
# its measured window by prom-export (PLC_PROM_EXPORT, PLC_PROM_QUERIES,
# PLC_PROM_SOURCE, PLC_PROM_STEP); a failure there is logged, never fatal.
#
# exit.json's started and finished are whole seconds (RFC 3339);
# started_epoch_s and finished_epoch_s say when OMB started and ended, to the
# millisecond: lab-run tells the cluster's idle time between runs from them.
#
# Between one OMB's end and the next one's start, the cluster is paid for and
# idle: on that path are only the inbox listing (with the stop marker's HEAD
# beside it, not after it) and the move of the next workload. A run's result,
# log, exit.json and the status writes go in the background while the next
# OMB starts: its JVM, topic creation, connecting, the readiness check and,
# when the workload has one, the warm-up, all before OMB begins to measure
# (worker.resetStats() in WorkloadGenerator.run, openmessaging/benchmark
# 8559989 benchmark-framework/src/main/java/io/openmessaging/benchmark/
# WorkloadGenerator.java:70-140). They are waited for before any status
# write that ends a stretch of runs and before the runner exits.
#
# Each run has a time limit: the workload's warm-up and test duration, once
# more the test duration when it builds a consumer backlog (OMB's
# buildAndDrainBacklog waits that long after the drain), and the allowance
# for topic creation, connecting and the final drain. Past it OMB gets
# SIGTERM, and SIGKILL after the grace; the run fails with reason "timeout"
# and the runner takes the next workload. The operator waits longer (lab-run:
# twice the expected duration plus 10 minutes), so it sees the node's answer.
set -euo pipefail

prog=plc-runner
drain=0
case ${1:-} in
  --drain) drain=1 ;;
  "") ;;
  *) echo "usage: $prog [--drain]" >&2; exit 2 ;;
esac

bucket=${PLC_BUCKET:?PLC_BUCKET is not set}
omb_home=${PLC_OMB_HOME:-/opt/openmessaging-benchmark}
omb_command=${PLC_OMB_COMMAND:-bin/benchmark}
driver=${PLC_DRIVER:-/etc/plc/pulsar-driver.yaml}
workers=${PLC_WORKERS:-}
work_dir=${PLC_WORK_DIR:-/var/lib/plc/runs}
node=${PLC_NODE:-client-0}
experiment_id=${PLC_EXPERIMENT_ID:-}
poll=${PLC_POLL_SECONDS:-1}
allowance_s=${PLC_RUN_ALLOWANCE_SECONDS:-600}
kill_grace_s=${PLC_RUN_KILL_GRACE_SECONDS:-60}
prom_url=${PLC_PROM_URL:-}

log() { printf '%s %s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$prog" "$*" >&2; }
now() { date -u +%Y-%m-%dT%H:%M:%SZ; }
epoch() { printf '%.3f\n' "$EPOCHREALTIME"; }

put_json() { # KEY JSON
  printf '%s\n' "$2" | aws s3 cp --only-show-errors --content-type application/json - "s3://$bucket/$1"
}

runner_status() { # STATE [RUN_ID]
  put_json status/runner.json "$(jq -cn --arg exp "$experiment_id" --arg node "$node" \
    --arg state "$1" --arg run "${2:-}" --arg time "$(now)" \
    '{schema: 1, experiment_id: $exp, node: $node, state: $state,
      run_id: (if $run == "" then null else $run end), time: $time}')"
}

stop_requested() {
  aws s3api head-object --bucket "$bucket" --key control/stop >/dev/null 2>&1
}

# The background writes (a run's outbox, the status): each is waited for
# before a later status write could overtake it, and before an exit.
pending=()
background() { "$@" & pending+=($!); }
wait_pending() {
  local pid rc=0
  for pid in "${pending[@]+"${pending[@]}"}"; do wait "$pid" || rc=1; done
  pending=()
  ((rc == 0)) || log "a write to the bucket failed (see above)"
}

next_workload() {
  aws s3api list-objects-v2 --bucket "$bucket" --prefix inbox/ --output json |
    jq -r '(.Contents // [])[].Key | select(endswith("/") | not)' | LC_ALL=C sort | head -n 1
}

# time_limit_s WORKLOAD: the run's limit in seconds. The workload is JSON
# (lab-run) or YAML with top-level keys (OMB's own files); OMB reads the
# durations as whole minutes (openmessaging/benchmark Workload.java).
time_limit_s() {
  local minutes
  minutes=$(jq -r '"\(.warmupDurationMinutes // 0) \(.testDurationMinutes // 0) \(.consumerBacklogSizeGB // 0)"' \
    "$1" 2>/dev/null) ||
    minutes=$(awk -F': *' '$1 == "warmupDurationMinutes" { w = $2 } $1 == "testDurationMinutes" { t = $2 }
      $1 == "consumerBacklogSizeGB" { b = $2 } END { print w + 0, t + 0, b + 0 }' "$1")
  awk -v allowance="$allowance_s" '{ t = $2 + 0; if ($3 + 0 > 0) t *= 2; printf "%d\n", ($1 + t) * 60 + allowance }' \
    <<<"$minutes"
}

# cluster_metrics DIR RUN_ID STARTED FINISHED-EPOCH: DIR/cluster.json, the
# queries answered over the measured window: OMB records one publishRate
# entry per 10 s of its test phase (warm-up excluded), which ended when OMB
# did.
cluster_metrics() {
  local end start periods
  end=${4%.*}
  periods=$(jq '.publishRate | length' "$1/result.json")
  start=$((end - 10 * periods))
  ((start >= $(date -u -d "$3" +%s))) || start=$(date -u -d "$3" +%s)
  ((end > start)) || end=$((start + 1)) # plc-prom refuses an empty window
  "${PLC_PROM_EXPORT:-/usr/local/bin/plc-prom-export}" -u "$prom_url" -s "$start" -e "$end" -k "$2" \
    -S "${PLC_PROM_SOURCE:-cluster}" ${PLC_PROM_STEP:+-t "$PLC_PROM_STEP"} \
    -q "${PLC_PROM_QUERIES:-/etc/plc/queries.json}" -o "$1/cluster.json" || {
    log "$2: no cluster metrics from $prom_url"
    return 1
  }
}

# run_one KEY: one workload, start to finish.
run_one() {
  local key=$1 run_id dir rc=0 state reason="" started started_e finished_e has_result=false limit omb_pid
  run_id=${key#inbox/}
  run_id=${run_id%.*}
  if [[ ! $run_id =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]]; then
    log "rejecting workload key '$key': bad run name"
    aws s3 mv --only-show-errors "s3://$bucket/$key" "s3://$bucket/rejected/${key#inbox/}"
    return
  fi
  dir=$work_dir/$run_id
  rm -rf "$dir"
  mkdir -p "$dir"
  # One aws process per step: each costs about a second of CPU on a small
  # node (and in local mode, on the operator's machine).
  aws s3 mv --only-show-errors "s3://$bucket/$key" "$dir/workload.yaml"
  background runner_status running "$run_id"
  limit=$(time_limit_s "$dir/workload.yaml")
  log "running $run_id (time limit ${limit}s)"
  started=$(now) started_e=$(epoch)

  # timeout signals its own process group: bin/benchmark starts java as its
  # child, without exec. A stop of the runner (lab-run signals the runner's
  # group) is handed to timeout, which relays it to that group.
  local -a cmd=(timeout --kill-after="$kill_grace_s" "$limit") omb
  read -ra omb <<<"$omb_command"
  cmd+=("${omb[@]}")
  cmd+=(--drivers "$driver")
  [[ -n $workers ]] && cmd+=(--workers "$workers")
  cmd+=(-o "$dir/result.json" "$dir/workload.yaml")
  (cd "$omb_home" && exec "${cmd[@]}") >"$dir/omb.log" 2>&1 &
  omb_pid=$!
  trap 'kill -TERM "$omb_pid" 2>/dev/null; exit 143' TERM INT
  wait "$omb_pid" || rc=$?
  finished_e=$(epoch)
  trap - TERM INT

  # OMB exits 0 even when the workload threw: only a result file that is
  # JSON counts as success.
  if [[ -s $dir/result.json ]] && jq -e 'type == "object"' "$dir/result.json" >/dev/null 2>&1; then
    has_result=true
  fi
  if ((rc == 124 || rc == 137)); then
    state=failed reason=timeout
    printf '%s: no result within the time limit of %ss; stopped\n' "$prog" "$limit" >>"$dir/omb.log"
  elif ((rc != 0)); then
    state=failed reason="benchmark exited with status $rc"
  elif [[ $has_result != true ]]; then
    state=failed reason="benchmark wrote no result file"
  else
    state=succeeded
  fi
  log "$run_id $state${reason:+: $reason}"
  background answer "$dir" "$run_id" "$has_result" "$started" "$finished_e" "$(jq -cn --arg exp "$experiment_id" --arg run "$run_id" \
    --arg state "$state" --argjson rc "$rc" --argjson has "$has_result" --arg reason "$reason" --argjson limit "$limit" \
    --arg started "$started" --arg finished "$(now)" --arg key "$key" \
    --argjson started_e "$started_e" --argjson finished_e "$finished_e" \
    '{schema: 1, experiment_id: $exp, run_id: $run, state: $state, exit_code: $rc,
      result_file: $has, reason: (if $reason == "" then null else $reason end), time_limit_s: $limit,
      workload_key: $key, started: $started, finished: $finished,
      started_epoch_s: $started_e, finished_epoch_s: $finished_e}')"
}

# answer DIR RUN-ID HAS-RESULT STARTED FINISHED-EPOCH EXIT-JSON: a run's
# outbox: the log, the result only when it is one (a partial file is not)
# with the cluster's answers beside it, and last exit.json, which lab-run
# waits for.
answer() {
  local -a upload=(--exclude '*' --include omb.log)
  [[ $3 == true ]] && upload+=(--include result.json)
  if [[ $3 == true && -n $prom_url ]] && cluster_metrics "$1" "$2" "$4" "$5"; then
    upload+=(--include cluster.json)
  fi
  aws s3 cp --only-show-errors --recursive "${upload[@]}" "$1" "s3://$bucket/outbox/$2/"
  put_json "outbox/$2/exit.json" "$6"
}

# The status says idle only when the inbox is empty: a workload that waits
# is taken at once, without a status write between the runs. A drain with
# nothing left to take ends, stop marker or not.
# A waiting runner asks for the listing and the stop marker side by side.
if ((drain)); then log "taking workloads from s3://$bucket/inbox/ until it is empty"; else log "taking workloads from s3://$bucket/inbox/"; fi
idle=''
while true; do
  stop=0
  stop_requested &
  stop_pid=$!
  key=$(next_workload)
  ! wait "$stop_pid" || stop=1
  if [[ -n $key || $drain == 0 ]] && ((stop)); then
    wait_pending
    runner_status stopped
    log "stop marker found; stopping"
    exit 0
  fi
  if [[ -z $key ]]; then
    if [[ -z $idle ]]; then
      wait_pending
      runner_status idle
      idle=1
    fi
    ((drain)) && exit 0
    sleep "$poll"
    continue
  fi
  idle=''
  run_one "$key"
done
