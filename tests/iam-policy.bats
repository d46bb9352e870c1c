#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2154  # jq programs and IAM policy variables in single quotes; bats sets $stderr
# terraform/iam-policy.json, the policy a user needs to run plc, held against
# what the toolkit really sends: every request of terraform (plan, apply,
# destroy), plc-reap (dry run and --execute) and plc-cost goes through
# tests/lib/faultproxy.py to a private moto_server, and
# tests/lib/iam-actions names the IAM actions of the logged requests; the
# tools' C sources are scanned for the requests they can build; the
# lifecycle's own calls are listed in tests/fixtures/iam-policy/. The policy
# must allow all of them (tests/lib/iam-check) and grant nothing else
# outside its BuildAmi statement.

bats_require_minimum_version 1.5.0

load lib/common
load lib/cluster

# A second copy of the module, for the experiment plc-reap --execute deletes
# (terraform destroy deletes the first one).
tf_setup_second() {
  cp -R "$BATS_FILE_TMPDIR/src" "$BATS_FILE_TMPDIR/src2"
  TF_DATA_DIR=$BATS_FILE_TMPDIR/tfdata2 terraform -chdir="$BATS_FILE_TMPDIR/src2/terraform" init -input=false \
    -no-color -backend-config="path=$BATS_FILE_TMPDIR/reap.tfstate" >"$BATS_FILE_TMPDIR/init2.log" 2>&1
}

tf2() { TF_DATA_DIR=$BATS_FILE_TMPDIR/tfdata2 terraform -chdir="$BATS_FILE_TMPDIR/src2/terraform" "$@"; }

# save NAME: move what the proxy logged so far to $D/NAME.log.
save() { cat "$FAULTPROXY_LOG" >>"$D/$1.log" && faultproxy_clear_log; }

# A results object in an experiment's bucket, as a run leaves it (straight to
# moto: the lifecycle's own calls are listed, not measured). In emulator
# mode the bucket has no TLS-only policy: moto serves plain HTTP and would
# enforce it (Terraform's AWS-only calls are in aws-only.txt).
put_result() {
  aws --endpoint-url "$MOTO_URL" s3api put-object --bucket "plc-123456789012-$1" --key outbox/run-1/result.json \
    --body "$FIXTURES/terraform/poc.tfvars.json" >/dev/null
}

setup_file() {
  cluster_moto_start
  if ! cluster_tf_setup || ! tf_setup_second; then
    echo "no provider mirror" >"$BATS_FILE_TMPDIR/skip"
    return 0
  fi
  local vars=$FIXTURES/terraform/poc.tfvars.json iid
  D=$BATS_FILE_TMPDIR
  # An account-owned pulsar-base image, so the "auto" AMI path finds one.
  iid=$(aws ec2 run-instances --image-id "$(aws ssm get-parameter \
    --name /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64 \
    --query Parameter.Value --output text)" --instance-type t3.small \
    --query 'Instances[0].InstanceId' --output text)
  aws ec2 create-image --instance-id "$iid" --name pulsar-base-3.0.17-20260101000000 >/dev/null
  aws ec2 terminate-instances --instance-ids "$iid" >/dev/null

  faultproxy_start
  : >"$D/terraform.log" && : >"$D/reap.log" && : >"$D/cost.log"
  # Terraform: the data sources of every AMI choice, then two experiments
  # applied at once (the waits are the provider's polls, not work).
  tf plan -input=false -no-color -var-file="$vars" -var ami=auto >"$D/plan-auto.log" 2>&1
  tf apply -input=false -no-color -auto-approve -var-file="$vars" >"$D/apply.log" 2>&1 &
  local apply1=$!
  tf2 apply -input=false -no-color -auto-approve -var-file="$vars" -var experiment_id=exp-iam-reap \
    >"$D/apply2.log" 2>&1 &
  local apply2=$!
  wait "$apply1" && echo 0 >"$D/apply.rc" || echo $? >"$D/apply.rc"
  wait "$apply2" && echo 0 >"$D/apply2.rc" || echo $? >"$D/apply2.rc"
  save terraform
  put_result exp-tf-poc
  put_result exp-iam-reap

  plc-reap -r us-west-2 -e exp-iam-reap >"$D/reap-dry.ndjson" 2>"$D/reap-dry.err" || true
  save reap
  plc-cost -a -e exp-tf-poc >"$D/cost.json" 2>"$D/cost.err" || true
  # moto has no Price List API: the request is logged all the same.
  plc-cost --refresh-prices >"$D/prices.json" 2>"$D/prices.err" || true
  save cost

  tf destroy -input=false -no-color -auto-approve -var-file="$vars" >"$D/destroy.log" 2>&1 &&
    echo 0 >"$D/destroy.rc" || echo $? >"$D/destroy.rc"
  save terraform
  plc-reap -x -r us-west-2 -e exp-iam-reap >"$D/reap-x.ndjson" 2>"$D/reap-x.err" &&
    echo 0 >"$D/reap-x.rc" || echo $? >"$D/reap-x.rc"
  save reap
  faultproxy_stop
}

