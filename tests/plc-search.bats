#!/usr/bin/env bats
# plc-search: the decisions of stepped runs. Each step's record is what
# plc-omb-parse would write for a benchmark of a pretend cluster whose
# capacity is known (model below), so the right answer is known too.

bats_require_minimum_version 1.5.0

load lib/common

F=$PLC_ROOT/tests/fixtures/plc-search

# model RATE CAPACITY: the metrics record of a step at RATE msg/s on a
# cluster of CAPACITY msg/s, the law of tests/fixtures/lifecycle/fake-omb:
# achieved min(rate, C); publish p99 5 + 10u ms up to capacity (u = rate/C),
# 15 + 4000 (u - 1) above it, at most 60 s, to the µs as OMB writes it. Against the SLO of slo-run.json
# (publish p99 <= 20 ms, achieved >= 99 %) the highest sustainable rate is
# therefore C * 1.00125 (where 15 + 4000 (u - 1) = 20).
model() {
  jq -cn --argjson t "$1" --argjson c "$2" '($t / $c) as $u
    | {schema: 1, run_name: "capacity", target_rate_msgs_per_s: $t,
       publish_rate_msgs_per_s: {mean: ([$t, $c] | min)},
       publish_latency_ms: {p99: (if $u <= 1 then 5 + 10 * $u else ([15 + 4000 * ($u - 1), 60000] | min) end | . * 1000 | round / 1000)},
       end_to_end_latency_ms: {p99: 9}, publish_error_rate_errs_per_s: {mean: 0}, failed: false}'
}

# search RUN CAPACITY: run the search to its end as lab-run does (decide,
# run the step it names, decide again); the last decision in $decision.
search() {
  local steps=$BATS_TEST_TMPDIR/steps.ndjson rate
  : >"$steps"
  while :; do
    decision=$(plc-search "$1" "$steps") || return 1
    rate=$(jq -r '.next.target_rate_msgs_per_s // empty' <<<"$decision")
    [[ -n $rate ]] || return 0
    model "$rate" "$2" >>"$steps"
  done
}

# within_precision CAPACITY: the answer brackets the known boundary, within
# the run's precision_percent, in at most max_steps steps.
within_precision() {
  local b
  b=$(jq -n --argjson c "$1" '$c * 1.00125')
  run jq -r --argjson b "$b" '[.max_sustainable_rate_msgs_per_s <= $b, .first_failing_rate_msgs_per_s > $b,
      .precision_percent_reached <= .search.precision_percent, (.steps | length) <= .search.max_steps] | all' <<<"$decision"
  assert_output true
}

@test "slo_search finds the boundary of a 60,000 msg/s cluster within 5% in at most 12 steps" {
  search "$F/slo-run.json" 60000
  within_precision 60000
  run jq -c '[.max_sustainable_rate_msgs_per_s, .first_failing_rate_msgs_per_s, .bounded_by, .stop_reason, [.steps[].target_rate_msgs_per_s]]' <<<"$decision"
  assert_output '[59074,61689,"publish_p99_ms","the bracket is within precision_percent",[5000,10000,20000,40000,80000,56569,67272,61689,59074]]'
}

@test "slo_search finds the boundary of other known capacities within its worst-case step count" {
  local c
  # plc-search(1): 1 + ceil(log2(1000000 / 5000)) + ceil(log2(ln 2 / ln 1.05))
  # = 1 + 8 + 4 = 13 steps at most reach 5% for any capacity.
  jq -c '.search.max_steps = 13' "$F/slo-run.json" >"$BATS_TEST_TMPDIR/run.json"
  for c in 5001 7777 123456 333333 987654 998000; do
    search "$BATS_TEST_TMPDIR/run.json" "$c"
    echo "capacity $c: $decision"
    within_precision "$c"
  done
}

@test "slo_search: a cluster that fails even min_rate has no sustainable rate" {
  search "$F/slo-run.json" 3000
  run jq -c '[.max_sustainable_rate_msgs_per_s, .first_failing_rate_msgs_per_s, .bounded_by, .stop_reason, (.steps | length)]' <<<"$decision"
  assert_output '[null,5000,"publish_p99_ms","min_rate violates the SLO",1]'
  run jq -r '.steps[0].verdict' <<<"$decision"
  assert_output "publish_p99_ms 2681.667 ms > 20 ms, min_achieved_percent 60% < 99%"
}

@test "slo_search: a cluster that sustains max_rate stops there, unbounded" {
  search "$F/slo-run.json" 5000000
  run jq -c '[.max_sustainable_rate_msgs_per_s, .first_failing_rate_msgs_per_s, .bounded_by, .precision_percent_reached, .stop_reason, .steps[-1].target_rate_msgs_per_s]' <<<"$decision"
  assert_output '[1000000,null,null,null,"max_rate sustained within the SLO",1000000]'
}

