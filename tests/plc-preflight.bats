#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2154  # jq programs in single quotes; bats sets $stderr
# plc-preflight: the requests it asks, and its verdicts on moto's answers
# (moto 5.2.1 models DescribeInstanceTypeOfferings, DescribeInstanceTypes
# and DescribeImages; its Service Quotas model knows the vpc quotas only,
# moto/servicequotas/models.py, so an EC2 vCPU quota is injected through
# tests/lib/faultproxy.py with fault answer:200).

bats_require_minimum_version 1.5.0

load lib/common
load lib/moto

USAGE="usage: plc-preflight [-q] [-i image-id] tfvars
       plc-preflight -R status-dir node ..."
OFFERED_ALL='["us-west-2a","us-west-2b","us-west-2c","us-west-2d"]'
NO_QUOTA='plc-preflight: warning: the vCPU quota L-1216C47A was not checked: NoSuchResourceException: This service is not available in the current Region. Choose a different Region or a different service.'

setup_file() {
  moto_start
  plc-tfvars -e exp-preflight -i "$PLC_ROOT/plans/infrastructure.yaml" -c "$PLC_ROOT/plans/pulsar-cluster.yaml" \
    "$PLC_ROOT/plans/poc.yaml" >"$BATS_FILE_TMPDIR/poc.json"
}

teardown_file() {
  faultproxy_stop
  moto_stop
}

setup() {
  plc_isolate_aws_env
  moto_env
  POC=$BATS_FILE_TMPDIR/poc.json
}

# variant JQ: the poc tfvars changed by JQ, as a file; prints its path.
variant() {
  jq "$1" "$POC" >"$BATS_TEST_TMPDIR/tf.json"
  printf '%s\n' "$BATS_TEST_TMPDIR/tf.json"
}

# preflight [ARGS...] TFVARS: the whole exchange, as lab-setup wires it.
preflight() {
  plc-preflight -q "$@" | plc-aws-sign --send --paginate >"$BATS_TEST_TMPDIR/answers.ndjson" 2>/dev/null || true
  plc-preflight "$@" <"$BATS_TEST_TMPDIR/answers.ndjson"
}

quota_answer() {
  faultproxy_config "$(jq -cn --arg b "{\"Quota\":{\"ServiceCode\":\"ec2\",\"QuotaCode\":\"L-1216C47A\",\"Value\":$1}}" \
    '{fault: "answer:200", match: "^GetServiceQuota$", body: $b}')"
}

@test "plc-preflight: --help, --version, usage errors" {
  run --separate-stderr plc-preflight --help
  assert_success
  assert_equal "$(head -n 2 <<<"$output")" "$USAGE"
  assert_line 'Exit status: 0 the plan passes, 1 an AWS error, 2 usage, 3 bad'
  run --separate-stderr plc-preflight --version
  assert_output 'plc-preflight 0.1.0'
  run --separate-stderr plc-preflight
  assert_failure 2
  assert_equal "$stderr" "$USAGE"
  run --separate-stderr plc-preflight -i nope "$POC"
  assert_failure 2
  assert_equal "$stderr" 'plc-preflight: --image: expected an image ID such as ami-0123456789abcdef0, found "nope"'
}

@test "plc-preflight: bad tfvars and bad answers are bad input (3)" {
  printf '{"region": "us-west-2"}\n' >"$BATS_TEST_TMPDIR/bad.json"
  run --separate-stderr plc-preflight -q "$BATS_TEST_TMPDIR/bad.json"
  assert_failure 3
  assert_equal "$stderr" "plc-preflight: \"$BATS_TEST_TMPDIR/bad.json\": \"experiment_id\": expected a string"
  run --separate-stderr plc-preflight "$POC" <<<'{"status": 200'
  assert_failure 3
  assert_equal "$stderr" "plc-preflight: <stdin>:1:14: '}' expected near end of file"
  run --separate-stderr plc-preflight "$POC" <<<'{"page": 1}'
  assert_failure 3
  assert_equal "$stderr" 'plc-preflight: answer 1: expected an answer of plc-aws-sign --send ({status, body})'
}

# Issue 17: one reading of AWS answers' lists (tools/lib/awsanswer.h). Text
# where a list belongs was read as an empty list: no zone offered the types,
# a wrong verdict (4) instead of an answer it cannot read (3).
@test "plc-preflight: text where an answer's list belongs is bad input (3), not an empty list" {
  printf '%s\n' '{"status":200,"page":1,"body":{"DescribeInstanceTypeOfferingsResponse":{"instanceTypeOfferingSet":"oops"}}}' \
    '{"status":200,"page":1,"body":{"DescribeInstanceTypesResponse":{"instanceTypeSet":[]}}}' \
    '{"status":200,"body":{"Quota":{"Value":100}}}' >"$BATS_TEST_TMPDIR/answers.ndjson"
  run --separate-stderr plc-preflight "$POC" <"$BATS_TEST_TMPDIR/answers.ndjson"
  assert_failure 3
  assert_output ''
  assert_equal "$stderr" 'plc-preflight: DescribeInstanceTypeOfferingsResponse: "instanceTypeOfferingSet" is not a list'
}

