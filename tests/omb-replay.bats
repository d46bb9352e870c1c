#!/usr/bin/env bats
# The two OMB stand-ins, called as the runner calls OMB's bin/benchmark
# (--drivers F [--workers L] -o OUT WORKLOAD, from another folder):
# scripts/omb-replay, make demo's, which copies the closest real result in
# replay/ and labels it a replay; tests/fixtures/lifecycle/fake-omb, the
# tests', which computes a labelled fake v4 result from the workload.
# shellcheck disable=SC2016,SC2154  # jq programs in single quotes; bats sets $stderr

bats_require_minimum_version 1.5.0

load lib/common

setup() {
  REPLAY=$PLC_ROOT/scripts/omb-replay
  FAKE=$FIXTURES/lifecycle/fake-omb
  DRIVER=/etc/plc/pulsar-driver.yaml # absent here, as in local mode
  cd "$BATS_TEST_TMPDIR" || return
  plc-tfvars -e exp-x -r "$PLC_ROOT/plans/poc.yaml" >runs.ndjson
  head -1 runs.ndjson | jq .workload >poc.json
}

# workload FILE JQ: the poc workload changed by JQ, written to FILE.
workload() { jq "$2" poc.json >"$1"; }

RDHA=rdhabalia_pulsar_v1-early_010000-Pulsar-2019-01-08-07-52-46.json
RTEW=rtewierik_pulsar_throughput-10kb-10-Pulsar-2024-05-12-20-33-23.json
SNPU=streamnative_pulsar-100-partitions-1kb-batched-1ms-1mb-ack-2-sync.json
CONF=confluent_pulsar_throughput_default-sync-raid0.json

@test "replay: the poc workload (1 KiB, 20k msg/s) gets the 1 KiB 10k msg/s Pulsar result, changed only in the labelled keys" {
  run --separate-stderr "$REPLAY" --drivers "$DRIVER" -o result.json poc.json
  assert_success
  assert_output "omb-replay: REPLAY, no cluster was benchmarked: poc-20k <- replay/$RDHA (recorded workload 1 topic / 1 partition / 1Kb / 10000 per second, 1024 B messages at 10000 msg/s)
Writing test result into result.json"
  assert_equal "$stderr" ""
  run jq -n --slurpfile got result.json --slurpfile rec "$PLC_ROOT/replay/$RDHA" --arg f "$RDHA" \
    '$got[0] == ($rec[0] + {workload: "poc-20k", replayed: true, replayedFrom: $f,
                            replayedWorkload: "1 topic / 1 partition / 1Kb / 10000 per second",
                            replayedProducerRate: 10000})'
  assert_output true
  run jq -c '[keys_unsorted[0], keys_unsorted[-4:]]' result.json
  assert_output '["workload",["replayed","replayedFrom","replayedWorkload","replayedProducerRate"]]'
}

@test "replay: plc-omb-parse reads the replay and joins it to the poc run, its provenance kept" {
  "$REPLAY" --drivers "$DRIVER" -o result.json poc.json >/dev/null
  # The recording's own target (10000 msg/s), not the plan's (20000).
  run --separate-stderr bash -c "plc-omb-parse -e exp-x --runs runs.ndjson result.json |
    jq -c '[.run_name, .workload, .shape, .driver, .failed, .periods, .publish_rate_msgs_per_s.mean, .target_rate_msgs_per_s,
      .planned_target_rate_msgs_per_s, .replayed, .stand_in, .replayed_from, .recorded_workload]'"
  assert_success
  assert_output '["poc-20k","poc-20k","v1-early","Pulsar",false,30,10004.457109978644,10000,20000,true,"replay","'"$RDHA"'","1 topic / 1 partition / 1Kb / 10000 per second"]'
  assert_equal "$stderr" ""
  # The same with --series and --quantiles, as a report's re-parse runs it.
  run bash -c "plc-omb-parse -s -q -e exp-x --runs runs.ndjson result.json | jq -c '[.replayed, .stand_in, .replayed_from]'"
  assert_output '[true,"replay","'"$RDHA"'"]'
}

@test "fake: plc-omb-parse labels the fake result as a fake stand-in, with the plan's target" {
  "$FAKE" --drivers "$DRIVER" -o result.json poc.json >/dev/null
  run --separate-stderr bash -c "plc-omb-parse -s -e exp-x --runs runs.ndjson result.json |
    jq -c '[.run_name, .replayed, .stand_in, .target_rate_msgs_per_s, has(\"replayed_from\"), has(\"planned_target_rate_msgs_per_s\")]'"
  assert_success
  assert_output '["poc-20k",true,"fake",20000,false,false]'
  assert_equal "$stderr" ""
}

