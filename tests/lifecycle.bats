#!/usr/bin/env bats
# The whole lifecycle, `make full`, in local mode, each lifecycle against a
# moto_server of its own started by this suite, with a fake OMB command
# (tests/fixtures/lifecycle/fake-omb) that writes a v4 result from the
# workload's own numbers. Ten lifecycles run at once in setup_file: poc
# (with a canary secret key, through a recording proxy), baseline, a failure
# injected in each phase, a node that never gets ready, an apply that
# stalls, a run phase interrupted and resumed, `make demo` itself (its
# own emulator, replayed results) and `make frontier` (two variants, each
# with an SLO gate and an slo_search against the modeled stand-in). Each test then reads one of them, and
# shows the end of its output when it fails.

bats_require_minimum_version 1.5.0

load lib/common
load lib/lifecycle

CANARY_SECRET=plcCanarySecret0000do-not-leak-7Q2x
CANARY_KEY_ID=AKIAPLCCANARY0000001

# when_logged NAME TEXT: wait until the lab.log of experiment NAME has TEXT.
when_logged() {
  local i
  for ((i = 0; i < 1500; i++)); do
    grep -q -- "$2" "$PLC_HOME/$1/lab.log" 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

# resume: make setup, a make run stopped (SIGTERM to its process group)
# after its first run, make run again, make logs, make teardown, then
# make reap (the dry run) and make cost (Cost Explorer) on what is left.
resume() {
  local pid i mk=(make -s --no-print-directory -C "$PLC_ROOT" SAN="${PLC_SAN:-}")
  export EXP=life-resume PLAN=latency AWS=local
  "${mk[@]}" setup >"$BATS_FILE_TMPDIR/resume-setup.out" 2>&1 || return 1
  setsid "${mk[@]}" run >"$BATS_FILE_TMPDIR/resume-run1.out" 2>&1 &
  pid=$!
  for ((i = 0; i < 3000; i++)); do
    [[ -n $(jq -c 'select(.last == true)' "$PLC_HOME/$EXP/executed.ndjson" 2>/dev/null) ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -TERM -- "-$pid"
  wait "$pid" && echo 0 >"$BATS_FILE_TMPDIR/resume-run1.rc" || echo $? >"$BATS_FILE_TMPDIR/resume-run1.rc"
  "${mk[@]}" run >"$BATS_FILE_TMPDIR/resume-run2.out" 2>&1 && echo 0 >"$BATS_FILE_TMPDIR/resume-run2.rc" ||
    echo $? >"$BATS_FILE_TMPDIR/resume-run2.rc"
  "${mk[@]}" logs >"$BATS_FILE_TMPDIR/resume-logs.out" 2>&1
  "${mk[@]}" teardown >"$BATS_FILE_TMPDIR/resume-teardown.out" 2>&1
  cp "$PLC_HOME/$EXP/timeline.json" "$BATS_FILE_TMPDIR/resume-timeline.json"
  "${mk[@]}" reap >"$BATS_FILE_TMPDIR/resume-reap.out" 2>"$BATS_FILE_TMPDIR/resume-reap.err" && echo 0 >"$BATS_FILE_TMPDIR/resume-reap.rc" ||
    echo $? >"$BATS_FILE_TMPDIR/resume-reap.rc"
  "${mk[@]}" cost >"$BATS_FILE_TMPDIR/resume-cost.out" 2>&1 && echo 0 >"$BATS_FILE_TMPDIR/resume-cost.rc" ||
    echo $? >"$BATS_FILE_TMPDIR/resume-cost.rc"
}

# final_cost_as_printed OUT DIR RUN: the cost per million messages of RUN in
# DIR's final costs.json (priced again after terraform destroy, at the end
# of teardown) is the one the terminal printed before teardown in OUT, and
# what destroy deleted is kept in it, not listed.
final_cost_as_printed() {
  local printed final
  printed=$(sed -n "s/^  $3: .*, \(\$[0-9.]*\) per million messages.*/\1/p" "$1")
  final=$(jq -r --arg r "$3" '.runs[] | select(.name == $r) | .cost_per_million_messages_usd' "$2/costs.json" |
    awk '{ printf "$%.4f\n", $1 }')
  assert_equal "$final" "$printed"
  run jq -c '[.by_resource[] | select(.listed == false) | .end_source] | unique' "$2/costs.json"
  assert_output --regexp '^\["(gone_by|instance)"'
}

setup_file() {
  lifecycle_setup
  local name
  for name in poc baseline nodefail notready runfail reportfail applyerr stall resume; do
    lab_moto "$name"
  done

  # poc: a canary secret key, and every request recorded for the IAM check.
  lab_start poc full PLAN=poc AWS=local EXP=life-poc TAGS="team=perf owner=lifecycle-test" \
    AWS_ACCESS_KEY_ID=$CANARY_KEY_ID AWS_SECRET_ACCESS_KEY=$CANARY_SECRET \
    PLC_LOCAL_ENDPOINT="$(lab_proxy recorder "$(lab_url poc)")"
  lab_start demo demo -u PLC_LOCAL_ENDPOINT -u PLC_LOCAL_OMB_COMMAND -u PLC_LOCAL_PROMETHEUS EXP=life-demo
  # The frontier: two variants, each its own experiment and emulator, the
  # modeled stand-in (no PLC_LOCAL_OMB_COMMAND), both at once.
  lab_start frontier frontier -u PLC_LOCAL_ENDPOINT -u PLC_LOCAL_OMB_COMMAND \
    PLAN="$FIXTURES/lifecycle/frontier.yaml" AWS=local PARALLEL=2
  PLC_LOCAL_ENDPOINT=$(lab_url resume) resume >"$BATS_FILE_TMPDIR/resume.out" 2>&1 &
  local resume_pid=$!
  lab_start baseline full PLAN=baseline AWS=local EXP=life-baseline PLC_LOCAL_ENDPOINT="$(lab_url baseline)"
  lab_start nodefail full PLAN=poc AWS=local EXP=life-nodefail PLC_LOCAL_NODE_STATE=bookkeeper-1=failed \
    PLC_LOCAL_ENDPOINT="$(lab_url nodefail)"
  lab_start notready full PLAN=poc AWS=local EXP=life-notready PLC_LOCAL_NODE_STATE=broker-1=booting \
    PLC_READY_TIMEOUT=5 PLC_LOCAL_ENDPOINT="$(lab_url notready)"
  lab_start runfail full PLAN=poc AWS=local EXP=life-runfail FAKE_OMB_FAIL='^poc-20k$' \
    PLC_LOCAL_ENDPOINT="$(lab_url runfail)"
  lab_start reportfail full PLAN=poc AWS=local EXP=life-reportfail PLC_LOCAL_ENDPOINT="$(lab_url reportfail)"
  # The apply error: RunInstances refused, through a fault proxy armed once
  # Terraform starts (the stand-in image needs RunInstances before that).
  local faults
  faults=$(lab_proxy faults "$(lab_url applyerr)")
  lab_start applyerr full PLAN=poc AWS=local EXP=life-applyerr PLC_LOCAL_ENDPOINT="$faults"

  # The report phase's failure: its output directory cannot be made.
  when_logged life-reportfail "plan valid" && printf 'not a directory\n' >"$PLC_HOME/life-reportfail/report"
  when_logged life-applyerr "terraform init and apply" &&
    curl -fsS -X POST --data '{"fault":"error:InstanceLimitExceeded:400","match":"^RunInstances$"}' \
      "$faults/__faultproxy/config" >/dev/null
  # The stall: RunInstances answers 503 for good, which the provider retries
  # for many minutes; the apply is bounded by PLC_TF_TIMEOUT.
  local stall
  stall=$(lab_proxy stall "$(lab_url stall)")
  lab_start stall full PLAN=poc AWS=local EXP=life-stall PLC_TF_TIMEOUT=90 PLC_LOCAL_ENDPOINT="$stall"
  when_logged life-stall "terraform init and apply" &&
    curl -fsS -X POST --data '{"fault":"503","match":"^RunInstances$"}' "$stall/__faultproxy/config" >/dev/null

  for name in poc baseline nodefail notready runfail reportfail applyerr stall demo frontier; do
    lab_wait "$name" 900
  done
  wait "$resume_pid" || true
}

teardown_file() {
  lab_servers_stop
}

setup() {
  lifecycle_setup
}

exp() { printf '%s\n' "$PLC_HOME/$1"; }

# torn_down_verified NAME EXP: NAME's teardown ended with plc-reap's proof
# that nothing of EXP is left: after the destroy, or after plc-reap deleted
# what a destroy hit by the emulator's bad moments left (on failure, what
# the teardown said instead).
torn_down_verified() {
  run grep '^teardown: ' "$BATS_FILE_TMPDIR/$1.out"
  assert_line --regexp "^teardown: (verified: nothing tagged ExperimentID=$2 is left in us-west-2|reaped: [0-9]+ resource\(s\); nothing is left)\$"
}

@test "make full PLAN=poc: setup, run, report, teardown, and a zero exit" {
  shows poc
  assert_equal "$(lab_rc poc)" 0
  run grep -c -e '^setup: cluster ready: 9 nodes' -e '^run: all 1 run(s) done' -e '^report: written: ' \
    -e '^teardown: verified: nothing tagged ExperimentID=life-poc is left in us-west-2$' \
    -e '^full: done in .*nothing left running$' "$BATS_FILE_TMPDIR/poc.out"
  assert_output 5
  # Before destroy, the nodes' logs (this machine's, in local mode).
  assert_file_contains "$BATS_FILE_TMPDIR/poc.out" '^teardown: asked 1 node(s) for their logs '
  # The fake is named for what it is, on the terminal and in lab.log.
  assert_file_contains "$BATS_FILE_TMPDIR/poc.out" '^run: FAKE: 1 result(s) were written by a fake OMB command'
  assert_file_contains "$(exp life-poc)/lab.log" 'FAKE: 1 result'
  # The capacity model, right after the cost (moto's instance types).
  run grep -A1 '^setup: estimated cost' "$BATS_FILE_TMPDIR/poc.out"
  assert_line --index 1 --regexp '^setup: model: ceiling ~[0-9]+ msg/s \([0-9.]+ MiB/s\), bounded by [a-z_]+ \(poc-20k\)$'
}

@test "the experiment directory holds every file the design names" {
  local d f
  d=$(exp life-poc)
  for f in experiment.json tfvars.json runs.ndjson plan.json outputs.json estimate.json model.json limits.json metrics.ndjson \
    costs.json executed.ndjson lab.log timeline.json terraform.tfstate report/index.html report/metrics.csv \
    report/metrics.json report/costs.json results/001-poc-20k.json workloads/001-poc-20k.json \
    logs/001-poc-20k.omb.log logs/terraform-apply.log logs/terraform-destroy.log logs/reap-verify.ndjson \
    logs/nodes/local/collected.json logs/nodes/local/terraform-apply.log logs/nodes/local/dmesg-tail.txt; do
    assert_file_exists "$d/$f"
  done
  assert_equal "$(cat "$d/state")" torn-down
  assert_equal "$(jq -c '[.id, .plan, .mode, .region, .tags.team, .tags.owner]' "$d/experiment.json")" \
    '["life-poc","poc","local","us-west-2","perf","lifecycle-test"]'
  # Every resource carried the user's tags and the creation time.
  run jq -r '.tags["plc:created-at"]' "$d/tfvars.json"
  assert_output --regexp '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$'
}

@test "the report holds the run the fake measured, its cost, and no more" {
  local d
  d=$(exp life-poc)
  # The fake publishes the workload's own rate: 20,000 msg/s for 2 minutes.
  run jq -c '[.run_name, .run_type, .publish_rate_msgs_per_s.mean, .duration_s, .failed, .replayed]' "$d/metrics.ndjson"
  assert_output '["poc-20k","fixed_rate",20000,120,false,true]'
  run jq -r '.runs | length' "$d/report/metrics.json"
  assert_output 1
  run python3 "$FIXTURES/plc-report/csv2json.py" "$d/report/metrics.csv"
  assert_success
  assert_equal "$(jq -c '[.rows[] | [.run_name, (.publish_rate_msgs_per_s_mean | tonumber)]]' <<<"$output")" '[["poc-20k",20000]]'
  assert_file_contains "$d/report/index.html" 'poc-20k'
  # Costs: the nine instances, priced, the run's own share and its messages.
  run jq -c '[.schema, (.total_usd > 0), ([.by_resource[] | select(.kind == "instance")] | length),
              .runs[0].name, (.runs[0].cost_usd > 0), .runs[0].messages]' "$d/costs.json"
  assert_output '["plc-costs/1",true,9,"poc-20k",true,2400000]'
  final_cost_as_printed "$BATS_FILE_TMPDIR/poc.out" "$d" poc-20k
  # The report's copy is the same document (plc-report writes it compact).
  run jq -n --slurpfile a "$d/costs.json" --slurpfile b "$d/report/costs.json" '$a == $b'
  assert_output true
  # The result files are the raw data, byte for byte.
  cmp "$d/results/001-poc-20k.json" "$d/report/raw_data/001-poc-20k.json"
  # Parsed with its series: the "over time" charts are drawn.
  run jq -c '.series.publish_rate_msgs_per_s | length' "$d/metrics.ndjson"
  assert_output 12
  run grep -c 'No time series' "$d/report/index.html"
  assert_output 0
  # Written at the end of teardown: teardown finished, the end is its end.
  run grep -c 'so far (under way)' "$d/report/index.html"
  assert_output 0
  end=$(jq -r '[.phases[].end] | max | fromdateiso8601 | strftime("%Y-%m-%d %H:%M:%S UTC")' "$d/timeline.json")
  assert_file_contains "$d/report/index.html" "^<dt>End</dt><dd>$end</dd>\$"
}

@test "timeline.json has every phase in order, each with its start and end" {
  run jq -r '.phases[] | [.name, (.run // ""), (.status // "")] | join(" ") | rtrimstr(" ")' "$(exp life-poc)/timeline.json"
  assert_output "preflight  ok
provision  ok
boot-to-ready  ok
run poc-20k succeeded
report  ok
teardown  ok"
  run jq '[.phases[] | select(.start == null or .end == null or .end < .start)] | length' "$(exp life-poc)/timeline.json"
  assert_output 0
  run jq '[.phases | range(1; length) as $i | select(.[$i].start < .[$i - 1].end)] | length' "$(exp life-poc)/timeline.json"
  assert_output 0
}

@test "nothing tagged with the experiment is left, by plc-reap and by the aws CLI" {
  for name in poc baseline nodefail notready runfail reportfail applyerr stall resume; do
    run leaks "life-$name" "$(lab_url "$name")"
    assert_output ""
    run reap_left "life-$name" "$(lab_url "$name")"
    assert_output 0
  done
}

@test "the canary secret key appears in no output, log, state or report" {
  run grep -r -l -F -- "$CANARY_SECRET" "$PLC_HOME" "$BATS_FILE_TMPDIR/poc.out"
  assert_failure 1
  assert_output ""
  # It was the key in use: local mode took the environment's credentials.
  run jq -r .own_credentials "$(exp life-poc)/local/env.json"
  assert_output true
}

@test "baseline: every run, ramp steps and scale-to-failure decided by the fake's numbers" {
  shows baseline
  local d
  d=$(exp life-baseline)
  assert_equal "$(lab_rc baseline)" 0
  # The fake's capacity is 60,000 msg/s. The ramp reaches 75,000 at its last
  # step, below target once only: no plateau. Scale-to-failure stops at the
  # first step whose p99 passes 1,000 ms: 75,938 msg/s, step 6.
  run jq -r 'select(.last == true) | "\(.run): \(.decision // "done")"' "$d/executed.ndjson"
  assert_output "max-throughput: done
fixed-rate-10k: done
fixed-rate-50k: done
latency-test: done
multi-topic: done
large-messages: done
multi-producer-consumer: done
ramp-up: stop: last step
scale-to-failure: stop: failure: p99 publish latency 1077.533 ms above 1000 ms"
  run jq -r 'select(.step != null) | "\(.run_name) \(.target_rate_msgs_per_s) \(.state)"' "$d/executed.ndjson"
  assert_output "ramp-up-step-1 10000 succeeded
ramp-up-step-2 25000 succeeded
ramp-up-step-3 50000 succeeded
ramp-up-step-4 75000 succeeded
scale-to-failure-step-1 10000 succeeded
scale-to-failure-step-2 15000 succeeded
scale-to-failure-step-3 22500 succeeded
scale-to-failure-step-4 33750 succeeded
scale-to-failure-step-5 50625 succeeded
scale-to-failure-step-6 75938 succeeded"
  # One metrics record per workload run, in the order they ran.
  assert_equal "$(grep -c . "$d/metrics.ndjson")" 17
  assert_equal "$(jq -r .run_name "$d/metrics.ndjson" | paste -sd ' ')" \
    "$(jq -r .run_name "$d/executed.ndjson" | paste -sd ' ')"
  run jq -c 'select(.run_name == "ramp-up-step-4") | [.target_rate_msgs_per_s, .publish_rate_msgs_per_s.mean]' "$d/metrics.ndjson"
  assert_output '[75000,60000]'
  assert_file_exists "$d/report/index.html"
  assert_equal "$(jq '.runs | length' "$d/costs.json")" 17
  # The steps beyond the capacity missed their target by more than 10%: named
  # on the terminal and flagged in the report, and no other run.
  run grep -o -e '^  [a-z0-9-]*: .*\[OFF TARGET: [0-9]*% of its [0-9]* msg/s target\]' "$BATS_FILE_TMPDIR/baseline.out"
  assert_output --regexp '^  ramp-up-step-4: .*\[OFF TARGET: 80% of its 75000 msg/s target\]
  scale-to-failure-step-6: .*\[OFF TARGET: 79% of its 75938 msg/s target\]$'
  run grep -o 'data-run="[a-z0-9-]*"><td class="name">[^<]*</td>.*<span class="flag off-target"' "$d/report/index.html"
  assert_equal "$(grep -c . <<<"$output")" 2
  # Issue 14: every run has its cost per million on the terminal, a step
  # that started and ended within one second too.
  run grep -c -e '^  [a-z0-9-]*: [0-9]* msg/s, .*, \$[0-9.]* per million messages' "$BATS_FILE_TMPDIR/baseline.out"
  assert_output 17
}

@test "an apply error: setup fails with 11, says why, and the account ends empty" {
  shows applyerr
  assert_equal "$(lab_rc applyerr)" 2
  assert_equal "$(cat "$(exp life-applyerr)/state")" "torn-down (failed: setup)"
  assert_file_contains "$BATS_FILE_TMPDIR/applyerr.out" '^setup: error: terraform apply failed: .*InstanceLimitExceeded'
  assert_file_contains "$BATS_FILE_TMPDIR/applyerr.out" '^full: setup failed (exit 11)$'
  assert_file_contains "$BATS_FILE_TMPDIR/applyerr.out" 'full\] Error 11$'
  torn_down_verified applyerr life-applyerr
  run leaks life-applyerr "$(lab_url applyerr)"
  assert_output ""
}

@test "an apply that stalls is stopped after PLC_TF_TIMEOUT; setup fails with 11 and tears down" {
  shows stall
  assert_equal "$(lab_rc stall)" 2
  assert_equal "$(cat "$(exp life-stall)/state")" "torn-down (failed: setup)"
  assert_file_contains "$BATS_FILE_TMPDIR/stall.out" '^setup: error: terraform apply failed: Stopped: terraform apply did not finish in 90s'
  assert_file_contains "$BATS_FILE_TMPDIR/stall.out" '^full: setup failed (exit 11)$'
  torn_down_verified stall life-stall
  # The bound held: the interrupt at 90 s, the kill 60 s later at the latest.
  run awk '$1 == "terraform-apply" && $2 >= 89 && $2 < 155 { ok = 1 } END { exit !ok }' "$(exp life-stall)/logs/timings.tsv"
  assert_success
  # It stalled where it was made to: RunInstances was refused, again and again.
  run jq -s '[.[] | select(.op == "RunInstances" and .status == 503)] | length > 1' "$BATS_FILE_TMPDIR/stall.proxy/log"
  assert_output true
}

@test "a node reporting failed: setup fails with 11, shows its log, fetched into logs/" {
  shows nodefail
  assert_equal "$(lab_rc nodefail)" 2
  assert_file_contains "$BATS_FILE_TMPDIR/nodefail.out" '^setup: node bookkeeper-1 failed; its last log lines:$'
  assert_file_contains "$BATS_FILE_TMPDIR/nodefail.out" '^  local mode: state failed injected by PLC_LOCAL_NODE_STATE$'
  assert_file_contains "$BATS_FILE_TMPDIR/nodefail.out" '^setup: error: node(s) failed to start: bookkeeper-1 '
  assert_file_contains "$BATS_FILE_TMPDIR/nodefail.out" 'full\] Error 11$'
  run jq -r .state "$(exp life-nodefail)/logs/status/bookkeeper-1.json"
  assert_output failed
  assert_file_not_exists "$(exp life-nodefail)/metrics.ndjson"
  run leaks life-nodefail "$(lab_url nodefail)"
  assert_output ""
}

@test "a node that never gets ready: setup fails with 11 after PLC_READY_TIMEOUT and names it" {
  shows notready
  assert_equal "$(lab_rc notready)" 2
  assert_file_contains "$BATS_FILE_TMPDIR/notready.out" '^setup: ready 8/9 (bookkeeper 3/3, broker 1/2, client 1/1, zookeeper 3/3), [0-9]*s of 5s$'
  assert_file_contains "$BATS_FILE_TMPDIR/notready.out" '^setup: error: not ready after 5s: broker-1 (booting)$'
  assert_file_contains "$BATS_FILE_TMPDIR/notready.out" 'full\] Error 11$'
  assert_equal "$(cat "$(exp life-notready)/state")" "torn-down (failed: setup)"
  run leaks life-notready "$(lab_url notready)"
  assert_output ""
}

@test "the runner failing a run: the run is recorded failed, the report still comes, exit 12" {
  shows runfail
  local d
  d=$(exp life-runfail)
  assert_equal "$(lab_rc runfail)" 2
  assert_file_contains "$BATS_FILE_TMPDIR/runfail.out" '^run: run 1/1 poc-20k: FAILED: benchmark exited with status 3 '
  assert_file_contains "$BATS_FILE_TMPDIR/runfail.out" 'full\] Error 12$'
  run jq -c '[.run_name, .failed, .failure_reason]' "$d/metrics.ndjson"
  assert_output '["poc-20k",true,"benchmark exited with status 3"]'
  assert_file_exists "$d/report/index.html"
  assert_equal "$(cat "$d/state")" torn-down
  run leaks life-runfail "$(lab_url runfail)"
  assert_output ""
}

@test "the report failing: exit 13, and the teardown still runs" {
  shows reportfail
  assert_equal "$(lab_rc reportfail)" 2
  assert_file_contains "$BATS_FILE_TMPDIR/reportfail.out" '^report: error: plc-report failed: '
  assert_file_contains "$BATS_FILE_TMPDIR/reportfail.out" 'full\] Error 13$'
  torn_down_verified reportfail life-reportfail
  run leaks life-reportfail "$(lab_url reportfail)"
  assert_output ""
}

@test "make list shows every experiment with its state and cost; latest is the last created" {
  run --separate-stderr make -s --no-print-directory -C "$PLC_ROOT" SAN="${PLC_SAN:-}" list
  assert_success
  assert_line --index 0 --regexp '^  EXPERIMENT +PLAN +MODE +STATE +AGE +COST$'
  assert_line --regexp '^  life-poc +poc +local +torn-down +[0-9]+m[0-9]{2}s +\$0\.[0-9]+$'
  assert_line --regexp '^  life-nodefail +poc +local +torn-down \(failed: setup\) +'
  assert_equal "$(grep -c -- '^\*' <<<"$output")" 1
}

@test "every AWS action of the poc lifecycle is allowed by terraform/iam-policy.json" {
  local lib=$PLC_ROOT/tests/lib
  # The emulator's own control calls (/moto-api/: is it up?) are no AWS API.
  grep -v '"path": *"/moto-api/' "$BATS_FILE_TMPDIR/recorder.proxy/log" >"$BATS_TEST_TMPDIR/aws.log"
  run --separate-stderr "$lib/iam-actions" log "$BATS_TEST_TMPDIR/aws.log"
  [[ $status -eq 0 ]] || fail "iam-actions: $stderr"
  # What it did: made, looked up, read and wrote, and took down.
  for a in sts:GetCallerIdentity ec2:DescribeImages ec2:DescribeInstanceTypeOfferings servicequotas:GetServiceQuota \
    ec2:RunInstances s3:PutObject s3:GetObject s3:ListBucket \
    ec2:DescribeInstances ec2:TerminateInstances tag:GetResources ec2:DeleteVpc; do
    assert_line "$a"
  done
  run --separate-stderr bash -c '"$1/iam-actions" log "$2" | "$1/iam-check" "$3"' _ "$lib" \
    "$BATS_TEST_TMPDIR/aws.log" "$PLC_ROOT/terraform/iam-policy.json"
  assert_success
  assert_output ""
}

@test "make demo: its own emulator, started and stopped by PID, and results labeled replayed" {
  shows demo
  local d
  d=$(exp life-demo)
  assert_equal "$(lab_rc demo)" 0
  assert_file_contains "$BATS_FILE_TMPDIR/demo.out" '^setup: local mode: AWS is emulated by moto on 127.0.0.1; no cluster boots (http://127.0.0.1:[0-9]*, pid [0-9]*)$'
  assert_file_contains "$BATS_FILE_TMPDIR/demo.out" '^run: REPLAYED: 1 result(s) are real OMB results recorded elsewhere'
  assert_file_contains "$BATS_FILE_TMPDIR/demo.out" '^report: REPLAYED: '
  assert_file_contains "$BATS_FILE_TMPDIR/demo.out" '^teardown: local mode: emulator stopped (pid [0-9]*)$'
  # Issue 14: the final report's cost per million is the terminal's.
  final_cost_as_printed "$BATS_FILE_TMPDIR/demo.out" "$d" poc-20k
  # The emulator it started is gone.
  run jq -r '.pid == null and (.stopped | type == "string")' "$d/local/env.json"
  assert_output true
  run grep -c -F 'pid ' "$d/lab.log"
  (( output >= 2 ))
  local pid
  pid=$(sed -n 's/.*emulator stopped (pid \([0-9]*\)).*/\1/p' "$d/lab.log")
  run kill -0 "$pid"
  assert_failure
  # The replay is the recorded file, named as such, and the page says so.
  run jq -r '[.replayed, .replayedFrom] | @tsv' "$d/results/001-poc-20k.json"
  assert_output --regexp '^true	[a-z].*\.json$'
  assert_file_contains "$d/report/index.html" 'id="replayed"'
  assert_file_contains "$d/logs/001-poc-20k.omb.log" '^omb-replay: REPLAY, no cluster was benchmarked: '
  # This machine scraped by a real Prometheus and node_exporter during the
  # run, labeled as this machine; both stopped by PID at teardown.
  assert_file_contains "$BATS_FILE_TMPDIR/demo.out" '^setup: local mode: prometheus (pid [0-9]*) and node_exporter (pid [0-9]*) scrape this machine on 127.0.0.1:[0-9]*$'
  assert_file_contains "$BATS_FILE_TMPDIR/demo.out" '^teardown: local mode: prometheus and node_exporter stopped$'
  run jq -r '[.schema, .node, .role, .source, (.series.cpu_utilisation_ratio | length > 0)] | @tsv' "$d/cluster.ndjson"
  assert_output "plc-cluster/1	local-machine	local-machine	local-machine	true"
  assert_file_exists "$d/cluster/001-poc-20k.json"
  # What limited the run, judged by plc-prom -j: on the terminal, in the
  # run's metrics record and in the report's panel and flags, each saying
  # it is this machine.
  assert_file_contains "$BATS_FILE_TMPDIR/demo.out" '^run: what limited poc-20k: \(limited by\|cannot decide\).* (this machine in local mode, not a cluster node)$'
  run jq -r '.cluster_verdict | [.source, (.verdict | endswith("(this machine in local mode, not a cluster node)"))] | @tsv' "$d/metrics.ndjson"
  assert_output "local-machine	true"
  assert_file_contains "$d/report/index.html" '<p class="banner local-machine">This machine, not a cluster node: '
  assert_file_contains "$d/report/index.html" '<figcaption>CPU busy, all vCPUs (this machine, not a cluster node)</figcaption>'
  assert_file_contains "$d/report/index.html" ' (this machine)</span>'
  local p
  for p in $(sed -n 's/.*prometheus (pid \([0-9]*\)) and node_exporter (pid \([0-9]*\)).*/\1 \2/p' "$d/lab.log"); do
    run kill -0 "$p"
    assert_failure
  done
}

@test "make frontier: one experiment per variant, SLO gates and searches decided, the cheapest variant named, nothing left" {
  shows frontier
  local fr d v
  fr=$(ls -d "$PLC_HOME"/frontiers/frontier-*)
  # small's modeled ceiling (~39,700 msg/s) is below the gate's 45,000: exit 15
  # (make says Error 15 and exits 2).
  assert_equal "$(lab_rc frontier)" 2
  assert_file_contains "$BATS_FILE_TMPDIR/frontier.out" 'frontier\] Error 15$'

  assert_file_contains "$BATS_FILE_TMPDIR/frontier.out" '^frontier: small: ended with status 15 '
  assert_file_contains "$BATS_FILE_TMPDIR/frontier.out" '^frontier: large: ended with status 0 '
  run jq -c '[.experiments[] | [.variant, .exit_status]]' "$fr/frontier.json"
  assert_output '[["small",15],["large",0]]'
  run jq -r '.recommendation.variant, .recommendation.target_rate_msgs_per_s, ([.variants[] | .meets_target] | tostring), .stand_in' "$fr/report/frontier.json"
  assert_output 'large
50000
[false,true]
true'
  assert_file_contains "$BATS_FILE_TMPDIR/frontier.out" '^frontier: cheapest variant reaching 50000 msg/s within the SLO: large '
  assert_file_contains "$fr/report/index.html" 'id="stand-in"'
  for v in small large; do
    d=$(ls -d "$PLC_HOME"/frontier-"$v"-*)
    assert_equal "$(cat "$d/state")" torn-down
    assert_file_contains "$d/lab.log" "verified: nothing tagged ExperimentID=$(basename "$d") is left"
    assert_file_contains "$d/lab.log" 'emulator stopped'
    # The search: at most max_steps, each step decided by plc-search.
    run jq -r '.runs[0] | [.finished, (.steps | length) <= 5, .max_sustainable_rate_msgs_per_s > 0] | map(tostring) | join(" ")' "$d/capacity.json"
    assert_output "true true true"
    assert_file_contains "$d/logs/001-gate-45k.omb.log" 'MODELED'
  done
  # The gate: small broke it, large did not; metrics.ndjson says so too.
  run jq -r 'select(.run_name == "gate-45k") | [.slo_pass, .slo_verdict] | @tsv' "$(ls -d "$PLC_HOME"/frontier-small-*)/metrics.ndjson"
  assert_output --regexp '^false	publish_p99_ms [0-9.]+ ms > 20 ms'
  run jq -r 'select(.run_name == "gate-45k") | .slo_pass' "$(ls -d "$PLC_HOME"/frontier-large-*)/metrics.ndjson"
  assert_output true
}

@test "make run resumes after the last finished run; stale inbox workloads are removed" {
  shows resume-setup resume-run1 resume-run2 resume-teardown resume
  local d=$PLC_HOME/life-resume
  # SIGTERM to make and lab-run: lab-run says so and stops its runner; make
  # dies of it (143). Under load make 4.3 can lose a race of its own: the
  # kernel hands it lab-run's exit just before its signal handler runs,
  # whose wait then finds no child ("wait: No child processes. Stop.",
  # exit 2). That is make's, not ours, and still a stop.
  assert_file_contains "$BATS_FILE_TMPDIR/resume-run1.out" '^run: terminated$'
  case $(cat "$BATS_FILE_TMPDIR/resume-run1.rc") in
    143) ;;
    2) assert_file_contains "$BATS_FILE_TMPDIR/resume-run1.out" 'wait: No child processes' ;;
    *) fail "make run exited $(cat "$BATS_FILE_TMPDIR/resume-run1.rc") after SIGTERM" ;;
  esac
  assert_equal "$(cat "$BATS_FILE_TMPDIR/resume-run2.rc")" 0
  assert_file_contains "$BATS_FILE_TMPDIR/resume-run2.out" '^run: run 1/9 latency-1k: done before, skipped$'
  # Every run of the plan finished exactly once, the first one in the first go.
  run jq -sc '[.[] | select(.last == true) | [.index, .repetition]] | [length, (unique | length)]' "$d/executed.ndjson"
  assert_output '[9,9]'
  run jq -r 'select(.last == true) | .key' "$d/executed.ndjson"
  assert_line --index 0 001-latency-1k
  assert_equal "$(grep -c . "$d/metrics.ndjson")" "$(grep -c . "$d/executed.ndjson")"
  torn_down_verified resume-teardown life-resume
}

