#!/usr/bin/env bats
# user-data/runner.sh (installed as plc-runner on client 0) against a
# private moto_server's S3, with a fake benchmark command in place of OMB.

bats_require_minimum_version 1.5.0

load lib/common
load lib/cluster

setup_file() {
  cluster_moto_start
}

teardown_file() {
  cluster_moto_stop
}

setup() {
  BUCKET=plc-runner-$BATS_TEST_NUMBER
  aws s3api create-bucket --bucket "$BUCKET" --create-bucket-configuration LocationConstraint=us-west-2 >/dev/null
  OMB=$BATS_TEST_TMPDIR/omb
  mkdir -p "$OMB"
  export PLC_BUCKET=$BUCKET PLC_OMB_HOME=$OMB PLC_OMB_COMMAND="$FIXTURES/runner/fake-benchmark"
  export PLC_DRIVER=/etc/plc/pulsar-driver.yaml PLC_WORK_DIR=$BATS_TEST_TMPDIR/runs
  export PLC_EXPERIMENT_ID=exp-runner PLC_NODE=client-0 PLC_POLL_SECONDS=1 PLC_WORKERS=
}

put_workload() { printf 'name: %s\ntopics: 1\n' "$2" | aws s3 cp - "s3://$BUCKET/inbox/$1.yaml"; }
get() { aws s3 cp "s3://$BUCKET/$1" -; }
keys() { aws s3api list-objects-v2 --bucket "$BUCKET" --query 'Contents[].Key' --output text | tr '\t' '\n' | LC_ALL=C sort; }

@test "a good run: result, log and exit status in the outbox, from the OMB root" {
  put_workload 001-good good
  run --separate-stderr "$PLC_ROOT/user-data/runner.sh" --drain
  assert_success
  run get outbox/001-good/result.json
  assert_output "$(jq -n --arg cwd "$OMB" '{workload: "good", driver: "Pulsar", publishRate: [100.5, 101.0],
    drivers_arg: "/etc/plc/pulsar-driver.yaml", workers_arg: "", cwd: $cwd}')"
  run get outbox/001-good/exit.json
  assert_output --regexp '^\{"schema":1,"experiment_id":"exp-runner","run_id":"001-good","state":"succeeded","exit_code":0,"result_file":true,"reason":null,"time_limit_s":600,"workload_key":"inbox/001-good.yaml","started":"[0-9T:Z-]+","finished":"[0-9T:Z-]+","started_epoch_s":[0-9]+(\.[0-9]{1,3})?,"finished_epoch_s":[0-9]+(\.[0-9]{1,3})?\}$'
  run get outbox/001-good/omb.log
  assert_output "fake-benchmark: running good in $OMB
Writing test result into $PLC_WORK_DIR/001-good/result.json"
  run keys
  assert_output "outbox/001-good/exit.json
outbox/001-good/omb.log
outbox/001-good/result.json
status/runner.json"
  run get status/runner.json
  assert_output --regexp '^\{"schema":1,"experiment_id":"exp-runner","node":"client-0","state":"idle","run_id":null,"time":"[0-9T:Z-]+"\}$'
}

@test "OMB exiting 0 without a result file is a failed run; so is a non-zero exit" {
  put_workload 001-noresult no-result
  put_workload 002-crash crash
  put_workload 003-good good
  export PLC_WORKERS=http://10.0.1.150:8080,http://10.0.1.151:8080
  run --separate-stderr "$PLC_ROOT/user-data/runner.sh" --drain
  assert_success
  run bash -c "aws s3 cp s3://$BUCKET/outbox/001-noresult/exit.json - | jq -c '[.state, .exit_code, .result_file, .reason]'"
  assert_output '["failed",0,false,"benchmark wrote no result file"]'
  run bash -c "aws s3 cp s3://$BUCKET/outbox/002-crash/exit.json - | jq -c '[.state, .exit_code, .result_file, .reason]'"
  assert_output '["failed",3,false,"benchmark exited with status 3"]'
  run get outbox/001-noresult/omb.log
  assert_output "fake-benchmark: running no-result in $OMB
java.lang.NullPointerException (fake)"
  run bash -c "aws s3 cp s3://$BUCKET/outbox/003-good/result.json - | jq -r .workers_arg"
  assert_output http://10.0.1.150:8080,http://10.0.1.151:8080
  run keys
  assert_output "outbox/001-noresult/exit.json
outbox/001-noresult/omb.log
outbox/002-crash/exit.json
outbox/002-crash/omb.log
outbox/003-good/exit.json
outbox/003-good/omb.log
outbox/003-good/result.json
status/runner.json"
}