@test "replay: a 64 KiB workload gets the larger-message result, a max-rate one the highest mean throughput" {
  workload big.json '.name = "big" | .messageSize = 65536 | .producerRate = 5000'
  workload max.json '.name = "max" | .producerRate = 0'
  workload fast.json '.name = "fast" | .producerRate = 150000'
  for w in big max fast; do
    "$REPLAY" --drivers "$DRIVER" -o "$w.result.json" "$w.json" >/dev/null
  done
  run jq -r '[.workload, .replayedFrom, .replayedWorkload, (.messageSize | tostring)] | @tsv' big.result.json max.result.json fast.result.json
  assert_output "big	$RTEW	throughput-10kb-10	10000
max	$CONF	100-partitions-500K-rate-4-producer	null
fast	$SNPU	1 topic / 100 partitions / 2 producer / 2 consumer / 1Kb / 200K Rate	null"
  # The highest mean publish rate of the three 1 KiB results is Confluent's.
  run jq -r '.publishRate | add / length | floor' "$PLC_ROOT/replay/$RDHA" "$PLC_ROOT/replay/$SNPU" "$PLC_ROOT/replay/$CONF"
  assert_output "10004
200242
217877"
}

@test "replay: deterministic, reads YAML workloads, runs from any folder, and PLC_REPLAY_DIR names the results" {
  "$REPLAY" --drivers "$DRIVER" -o a.json poc.json >/dev/null
  "$REPLAY" --drivers "$DRIVER" -o b.json poc.json >/dev/null
  cmp a.json b.json
  printf 'name: "yaml #1"   # a comment\nmessageSize: 1024\nproducerRate: 20000\ntopics: 1\npartitionsPerTopic: 16\n' >w.yaml
  mkdir elsewhere && cd elsewhere
  run --separate-stderr "$REPLAY" --drivers "$DRIVER" --workers http://10.0.1.150:8080 -o ../y.json ../w.yaml
  assert_success
  assert_line --index 0 "omb-replay: REPLAY, no cluster was benchmarked: yaml #1 <- replay/$RDHA (recorded workload 1 topic / 1 partition / 1Kb / 10000 per second, 1024 B messages at 10000 msg/s)"
  mkdir ../only && cp "$PLC_ROOT/replay/$RTEW" ../only/
  echo "[{\"file\": \"$RTEW\", \"messageSize\": 10000, \"producerRate\": 10000, \"topics\": 10, \"partitionsPerTopic\": 1}]" >../only/index.json
  PLC_REPLAY_DIR=../only run --separate-stderr "$REPLAY" --drivers "$DRIVER" -o ../o.json ../poc.json
  assert_success
  run jq -r .replayedFrom ../o.json
  assert_output "$RTEW"
}

@test "replay: usage errors exit 2, --help prints the usage, a missing workload file exits 1" {
  usage="usage: omb-replay --drivers driver.yaml [--workers url,...] -o result.json workload.yaml"
  run --separate-stderr "$REPLAY" -o result.json poc.json
  assert_failure 2
  assert_output ""
  assert_equal "$stderr" "omb-replay: --drivers is required
$usage"
  run --separate-stderr "$REPLAY" --drivers "$DRIVER" -o result.json poc.json extra.json
  assert_failure 2
  assert_equal "${stderr_lines[0]}" "omb-replay: one workload file only"
  run --separate-stderr "$REPLAY" --drivers "$DRIVER" --bogus -o result.json poc.json
  assert_failure 2
  assert_equal "${stderr_lines[0]}" "omb-replay: unknown option --bogus"
  run --separate-stderr "$REPLAY" --help
  assert_success
  assert_output "$usage"
  run --separate-stderr "$REPLAY" --drivers "$DRIVER" -o result.json missing.yaml
  assert_failure 1
  assert_output ""
  assert_equal "$stderr" "omb-replay: missing.yaml: cannot read the workload file"
  assert_file_not_exists result.json
}

@test "replay: every baseline.yaml workload, adaptive steps included, gets a replay that plc-omb-parse reads" {
  plc-tfvars -e exp-x -r "$PLC_ROOT/plans/baseline.yaml" |
    jq -c '.workload, (.steps // [])[].workload' | jq -sc 'unique_by(.name)[]' >workloads.ndjson
  while IFS= read -r w; do
    name=$(jq -r .name <<<"$w")
    printf '%s\n' "$w" >"$name.json"
    "$REPLAY" --drivers "$DRIVER" -o "$name.result.json" "$name.json" >/dev/null
    plc-omb-parse "$name.result.json" | jq -r '[.workload, .shape, (.failed | tostring)] | @tsv'
  done <workloads.ndjson >parsed.tsv
  run cat parsed.tsv
  assert_equal "${#lines[@]}" 21
  run awk -F'\t' '$3 != "false" { print }' parsed.tsv
  assert_output ""
  run bash -c 'for f in *.result.json; do jq -r "[.workload, .replayedFrom] | @tsv" "$f"; done | LC_ALL=C sort'
  assert_output "fixed-rate-10k	$RDHA
fixed-rate-50k	$SNPU
large-messages	$RTEW
latency-test	$RDHA
max-throughput	$CONF
multi-producer-consumer	$SNPU
multi-topic	$RDHA
ramp-up-step1	$RDHA
ramp-up-step2	$RDHA
ramp-up-step3	$SNPU
ramp-up-step4	$SNPU
scale-to-failure-step1	$RDHA
scale-to-failure-step10	$CONF
scale-to-failure-step2	$RDHA
scale-to-failure-step3	$RDHA
scale-to-failure-step4	$RDHA
scale-to-failure-step5	$SNPU
scale-to-failure-step6	$SNPU
scale-to-failure-step7	$SNPU
scale-to-failure-step8	$SNPU
scale-to-failure-step9	$SNPU"
}