@test "plc-preflight -q: the requests of the poc plan, each type once, the on-demand quota; with -i the image" {
  run --separate-stderr plc-preflight -q "$POC"
  assert_success
  assert_output '{"service":"ec2","region":"us-west-2","action":"DescribeInstanceTypeOfferings","params":{"LocationType":"availability-zone","MaxResults":1000,"Filter":[{"Name":"instance-type","Value":["c5.2xlarge","i3en.large","m5.large","t3.small"]}]}}
{"service":"ec2","region":"us-west-2","action":"DescribeInstanceTypes","params":{"InstanceType":["c5.2xlarge","i3en.large","m5.large","t3.small"]}}
{"service":"servicequotas","region":"us-west-2","target":"ServiceQuotasV20190624.GetServiceQuota","json":{"ServiceCode":"ec2","QuotaCode":"L-1216C47A"}}'
  # The monitor node's type is asked about like a role's.
  run --separate-stderr plc-preflight -q "$(variant '.monitoring.instance_type = "m6i.large"')"
  assert_line --index 1 '{"service":"ec2","region":"us-west-2","action":"DescribeInstanceTypes","params":{"InstanceType":["c5.2xlarge","i3en.large","m5.large","m6i.large","t3.small"]}}'
  run --separate-stderr plc-preflight -q -i ami-0123456789abcdef0 "$(variant '.spot_enabled = true')"
  assert_success
  assert_line --index 2 '{"service":"ec2","region":"us-west-2","action":"DescribeImages","params":{"ImageId":["ami-0123456789abcdef0"]}}'
  assert_line --index 3 '{"service":"servicequotas","region":"us-west-2","target":"ServiceQuotasV20190624.GetServiceQuota","json":{"ServiceCode":"ec2","QuotaCode":"L-34B43A08"}}'
}

@test "plc-preflight on moto: poc passes, picks the first zone offering every type, 26 vCPUs with the monitor node; moto has no EC2 quota" {
  run --separate-stderr preflight "$POC"
  assert_success
  # moto answers GetServiceQuota for ec2 with NoSuchResourceException: said, not failed.
  assert_equal "$stderr" "$NO_QUOTA"
  run jq -c '[.availability_zone, .availability_zone_from, .zones_offering_all, .vcpus.needed, .vcpus.quota, .ok]' <<<"$output"
  assert_output "[\"us-west-2a\",\"preflight\",$OFFERED_ALL,26,null,true]"
  run jq -c '.instance_types[] | [.instance_type, .roles, .count, .vcpus_each, .architectures]' <<<"$(preflight "$POC" 2>/dev/null)"
  assert_output '["c5.2xlarge",["client"],1,8,["x86_64"]]
["i3en.large",["bookkeeper"],3,2,["x86_64"]]
["m5.large",["broker"],2,2,["x86_64"]]
["t3.small",["zookeeper","monitoring"],4,2,["x86_64"]]'
  # Without the monitor node (monitoring.enabled false), its 2 vCPUs go.
  run jq -c '.vcpus.needed' <<<"$(preflight "$(variant '.monitoring.enabled = false')" 2>/dev/null)"
  assert_output 24
}

@test "plc-preflight: a type not offered in the plan's zone fails (4) naming it; left open, a zone offering all is picked" {
  # moto offers x1e.xlarge in us-west-2a, b and c, not d.
  run --separate-stderr preflight "$(variant '.availability_zone = "us-west-2d" | .bookkeeper.instance_type = "x1e.xlarge"')"
  assert_failure 4
  assert_equal "$stderr" "plc-preflight: warning: the vCPU quota L-1216C47A was not checked: NoSuchResourceException: This service is not available in the current Region. Choose a different Region or a different service.
plc-preflight: warning: 12 vCPUs of the plan are of families outside the standard quota, whose own quotas were not checked
plc-preflight: x1e.xlarge (bookkeeper) is not offered in us-west-2d; zones of us-west-2 offering every type of the plan: us-west-2a, us-west-2b, us-west-2c: set aws.availability_zone to one of them (or remove it), or choose another compute.bookkeeper.instance_type"
  run jq -c '[.availability_zone, .availability_zone_from, .ok, (.failures | length)]' <<<"$output"
  assert_output '["us-west-2d","plan",false,1]'
  run --separate-stderr preflight "$(variant '.bookkeeper.instance_type = "x1e.xlarge"')"
  assert_success
  run jq -c '[.availability_zone, .zones_offering_all]' <<<"$output"
  assert_output '["us-west-2a",["us-west-2a","us-west-2b","us-west-2c"]]'
}