@test "a run past its time limit is stopped (SIGTERM, then SIGKILL after the grace) and fails with reason timeout; the next one runs" {
  put_workload 001-hang hang
  put_workload 002-hang-hard hang-hard
  put_workload 003-good good
  export PLC_RUN_ALLOWANCE_SECONDS=2 PLC_RUN_KILL_GRACE_SECONDS=1
  local t0=$SECONDS
  run --separate-stderr "$PLC_ROOT/user-data/runner.sh" --drain
  assert_success
  # Two limits of 2 s and one grace of 1 s, not two sleeps of 600 s.
  (( SECONDS - t0 < 60 ))
  run bash -c "aws s3 cp s3://$BUCKET/outbox/001-hang/exit.json - | jq -c '[.state, .exit_code, .result_file, .reason, .time_limit_s]'"
  assert_output '["failed",124,false,"timeout",2]'
  run bash -c "aws s3 cp s3://$BUCKET/outbox/002-hang-hard/exit.json - | jq -c '[.state, .exit_code, .result_file, .reason, .time_limit_s]'"
  assert_output '["failed",137,false,"timeout",2]'
  run get outbox/001-hang/omb.log
  assert_output "fake-benchmark: running hang in $OMB
plc-runner: no result within the time limit of 2s; stopped"
  run bash -c "aws s3 cp s3://$BUCKET/outbox/003-good/exit.json - | jq -r .state"
  assert_output succeeded
  # Nothing of the stopped runs is left behind.
  run pgrep -f "$PLC_WORK_DIR/00[12]-hang"
  assert_failure 1
}

@test "the time limit: warm-up and test duration, the test duration again for a backlog, and the allowance" {
  printf '{"name": "good", "warmupDurationMinutes": 1, "testDurationMinutes": 5}\n' |
    aws s3 cp - "s3://$BUCKET/inbox/001-json.json"
  printf '{"name": "good", "warmupDurationMinutes": 1, "testDurationMinutes": 5, "consumerBacklogSizeGB": 0.5}\n' |
    aws s3 cp - "s3://$BUCKET/inbox/002-backlog.json"
  printf 'name: good\nwarmupDurationMinutes: 2\ntestDurationMinutes: 15\n' | aws s3 cp - "s3://$BUCKET/inbox/003-yaml.yaml"
  run --separate-stderr "$PLC_ROOT/user-data/runner.sh" --drain
  assert_success
  local k
  for k in 001-json 002-backlog 003-yaml; do
    aws s3 cp "s3://$BUCKET/outbox/$k/exit.json" - | jq -r .time_limit_s
  done >"$BATS_TEST_TMPDIR/limits"
  assert_equal "$(cat "$BATS_TEST_TMPDIR/limits")" "$(printf '%s\n' $((6 * 60 + 600)) $((11 * 60 + 600)) $((17 * 60 + 600)))"
}

@test "workloads waiting in the inbox run back to back: no poll, no idle status and no outbox write between them" {
  put_workload 001-good good
  put_workload 002-good good
  # The first run's outbox writes wait here (an aws that holds them, up to
  # 60 s) until the second OMB has started: the runner must not wait for
  # them between two runs, where the whole cluster is paid for and idle.
  # A runner that did would start the second OMB only after 60 s. Nor may
  # it poll: the poll is longer than the whole test.
  local bin=$BATS_TEST_TMPDIR/bin marks=$BATS_TEST_TMPDIR/marks
  mkdir -p "$bin" "$marks"
  printf '#!/bin/bash\necho started >>%s/starts\nexec %s "$@"\n' "$marks" "$FIXTURES/runner/fake-benchmark" >"$bin/omb"
  printf '#!/bin/bash\ncase "$*" in *s3://%s/outbox/001-good/*)
  for ((i = 0; i < 600; i++)); do (($(grep -c . %s/starts) >= 2)) && break; sleep 0.1; done
  echo "$i" >>%s/held ;; esac\nexec %s "$@"\n' "$BUCKET" "$marks" "$marks" "$(command -v aws)" >"$bin/aws"
  chmod +x "$bin/aws" "$bin/omb"
  PATH=$bin:$PATH PLC_OMB_COMMAND=$bin/omb PLC_POLL_SECONDS=120 \
    run --separate-stderr "$PLC_ROOT/user-data/runner.sh" --drain
  assert_success
  # Both writes of run 1 (its log and result, then exit.json) were let
  # through by the second OMB's start, not by the 60 s limit.
  run awk '$1 >= 600' "$marks/held"
  assert_output ''
  assert_equal "$(grep -c . "$marks/held")" 2
  local idle
  idle=$(for k in 001-good 002-good; do get "outbox/$k/exit.json"; done |
    jq -rs '.[1].started_epoch_s - .[0].finished_epoch_s | . * 1000 | round / 1000')
  echo "idle between the runs: $idle s" >&3
  # Its state went idle once, at the end, when the inbox was empty.
  assert_equal "$(grep -c 'running 00[12]-good' <<<"$stderr")" 2
  run bash -c "aws s3 cp s3://$BUCKET/status/runner.json - | jq -r '[.state, .run_id] | tostring'"
  assert_output '["idle",null]'
}

@test "a stop marker stops the runner before it takes another workload" {
  put_workload 001-good good
  printf 'stop\n' | aws s3 cp - "s3://$BUCKET/control/stop"
  run --separate-stderr "$PLC_ROOT/user-data/runner.sh"
  assert_success
  run keys
  assert_output "control/stop
inbox/001-good.yaml
status/runner.json"
  run bash -c "aws s3 cp s3://$BUCKET/status/runner.json - | jq -r .state"
  assert_output stopped
}