@test "fake: a v4 result at the workload's rate, 6 periods a minute, labelled fake" {
  run --separate-stderr "$FAKE" --drivers "$DRIVER" -o result.json poc.json
  assert_success
  assert_output "fake-omb: FAKE result, no benchmark ran: poc-20k at 20000 msg/s
Writing test result into result.json"
  assert_equal "$stderr" ""
  run jq -c '[.fake, .workload, .driver, (keys | length)]' result.json
  assert_output '[true,"poc-20k","Pulsar",63]'
  run bash -c "plc-omb-parse --runs runs.ndjson result.json | jq -c '[.run_name, .shape, .periods, .duration_s,
    .publish_rate_msgs_per_s.mean, .consume_rate_msgs_per_s.mean, .publish_latency_ms.p99, .end_to_end_latency_ms.p99,
    .publish_error_rate_errs_per_s.max, .backlog_msgs.max, .failed, .stalled]'"
  assert_success
  assert_output '["poc-20k","v4",12,120,20000,20000,8.333,10.333,0,0,false,false]'
}

@test "fake: p99 stays far below 1000 ms up to the capacity and climbs past it beyond, where the publish rate saturates" {
  for r in 60000 74000 76000 0; do
    workload "w$r.json" ".name = \"r$r\" | .producerRate = $r | .testDurationMinutes = 1"
    "$FAKE" --drivers "$DRIVER" -o "r$r.json" "w$r.json" >/dev/null
  done
  workload w20k.json '.name = "small-capacity"'
  FAKE_OMB_CAPACITY=10000 "$FAKE" --drivers "$DRIVER" -o small.json w20k.json >/dev/null
  run bash -c "plc-omb-parse r60000.json r74000.json r76000.json r0.json small.json |
    jq -r '[.workload, .periods, .publish_rate_msgs_per_s.mean, .publish_latency_ms.p99] | @tsv'"
  assert_output "r60000	6	60000	15
r74000	6	60000	948.333
r76000	6	60000	1081.667
r0	6	60000	15
small-capacity	12	10000	4015"
  run jq -c '[.aggregatedPublishLatency99pct, .aggregatedPublishDelayLatency99pct, .publishDelayLatency99pct[0]]' small.json
  assert_output '[4015,10000500,10000500]'
}

@test "fake: FAKE_OMB_FAIL exits 3 and FAKE_OMB_NO_RESULT exits 0, both without a result, for matching names only" {
  workload step2.json '.name = "ramp-step2"'
  FAKE_OMB_FAIL='step2$' run --separate-stderr "$FAKE" --drivers "$DRIVER" -o failed.json step2.json
  assert_failure 3
  assert_output "fake-omb: FAKE result, no benchmark ran: ramp-step2 at 20000 msg/s"
  assert_equal "$stderr" "fake-omb: failing ramp-step2 as FAKE_OMB_FAIL asks"
  assert_file_not_exists failed.json
  FAKE_OMB_NO_RESULT='^ramp-' run --separate-stderr "$FAKE" --drivers "$DRIVER" -o none.json step2.json
  assert_success
  assert_equal "$stderr" "java.lang.RuntimeException: ramp-step2 throws, as FAKE_OMB_NO_RESULT asks (fake)"
  assert_file_not_exists none.json
  FAKE_OMB_FAIL=nomatch FAKE_OMB_NO_RESULT=nomatch FAKE_OMB_SLEEP=0.1 run --separate-stderr "$FAKE" --drivers "$DRIVER" -o ok.json step2.json
  assert_success
  assert_file_exists ok.json
  run --separate-stderr "$FAKE" --drivers "$DRIVER" poc.json
  assert_failure 2
  assert_equal "${stderr_lines[0]}" "fake-omb: -o is required"
}

@test "the stand-ins are shellcheck clean" {
  run --separate-stderr shellcheck -x "$PLC_ROOT/scripts/omb-replay" "$PLC_ROOT/scripts/omb-standin.bash" "$FAKE"
  assert_success
  assert_output ""
}