@test "plc-preflight: an image that does not exist, and an arm64 image for x86_64 types, fail (4) saying what to change" {
  run --separate-stderr preflight -i ami-12345678 "$POC"
  assert_failure 4
  # The verdict is printed all the same.
  run jq -c '[.image, .ok]' <<<"$output"
  assert_output '[{"image_id":"ami-12345678","architecture":null,"state":null},false]'
  run --separate-stderr preflight -i ami-12345678 "$POC"
  assert_equal "$(sed -n 2p <<<"$stderr")" 'plc-preflight: image ami-12345678 does not exist in us-west-2 (InvalidAMIID.NotFound): set compute.ami to auto (make ami builds one), stock, or an image ID of that region'
  local arm
  arm=$(aws ec2 describe-images --filters Name=architecture,Values=arm64 --query 'Images[0].ImageId' --output text)
  run --separate-stderr preflight -i "$arm" "$POC"
  assert_failure 4
  run grep -c "^plc-preflight: [a-z0-9.]* ([a-z, ]*) runs x86_64, but image $arm is arm64: set compute.ami to a x86_64 image (make ami builds one), or choose a arm64 type for compute.[a-z]*.instance_type\$" <<<"$stderr"
  assert_output 4
  run jq -c '.image' <<<"$(preflight -i "$arm" "$POC" 2>/dev/null)"
  assert_output "{\"image_id\":\"$arm\",\"architecture\":\"arm64\",\"state\":\"available\"}"
}

@test "plc-preflight: the vCPU quota, injected through the fault proxy, fails (4) below the plan's 26 and passes at 26" {
  faultproxy_start
  quota_answer 16.0
  run --separate-stderr preflight "$POC"
  assert_failure 4
  assert_equal "$stderr" 'plc-preflight: the plan needs 26 vCPUs (1 x c5.2xlarge (8), 3 x i3en.large (2), 2 x m5.large (2), 4 x t3.small (2)) but the account'"'"'s quota "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances" (L-1216C47A) in us-west-2 is 16, instances already running included: ask for at least 26 in Service Quotas, or choose fewer or smaller instances'
  run jq -c '.vcpus' <<<"$output"
  assert_output '{"needed":26,"other_families":0,"quota_code":"L-1216C47A","quota_name":"Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances","quota":16}'
  quota_answer 26.0
  run --separate-stderr preflight "$POC"
  assert_success
  assert_equal "$stderr" ""
  run faultproxy_count '^GetServiceQuota$' '^answer:200$'
  assert_output 2
  faultproxy_stop
}

@test "plc-preflight: an AWS error on a question it needs is exit 1 naming it; missing answers too" {
  faultproxy_start
  faultproxy_config '{"fault":"error:UnauthorizedOperation:403","match":"^DescribeInstanceTypeOfferings$"}'
  run --separate-stderr preflight "$POC"
  assert_failure 1
  assert_equal "$stderr" 'plc-preflight: DescribeInstanceTypeOfferings: UnauthorizedOperation: Injected fault: UnauthorizedOperation'
  assert_output ''
  faultproxy_stop
  run --separate-stderr plc-preflight "$POC" <<<'{"status": 200, "page": 1, "body": {}}'
  assert_failure 1
  assert_equal "$stderr" 'plc-preflight: no answer to DescribeInstanceTypes (and what follows it): plc-aws-sign said why'
}

# -R: after apply, the nodes' readiness from the statuses lab-setup fetched
# (each node writes status/<node>.json; user-data). What the lifecycle
# prints while it waits, and on a timeout, is made of this.
@test "-R: ready, failed, per role, and why each waits (no status, unreadable)" {
  local d=$BATS_TEST_TMPDIR/status
  mkdir "$d"
  echo '{"state":"ready"}' >"$d/broker-0.json"
  echo '{"state":"booting"}' >"$d/broker-1.json"
  echo 'not json' >"$d/bookkeeper-0.json"
  echo '{"state":7}' >"$d/bookkeeper-1.json"
  : >"$d/client-0.json"
  echo '{"state":"failed","log_tail":["oom"]}' >"$d/zookeeper-0.json"
  run --separate-stderr plc-preflight -R "$d" zookeeper-0 broker-0 broker-1 bookkeeper-0 bookkeeper-1 client-0 zookeeper-1
  assert_success
  assert_equal "$stderr" ""
  assert_output '{"nodes":7,"ready":1,"failed":["zookeeper-0"],"by_role":[{"role":"bookkeeper","ready":0,"nodes":2},{"role":"broker","ready":1,"nodes":2},{"role":"client","ready":0,"nodes":1},{"role":"zookeeper","ready":0,"nodes":2}],"waiting":[{"node":"zookeeper-0","state":"failed"},{"node":"broker-1","state":"booting"},{"node":"bookkeeper-0","state":"unreadable"},{"node":"bookkeeper-1","state":"unreadable"},{"node":"client-0","state":"no status yet"},{"node":"zookeeper-1","state":"no status yet"}]}'
  # All ready: nothing waits.
  run --separate-stderr plc-preflight -R "$d" broker-0
  assert_success
  assert_output '{"nodes":1,"ready":1,"failed":[],"by_role":[{"role":"broker","ready":1,"nodes":1}],"waiting":[]}'
  # No node named is a usage error.
  run --separate-stderr plc-preflight -R "$d"
  assert_failure 2
  assert_equal "$stderr" "plc-preflight: no node named
$USAGE"
}
