#!/usr/bin/env bats
# plc-cost: estimates computed by hand from the built-in price table
# (tools/plc-cost/prices.json: us-west-2 t3.micro 0.0104, t3.small 0.0208,
# m5.large 0.096, t4g.small 0.0168, m7g.large 0.0816, c7g.large 0.0725 USD
# per hour; gp3 0.08 per GB-month + 0.005 per IOPS-month above 3000 + 0.04
# per MB/s-month above 125; gp2 0.10; io2 0.125 per GB-month + 0.065 per
# IOPS-month; 730 hours a month), discovery and Cost Explorer actuals
# against moto, and the price refresh against a Pricing API stub.

load lib/common
load lib/moto

F="$FIXTURES/plc-cost"
T=2026-11-24T14:00:00Z

setup_file() { moto_start; }
teardown_file() { faultproxy_stop; moto_stop; }

setup() {
  plc_isolate_aws_env
  moto_env
}

teardown() {
  # A proxy a test started lives in that test's environment only.
  faultproxy_stop
  if [[ -n ${STUB_PID:-} ]]; then
    kill "$STUB_PID" 2>/dev/null || true
    wait "$STUB_PID" 2>/dev/null || true
  fi
}

# close_to JQ_PATH EXPECTED: the number at JQ_PATH in $output equals
# EXPECTED within 1e-12 relative (the tool adds in another order than the
# comment's arithmetic).
close_to() {
  local got
  got=$(jq -r "$1" <<<"$output")
  if ! jq -en --argjson a "$got" --argjson b "$2" \
    '(($a - $b) | fabs) <= 1e-12 * ([($b | fabs), 1e-9] | max)' >/dev/null; then
    echo "$1: expected $2, got $got" >&2
    return 1
  fi
}

@test "--help, --version and usage errors" {
  run --separate-stderr plc-cost --help
  assert_success
  assert_line --index 0 "usage: plc-cost [-as] [-m metrics] [-p prices] [-r runs] [-t time]"
  assert_equal "$stderr" ""
  run --separate-stderr plc-cost --version
  assert_success
  assert_output "plc-cost 0.1.0"
  run --separate-stderr plc-cost -e exp-1 -P plan.json
  assert_failure 2
  assert_output ""
  assert_equal "${stderr_lines[0]}" "plc-cost: --experiment-id and --estimate-plan exclude each other"
  assert_equal "${stderr_lines[1]}" "usage: plc-cost [-as] [-m metrics] [-p prices] [-r runs] [-t time]"
  run --separate-stderr plc-cost --time yesterday
  assert_failure 2
  assert_equal "${stderr_lines[0]}" 'plc-cost: --time: expected an ISO 8601 UTC time such as 2026-11-24T12:00:00Z, found "yesterday"'
  # Out of range is refused, not shifted (30 February was 2 March).
  local bad
  for bad in 2026-02-30T00:00:00Z 2026-11-24T-1:00:00Z 2026-11-24T12:00:00-25:99; do
    run --separate-stderr plc-cost --time "$bad" "$F/minimum.json"
    assert_failure 2
    assert_equal "${stderr_lines[0]}" "plc-cost: --time: expected an ISO 8601 UTC time such as 2026-11-24T12:00:00Z, found \"$bad\""
  done
  run --separate-stderr plc-cost --bogus
  assert_failure 2
  assert_equal "${stderr_lines[0]}" "plc-cost: unrecognized option '--bogus'"
}

@test "the poc cluster for 7 min 30 s in us-west-2, with a run and its messages" {
  run --separate-stderr plc-cost -t "$T" -m "$F/poc.metrics.ndjson" "$F/poc.json"
  assert_success
  assert_equal "$stderr" ""
  # 450 s = 0.125 h. t3.micro: 0.0104 * 0.125 = 0.0013; t3.small:
  # 0.0208 * 0.125 = 0.0026; a 20 GB gp3 volume: 20 * 0.08 / 730 * 0.125
  # = 0.2 / 730 = 0.000273972602739726.
  close_to '.by_resource[0].cost_usd' 0.0013
  close_to '.by_resource[3].cost_usd' 0.0026
  close_to '.by_resource[9].cost_usd' 0.000273972602739726
  # total: 3 * 0.0013 + 6 * 0.0026 + 9 * 0.2 / 730 = 0.0195 + 1.8 / 730
  close_to '.total_usd' 0.021965753424657534
  # roles: zookeeper 0.0039 + 0.6/730; bookkeeper 0.0078 + 0.6/730;
  # broker 0.0052 + 0.4/730; client 0.0026 + 0.2/730 (volumes take their
  # instance's role).
  close_to '.by_role_usd.zookeeper' 0.004721917808219178
  close_to '.by_role_usd.bookkeeper' 0.008621917808219178
  close_to '.by_role_usd.broker' 0.005747945205479452
  close_to '.by_role_usd.client' 0.002873972602739726
  # The run, 300 s = 1/12 h of the whole cluster: (3 * 0.0104 + 6 * 0.0208
  # + 9 * 1.6 / 730) / 12 = 0.013 + 1.2 / 730.
  close_to '.runs[0].cost_usd' 0.014643835616438356
  # Messages: 20000 msg/s * 300 s = 6,000,000; per million: run
  # 0.014643835616438356 / 6, experiment 0.021965753424657534 / 6.
  close_to '.runs[0].messages' 6000000
  close_to '.runs[0].cost_per_million_messages_usd' 0.0024406392694063927
  close_to '.cost_per_million_messages_usd' 0.003660958904109589
  assert_equal "$(jq -c '{schema, experiment_id, kind, region, as_of, currency, complete, unpriced, actuals}' <<<"$output")" \
    '{"schema":"plc-costs/1","experiment_id":"exp-poc","kind":"estimate","region":"us-west-2","as_of":"2026-11-24T14:00:00Z","currency":"USD","complete":true,"unpriced":[],"actuals":null}'
  assert_equal "$(jq -c '.by_resource[0] | del(.cost_usd)' <<<"$output")" \
    '{"id":"i-poc01","kind":"instance","role":"zookeeper","type":"t3.micro","lifecycle":"on-demand","availability_zone":"us-west-2a","start_time":"2026-11-24T12:00:00Z","end_time":"2026-11-24T12:07:30Z","running":false,"listed":true,"billed_s":450,"usd_per_hour":0.0104}'
  assert_equal "$(jq -c '.runs[0] | {name, start_time, end_time, duration_s}' <<<"$output")" \
    '{"name":"poc-20k","start_time":"2026-11-24T12:01:00Z","end_time":"2026-11-24T12:06:00Z","duration_s":300}'
  assert_equal "$(jq -r '.prices.as_of' <<<"$output")" "2026-11-24"
  assert_equal "$(jq '.assumptions | length' <<<"$output")" 6
  assert_equal "$(jq -r '.assumptions[2]' <<<"$output")" \
    "data transfer inside one availability zone is free; internet and cross-zone transfer and NAT are not included"
}