@test "no AWS credentials: preflight stops with 10, names the sources tried and points to make demo" {
  export PLC_HOME=$BATS_TEST_TMPDIR/home-nocreds
  unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
  # No credentials anywhere, and no address outside loopback either.
  export AWS_REGION=us-west-2 AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:9
  run --separate-stderr env PLAN=poc "$PLC_ROOT/scripts/lab-full"
  assert_failure 10
  assert_output ""
  [[ $stderr == *"no usable AWS credentials (sources tried: above). To try plc without AWS: make demo"* ]] ||
    fail "$stderr"
  [[ $stderr == *environment* && $stderr == *"instance metadata"* ]] || fail "sources not named: $stderr"
  # Nothing was made, so nothing is torn down.
  [[ $stderr != *teardown:* ]] || fail "$stderr"
  # ... and nothing is left behind for make list or the phases to explain:
  # no experiment directory, and latest still points where it did (nowhere).
  [[ $stderr == *"setup: nothing was created; latest is unchanged"* ]] || fail "$stderr"
  run ls -A "$PLC_HOME"
  assert_output ""
}

@test "a failed preflight leaves latest on the experiment it pointed to before" {
  export PLC_HOME=$BATS_TEST_TMPDIR/home-prev
  mkdir -p "$PLC_HOME/earlier-exp"
  echo '{}' >"$PLC_HOME/earlier-exp/experiment.json"
  ln -s earlier-exp "$PLC_HOME/latest"
  printf 'name: broken\ntest_runs: 3\n' >"$BATS_TEST_TMPDIR/broken.yaml"
  run --separate-stderr env PLAN="$BATS_TEST_TMPDIR/broken.yaml" EXP=broken-1 "$PLC_ROOT/scripts/lab-setup"
  assert_failure 10
  assert_equal "$(readlink "$PLC_HOME/latest")" earlier-exp
  assert_not_exists "$PLC_HOME/broken-1"
}