teardown_file() {
  faultproxy_stop
  cluster_moto_stop
}

setup() {
  D=$BATS_FILE_TMPDIR
  POLICY=$PLC_ROOT/terraform/iam-policy.json
  F=$FIXTURES/iam-policy
  LIB=$PLC_ROOT/tests/lib
}

needs_run() { [[ ! -e $D/skip ]] || skip "$(cat "$D/skip")"; }

# The IAM actions of a proxy log, one a line.
actions_of() { "$LIB/iam-actions" log "$D/$1.log"; }

# allowed_from LOG: run iam-check on the actions of $D/LOG.log; it must
# print nothing and succeed.
allowed_from() {
  run --separate-stderr bash -c "'$LIB/iam-actions' log '$D/$1.log' | '$LIB/iam-check' '$POLICY'"
  assert_success
  assert_output ""
}

# seen LOG ACTION...: each ACTION is among those of $D/LOG.log.
seen() {
  local log=$1
  shift
  run --separate-stderr actions_of "$log"
  assert_success
  for a in "$@"; do assert_line "$a"; done
}

@test "the policy is a 2012-10-17 document of Allow statements, each with a Sid" {
  run --separate-stderr jq -r '.Version, ([.Statement[] | select((.Sid | type) != "string" or .Effect != "Allow")] | length),
    ([.Statement[].Sid] | length == (unique | length))' "$POLICY"
  assert_success
  assert_output "$(printf '%s\n' 2012-10-17 0 true)"
}

@test "no statement grants every action, or every action of a service" {
  run --separate-stderr jq -r '.Statement[] | .Sid as $s | [.Action] | flatten[] |
    select(. == "*" or test(":\\*$")) | "\($s) \(.)"' "$POLICY"
  assert_success
  assert_output ""
}

@test "roles, instance profiles and policies only under /pulsar-aws-lab/; PassRole only to EC2" {
  run --separate-stderr jq -r '.Statement[] | select([.Action] | flatten | any(startswith("iam:"))) |
    select(.Sid != "ListProjectIam") | [.Resource] | flatten[]' "$POLICY"
  assert_success
  assert_output "$(printf '%s\n' 'arn:aws:iam::*:role/pulsar-aws-lab/*' 'arn:aws:iam::*:instance-profile/pulsar-aws-lab/*' \
    'arn:aws:iam::*:policy/pulsar-aws-lab/*' 'arn:aws:iam::*:role/pulsar-aws-lab/*' 'arn:aws:iam::*:role/pulsar-aws-lab/*' \
    'arn:aws:iam::*:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot')"
  run jq -c '.Statement[] | select(.Sid == "PassNodeRolesToEc2") | [.Action, .Condition]' "$POLICY"
  assert_output '[["iam:PassRole"],{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}]'
  # Only the listing actions, which take no resource, are on "*".
  run jq -c '.Statement[] | select(.Sid == "ListProjectIam") | [.Action, .Resource]' "$POLICY"
  assert_output '[["iam:ListInstanceProfiles","iam:ListPolicies","iam:ListRoles"],"*"]'
}