@test "slo_search: max_steps ends the search with the bracket it has" {
  jq -c '.search.max_steps = 6' "$F/slo-run.json" >"$BATS_TEST_TMPDIR/run.json"
  search "$BATS_TEST_TMPDIR/run.json" 60000
  run jq -c '[.max_sustainable_rate_msgs_per_s, .first_failing_rate_msgs_per_s, .precision_percent_reached, .stop_reason, (.steps | length)]' <<<"$decision"
  assert_output '[56569,80000,41.42021248386926,"max_steps reached",6]'
}

@test "slo_search: the next step is the run's workload at the chosen rate, named as a step" {
  run --separate-stderr plc-search "$F/slo-run.json"
  assert_success
  run jq -c '.next | [.step, .target_rate_msgs_per_s, .run_line.name, .run_line.step, .run_line.workload.name,
      .run_line.workload.producerRate, .run_line.expected_duration_s, (.run_line | has("search"))]' <<<"$output"
  assert_output '[1,5000,"capacity-step-1",1,"capacity-step1",5000,180,false]'
}

@test "a decision depends only on the steps that ran: an interrupted search resumes where it was" {
  search "$F/slo-run.json" 60000
  head -n 4 "$BATS_TEST_TMPDIR/steps.ndjson" >"$BATS_TEST_TMPDIR/four.ndjson"
  run plc-search "$F/slo-run.json" "$BATS_TEST_TMPDIR/four.ndjson"
  run jq -c '[.next.target_rate_msgs_per_s, (.steps | length)]' <<<"$output"
  assert_output '[80000,4]'
}

@test "slo_search: a failed step violates the SLO, with the runner's reason" {
  model 5000 60000 >"$BATS_TEST_TMPDIR/s.ndjson"
  echo '{"run_name":"capacity-step-2","target_rate_msgs_per_s":10000,"publish_rate_msgs_per_s":null,"failed":true,"failure_reason":"benchmark exited with status 1"}' >>"$BATS_TEST_TMPDIR/s.ndjson"
  run --separate-stderr plc-search "$F/slo-run.json" "$BATS_TEST_TMPDIR/s.ndjson"
  assert_success
  run jq -c '[.steps[1].pass, .steps[1].verdict, .bounded_by, .next.target_rate_msgs_per_s]' <<<"$output"
  assert_output '[false,"the step failed (benchmark exited with status 1)","step_failed",7071]'
}

@test "ramp_up stops at a plateau: achieved below target by more than 10% two steps in a row" {
  { model 10000 30000; model 25000 30000; model 50000 30000; } >"$BATS_TEST_TMPDIR/s.ndjson"
  run --separate-stderr plc-search "$F/ramp-run.json" "$BATS_TEST_TMPDIR/s.ndjson"
  assert_success
  run jq -c '[.next.target_rate_msgs_per_s, .stop_reason]' <<<"$output"
  assert_output '[75000,null]'
  model 75000 30000 >>"$BATS_TEST_TMPDIR/s.ndjson"
  run plc-search "$F/ramp-run.json" "$BATS_TEST_TMPDIR/s.ndjson"
  run jq -c '[.next, .stop_reason]' <<<"$output"
  assert_output '[null,"plateau: achieved below target by more than 10% for 2 steps in a row"]'
}

# Issue 14: make full PLAN=baseline AWS=local stopped at ramp-up's step 3
# ("the record's target is 10000 msg/s, the run's step 2 is 25000 msg/s"):
# a replayed step's target is its recording's rate, and the rate the plan
# asked is planned_target_rate_msgs_per_s (plc-omb-parse(1)).
@test "ramp_up: a replayed step is matched by the rate the plan asked, not the recording's" {
  { model 10000 30000 | jq -c '. + {replayed: true, stand_in: "replay", planned_target_rate_msgs_per_s: 10000}'
    model 10000 30000 | jq -c '. + {replayed: true, stand_in: "replay", planned_target_rate_msgs_per_s: 25000}'
  } >"$BATS_TEST_TMPDIR/s.ndjson"
  run --separate-stderr plc-search "$F/ramp-run.json" "$BATS_TEST_TMPDIR/s.ndjson"
  assert_success
  assert_equal "$stderr" ""
  run jq -c '[.next.target_rate_msgs_per_s, .stop_reason, [.steps[] | [.target_rate_msgs_per_s, .achieved_rate_msgs_per_s]]]' <<<"$output"
  assert_output '[50000,null,[[10000,10000],[25000,10000]]]'
  # A replay whose planned rate is not the step's is still refused.
  model 10000 30000 | jq -c '. + {planned_target_rate_msgs_per_s: 20000}' >"$BATS_TEST_TMPDIR/s.ndjson"
  run --separate-stderr plc-search "$F/ramp-run.json" "$BATS_TEST_TMPDIR/s.ndjson"
  assert_failure 3
  assert_equal "$stderr" "plc-search: \"$BATS_TEST_TMPDIR/s.ndjson\": step 1: the record's target is 20000 msg/s, the run's step 1 is 10000 msg/s"
}