@test "stdin works as the file, and without metrics messages are null" {
  run --separate-stderr plc-cost -t "$T" <"$F/poc.json"
  assert_success
  assert_equal "$(jq -c '[.messages, .cost_per_million_messages_usd, .runs[0].messages]' <<<"$output")" "[null,null,null]"
}

@test "the 60 s minimum for an instance and a volume" {
  run --separate-stderr plc-cost -t "$T" "$F/minimum.json"
  assert_success
  assert_equal "$(jq -c '[.by_resource[].billed_s]' <<<"$output")" "[60,60]"
  # t3.micro 20 s billed 60 s: 0.0104 / 60; gp3 20 GB 10 s billed 60 s:
  # 1.6 / 730 / 60 = 1.6 / 43800.
  close_to '.by_resource[0].cost_usd' 0.00017333333333333334
  close_to '.by_resource[1].cost_usd' 0.0000365296803652968
  close_to '.total_usd' 0.00020986301369863014
}

@test "spot priced from its price history; no price at launch is named" {
  run --separate-stderr plc-cost -t "$T" "$F/spot.json"
  assert_success
  # 12:00-12:30 at 0.04 (the 11:50 price), 12:30-13:00 at 0.05, 13:00-13:30
  # at 0.03: 0.02 + 0.025 + 0.015 = 0.06 over 1.5 h, 0.04 per hour.
  close_to '.by_resource[0].cost_usd' 0.06
  close_to '.by_resource[0].usd_per_hour' 0.04
  close_to '.total_usd' 0.06
  assert_equal "$(jq -c '.unpriced' <<<"$output")" \
    '[{"id":"i-spot-late","type":"m5.large","reason":"no spot price history for m5.large at launch"}]'
  assert_equal "$stderr" "plc-cost: i-spot-late: no spot price history for m5.large at launch; left out of the total"
  assert_equal "$(jq -r '.assumptions[5]' <<<"$output")" \
    "2 spot instance(s) priced from their spot price history over their life"
}

@test "an unknown instance type is named and left out; --strict exits 1" {
  run --separate-stderr plc-cost -t "$T" "$F/unknown-type.json"
  assert_success
  assert_equal "$stderr" 'plc-cost: i-x: instance type "x9.huge" not in the price table for us-west-2; left out of the total'
  # Only the t3.micro hour: 0.0104.
  close_to '.total_usd' 0.0104
  assert_equal "$(jq -c '[.complete, .unpriced, .by_resource[1].cost_usd, .by_resource[1].usd_per_hour]' <<<"$output")" \
    '[false,[{"id":"i-x","type":"x9.huge","reason":"instance type \"x9.huge\" not in the price table for us-west-2"}],null,null]'
  run --separate-stderr plc-cost --strict -t "$T" "$F/unknown-type.json"
  assert_failure 1
  assert_output ""
  assert_equal "${stderr_lines[0]}" 'plc-cost: i-x: instance type "x9.huge" not in the price table for us-west-2; left out of the total'
  assert_equal "${stderr_lines[1]}" "plc-cost: --strict: 1 resource(s) could not be priced"
}

@test "a region missing from the price table leaves everything unpriced" {
  jq '.region = "ap-south-2"' "$F/unknown-type.json" >"$BATS_TEST_TMPDIR/in.json"
  run --separate-stderr plc-cost -t "$T" "$BATS_TEST_TMPDIR/in.json"
  assert_success
  assert_equal "$(jq -c '[.total_usd, .complete, [.unpriced[].reason]]' <<<"$output")" \
    '[0,false,["region \"ap-south-2\" not in the price table","region \"ap-south-2\" not in the price table"]]'
  assert_equal "${#stderr_lines[@]}" 2
}

@test "a run window straddling a stop counts each instance while it ran" {
  run --separate-stderr plc-cost -t "$T" "$F/straddle.json"
  assert_success
  # across-stop 12:05-12:20: i-a ran until 12:10 (300 s), i-b all 900 s:
  # 0.0208 * 1200 / 3600 = 0.0208 / 3.
  close_to '.runs[0].cost_usd' 0.006933333333333333
  # past-the-end 12:25-12:40: only i-b, until 12:30 (300 s): 0.0208 / 12.
  close_to '.runs[1].cost_usd' 0.0017333333333333333
  # the instances: 0.0208 / 6 + 0.0208 / 2
  close_to '.total_usd' 0.013866666666666666
}

@test "gp3 above its baseline, io2 and gp2 volumes" {
  run --separate-stderr plc-cost -t "$T" "$F/volumes.json"
  assert_success
  # One hour each. gp3 100 GB, 6000 IOPS, 500 MB/s: (100 * 0.08 + 3000 *
  # 0.005 + 375 * 0.04) / 730 = 38 / 730.
  close_to '.by_resource[0].cost_usd' 0.052054794520547946
  # io2 50 GB, 8000 IOPS: (50 * 0.125 + 8000 * 0.065) / 730 = 526.25 / 730.
  close_to '.by_resource[1].cost_usd' 0.7208904109589041
  # gp2 100 GB: 10 / 730.
  close_to '.by_resource[2].cost_usd' 0.0136986301369863
  assert_equal "$(jq -c '.by_role_usd | keys' <<<"$output")" '["unknown"]'
}

@test "a running instance is priced up to the as-of time" {
  run --separate-stderr plc-cost -t 2026-11-24T12:30:00Z "$F/running.json"
  assert_success
  # 30 min of t3.micro: 0.0104 / 2.
  close_to '.total_usd' 0.0052
  assert_equal "$(jq -c '.by_resource[0] | [.running, .end_time, .billed_s]' <<<"$output")" \
    '[true,"2026-11-24T12:30:00Z",1800]'
  assert_equal "$(jq -r '.assumptions[5]' <<<"$output")" \
    "1 resource(s) still running, priced up to the as-of time"
}