@test "S3 only on the account's experiment buckets (terraform/bucket.tf names them)" {
  run --separate-stderr jq -r '.Statement[] | select([.Action] | flatten | any(startswith("s3:"))) | [.Resource] | flatten[]' "$POLICY"
  assert_output "$(printf '%s\n' 'arn:aws:s3:::plc-${aws:PrincipalAccount}-*' 'arn:aws:s3:::plc-${aws:PrincipalAccount}-*/*')"
  run grep -c 'bucket        = "plc-${data.aws_caller_identity.current.account_id}-${var.experiment_id}"' \
    "$PLC_ROOT/terraform/bucket.tf"
  assert_output 1
}

@test "every action terraform's plan, apply and destroy sent is allowed" {
  needs_run
  assert_equal "$(cat "$D/apply.rc") $(cat "$D/apply2.rc") $(cat "$D/destroy.rc")" "0 0 0"
  run grep -c '^Destroy complete! Resources: 44 destroyed.$' "$D/destroy.log"
  assert_output 1
  allowed_from terraform
  # The measurement saw the calls it is meant to: the AMI data sources of
  # both paths, the bucket's many reads, emptying the bucket, the deletes.
  seen terraform ssm:GetParameter ec2:DescribeImages s3:GetBucketWebsite s3:ListBucketVersions \
    s3:DeleteObjectVersion ec2:TerminateInstances iam:DeleteRole ec2:DeleteVpc
}

@test "every action plc-reap sent, dry run and --execute, is allowed" {
  needs_run
  assert_equal "$(cat "$D/reap-x.rc")" 0
  assert_equal "$(cat "$D/reap-x.err")" ""
  allowed_from reap
  # It deleted the terraform-made experiment, so its delete calls were seen.
  seen reap ec2:TerminateInstances ec2:DeleteVpc iam:DeleteInstanceProfile iam:DeletePolicy s3:DeleteBucket \
    s3:DeleteObjectVersion tag:GetResources
}

@test "every action plc-cost sent, actuals and price refresh, is allowed" {
  needs_run
  allowed_from cost
  # (DescribeSpotPriceHistory is asked only for spot instances, which moto
  # does not launch here; the source scan covers it.)
  run --separate-stderr actions_of cost
  assert_output "$(printf '%s\n' ce:GetCostAndUsage ec2:DescribeInstances ec2:DescribeVolumes pricing:GetProducts)"
}

@test "every action the tools' sources can send is allowed, but what is deliberately not granted" {
  run --separate-stderr bash -c "'$LIB/iam-actions' source '$PLC_ROOT'/tools/*/*.c | '$LIB/iam-check' '$POLICY'"
  assert_failure 1
  assert_output "$(sed 's/ *#.*//; /^$/d' "$F/not-granted.txt")"
  # The scan finds each kind of request: Query tables, JSON targets, S3.
  run --separate-stderr bash -c "'$LIB/iam-actions' source '$PLC_ROOT'/tools/*/*.c | grep -cxE \
    'ec2:DeleteVpcEndpoints|iam:ListEntitiesForPolicy|pricing:GetProducts|tag:GetResources|s3:GetBucketTagging|s3:ListBucketVersions|s3:DeleteBucket'"
  assert_output 7
}

@test "the lifecycle's calls, Terraform's AWS-only ones and those AWS authorizes without a request are allowed" {
  run --separate-stderr "$LIB/iam-check" "$POLICY" "$F/lifecycle.txt" "$F/implied.txt" "$F/aws-only.txt"
  assert_success
  assert_output ""
}