@test "a waiting runner picks up a workload put later, then honours a stop marker" {
  "$PLC_ROOT/user-data/runner.sh" >"$BATS_TEST_TMPDIR/runner.log" 2>&1 &
  local pid=$! i
  put_workload 001-late good
  for ((i = 0; i < 60; i++)); do
    aws s3api head-object --bucket "$BUCKET" --key outbox/001-late/exit.json >/dev/null 2>&1 && break
    sleep 1
  done
  printf 'stop\n' | aws s3 cp - "s3://$BUCKET/control/stop"
  local rc=0
  wait "$pid" || rc=$?
  assert_equal "$rc" 0
  run bash -c "aws s3 cp s3://$BUCKET/outbox/001-late/exit.json - | jq -r .state"
  assert_output succeeded
}

@test "a workload with an unsafe name is set aside, not run" {
  printf 'name: x\n' | aws s3 cp - "s3://$BUCKET/inbox/-rf .yaml"
  run --separate-stderr "$PLC_ROOT/user-data/runner.sh" --drain
  assert_success
  run keys
  assert_output "rejected/-rf .yaml
status/runner.json"
}

@test "usage errors exit 2" {
  run --separate-stderr "$PLC_ROOT/user-data/runner.sh" --bogus
  assert_failure 2
  assert_equal "$stderr" "usage: plc-runner [--drain]"
}

# With the monitor's Prometheus (PLC_PROM_URL): after a run with a result,
# the queries of metrics/queries.json answered over the run's measured
# window, beside the result. A real Prometheus (Debian's) on a loopback
# port, scraping itself, stands for the monitor node's.
@test "a run with a result gets cluster.json: the queries answered by Prometheus over the run's window, which plc-prom reads" {
  local port pid i started end
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  printf 'global: {scrape_interval: 1s}\nscrape_configs:\n  - job_name: prometheus\n    static_configs: [{targets: ["127.0.0.1:%s"]}]\n' \
    "$port" >"$BATS_TEST_TMPDIR/prometheus.yml"
  prometheus --config.file="$BATS_TEST_TMPDIR/prometheus.yml" --storage.tsdb.path="$BATS_TEST_TMPDIR/tsdb" \
    --web.listen-address="127.0.0.1:$port" >"$BATS_TEST_TMPDIR/prometheus.log" 2>&1 &
  pid=$!
  for ((i = 0; i < 100; i++)); do curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null && break; sleep 0.2; done
  put_workload 001-good good
  put_workload 002-crash crash
  PLC_PROM_URL=http://127.0.0.1:$port PLC_PROM_EXPORT=$PLC_ROOT/scripts/prom-export \
    PLC_PROM_QUERIES=$PLC_ROOT/metrics/queries.json PLC_PROM_SOURCE=local-machine PLC_PROM_STEP=1 \
    run --separate-stderr "$PLC_ROOT/user-data/runner.sh" --drain
  kill "$pid"
  assert_success
  run keys
  assert_output "outbox/001-good/cluster.json
outbox/001-good/exit.json
outbox/001-good/omb.log
outbox/001-good/result.json
outbox/002-crash/exit.json
outbox/002-crash/omb.log
status/runner.json"
  get outbox/001-good/cluster.json >"$BATS_TEST_TMPDIR/cluster.json"
  run jq -c '[.schema, .key, .source, .step_s, (.queries | length), ([.queries[].answer.status] | unique)]' "$BATS_TEST_TMPDIR/cluster.json"
  assert_output "[\"plc-prom-answers/1\",\"001-good\",\"local-machine\",1,$(jq '.queries | length' "$PLC_ROOT/metrics/queries.json"),[\"success\"]]"
  # The window: OMB's two 10 s periods back from the end, but never before
  # the run started (this one took about a second), and never empty (plc-prom
  # refuses a window that ends where it starts).
  started=$(get outbox/001-good/exit.json | jq -r '.started | fromdate')
  end=$(jq .end_unix_s "$BATS_TEST_TMPDIR/cluster.json")
  run jq --argjson s "$started" --argjson e "$end" '.start_unix_s == $s and $e > $s and $e - $s <= 20' "$BATS_TEST_TMPDIR/cluster.json"
  assert_output true
  run --separate-stderr plc-prom -e exp-runner "$BATS_TEST_TMPDIR/cluster.json"
  assert_success
}

@test "a Prometheus that does not answer costs the run nothing: no cluster.json, a line in the runner's log" {
  put_workload 001-good good
  PLC_PROM_URL=http://127.0.0.1:9 PLC_PROM_EXPORT=$PLC_ROOT/scripts/prom-export PLC_PROM_QUERIES=$PLC_ROOT/metrics/queries.json \
    run --separate-stderr "$PLC_ROOT/user-data/runner.sh" --drain
  assert_success
  assert_equal "$(get outbox/001-good/exit.json | jq -r .state)" succeeded
  run keys
  refute_line outbox/001-good/cluster.json
  [[ $stderr == *"plc-runner: 001-good: no cluster metrics from http://127.0.0.1:9"* ]]
}