@test "ramp_up without a plateau ends at its last step" {
  { model 10000 60000; model 25000 60000; model 50000 60000; model 75000 60000; } >"$BATS_TEST_TMPDIR/s.ndjson"
  run plc-search "$F/ramp-run.json" "$BATS_TEST_TMPDIR/s.ndjson"
  run jq -r .stop_reason <<<"$output"
  assert_output "last step"
}

@test "scale_to_failure stops at the first step past its p99 or error-rate limit" {
  local r
  for r in 10000 15000 22500 33750 50625 75938; do model "$r" 60000; done >"$BATS_TEST_TMPDIR/s.ndjson"
  run plc-search "$F/scale-run.json" "$BATS_TEST_TMPDIR/s.ndjson"
  run jq -c '[.next, .stop_reason, (.steps | length)]' <<<"$output"
  assert_output '[null,"failure: p99 publish latency 1077.533 ms above 1000 ms",6]'
  jq -c '.publish_error_rate_errs_per_s.mean = 200' <(model 10000 60000) >"$BATS_TEST_TMPDIR/e.ndjson"
  run plc-search "$F/scale-run.json" "$BATS_TEST_TMPDIR/e.ndjson"
  run jq -r .stop_reason <<<"$output"
  assert_output "failure: error rate 2% above 1%"
}

@test "a listed step that failed stops the run" {
  echo '{"target_rate_msgs_per_s":10000,"failed":true,"failure_reason":"no result file"}' >"$BATS_TEST_TMPDIR/s.ndjson"
  run plc-search "$F/ramp-run.json" "$BATS_TEST_TMPDIR/s.ndjson"
  run jq -r .stop_reason <<<"$output"
  assert_output "step 1 failed"
}

@test "an SLO gate: a fixed-rate run with the plan's slo passes or names the bound it broke" {
  plc-tfvars -r -e exp-s1 "$PLC_ROOT/plans/poc.yaml" | jq -c '.slo = {publish_p99_ms: 10, min_achieved_percent: 99}' >"$BATS_TEST_TMPDIR/gate.json"
  model 20000 60000 >"$BATS_TEST_TMPDIR/ok.ndjson"
  run --separate-stderr plc-search "$BATS_TEST_TMPDIR/gate.json" "$BATS_TEST_TMPDIR/ok.ndjson"
  assert_success
  run jq -c '[.slo_pass, .steps[0].verdict, .next, .stop_reason]' <<<"$output"
  assert_output '[true,"within the SLO",null,null]'
  model 20000 15000 >"$BATS_TEST_TMPDIR/bad.ndjson"
  run plc-search "$BATS_TEST_TMPDIR/gate.json" "$BATS_TEST_TMPDIR/bad.ndjson"
  run jq -c '[.slo_pass, .steps[0].verdict]' <<<"$output"
  assert_output '[false,"publish_p99_ms 1348.333 ms > 10 ms, min_achieved_percent 75% < 99%"]'
  run --separate-stderr plc-search "$BATS_TEST_TMPDIR/gate.json"
  assert_failure 3
  assert_equal "$stderr" "plc-search: \"$BATS_TEST_TMPDIR/gate.json\": expected the run's one record, found 0"
}