@test "bad input exits 3 with its position" {
  printf '{"region": "us-west-2",\n "instances": [}\n' >"$BATS_TEST_TMPDIR/bad.json"
  run --separate-stderr plc-cost "$BATS_TEST_TMPDIR/bad.json"
  assert_failure 3
  assert_output ""
  assert_equal "$stderr" "plc-cost: $BATS_TEST_TMPDIR/bad.json:2:16: unexpected token near '}'"
  jq '.instances[1].launch_time = "noon"' "$F/straddle.json" >"$BATS_TEST_TMPDIR/bad.json"
  run --separate-stderr plc-cost <"$BATS_TEST_TMPDIR/bad.json"
  assert_failure 3
  assert_equal "$stderr" 'plc-cost: <stdin>: instances[1].launch_time: expected an ISO 8601 UTC time such as 2026-11-24T12:00:00Z, found "noon"'
  jq '.volumes = [{"id":"v","volume_type":"gp3","size_gb":-1,"create_time":"2026-11-24T12:00:00Z"}]' "$F/straddle.json" >"$BATS_TEST_TMPDIR/bad.json"
  run --separate-stderr plc-cost "$BATS_TEST_TMPDIR/bad.json"
  assert_failure 3
  assert_equal "$stderr" "plc-cost: $BATS_TEST_TMPDIR/bad.json: volumes[0].size_gb: expected a number of 0 or more, found -1"
  jq '.instances[0].end_time = "2026-11-24T11:00:00Z"' "$F/straddle.json" >"$BATS_TEST_TMPDIR/bad.json"
  run --separate-stderr plc-cost "$BATS_TEST_TMPDIR/bad.json"
  assert_failure 3
  assert_equal "$stderr" "plc-cost: $BATS_TEST_TMPDIR/bad.json: instances[0]: end_time before launch_time"
  run --separate-stderr plc-cost <<<'{"region":"us-west-2","instance":[]}'
  assert_failure 3
  assert_equal "$stderr" "plc-cost: <stdin>: instance: unknown key"
  printf '{"run_name": "poc-20k",\n' >"$BATS_TEST_TMPDIR/m.ndjson"
  run --separate-stderr plc-cost -t "$T" -m "$BATS_TEST_TMPDIR/m.ndjson" "$F/poc.json"
  assert_failure 3
  assert_equal "$stderr" "plc-cost: $BATS_TEST_TMPDIR/m.ndjson:1:23: string or '}' expected near end of file"
}

@test "a price table of one's own, and a broken one" {
  jq '.regions."us-west-2".instance_usd_per_hour."t3.micro" = 1' \
    "$PLC_ROOT/tools/plc-cost/prices.json" >"$BATS_TEST_TMPDIR/p.json"
  run --separate-stderr plc-cost -p "$BATS_TEST_TMPDIR/p.json" -t "$T" "$F/unknown-type.json"
  assert_success
  close_to '.total_usd' 1
  jq '.regions."us-west-2".instance_usd_per_hour."t3.micro" = "cheap"' \
    "$PLC_ROOT/tools/plc-cost/prices.json" >"$BATS_TEST_TMPDIR/p.json"
  run --separate-stderr plc-cost -p "$BATS_TEST_TMPDIR/p.json" "$F/poc.json"
  assert_failure 3
  assert_equal "$stderr" "plc-cost: $BATS_TEST_TMPDIR/p.json: regions.us-west-2.instance_usd_per_hour.t3.micro: expected a price"
}

# Issue 18, item 7: a directory was bad input (exit 3, a JSON parse error);
# the man page says a file that cannot be opened is exit 1.
@test "a directory for any file is exit 1, as a file that cannot be opened" {
  local d=$BATS_TEST_TMPDIR
  run --separate-stderr plc-cost "$d"
  assert_failure 1
  assert_output ""
  assert_equal "$stderr" "plc-cost: \"$d\": Is a directory"
  for opt in -r -m -p; do
    run --separate-stderr plc-cost "$opt" "$d" "$F/poc.json"
    assert_failure 1
    assert_equal "$stderr" "plc-cost: \"$d\": Is a directory"
  done
}

@test "a closed stdout fails loudly" {
  run --separate-stderr bash -c 'plc-cost -t "$1" "$2" >&-' _ "$T" "$F/poc.json"
  assert_failure 1
  assert_equal "$stderr" "plc-cost: stdout: Bad file descriptor"
}

@test "--estimate-plan prices poc.tfvars.json and its runs before anything runs" {
  run --separate-stderr plc-cost -t 2026-11-24T12:00:00Z -P "$F/plan/poc.tfvars.json" -r "$F/plan/poc.runs.ndjson"
  assert_success
  assert_equal "$stderr" ""
  # 900 s overhead + 180 s run = 1080 s = 0.3 h. Instances per hour: 3
  # t3.small 0.0624 + 3 i3en.large 0.678 + 2 m5.large 0.192 + 1 c5.2xlarge
  # 0.34 + the monitor node's t3.small 0.0208 = 1.2932; 10 root volumes of
  # 8 GB gp3: 80 * 0.08 / 730 per hour.
  # Total 0.3 * (1.2932 + 6.4 / 730) = 0.38796 + 1.92 / 730.
  close_to '.total_usd' 0.3905901369863014
  # The run, 0.05 h: 0.06466 + 0.32 / 730.
  close_to '.runs[0].cost_usd' 0.06509835616438356
  # zookeeper: 0.3 * 3 * (0.0208 + 0.64 / 730) = 0.01872 + 0.576 / 730.
  close_to '.by_role_usd.zookeeper' 0.019509041095890411
  # The monitor node: 0.3 * (0.0208 + 0.64 / 730) = 0.00624 + 0.192 / 730.
  close_to '.by_role_usd.monitor' 0.006503013698630137
  assert_equal "$(jq -c '[.kind, .experiment_id, .as_of, .runs[0].name, .runs[0].start_time, .runs[0].duration_s, (.by_resource | length), .complete]' <<<"$output")" \
    '["plan","exp-golden","2026-11-24T12:18:00Z","poc-20k","2026-11-24T12:15:00Z",180,20,true]'
  assert_equal "$(jq -r '.assumptions[-3:][]' <<<"$output")" \
    "plan: every instance and volume lives 900 s before the first run (boot, readiness, collection, destroy) plus the runs' expected durations back to back
plan: root volumes without root_volume_gb are 8 GB gp3, as Amazon Linux 2023 AMIs
plan: public IPv4 addresses are not included (the variables do not say which instances get one)"
}