@test "usage: PLAN is required, a plan that does not exist is named, bad input stops preflight" {
  export PLC_HOME=$BATS_TEST_TMPDIR/home-usage
  run --separate-stderr "$PLC_ROOT/scripts/lab-full"
  assert_failure 2
  assert_equal "$stderr" "full: PLAN is not set: make full PLAN=poc (or make demo)"
  run --separate-stderr env PLAN=nosuch "$PLC_ROOT/scripts/lab-full"
  assert_failure 10
  assert_equal "$stderr" "full: error: no plan 'nosuch' (plans: baseline capacity latency max-throughput poc)"
  printf 'name: broken\ntest_runs: 3\n' >"$BATS_TEST_TMPDIR/broken.yaml"
  run --separate-stderr env PLAN="$BATS_TEST_TMPDIR/broken.yaml" "$PLC_ROOT/scripts/lab-setup"
  assert_failure 10
  [[ $stderr == *"plc-tfvars: $BATS_TEST_TMPDIR/broken.yaml:"* ]] || fail "$stderr"
  [[ $stderr == *"setup: error: the plan is not valid (see above)"* ]] || fail "$stderr"
  run --separate-stderr env EXP=nosuch-exp "$PLC_ROOT/scripts/lab-run"
  assert_failure 2
  assert_equal "$stderr" "run: no experiment 'nosuch-exp' in $PLC_HOME"
  run --separate-stderr "$PLC_ROOT/scripts/lab-run" --help
  assert_success
  assert_line --index 0 'usage: lab-run              (make run [EXP=id])'
}