@test "every SLO bound of tools/lib/slo.h is one plc-tfvars accepts and carries, plc-search judges and both man pages name" {
  # A step of 20,000 msg/s on a 15,000 msg/s cluster with 150 errors/s:
  # publish p99 1348.333 ms, end-to-end p99 9 ms, errors 1%, achieved 75%.
  model 20000 15000 | jq -c '.publish_error_rate_errs_per_s.mean = 150' >"$BATS_TEST_TMPDIR/step.ndjson"
  mapfile -t keys < <(sed -n 's/^[[:space:]]*X("\([a-z0-9_]*\)".*/\1/p' "$PLC_ROOT/tools/lib/slo.h")
  assert_equal "${#keys[@]}" 4
  for key in "${keys[@]}"; do
    # A limit the step breaks; a bound added to the table needs one here.
    case $key in
      publish_p99_ms) limit=10 want='1348.333 ms > 10 ms' ;;
      end_to_end_p99_ms) limit=5 want='9 ms > 5 ms' ;;
      max_error_rate_percent) limit=0.5 want='1% > 0.5%' ;;
      min_achieved_percent) limit=99 want='75% < 99%' ;;
      *) fail "no limit in this test for the SLO bound $key" ;;
    esac
    printf '%s\n' 'name: gate' "slo: {$key: $limit}" \
      'base_workload: {topics: 1, partitions_per_topic: 1, message_size: 1024, test_duration_minutes: 2}' \
      'test_runs: [{name: f, type: fixed_rate, producer_rate: 20000}]' >"$BATS_TEST_TMPDIR/gate.yaml"
    run --separate-stderr plc-tfvars -r -e exp-s1 -i "$PLC_ROOT/plans/infrastructure.yaml" -c "$PLC_ROOT/plans/pulsar-cluster.yaml" "$BATS_TEST_TMPDIR/gate.yaml"
    assert_success
    assert_equal "$stderr" ''
    echo "$output" >"$BATS_TEST_TMPDIR/run.json"
    run jq -c .slo "$BATS_TEST_TMPDIR/run.json"
    assert_output "{\"$key\":$limit}"
    run --separate-stderr plc-search "$BATS_TEST_TMPDIR/run.json" "$BATS_TEST_TMPDIR/step.ndjson"
    assert_success
    run jq -r '.steps[0].verdict' <<<"$output"
    assert_output "$key $want"
    grep -q "^\.Ic $key\b" "$PLC_ROOT/tools/plc-tfvars/plc-tfvars.1" || fail "plc-tfvars(1) does not name $key"
    grep -q "^\.Ic $key\b" "$PLC_ROOT/tools/plc-search/plc-search.1" || fail "plc-search(1) does not name $key"
  done
}

@test "capacity.json holds every slo_search run's answer and steps, nothing of other runs" {
  search "$F/slo-run.json" 60000
  echo "$decision" >"$BATS_TEST_TMPDIR/d1.json"
  plc-search "$F/ramp-run.json" >"$BATS_TEST_TMPDIR/d2.json"
  run --separate-stderr plc-search -c -e exp-s1 "$BATS_TEST_TMPDIR/d1.json" "$BATS_TEST_TMPDIR/d2.json"
  assert_success
  run jq -c '[.schema, .experiment_id, (.runs | length), .runs[0].run, .runs[0].max_sustainable_rate_msgs_per_s,
      .runs[0].first_failing_rate_msgs_per_s, .runs[0].bounded_by, .runs[0].finished, (.runs[0].steps | length), .runs[0].slo]' <<<"$output"
  assert_output '["plc-capacity/1","exp-s1",1,"capacity",59074,61689,"publish_p99_ms",true,9,{"publish_p99_ms":20,"min_achieved_percent":99}]'
}

@test "bad input: a record that is not the step the search chose, a run that is not stepped, broken JSON" {
  model 6000 60000 >"$BATS_TEST_TMPDIR/s.ndjson"
  run --separate-stderr plc-search "$F/slo-run.json" "$BATS_TEST_TMPDIR/s.ndjson"
  assert_failure 3
  assert_output ""
  assert_equal "$stderr" "plc-search: \"$BATS_TEST_TMPDIR/s.ndjson\": step 1: the record's target is 6000 msg/s, the run's step 1 is 5000 msg/s"
  plc-tfvars -r -e exp-s1 "$PLC_ROOT/plans/poc.yaml" >"$BATS_TEST_TMPDIR/fixed.json"
  run --separate-stderr plc-search "$BATS_TEST_TMPDIR/fixed.json"
  assert_failure 3
  assert_equal "$stderr" "plc-search: \"$BATS_TEST_TMPDIR/fixed.json\": type \"fixed_rate\" is neither a stepped run (ramp_up, scale_to_failure, slo_search) nor a run with an slo"
  printf '{"type": "slo_search",\n' >"$BATS_TEST_TMPDIR/broken.json"
  run --separate-stderr plc-search "$BATS_TEST_TMPDIR/broken.json"
  assert_failure 3
  [[ $stderr == "plc-search: $BATS_TEST_TMPDIR/broken.json:1:"* ]] || fail "$stderr"
  jq -c 'del(.slo)' "$F/slo-run.json" >"$BATS_TEST_TMPDIR/noslo.json"
  run --separate-stderr plc-search "$BATS_TEST_TMPDIR/noslo.json"
  assert_failure 3
  assert_equal "$stderr" "plc-search: \"$BATS_TEST_TMPDIR/noslo.json\": expected an slo_search run with search and at least one slo bound"
}

@test "usage: --help, --version, bad options" {
  run --separate-stderr plc-search --help
  assert_success
  assert_line --index 0 "usage: plc-search run.json [steps.ndjson]"
  assert_line --partial "See plc-search(1)."
  run --separate-stderr plc-search -V
  assert_output "plc-search 0.1.0"
  run --separate-stderr plc-search
  assert_failure 2
  run --separate-stderr plc-search --bogus x
  assert_failure 2
  assert_equal "${stderr_lines[0]}" "plc-search: unrecognized option '--bogus'"
}