@test "--estimate-plan with EBS bookies, spot and no overhead" {
  run --separate-stderr plc-cost -t 2026-11-24T12:00:00Z --overhead-s 0 -P "$F/plan/ebs.tfvars.json" -r "$F/plan/ebs.runs.ndjson"
  assert_success
  # 600 + 1200 s = 0.5 h. Instances per hour: t4g.small 0.0168 + 3
  # m7g.large 0.2448 + c7g.large 0.0725 = 0.3341. Volumes per month: roots
  # 16 + 4 * 8 = 48 GB * 0.08 = 3.84; 2 io2 journals (50 * 0.125 + 8000 *
  # 0.065) = 1052.5; 2 gp3 ledgers (500 * 0.08 + 3000 * 0.005 + 375 * 0.04)
  # = 140; 1196.34 / 730 per hour. Total 0.5 * (0.3341 + 1196.34 / 730).
  # No monitor node: the plan turned it off.
  close_to '.total_usd' 0.9864609589041096
  assert_equal "$(jq -c '.by_role_usd | has("monitor")' <<<"$output")" false
  # Runs: 1/6 and 1/3 of an hour of the same cluster.
  close_to '.runs[0].cost_usd' 0.3288203196347032
  close_to '.runs[1].cost_usd' 0.6576406392694064
  assert_equal "$(jq -c '[.runs[].name]' <<<"$output")" '["ebs-fixed-1","ebs-fixed-2"]'
  assert_equal "$(jq -r '.assumptions[-1]' <<<"$output")" \
    "plan: spot requested, priced at on-demand prices (an upper bound)"
}

@test "--estimate-plan input errors" {
  run --separate-stderr plc-cost -P "$F/plan/poc.tfvars.json" -r "$F/poc.json"
  assert_failure 3
  assert_equal "$stderr" "plc-cost: $F/poc.json:1:1: string or '}' expected near end of file"
  jq '.broker.count = "two"' "$F/plan/poc.tfvars.json" >"$BATS_TEST_TMPDIR/t.json"
  run --separate-stderr plc-cost -P "$BATS_TEST_TMPDIR/t.json" -r "$F/plan/poc.runs.ndjson"
  assert_failure 3
  assert_equal "$stderr" "plc-cost: $BATS_TEST_TMPDIR/t.json: broker.count: expected a count"
  run --separate-stderr plc-cost -P "$F/plan/poc.tfvars.json"
  assert_failure 2
  assert_equal "${stderr_lines[0]}" "plc-cost: --estimate-plan needs --runs"
}

# billed_within_hour ID: the billed seconds of resource ID in $output,
# which must be within the as-of hour (made up to ten seconds after the
# instance the as-of counts from).
billed_within_hour() {
  local s
  s=$(jq -r --arg id "$1" '.by_resource[] | select(.id == $id) | .billed_s' <<<"$output")
  [[ $s -ge 3590 && $s -le 3600 ]] || { echo "$1: billed $s s, not 3590 to 3600" >&2; return 1; }
  echo "$s"
}

# RunInstances through plc-aws-sign; prints the instance ID.
run_instance() {
  local type=$1 role=$2 extra=${3:-}
  echo "{\"service\":\"ec2\",\"action\":\"RunInstances\",\"params\":{\"ImageId\":\"ami-12c6146b\",\"MinCount\":1,\"MaxCount\":1,\"InstanceType\":\"$type\"$extra,\"TagSpecification\":[{\"ResourceType\":\"instance\",\"Tag\":[{\"Key\":\"ExperimentID\",\"Value\":\"exp-moto\"},{\"Key\":\"Role\",\"Value\":\"$role\"}]}]}}" |
    plc-aws-sign --send | jq -r '.body.RunInstancesResponse.instancesSet[0].instanceId'
}

@test "--experiment-id finds instances, volumes and spot prices in moto" {
  moto_reset
  local on term spot launch asof vol created billed
  on=$(run_instance t3.micro broker)
  term=$(run_instance t3.micro zookeeper)
  spot=$(run_instance m5.large client ',"InstanceMarketOptions":{"MarketType":"spot"}')
  run_instance t3.micro other >/dev/null # untagged below: not ours
  echo '{"service":"ec2","action":"CreateTags","params":{"ResourceId":["'"$(echo '{"service":"ec2","action":"DescribeInstances","params":{"Filter":[{"Name":"tag:Role","Value":["other"]}]}}' | plc-aws-sign --send | jq -r '.body.DescribeInstancesResponse.reservationSet[0].instancesSet[0].instanceId')"'"],"Tag":[{"Key":"ExperimentID","Value":"exp-other"}]}}' |
    plc-aws-sign --send >/dev/null
  vol=$(echo '{"service":"ec2","action":"CreateVolume","params":{"AvailabilityZone":"us-west-2a","Size":20,"VolumeType":"gp3","TagSpecification":[{"ResourceType":"volume","Tag":[{"Key":"ExperimentID","Value":"exp-moto"},{"Key":"Role","Value":"bookkeeper"}]}]}}' |
    plc-aws-sign --send | jq -r '.body.CreateVolumeResponse.volumeId')
  echo '{"service":"ec2","action":"TerminateInstances","params":{"InstanceId":["'"$term"'"]}}' | plc-aws-sign --send >/dev/null
  launch=$(echo '{"service":"ec2","action":"DescribeInstances","params":{"InstanceId":["'"$on"'"]}}' |
    plc-aws-sign --send | jq -r '.body.DescribeInstancesResponse.reservationSet[0].instancesSet[0].launchTime')
  asof=$(date -u -d "@$(($(date -u -d "$launch" +%s) + 3600))" +%Y-%m-%dT%H:%M:%SZ)
  run --separate-stderr plc-cost -e exp-moto -t "$asof"
  assert_success
  assert_equal "$stderr" ""
  # 3 instances, the volume, and the public IPv4 addresses moto gives the
  # two still running.
  assert_equal "$(jq -c '[.experiment_id, .region, (.by_resource | length)]' <<<"$output")" '["exp-moto","us-west-2",6]'
  assert_equal "$(jq -c '[.by_resource[] | select(.kind == "public_ipv4") | .instance_id] | sort' <<<"$output")" \
    "$(jq -nc --arg a "$on" --arg b "$spot" '[$a, $b] | sort')"
  # An address for an hour: 0.005.
  close_to ".by_resource[] | select(.id == \"$on/public-ipv4\") | .cost_usd" 0.005
  assert_equal "$(jq -c --arg on "$on" '.by_resource[] | select(.id == $on) | [.type, .role, .lifecycle, .running, .billed_s]' <<<"$output")" \
    '["t3.micro","broker","on-demand",true,3600]'
  # Launched and terminated within the same minute: the 60 s minimum.
  assert_equal "$(jq -c --arg id "$term" '.by_resource[] | select(.id == $id) | [.role, .running, .billed_s]' <<<"$output")" \
    '["zookeeper",false,60]'
  assert_equal "$(jq -c --arg id "$spot" '.by_resource[] | select(.id == $id) | [.lifecycle, .availability_zone]' <<<"$output")" \
    '["spot","us-west-2a"]'
  # moto's spot price history is one entry of 0.00001 USD per hour, over
  # the spot instance's own seconds (it may have launched a second after
  # the as-of's instance).
  billed=$(billed_within_hour "$spot")
  close_to ".by_resource[] | select(.id == \"$spot\") | .cost_usd" "$(jq -n "0.00001 * $billed / 3600")"
  # on-demand hour 0.0104, terminated 0.0104 / 60.
  close_to ".by_resource[] | select(.id == \"$on\") | .cost_usd" 0.0104
  close_to ".by_resource[] | select(.id == \"$term\") | .cost_usd" 0.00017333333333333334
  # The volume lives from its createTime (not before the launch) to as-of:
  # 20 * 0.08 / 730 per hour over its billed seconds.
  created=$(billed_within_hour "$vol")
  close_to ".by_resource[] | select(.id == \"$vol\") | .cost_usd" "$(jq -n "1.6 / 730 * $created / 3600")"
  # broker: the instance hour and its address, 0.0104 + 0.005.
  close_to '.by_role_usd.broker' 0.0154
  assert_equal "$(jq -r '.assumptions[-1]' <<<"$output")" \
    "resources found by their ExperimentID tag at the as-of time: EC2 forgets terminated instances about an hour after they end and deleted volumes at once, and untagged root volumes are not found"
}