@test "make logs copies the nodes' and the runner's statuses and the OMB logs from the bucket" {
  shows resume-logs
  local d=$PLC_HOME/life-resume/logs/bucket
  assert_file_contains "$BATS_FILE_TMPDIR/resume-logs.out" "^logs: [0-9]* object(s) from s3://plc-123456789012-life-resume into "
  assert_file_contains "$BATS_FILE_TMPDIR/resume-logs.out" '^  bookkeeper-2: ready at '
  assert_file_contains "$BATS_FILE_TMPDIR/resume-logs.out" '^  client-0 runner: idle at '
  run jq -r .state "$d/status/zookeeper-0.json"
  assert_output ready
  assert_file_exists "$d/outbox/001-latency-1k/omb.log"
  assert_file_exists "$d/outbox/001-latency-1k/exit.json"
  # The nodes' own logs, asked for with control/collect; here this machine
  # answers for them, and says so.
  assert_file_contains "$BATS_FILE_TMPDIR/resume-logs.out" '^logs: asked 1 node(s) for their logs (control/collect [0-9TZ-]*); waiting up to 2m00s$'
  assert_file_contains "$BATS_FILE_TMPDIR/resume-logs.out" "^logs: node logs in $PLC_HOME/life-resume/logs/nodes/ (1 node(s))\$"
  run jq -r '[.node, .reason, .label] | join(" / ")' "$PLC_HOME/life-resume/logs/nodes/local/collected.json"
  assert_output "local / requested / local mode: this machine's logs; no node booted"
  assert_file_exists "$PLC_HOME/life-resume/logs/nodes/local/runner-local.log"
  assert_file_exists "$PLC_HOME/life-resume/logs/nodes/local/dmesg-tail.txt"
}