@test "the check fails on actions the policy does not grant" {
  run --separate-stderr "$LIB/iam-check" "$POLICY" <<<$'ec2:DescribeVpcs\nec2:DeleteVpcPeeringConnection\ns3:PutBucketAcl\nS3:getobject'
  assert_failure 1
  assert_output "$(printf '%s\n' ec2:DeleteVpcPeeringConnection s3:PutBucketAcl)"
  assert_equal "$stderr" ""
  # Wildcards in the policy match as IAM's do, case-insensitively.
  printf '%s\n' '{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]}' \
    >"$BATS_TEST_TMPDIR/p.json"
  run --separate-stderr "$LIB/iam-check" "$BATS_TEST_TMPDIR/p.json" <<<$'ec2:describevpcs\nec2:DeleteVpc'
  assert_failure 1
  assert_output ec2:DeleteVpc
}

@test "iam-actions names S3 REST requests as IAM does and refuses one it does not know" {
  printf '%s\n' \
    '{"service":"s3","protocol":"rest","method":"HEAD","path":"/b","query":"","op":"HEAD /b"}' \
    '{"service":"s3","protocol":"rest","method":"GET","path":"/b","query":"list-type=2&prefix=x","op":"GET /b"}' \
    '{"service":"s3","protocol":"rest","method":"HEAD","path":"/b/k/1","query":"","op":"HEAD /b/k/1"}' \
    '{"service":"s3","protocol":"rest","method":"DELETE","path":"/b","query":"lifecycle=","op":"DELETE /b"}' \
    '{"service":"s3","protocol":"rest","method":"POST","path":"/b","query":"delete=","op":"POST /b"}' \
    '{"service":"tagging","protocol":"json","method":"POST","path":"/","query":"","op":"GetResources"}' \
    '{"service":"","protocol":"rest","method":"GET","path":"/latest/meta-data/","query":"","op":"GET /latest/meta-data/","fault":"imds"}' \
    >"$BATS_TEST_TMPDIR/a.log"
  run --separate-stderr "$LIB/iam-actions" log "$BATS_TEST_TMPDIR/a.log"
  assert_success
  assert_output "$(printf '%s\n' s3:DeleteObject s3:DeleteObjectVersion s3:GetObject s3:ListBucket \
    s3:PutLifecycleConfiguration tag:GetResources)"
  printf '%s\n' '{"service":"s3","protocol":"rest","method":"PUT","path":"/b","query":"mystery=","op":"PUT /b"}' \
    >"$BATS_TEST_TMPDIR/b.log"
  run --separate-stderr "$LIB/iam-actions" log "$BATS_TEST_TMPDIR/b.log"
  assert_failure 3
  assert_output ""
  assert_equal "$stderr" "iam-actions: $BATS_TEST_TMPDIR/b.log:1: S3 request: PUT /b?mystery"
}

@test "the policy grants nothing that no source uses (BuildAmi aside)" {
  needs_run
  {
    cat "$D/terraform.log" "$D/reap.log" "$D/cost.log" >"$BATS_TEST_TMPDIR/all.log"
    "$LIB/iam-actions" log "$BATS_TEST_TMPDIR/all.log"
    "$LIB/iam-actions" source "$PLC_ROOT"/tools/*/*.c
    cat "$F/lifecycle.txt" "$F/implied.txt" "$F/aws-only.txt"
  } >"$BATS_TEST_TMPDIR/used.txt"
  run --separate-stderr "$LIB/iam-check" --unused --skip-sid BuildAmi "$POLICY" "$BATS_TEST_TMPDIR/used.txt"
  assert_success
  assert_output ""
}

@test "BuildAmi grants what Packer's amazon-ebs builder and packer/plc-ami need, and no IAM" {
  run --separate-stderr jq -r '.Statement[] | select(.Sid == "BuildAmi") | .Action[]' "$POLICY"
  assert_success
  assert_equal "$(grep -c '^ec2:' <<<"$output")" "${#lines[@]}"
  # plc-ami's calls (aws CLI) are among them.
  for a in DescribeImages DeregisterImage DeleteSnapshot CreateImage RunInstances TerminateInstances; do
    assert_line "ec2:$a"
  done
}