# iso SECONDS: the epoch time as ISO 8601 UTC.
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }

# The report written at the end of teardown prices the experiment after
# terraform destroy: EC2 still lists terminated instances, but neither a
# deleted volume nor the address of an instance that ended.
@test "--previous keeps what AWS no longer lists, ended when it was gone" {
  moto_reset
  local in vol base t1 gone t2 rate1 start prev=$BATS_TEST_TMPDIR/prev.json win=$BATS_TEST_TMPDIR/win.json
  in=$(run_instance t3.micro broker)
  vol=$(echo '{"service":"ec2","action":"CreateVolume","params":{"AvailabilityZone":"us-west-2a","Size":20,"VolumeType":"gp3","TagSpecification":[{"ResourceType":"volume","Tag":[{"Key":"ExperimentID","Value":"exp-moto"},{"Key":"Role","Value":"bookkeeper"}]}]}}' |
    plc-aws-sign --send | jq -r '.body.CreateVolumeResponse.volumeId')
  base=$(date -u +%s)
  t1=$(iso $((base + 1800))) gone=$(iso $((base + 2400))) t2=$(iso $((base + 3600)))
  jq -n --arg a "$(iso $((base + 600)))" --arg b "$(iso $((base + 1200)))" \
    '[{name: "r1", start_time: $a, end_time: $b}]' >"$win"
  # The pricing before teardown: the instance, its address and the volume.
  run --separate-stderr plc-cost -e exp-moto -t "$t1" -r "$win"
  assert_success
  printf '%s\n' "$output" >"$prev"
  rate1=$(jq '.runs[0].usd_per_hour' <<<"$output")
  assert_equal "$(jq -c '[.by_resource[] | [.kind, .listed]]' <<<"$output")" \
    '[["instance",true],["public_ipv4",true],["volume",true]]'
  echo '{"service":"ec2","action":"DeleteVolume","params":{"VolumeId":"'"$vol"'"}}' | plc-aws-sign --send >/dev/null
  # Without --previous the volume is left out, the run's rate too low.
  run --separate-stderr plc-cost -e exp-moto -t "$t2" -r "$win"
  assert_success
  assert_equal "$(jq -c '[.by_resource[].kind]' <<<"$output")" '["instance","public_ipv4"]'
  # With it the volume is kept, ended at --gone-by: 20 GB gp3 at 1.6 / 730
  # USD an hour from its createTime; the run's rate is the one before.
  run --separate-stderr plc-cost -e exp-moto -t "$t2" -r "$win" --previous "$prev" --gone-by "$gone"
  assert_success
  assert_equal "$stderr" ""
  assert_equal "$(jq -c --arg v "$vol" '.by_resource[] | select(.id == $v) | [.role, .end_time, .running, .listed, .end_source]' <<<"$output")" \
    "[\"bookkeeper\",\"$gone\",false,false,\"gone_by\"]"
  assert_equal "$(jq -c --arg i "$in" '.by_resource[] | select(.id == $i) | [.end_time, .running, .listed, has("end_source")]' <<<"$output")" \
    "[\"$t2\",true,true,false]"
  start=$(jq -r --arg v "$vol" '.by_resource[] | select(.id == $v) | .start_time' <<<"$output")
  close_to ".by_resource[] | select(.id == \"$vol\") | .cost_usd" \
    "$(jq -n "1.6 / 730 * ($(date -u -d "$gone" +%s) - $(date -u -d "$start" +%s)) / 3600")"
  assert_equal "$(jq '.runs[0].usd_per_hour' <<<"$output")" "$rate1"
  assert_equal "$(jq -r '.assumptions[-1]' <<<"$output")" \
    "1 resource(s) priced before (--previous) but no longer listed by AWS kept, each ended as its end_source says"
  printf '%s\n' "$output" >"$prev.2"
  # Without --gone-by: the previous pricing's time, when it was last seen.
  run --separate-stderr plc-cost -e exp-moto -t "$t2" --previous "$prev"
  assert_success
  assert_equal "$(jq -c --arg v "$vol" '.by_resource[] | select(.id == $v) | [.end_time, .end_source]' <<<"$output")" \
    "[\"$t1\",\"previous_as_of\"]"
  # Priced again from a pricing that kept it: its end and its source stay.
  echo '{"service":"ec2","action":"TerminateInstances","params":{"InstanceId":["'"$in"'"]}}' | plc-aws-sign --send >/dev/null
  run --separate-stderr plc-cost -e exp-moto -t "$t2" --previous "$prev.2"
  assert_success
  assert_equal "$(jq -c --arg v "$vol" '.by_resource[] | select(.id == $v) | [.end_time, .end_source]' <<<"$output")" \
    "[\"$gone\",\"gone_by\"]"
  # The terminated instance is listed without its address: the address
  # is kept and ends with the instance.
  assert_equal "$(jq -c --arg i "$in" '[.by_resource[] | select(.id == $i or .instance_id == $i) | [.kind, .end_time, .listed, .end_source]]
      | [.[0][1] == .[1][1], .[0][2:], .[1][2:]]' <<<"$output")" \
    '[true,[true,null],[false,"instance"]]'
}

