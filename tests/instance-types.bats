#!/usr/bin/env bats
# shellcheck disable=SC2154  # bats sets $stderr
# scripts/instance-types: DescribeInstanceTypes answers for a plan, cached per
# region under $PLC_HOME/cache/, from moto_server (tests/lib/moto.bash).

bats_require_minimum_version 1.5.0

load lib/common
load lib/moto

setup() {
  F=$FIXTURES/plc-model
  export PLC_HOME=$BATS_TEST_TMPDIR/home
  CACHE=$PLC_HOME/cache/us-west-2/describe-instance-types.ndjson
  IT=$PLC_ROOT/scripts/instance-types
  plc_isolate_aws_env
}

teardown() {
  moto_stop
}

# types FILE: the instance types the answers in FILE describe, sorted.
types() {
  jq -sc '[.[].body.DescribeInstanceTypesResponse.instanceTypeSet[].instanceType] | sort' "$1"
}

@test "instance-types: asks EC2 once per region; the next plan of the same types is answered from the cache, EC2 down" {
  moto_start
  moto_env
  run --separate-stderr "$IT" "$F/ebs.tfvars.json"
  assert_equal "$status" 0
  assert_equal "$stderr" "instance-types: asked EC2 in us-west-2 (cached in $CACHE)"
  printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/first.ndjson"
  run types "$BATS_TEST_TMPDIR/first.ndjson"
  assert_equal "$output" '["c5.2xlarge","c5n.2xlarge","m5.large","t3.small"]'
  # The limits come from these answers as from the recorded ones.
  run jq -c '.roles.bookkeeper.disk_bytes_per_s' <<<"$(plc-model -L "$F/ebs.tfvars.json" <"$BATS_TEST_TMPDIR/first.ndjson")"
  assert_equal "$output" '{"nvme0n1":81250000,"nvme1n1":81250000,"nvme2n1":81250000}'
  moto_stop
  run --separate-stderr "$IT" "$F/ebs.tfvars.json"
  assert_equal "$status" 0
  assert_equal "$stderr" "instance-types: from the cache of us-west-2 ($CACHE)"
  assert_equal "$output" "$(cat "$BATS_TEST_TMPDIR/first.ndjson")"
}

@test "instance-types: a cache older than PLC_CACHE_DAYS, or missing a type of the plan, is asked again" {
  moto_start
  moto_env
  "$IT" "$F/ebs.tfvars.json" >/dev/null 2>&1
  # A type the cache does not describe (i3en.2xlarge): asked, cache replaced.
  run --separate-stderr "$IT" "$F/confluent-2020.tfvars.json"
  assert_equal "$status" 0
  assert_equal "${stderr%% (*}" "instance-types: asked EC2 in us-west-2"
  run types "$CACHE"
  assert_equal "$output" '["c5.2xlarge","c5n.2xlarge","i3en.2xlarge","t3.small"]'
  moto_stop
  touch -d '8 days ago' "$CACHE"
  # Too old with EC2 down: the failure shows, the old cache stays.
  run --separate-stderr "$IT" "$F/confluent-2020.tfvars.json"
  assert_equal "$status" 1
  run types "$CACHE"
  assert_equal "$output" '["c5.2xlarge","c5n.2xlarge","i3en.2xlarge","t3.small"]'
  run ls "$(dirname "$CACHE")"
  assert_equal "$output" describe-instance-types.ndjson
  # A longer age limit takes it.
  PLC_CACHE_DAYS=30 run --separate-stderr "$IT" "$F/confluent-2020.tfvars.json"
  assert_equal "$status" 0
  assert_equal "$stderr" "instance-types: from the cache of us-west-2 ($CACHE)"
}

@test "instance-types: usage" {
  run --separate-stderr "$IT"
  assert_equal "$status" 2
  assert_equal "${stderr%%$'\n'*}" "usage: instance-types TFVARS"
  PLC_CACHE_DAYS=x run --separate-stderr "$IT" "$F/ebs.tfvars.json"
  assert_equal "$status" 2
  assert_equal "$stderr" "instance-types: PLC_CACHE_DAYS='x': expected a whole number of days"
}