@test "after teardown, make reap finds nothing and make cost prices again with Cost Explorer" {
  shows resume-reap resume-cost
  assert_equal "$(cat "$BATS_FILE_TMPDIR/resume-reap.rc")" 0
  run jq -c 'select(.record == "summary") | [.experiment_id, .execute, .to_delete]' "$BATS_FILE_TMPDIR/resume-reap.out"
  assert_output '["life-resume",false,0]'
  assert_equal "$(cat "$BATS_FILE_TMPDIR/resume-cost.rc")" 0
  assert_file_contains "$BATS_FILE_TMPDIR/resume-cost.out" '^report: written: '
  # A report written again changes no phase and no time of the experiment.
  cmp "$BATS_FILE_TMPDIR/resume-timeline.json" "$PLC_HOME/life-resume/timeline.json"
  run jq -r '.actuals | type' "$PLC_HOME/life-resume/costs.json"
  assert_output object
}

@test "no lifecycle printed an error of the shell itself (scripts/lab-x: line N: ...)" {
  run grep -H -E 'scripts/lab-[a-z-]+(\.bash)?: line [0-9]+: ' "$BATS_FILE_TMPDIR"/*.out
  assert_output ''
}

@test "the lifecycle scripts and their test helpers are shellcheck clean" {
  cd "$PLC_ROOT"
  run --separate-stderr shellcheck -x scripts/lab-* scripts/deps scripts/tf-provider-mirror \
    tests/lib/lifecycle.bash tests/bench/lifecycle
  assert_success
  assert_output ""
}