@test "--previous: usage, a file that cannot be opened, another experiment's costs" {
  run --separate-stderr plc-cost --gone-by 2026-11-24T12:00:00Z "$F/poc.json"
  assert_failure 2
  assert_equal "${stderr_lines[0]}" "plc-cost: --gone-by needs --previous"
  run --separate-stderr plc-cost -P plan.json -r runs.json --previous costs.json
  assert_failure 2
  assert_equal "${stderr_lines[0]}" "plc-cost: --previous needs an experiment that ran, not a plan"
  run --separate-stderr plc-cost --previous "$BATS_TEST_TMPDIR/none.json" "$F/poc.json"
  assert_failure 1
  assert_equal "$stderr" "plc-cost: \"$BATS_TEST_TMPDIR/none.json\": No such file or directory"
  run --separate-stderr plc-cost --previous "$BATS_TEST_TMPDIR" "$F/poc.json"
  assert_failure 1
  assert_equal "$stderr" "plc-cost: \"$BATS_TEST_TMPDIR\": Is a directory"
  plc-cost -t "$T" "$F/poc.json" | jq '.experiment_id = "exp-other"' >"$BATS_TEST_TMPDIR/other.json"
  run --separate-stderr plc-cost -t "$T" --previous "$BATS_TEST_TMPDIR/other.json" "$F/poc.json"
  assert_failure 3
  assert_equal "$stderr" "plc-cost: $BATS_TEST_TMPDIR/other.json: experiment_id: expected \"exp-poc\", found \"exp-other\""
  plc-cost -P "$F/plan/poc.tfvars.json" -r "$F/plan/poc.runs.ndjson" >"$BATS_TEST_TMPDIR/plan.json"
  run --separate-stderr plc-cost -t "$T" --previous "$BATS_TEST_TMPDIR/plan.json" "$F/poc.json"
  assert_failure 3
  assert_equal "$stderr" "plc-cost: $BATS_TEST_TMPDIR/plan.json: expected plc-cost's estimate of an experiment (schema plc-costs/1, kind estimate, as_of, by_resource)"
}

@test "--actuals reads Cost Explorer by service over every page" {
  moto_reset
  # Page 1 is what moto answers the first request; page 2, the request
  # carrying its NextPageToken.
  curl -sf -X POST "$MOTO_URL/moto-api/static/ce/cost-and-usage-results" -d '{"results":[
    {"GroupDefinitions":[{"Type":"DIMENSION","Key":"SERVICE"}],"ResultsByTime":[{"TimePeriod":{"Start":"2026-11-24","End":"2026-11-25"},"Total":{},"Groups":[
      {"Keys":["Amazon Elastic Compute Cloud - Compute"],"Metrics":{"UnblendedCost":{"Amount":"1.25","Unit":"USD"}}},
      {"Keys":["EC2 - Other"],"Metrics":{"UnblendedCost":{"Amount":"0.125","Unit":"USD"}}}],"Estimated":false}],
     "DimensionValueAttributes":[],"NextPageToken":"page-2"},
    {"GroupDefinitions":[{"Type":"DIMENSION","Key":"SERVICE"}],"ResultsByTime":[{"TimePeriod":{"Start":"2026-11-25","End":"2026-11-26"},"Total":{},"Groups":[
      {"Keys":["Amazon Elastic Compute Cloud - Compute"],"Metrics":{"UnblendedCost":{"Amount":"0.5","Unit":"USD"}}},
      {"Keys":["Amazon Simple Storage Service"],"Metrics":{"UnblendedCost":{"Amount":"0.0001","Unit":"USD"}}}],"Estimated":true}],
     "DimensionValueAttributes":[]}]}'
  faultproxy_start
  run --separate-stderr plc-cost -a -t 2026-11-25T12:00:00Z "$F/poc.json"
  assert_success
  assert_equal "$stderr" ""
  assert_equal "$(faultproxy_count GetCostAndUsage)" 2
  # 1.25 + 0.125 + 0.5 + 0.0001 = 1.8751; compute 1.25 + 0.5 = 1.75.
  close_to '.actuals.total_usd' 1.8751
  close_to '.actuals.by_service_usd."Amazon Elastic Compute Cloud - Compute"' 1.75
  close_to '.actuals.by_service_usd."EC2 - Other"' 0.125
  close_to '.actuals.by_service_usd."Amazon Simple Storage Service"' 0.0001
  close_to '.actuals.days[0].cost_usd' 1.375
  close_to '.actuals.query_cost_usd' 0.02
  assert_equal "$(jq -c '.actuals | [.start_date, .end_date_exclusive, .possibly_incomplete, .requests, [.days[].estimated], (.notes | length)]' <<<"$output")" \
    '["2026-11-24","2026-11-26",true,2,[false,true],2]'
  # The estimate is still there beside the actuals.
  close_to '.total_usd' 0.021965753424657534
}

@test "--actuals needs an experiment ID and is refused for a plan" {
  jq 'del(.experiment_id)' "$F/poc.json" >"$BATS_TEST_TMPDIR/in.json"
  run --separate-stderr plc-cost -a "$BATS_TEST_TMPDIR/in.json"
  assert_failure 1
  assert_output ""
  assert_equal "$stderr" "plc-cost: --actuals needs the experiment's ID (--experiment-id or experiment_id in the input)"
  run --separate-stderr plc-cost -a -P "$F/plan/poc.tfvars.json" -r "$F/plan/poc.runs.ndjson"
  assert_failure 2
  assert_equal "${stderr_lines[0]}" "plc-cost: --actuals needs an experiment that ran, not a plan"
}

