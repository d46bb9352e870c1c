#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2154  # jq programs in single quotes; bats sets $stderr
# scripts/omb-model: the MODELED OMB of local mode, following model.json.

bats_require_minimum_version 1.5.0

load lib/common

setup() {
  F=$FIXTURES/plc-model
  plc-model "$F/confluent-2020.tfvars.json" "$F/confluent-2020.workload.ndjson" \
    <"$F/describe-instance-types.ndjson" >"$BATS_TEST_TMPDIR/model.json"
  export PLC_MODEL=$BATS_TEST_TMPDIR/model.json
}

# at RATE: the modeled result of the Confluent workload at RATE msg/s (0: max).
at() {
  jq --argjson r "$1" '.producerRate = $r | .testDurationMinutes = 1' "$F/confluent-2020.workload.ndjson" >"$BATS_TEST_TMPDIR/w.json"
  run --separate-stderr "$PLC_ROOT/scripts/omb-model" --drivers d.yaml -o "$BATS_TEST_TMPDIR/r.json" "$BATS_TEST_TMPDIR/w.json"
}

@test "omb-model: labeled MODELED in its log and its result, with the ceiling and its bound" {
  at 100000
  assert_equal "$status" 0
  assert_equal "$output" "omb-model: MODELED, no cluster was benchmarked: 1-topic-100-partitions-1kb-4-producers-1000k-rate at 100000 msg/s, against the modeled ceiling of 319336 msg/s (bounded by journal_device)
Writing test result into $BATS_TEST_TMPDIR/r.json"
  run jq -c '[.modeled, .modeledCeilingMsgsPerS, .modeledBoundedBy, .workload, (.publishRate | length)]' "$BATS_TEST_TMPDIR/r.json"
  assert_equal "$output" '[true,319335.9375,"journal_device","1-topic-100-partitions-1kb-4-producers-1000k-rate",6]'
}

@test "omb-model: latency rises toward the ceiling, the rate stops at it, and a 20 ms p99 breaks near 89 % of it" {
  local got=()
  for r in 100000 280000 290000 310000 400000 0; do
    at "$r"
    got+=("$(jq -c '[(.publishRate[0] | round), .aggregatedPublishLatency99pct, .aggregatedEndToEndLatency99pct]' "$BATS_TEST_TMPDIR/r.json")")
  done
  assert_equal "${got[*]}" '[100000,4.912,7.912] [280000,18.236,21.236] [290000,23.771,26.771] [310000,70.41,73.41] [319336,1112.398,1115.398] [319336,102,105]'
  # And plc-omb-parse reads it as an OMB result.
  run --separate-stderr plc-omb-parse "$BATS_TEST_TMPDIR/r.json"
  assert_equal "$status" 0
  run jq -c '[.shape, .publish_rate_msgs_per_s.mean]' <<<"$output"
  assert_equal "$output" '["v4",319335.9375]'
}

@test "omb-model: no model, or no modeled workload like the one asked" {
  PLC_MODEL=$BATS_TEST_TMPDIR/none.json at 1000
  assert_equal "$status" 1
  assert_equal "$stderr" "omb-model: $BATS_TEST_TMPDIR/none.json: no capacity model (make setup writes model.json; PLC_MODEL names another)"
  jq '.messageSize = 100' "$F/confluent-2020.workload.ndjson" >"$BATS_TEST_TMPDIR/w.json"
  run --separate-stderr "$PLC_ROOT/scripts/omb-model" --drivers d.yaml -o "$BATS_TEST_TMPDIR/r.json" "$BATS_TEST_TMPDIR/w.json"
  assert_equal "$status" 3
  # plc-model -O finds it, and says so in its own words.
  assert_equal "$stderr" "plc-model: \"$PLC_MODEL\": no modeled workload like \"1-topic-100-partitions-1kb-4-producers-1000k-rate\" (its message size, topics, partitions, subscriptions, producers and consumers)"
  assert [ ! -e "$BATS_TEST_TMPDIR/r.json" ]
}

@test "omb-model: shellcheck clean" {
  run --separate-stderr shellcheck -x "$PLC_ROOT/scripts/omb-model"
  assert_equal "$status" 0
}
