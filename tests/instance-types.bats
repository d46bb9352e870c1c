#!/usr/bin/env bats
# shellcheck disable=SC2154  # bats sets $stderr
# scripts/instance-types: plc-aws-sign --send --paginate with DescribeInstanceTypes
# cached per region under $PLC_HOME/cache/, against moto_server (tests/lib/moto.bash).

bats_require_minimum_version 1.5.0

load lib/common
load lib/moto

setup() {
  F=$FIXTURES/plc-model
  export PLC_HOME=$BATS_TEST_TMPDIR/home
  CACHE=$PLC_HOME/cache/emulator/us-west-2/describe-instance-types.ndjson
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
  run --separate-stderr "$IT" < <(plc-model -q "$F/ebs.tfvars.json")
  assert_equal "$status" 0
  assert_equal "$stderr" "instance-types: asked EC2 in us-west-2 (cached in $CACHE)"
  printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/first.ndjson"
  run types "$BATS_TEST_TMPDIR/first.ndjson"
  assert_equal "$output" '["c5.2xlarge","c5n.2xlarge","m5.large","t3.small"]'
  # The limits come from these answers as from the recorded ones.
  run jq -c '.roles.bookkeeper.disk_bytes_per_s' <<<"$(plc-model -L "$F/ebs.tfvars.json" <"$BATS_TEST_TMPDIR/first.ndjson")"
  assert_equal "$output" '{"nvme0n1":81250000,"nvme1n1":81250000,"nvme2n1":81250000}'
  moto_stop
  run --separate-stderr "$IT" < <(plc-model -q "$F/ebs.tfvars.json")
  assert_equal "$status" 0
  assert_equal "$stderr" "instance-types: from the cache of us-west-2 ($CACHE)"
  assert_equal "$output" "$(cat "$BATS_TEST_TMPDIR/first.ndjson")"
}

@test "instance-types: a cache older than PLC_CACHE_DAYS, or missing a type of the plan, is asked again" {
  moto_start
  moto_env
  "$IT" < <(plc-model -q "$F/ebs.tfvars.json") >/dev/null 2>&1
  # A type the cache does not describe (i3en.2xlarge): asked, cache replaced.
  run --separate-stderr "$IT" < <(plc-model -q "$F/confluent-2020.tfvars.json")
  assert_equal "$status" 0
  assert_equal "${stderr%% (*}" "instance-types: asked EC2 in us-west-2"
  run types "$CACHE"
  assert_equal "$output" '["c5.2xlarge","c5n.2xlarge","i3en.2xlarge","t3.small"]'
  moto_stop
  touch -d '8 days ago' "$CACHE"
  # Too old with EC2 down: the failure shows, the old cache stays.
  run --separate-stderr "$IT" < <(plc-model -q "$F/confluent-2020.tfvars.json")
  assert_equal "$status" 1
  run types "$CACHE"
  assert_equal "$output" '["c5.2xlarge","c5n.2xlarge","i3en.2xlarge","t3.small"]'
  run ls "$(dirname "$CACHE")"
  assert_equal "$output" describe-instance-types.ndjson
  # A longer age limit takes it.
  PLC_CACHE_DAYS=30 run --separate-stderr "$IT" < <(plc-model -q "$F/confluent-2020.tfvars.json")
  assert_equal "$status" 0
  assert_equal "$stderr" "instance-types: from the cache of us-west-2 ($CACHE)"
}

@test "instance-types: plc-preflight's requests answered in their order, DescribeInstanceTypes the second time from the cache" {
  moto_start
  moto_env
  plc-preflight -q "$F/ebs.tfvars.json" >"$BATS_TEST_TMPDIR/q.ndjson"
  # moto has no EC2 quota (GetServiceQuota: 400, so exit 1): the answers
  # still come, each in its place, as plc-aws-sign prints them.
  run --separate-stderr "$IT" <"$BATS_TEST_TMPDIR/q.ndjson"
  assert_equal "$status" 1
  printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/a1.ndjson"
  run --separate-stderr "$IT" <"$BATS_TEST_TMPDIR/q.ndjson"
  assert_equal "$status" 1
  assert_equal "${stderr%%$'\n'*}" "instance-types: from the cache of us-west-2 ($CACHE)"
  printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/a2.ndjson"
  run jq -c '[.status, (.body | keys[0])]' "$BATS_TEST_TMPDIR/a2.ndjson"
  assert_equal "$output" '[200,"DescribeInstanceTypeOfferingsResponse"]
[200,"DescribeInstanceTypesResponse"]
[400,"__type"]'
  # plc-preflight reads them as it reads the answers it asked for itself.
  run --separate-stderr plc-preflight "$F/ebs.tfvars.json" <"$BATS_TEST_TMPDIR/a2.ndjson"
  assert_equal "$status" 0
  assert_equal "$output" "$(plc-preflight "$F/ebs.tfvars.json" <"$BATS_TEST_TMPDIR/a1.ndjson")"
}

@test "instance-types: AWS's own answers are cached apart from an emulator's; with no endpoint nothing is sent on a hit" {
  # plc_isolate_aws_env leaves no endpoint: this is the AWS path, and the
  # recorded answers in its cache answer without a request.
  mkdir -p "$PLC_HOME/cache/us-west-2"
  cp "$F/describe-instance-types.ndjson" "$PLC_HOME/cache/us-west-2/"
  run --separate-stderr "$IT" < <(plc-model -q "$F/ebs.tfvars.json")
  assert_equal "$status" 0
  assert_equal "$stderr" "instance-types: from the cache of us-west-2 ($PLC_HOME/cache/us-west-2/describe-instance-types.ndjson)"
  assert_equal "$output" "$(cat "$F/describe-instance-types.ndjson")"
  # An emulator's endpoint does not see it (moto is down: the request fails).
  AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=y \
    run --separate-stderr "$IT" < <(plc-model -q "$F/ebs.tfvars.json")
  assert_equal "$status" 1
  assert_file_not_exists "$CACHE"
}

@test "instance-types: usage" {
  run --separate-stderr "$IT" x
  assert_equal "$status" 2
  assert_equal "${stderr%%$'\n'*}" "usage: instance-types <requests.ndjson   (plc-preflight -q or plc-model -q)"
  PLC_CACHE_DAYS=x run --separate-stderr "$IT" </dev/null
  assert_equal "$status" 2
  assert_equal "$stderr" "instance-types: PLC_CACHE_DAYS='x': expected a whole number of days"
}