# Starts tests/lib/pricing_stub.py serving $1; exports AWS_ENDPOINT_URL_PRICING.
pricing_stub_start() {
  STUB_LOG=$BATS_TEST_TMPDIR/stub.log
  python3 "$PLC_ROOT/tests/lib/pricing_stub.py" "$1" "$BATS_TEST_TMPDIR/stub.port" "$STUB_LOG" &
  STUB_PID=$!
  local i
  for ((i = 0; i < 100; i++)); do
    [[ -e $BATS_TEST_TMPDIR/stub.port ]] && break
    sleep 0.1
  done
  AWS_ENDPOINT_URL_PRICING="http://127.0.0.1:$(cat "$BATS_TEST_TMPDIR/stub.port")"
  export AWS_ENDPOINT_URL_PRICING
}

@test "--refresh-prices reads GetProducts pages from the Pricing stub" {
  pricing_stub_start "$F/pricing/getproducts-pages.json"
  # An old table for us-west-2 only, with stale prices.
  jq '.regions = {"us-west-2": (.regions."us-west-2" | .instance_usd_per_hour = {"t3.micro": 0.0099, "x1.old": 9})}' \
    "$PLC_ROOT/tools/plc-cost/prices.json" >"$BATS_TEST_TMPDIR/old.json"
  run --separate-stderr plc-cost --refresh-prices -p "$BATS_TEST_TMPDIR/old.json" -t 2026-11-30T08:00:00Z
  assert_success
  assert_equal "$stderr" ""
  # The on-demand "Hrs" prices of the three products over two pages; the
  # reserved term's 0.001 is not taken.
  assert_equal "$(jq -c '.regions."us-west-2".instance_usd_per_hour' <<<"$output")" \
    '{"t3.micro":0.0104,"t3.small":0.0208,"m5.large":0.096}'
  assert_equal "$(jq -c '[.as_of, .volume_as_of, .regions."us-west-2".volume.gp3.usd_per_gb_month]' <<<"$output")" \
    '["2026-11-30","2026-11-24",0.08]'
  assert_equal "$(jq -r .source <<<"$output" | cut -c1-60)" "AWS Price List API GetProducts (AmazonEC2, Linux, shared ten"
  # Two requests, signed for us-east-1/pricing, the second with the token.
  assert_equal "$(jq -sc '[.[] | [.scope, .body.NextToken, ([.body.Filters[] | "\(.Field)=\(.Value)"] | join(","))]]' "$STUB_LOG")" \
    '[["us-east-1/pricing",null,"regionCode=us-west-2,operatingSystem=Linux,tenancy=Shared,preInstalledSw=NA,capacitystatus=Used"],["us-east-1/pricing","page-2","regionCode=us-west-2,operatingSystem=Linux,tenancy=Shared,preInstalledSw=NA,capacitystatus=Used"]]'
  # The refreshed table prices an experiment.
  printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/new.json"
  run --separate-stderr plc-cost -p "$BATS_TEST_TMPDIR/new.json" -t "$T" "$F/straddle.json"
  assert_success
  close_to '.total_usd' 0.013866666666666666
  assert_equal "$(jq -r .prices.as_of <<<"$output")" "2026-11-30"
}

@test "--refresh-prices fails on a region the API does not know" {
  pricing_stub_start "$F/pricing/getproducts-pages.json"
  jq '.regions = {"xx-nowhere-1": .regions."us-west-2"}' \
    "$PLC_ROOT/tools/plc-cost/prices.json" >"$BATS_TEST_TMPDIR/old.json"
  run --separate-stderr plc-cost --refresh-prices -p "$BATS_TEST_TMPDIR/old.json"
  assert_failure 1
  assert_output ""
  assert_equal "$stderr" 'plc-cost: pricing: no on-demand Linux prices for region "xx-nowhere-1"'
}

@test "--runs adds run windows, NDJSON or an array; a run has no 60 s minimum" {
  printf '%s\n' '{"name":"first-ten","start_time":"2026-11-24T12:00:00Z","end_time":"2026-11-24T12:10:00Z"}' >"$BATS_TEST_TMPDIR/w.ndjson"
  run --separate-stderr plc-cost -t "$T" -r "$BATS_TEST_TMPDIR/w.ndjson" "$F/straddle.json"
  assert_success
  assert_equal "$(jq -c '[.runs[].name]' <<<"$output")" '["across-stop","past-the-end","first-ten"]'
  # Both t3.small instances the whole 600 s: 0.0208 * 1200 / 3600.
  close_to '.runs[2].cost_usd' 0.006933333333333333
  echo '[{"name":"first-minute","start_time":"2026-11-24T12:00:00Z","end_time":"2026-11-24T12:01:00Z"}]' >"$BATS_TEST_TMPDIR/w.json"
  run --separate-stderr plc-cost -t "$T" -r "$BATS_TEST_TMPDIR/w.json" "$F/minimum.json"
  assert_success
  # The instance ran 20 s and the volume 10 s of that minute: 0.0104 * 20
  # / 3600 + 1.6 / 730 * 10 / 3600 = 0.208 / 3600 + 16 / 2628000; the
  # 60 s minimum stays in the resources' own cost.
  close_to '.runs[0].cost_usd' 0.00006386605783866058
  close_to '.total_usd' 0.00020986301369863014
  echo '[{"name":"backwards","start_time":"2026-11-24T12:01:00Z","end_time":"2026-11-24T12:00:00Z"}]' >"$BATS_TEST_TMPDIR/w.json"
  run --separate-stderr plc-cost -t "$T" -r "$BATS_TEST_TMPDIR/w.json" "$F/minimum.json"
  assert_failure 3
  assert_equal "$stderr" "plc-cost: $BATS_TEST_TMPDIR/w.json: [0]: end_time before start_time"
}

@test "--runs or --estimate-plan naming a file that cannot be opened: exit 1 naming it (was a crash)" {
  # The message's format took the line number, an int, for a string when
  # the file was not read at all: plc-cost died of SIGSEGV (exit 139).
  run --separate-stderr plc-cost -t "$T" -r "$BATS_TEST_TMPDIR/none.json" "$F/minimum.json"
  assert_failure 1
  assert_equal "$stderr" "plc-cost: \"$BATS_TEST_TMPDIR/none.json\": unable to open $BATS_TEST_TMPDIR/none.json: No such file or directory"
  echo '[]' >"$BATS_TEST_TMPDIR/w.json"
  run --separate-stderr plc-cost -P "$BATS_TEST_TMPDIR/none.tfvars.json" -r "$BATS_TEST_TMPDIR/w.json"
  assert_failure 1
  assert_equal "$stderr" "plc-cost: \"$BATS_TEST_TMPDIR/none.tfvars.json\": unable to open $BATS_TEST_TMPDIR/none.tfvars.json: No such file or directory"
}

# Issue 14: cost per million was "–" for local modeled steps, whose runner
# window (second timestamps) can be 0 s, and plc-cost's own per-run figure
# divided a 2 s window's cost by 120 s of messages. A run's cost per million
# is the cluster's cost rate during its window over OMB's measured period.
@test "--runs: a run's cost rate and cost per million over OMB's measured period, a 0 s window too" {
  printf '%s\n' '{"name":"instant","start_time":"2026-11-24T12:03:00Z","end_time":"2026-11-24T12:03:00Z"}' \
    '{"name":"short","start_time":"2026-11-24T12:03:00Z","end_time":"2026-11-24T12:03:02Z"}' >"$BATS_TEST_TMPDIR/w.ndjson"
  jq -c '(.run_name = "instant"), (.run_name = "short") | .duration_s = 120 | .publish_rate_msgs_per_s.mean = 10000' \
    "$F/poc.metrics.ndjson" >"$BATS_TEST_TMPDIR/m.ndjson"
  run --separate-stderr plc-cost -t "$T" -r "$BATS_TEST_TMPDIR/w.ndjson" -m "$BATS_TEST_TMPDIR/m.ndjson" "$F/poc.json"
  assert_success
  assert_equal "$stderr" ""
  assert_equal "$(jq -c '[.runs[] | [.name, .duration_s, .messages]]' <<<"$output")" \
    '[["poc-20k",300,null],["instant",0,1200000],["short",2,1200000]]'
  # The whole cluster at 12:03: 3 * 0.0104 + 6 * 0.0208 + 9 * 1.6 / 730 USD/h
  # = 0.156 + 14.4 / 730, in a 0 s window as in a 300 s or a 2 s one.
  close_to '.runs[0].usd_per_hour' 0.17572602739726027
  close_to '.runs[1].usd_per_hour' 0.17572602739726027
  close_to '.runs[2].usd_per_hour' 0.17572602739726027
  close_to '.runs[1].cost_usd' 0
  # Per million: that rate over the 120 s measured, over 10000 msg/s * 120 s.
  close_to '.runs[1].cost_per_million_messages_usd' 0.004881278538812785
  close_to '.runs[2].cost_per_million_messages_usd' 0.004881278538812785
}

@test "--experiment-id: an AWS error or no region is exit 1" {
  faultproxy_start
  faultproxy_config '{"fault":"error:UnauthorizedOperation:403","match":"^DescribeVolumes$"}'
  run --separate-stderr plc-cost -e exp-moto
  assert_failure 1
  assert_output ""
  assert_equal "$(faultproxy_count DescribeVolumes error)" 1
  assert_equal "$stderr" "plc-cost: DescribeVolumes: UnauthorizedOperation: Injected fault: UnauthorizedOperation"
  faultproxy_stop
  unset AWS_REGION AWS_DEFAULT_REGION
  run --separate-stderr plc-cost -e exp-moto
  assert_failure 1
  assert_equal "$stderr" "plc-cost: no region: set AWS_REGION"
}

# An answer that cannot be read is not "nothing billed": before, each of
# these printed "total_usd":0 and "complete":true (issue 18, item 1).
@test "--experiment-id and --actuals: an unreadable 200 answer is exit 1 naming the call" {
  faultproxy_start
  local case fault op want
  for case in \
    'garbage:binary|^DescribeInstances$|plc-cost: ec2 DescribeInstances: unreadable answer (HTTP 200, 64 bytes): neither XML nor JSON' \
    'garbage:deep|^DescribeInstances$|plc-cost: ec2 DescribeInstances: unreadable answer (HTTP 200, 2100 bytes): line 1, column 769: elements nested deeper than 256' \
    'garbage:xml|^DescribeVolumes$|plc-cost: ec2 DescribeVolumes: unreadable answer (HTTP 200, 75 bytes): line 2, column 37: no element found' \
    'garbage:html|^DescribeVolumes$|plc-cost: DescribeVolumes: unreadable answer: no "DescribeVolumesResponse" in it'; do
    IFS='|' read -r fault op want <<<"$case"
    faultproxy_config "{\"fault\":\"$fault\",\"match\":\"$op\"}"
    run --separate-stderr plc-cost -e exp-moto
    assert_failure 1
    assert_output ""
    assert_equal "$stderr" "$want"
  done
  faultproxy_config '{"fault":"garbage:html","match":"GetCostAndUsage"}'
  run --separate-stderr plc-cost -a -t 2026-11-25T12:00:00Z "$F/poc.json"
  assert_failure 1
  assert_output ""
  assert_equal "$stderr" 'plc-cost: GetCostAndUsage: unreadable answer: no "ResultsByTime" in it'
  faultproxy_config '{"fault":"garbage:binary","match":"GetCostAndUsage"}'
  run --separate-stderr plc-cost -a -t 2026-11-25T12:00:00Z "$F/poc.json"
  assert_failure 1
  assert_equal "$stderr" 'plc-cost: ce GetCostAndUsage: unreadable answer (HTTP 200, 64 bytes): neither XML nor JSON'
  faultproxy_stop
}

@test "a public IPv4 address is priced per hour beside its instance" {
  run --separate-stderr plc-cost -t "$T" <<'EOF'
{"region":"us-west-2","instances":[{"id":"i-pub","role":"client","instance_type":"t3.micro","launch_time":"2026-11-24T12:00:00Z","end_time":"2026-11-24T12:30:00Z","public_ipv4":true}]}
EOF
  assert_success
  # Half an hour: t3.micro 0.0104 / 2 + the address 0.005 / 2.
  close_to '.total_usd' 0.0077
  close_to '.by_role_usd.client' 0.0077
  assert_equal "$(jq -c '.by_resource[1] | del(.cost_usd)' <<<"$output")" \
    '{"id":"i-pub/public-ipv4","kind":"public_ipv4","role":"client","type":"public-ipv4","instance_id":"i-pub","availability_zone":"","start_time":"2026-11-24T12:00:00Z","end_time":"2026-11-24T12:30:00Z","running":false,"listed":true,"billed_s":1800,"usd_per_hour":0.005}'
  run --separate-stderr plc-cost <<<'{"region":"us-west-2","instances":[{"id":"i","instance_type":"t3.micro","launch_time":"2026-11-24T12:00:00Z","public_ipv4":"yes"}]}'
  assert_failure 3
  assert_equal "$stderr" 'plc-cost: <stdin>: instances[0].public_ipv4: expected true or false, found "yes"'
}
