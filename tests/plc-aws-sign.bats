#!/usr/bin/env bats
# plc-aws-sign: signing checked against the SigV4 suite, and every call made
# against moto with signature checking on, so a wrong signature fails.

load lib/common
load lib/moto

SUITE="$FIXTURES/sigv4/aws-c-auth/v4"

setup_file() { moto_start --auth; }
teardown_file() { faultproxy_stop; moto_stop; }

setup() {
  plc_isolate_aws_env
  moto_env
}

# The line of a suite case's expected signed request that starts with $2.
suite_line() { grep "^$2" "$SUITE/$1/header-signed-request.txt" | tr -d '\r'; }

# A batch touching every service the toolkit uses; $1 makes names unique.
# (No "/" in the S3 prefix: moto 5.2.1 fails signature checks on a query
# value holding one, for the aws CLI too.)
service_batch() {
  local tag=$1
  cat <<EOF
{"service":"ec2","action":"DescribeRegions"}
{"service":"ec2","action":"RunInstances","params":{"ImageId":"ami-12c6146b","MinCount":2,"MaxCount":2,"InstanceType":"t3.micro","TagSpecification":[{"ResourceType":"instance","Tag":[{"Key":"ExperimentID","Value":"$tag"}]}]}}
{"service":"ec2","action":"DescribeInstances","params":{"Filter":[{"Name":"tag:ExperimentID","Value":["$tag"]}]}}
{"service":"sts","action":"GetCallerIdentity"}
{"service":"tagging","target":"ResourceGroupsTaggingAPI_20170126.GetResources","json":{"TagFilters":[{"Key":"ExperimentID","Values":["$tag"]}]}}
{"service":"ce","target":"AWSInsightsIndexService.GetCostAndUsage","json":{"TimePeriod":{"Start":"2026-11-01","End":"2026-11-03"},"Granularity":"DAILY","Metrics":["UnblendedCost"]}}
{"service":"s3","method":"PUT","bucket":"$tag","body":"<CreateBucketConfiguration><LocationConstraint>us-west-2</LocationConstraint></CreateBucketConfiguration>"}
{"service":"s3","method":"PUT","bucket":"$tag","key":"results/run 1.json","body":"{\"ok\":true}"}
{"service":"s3","bucket":"$tag","key":"results/run 1.json"}
{"service":"s3","bucket":"$tag","query":{"list-type":"2","prefix":"results"}}
EOF
}

# Runs the batch and checks each answer's content, not just its status.
assert_service_batch() {
  local tag=$1
  service_batch "$tag" >"$BATS_TEST_TMPDIR/batch.ndjson"
  run --separate-stderr plc-aws-sign --send "$BATS_TEST_TMPDIR/batch.ndjson"
  assert_success
  assert_equal "$stderr" ""
  local out=$BATS_TEST_TMPDIR/out.ndjson
  printf '%s\n' "$output" >"$out"
  assert_equal "$(jq -s 'length' "$out")" 10
  assert_equal "$(jq -s '[.[].status] | unique' -c "$out")" "[200]"
  assert_equal "$(jq -s '[.[0].body.DescribeRegionsResponse.regionInfo[].regionName] | index("us-west-2") != null' "$out")" true
  assert_equal "$(jq -s '[.[2].body.DescribeInstancesResponse.reservationSet[].instancesSet[]] | length' "$out")" 2
  assert_equal "$(jq -rs '.[3].body.GetCallerIdentityResponse.GetCallerIdentityResult.Arn' "$out")" "${EXPECT_ARN:-arn:aws:iam::123456789012:user/plc-test}"
  assert_equal "$(jq -s '.[4].body.ResourceTagMappingList | length' "$out")" 2
  assert_equal "$(jq -s '.[5].body | has("ResultsByTime")' "$out")" true
  assert_equal "$(jq -rs '.[8].body' "$out")" '{"ok":true}'
  assert_equal "$(jq -rs '.[9].body.ListBucketResult.Contents[0].Key' "$out")" "results/run 1.json"
}

@test "--help answers the question and --version prints the version" {
  run --separate-stderr plc-aws-sign --help
  assert_success
  assert_line --index 0 "usage: plc-aws-sign [-prv] [-s | -P seconds] [-t time] [file]"
  assert_output --partial '"action":"DescribeInstances"'
  run --separate-stderr plc-aws-sign --version
  assert_success
  assert_output "plc-aws-sign 0.1.0"
}

@test "usage errors exit 2 with the usage line" {
  run --separate-stderr plc-aws-sign --bogus
  assert_failure 2
  assert_equal "${stderr_lines[-1]}" "usage: plc-aws-sign [-prv] [-s | -P seconds] [-t time] [file]"
  run --separate-stderr plc-aws-sign --paginate
  assert_failure 2
  assert_equal "${stderr_lines[0]}" "plc-aws-sign: --paginate needs --send"
  run --separate-stderr plc-aws-sign --presign 0
  assert_failure 2
  assert_equal "$stderr" 'plc-aws-sign: --presign: expected seconds from 1 to 604800, found "0"'
  run --separate-stderr plc-aws-sign --time yesterday
  assert_failure 2
  # Out of range is refused, not shifted (issue 18, item 5).
  local bad
  for bad in 2026-02-30T00:00:00Z 2026-11-24T12:-5:00Z 2026-11-24T12:00:00-25:99; do
    run --separate-stderr plc-aws-sign --time "$bad" </dev/null
    assert_failure 2
    assert_equal "$stderr" "plc-aws-sign: --time: expected an ISO 8601 UTC time such as 2026-11-24T12:00:00Z, found \"$bad\""
  done
}

@test "header signing reproduces the SigV4 suite's Authorization" {
  export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
  unset AWS_ENDPOINT_URL
  req='{"service":"service","region":"us-east-1","url":"https://example.amazonaws.com/"}'
  run --separate-stderr plc-aws-sign --time 2015-08-30T12:36:00Z <<<"$req"
  assert_success
  assert_equal "Authorization:$(jq -r '.headers.Authorization' <<<"$output")" "$(suite_line get-vanilla Authorization)"
  assert_equal "X-Amz-Date:$(jq -r '.headers["X-Amz-Date"]' <<<"$output")" "$(suite_line get-vanilla X-Amz-Date)"

  req='{"service":"service","region":"us-east-1","method":"POST","url":"https://example.amazonaws.com/?Param1=value1"}'
  run --separate-stderr plc-aws-sign --time 20150830T123600Z <<<"$req"
  assert_equal "Authorization:$(jq -r '.headers.Authorization' <<<"$output")" "$(suite_line post-vanilla-query Authorization)"

  export AWS_SESSION_TOKEN=6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267
  req='{"service":"service","region":"us-east-1","url":"https://example.amazonaws.com/"}'
  run --separate-stderr plc-aws-sign --time 2015-08-30T12:36:00Z <<<"$req"
  assert_equal "Authorization:$(jq -r '.headers.Authorization' <<<"$output")" "$(suite_line get-vanilla-with-session-token Authorization)"
  assert_equal "X-Amz-Security-Token:$(jq -r '.headers["X-Amz-Security-Token"]' <<<"$output")" "$(suite_line get-vanilla-with-session-token X-Amz-Security-Token)"
}

@test "--presign reproduces the SigV4 suite's presigned URL" {
  export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
  unset AWS_ENDPOINT_URL
  req='{"service":"service","region":"us-east-1","url":"https://example.amazonaws.com/"}'
  run --separate-stderr plc-aws-sign --presign 3600 --time 2015-08-30T12:36:00Z <<<"$req"
  assert_success
  want=$(head -1 "$SUITE/get-vanilla/query-signed-request.txt" | cut -d' ' -f2)
  assert_equal "$(jq -r .url <<<"$output")" "https://example.amazonaws.com$want"
}

@test "each service signs for its real endpoint, scope and region" {
  unset AWS_ENDPOINT_URL
  export AWS_REGION=eu-west-1
  run --separate-stderr plc-aws-sign --time 2026-11-24T12:00:00Z <<'EOF'
{"service":"ec2","action":"DescribeRegions"}
{"service":"ce","target":"AWSInsightsIndexService.GetCostAndUsage","json":{}}
{"service":"tagging","target":"ResourceGroupsTaggingAPI_20170126.GetResources"}
{"service":"pricing","target":"AWSPriceListService.GetProducts","json":{"ServiceCode":"AmazonEC2"}}
{"service":"iam","action":"ListRoles"}
{"service":"s3","method":"PUT","bucket":"exp-1-data","key":"inbox/run 1.yaml","body":"x"}
{"service":"sts","action":"GetCallerIdentity","region":"us-west-2"}
EOF
  assert_success
  run jq -r '[.url, (.headers.Authorization | capture("Credential=[^/]+/[0-9]+/(?<s>[^,]+)/aws4_request").s)] | join(" ")' <<<"$output"
  assert_output - <<'EOF'
https://ec2.eu-west-1.amazonaws.com/ eu-west-1/ec2
https://ce.us-east-1.amazonaws.com/ us-east-1/ce
https://tagging.eu-west-1.amazonaws.com/ eu-west-1/tagging
https://api.pricing.us-east-1.amazonaws.com/ us-east-1/pricing
https://iam.amazonaws.com/ us-east-1/iam
https://exp-1-data.s3.eu-west-1.amazonaws.com/inbox/run%201.yaml eu-west-1/s3
https://sts.us-west-2.amazonaws.com/ us-west-2/sts
EOF
}

@test "S3 requests carry x-amz-content-sha256 and the Query body is serialized" {
  unset AWS_ENDPOINT_URL
  run --separate-stderr plc-aws-sign <<'EOF'
{"service":"s3","method":"PUT","bucket":"b","key":"k","body":"hello pulsar\n"}
{"service":"ec2","action":"DescribeInstances","params":{"Filter":[{"Name":"tag:ExperimentID","Value":["exp-1","exp 2"]}],"DryRun":false,"MaxResults":5}}
EOF
  assert_success
  assert_equal "$(jq -rs '.[0].headers["x-amz-content-sha256"]' <<<"$output")" "$(printf 'hello pulsar\n' | sha256sum | cut -d' ' -f1)"
  assert_equal "$(jq -rs '.[0].headers.Authorization | contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date")' <<<"$output")" true
  assert_equal "$(jq -rs '.[1].body' <<<"$output")" "Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=tag%3AExperimentID&Filter.1.Value.1=exp-1&Filter.1.Value.2=exp%202&DryRun=false&MaxResults=5"
}

# Issue 18, item 7: body_file had no limit; /dev/zero grew memory until
# allocation failed.
@test "a body_file above the limit is refused as bad input" {
  unset AWS_ENDPOINT_URL
  run --separate-stderr plc-aws-sign <<<'{"service":"s3","method":"PUT","bucket":"b","key":"k","body_file":"/dev/zero"}'
  assert_failure 3
  assert_output ""
  assert_equal "$stderr" 'plc-aws-sign: <stdin>:1: "body_file": "/dev/zero" is larger than the limit of 268435456 bytes'
}

# Issue 18, item 7: 0.1 went out as 0.10000000000000001 (%.17g).
@test "reals go out in their shortest form, in Query parameters and JSON bodies" {
  unset AWS_ENDPOINT_URL
  run --separate-stderr plc-aws-sign <<'EOF'
{"service":"ec2","action":"X","params":{"P":0.1,"Q":3,"R":1.5e-7}}
{"service":"ce","target":"A.B","json":{"a":0.1,"b":[1,2.5],"c":"\u00e9"}}
EOF
  assert_success
  assert_equal "$(jq -rs '.[0].body' <<<"$output")" "Action=X&Version=2016-11-15&P=0.1&Q=3&R=1.5e-07"
  assert_equal "$(jq -rs '.[1].body' <<<"$output")" '{"a":0.1,"b":[1,2.5],"c":"é"}'
}

@test "AWS_ENDPOINT_URL_<SERVICE> overrides one service, the ignore flag both" {
  export AWS_ENDPOINT_URL=http://127.0.0.1:1 AWS_ENDPOINT_URL_EC2=http://127.0.0.1:2/
  export AWS_ENDPOINT_URL_COST_EXPLORER=http://127.0.0.1:3
  run --separate-stderr plc-aws-sign <<'EOF'
{"service":"ec2","action":"DescribeRegions"}
{"service":"sts","action":"GetCallerIdentity"}
{"service":"ce","target":"AWSInsightsIndexService.GetCostAndUsage"}
EOF
  assert_success
  assert_equal "$(jq -r .url <<<"$output" | paste -sd' ')" "http://127.0.0.1:2/ http://127.0.0.1:1/ http://127.0.0.1:3/"
  AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true run --separate-stderr plc-aws-sign <<<'{"service":"ec2","action":"DescribeRegions"}'
  assert_equal "$(jq -r .url <<<"$output")" "https://ec2.us-west-2.amazonaws.com/"
}

@test "moto with signature checking: every service, environment credentials" {
  assert_service_batch "env-$RANDOM"
}

@test "moto with signature checking: every service, a named profile" {
  cat >"$HOME/creds" <<EOF
[default]
aws_access_key_id = AKIAWRONGWRONGWRONG0
aws_secret_access_key = wrong
[plc]
aws_access_key_id = $AWS_ACCESS_KEY_ID
aws_secret_access_key = $AWS_SECRET_ACCESS_KEY
EOF
  export AWS_SHARED_CREDENTIALS_FILE=$HOME/creds AWS_PROFILE=plc
  unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
  assert_service_batch "profile-$RANDOM"
}

@test "moto with signature checking: every service, credential_process" {
  cat >"$HOME/cred-process" <<EOF
#!/bin/sh
printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "%s"}' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY"
EOF
  chmod +x "$HOME/cred-process"
  printf '[profile proc]\ncredential_process = %s\n' "$HOME/cred-process" >"$HOME/config"
  export AWS_CONFIG_FILE=$HOME/config AWS_PROFILE=proc
  unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
  assert_service_batch "process-$RANDOM"
}

@test "moto with signature checking: every service, IMDSv2 instance credentials" {
  # moto.bash serves a session of role plc-test-role as strict IMDSv2: a GET
  # without the token from PUT /latest/api/token is refused with 401.
  export AWS_EC2_METADATA_SERVICE_ENDPOINT=$MOTO_IMDS_URL
  unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
  EXPECT_ARN=arn:aws:sts::123456789012:assumed-role/plc-test-role/plc-test-session \
    assert_service_batch "imds-$RANDOM"
}

@test "moto with signature checking: a profile's role_arn is assumed through STS" {
  printf '[base]\naws_access_key_id = %s\naws_secret_access_key = %s\n' \
    "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" >"$HOME/creds"
  printf '[profile lab]\nrole_arn = arn:aws:iam::123456789012:role/plc-lab\nsource_profile = base\nrole_session_name = plc-test\n' >"$HOME/config"
  export AWS_SHARED_CREDENTIALS_FILE=$HOME/creds AWS_CONFIG_FILE=$HOME/config AWS_PROFILE=lab
  unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
  run --separate-stderr plc-aws-sign --send <<<'{"service":"sts","action":"GetCallerIdentity"}'
  assert_success
  assert_equal "$(jq -r .body.GetCallerIdentityResponse.GetCallerIdentityResult.Arn <<<"$output")" \
    "arn:aws:sts::123456789012:assumed-role/plc-lab/plc-test"
}

@test "pagination follows EC2 nextToken and tagging PaginationToken" {
  local tag=pages-$RANDOM
  for _ in 1 2 3 4 5 6 7; do
    echo "{\"service\":\"ec2\",\"action\":\"RunInstances\",\"params\":{\"ImageId\":\"ami-12c6146b\",\"MinCount\":1,\"MaxCount\":1,\"TagSpecification\":[{\"ResourceType\":\"instance\",\"Tag\":[{\"Key\":\"ExperimentID\",\"Value\":\"$tag\"}]}]}}"
  done | plc-aws-sign --send >/dev/null
  run --separate-stderr plc-aws-sign --send --paginate <<<"{\"service\":\"ec2\",\"action\":\"DescribeInstances\",\"params\":{\"Filter\":[{\"Name\":\"tag:ExperimentID\",\"Value\":[\"$tag\"]}],\"MaxResults\":5}}"
  assert_success
  assert_equal "$(jq -c '[.page, ([.body.DescribeInstancesResponse.reservationSet[].instancesSet[]] | length)]' <<<"$output" | paste -sd' ')" "[1,5] [2,2]"
  assert_equal "$(jq -r '.body.DescribeInstancesResponse.reservationSet[].instancesSet[].instanceId' <<<"$output" | sort -u | wc -l)" 7

  run --separate-stderr plc-aws-sign --send --paginate <<<"{\"service\":\"tagging\",\"target\":\"ResourceGroupsTaggingAPI_20170126.GetResources\",\"json\":{\"TagFilters\":[{\"Key\":\"ExperimentID\",\"Values\":[\"$tag\"]}],\"ResourcesPerPage\":3}}"
  assert_success
  assert_equal "$(jq -c '.body.ResourceTagMappingList | length' <<<"$output" | paste -sd' ')" "3 3 1"
}

@test "an AWS error is printed with its code, not retried, and exits 1" {
  faultproxy_start
  run --separate-stderr plc-aws-sign --send <<'EOF'
{"service":"ec2","action":"DescribeInstances","params":{"InstanceId":["i-0123456789abcdef0"]}}
{"service":"sts","action":"GetCallerIdentity"}
EOF
  assert_failure 1
  assert_equal "$(jq -c '[.status, .error.code]' <<<"$output" | paste -sd' ')" '[400,"InvalidInstanceID.NotFound"] [200,null]'
  assert_equal "$(faultproxy_count DescribeInstances)" 1
  faultproxy_stop
}

@test "a wrong secret is refused by moto and reported, never printed" {
  export AWS_SECRET_ACCESS_KEY=CANARYwrongSECRETzzzzzzzzzzzzzzzzzzzzzzz
  run --separate-stderr plc-aws-sign --send --verbose <<<'{"service":"ec2","action":"DescribeRegions"}'
  assert_failure 1
  assert_equal "$(jq -r .error.code <<<"$output")" AuthFailure
  refute_output --partial CANARY
  [[ $stderr != *CANARY* ]]
}

@test "30% throttling: every call still succeeds" {
  faultproxy_start --fault throttle --rate 0.3 --seed 7
  export AWS_MAX_ATTEMPTS=6
  for i in $(seq 20); do
    if ((i % 2)); then echo '{"service":"ec2","action":"DescribeRegions"}'
    else echo '{"service":"tagging","target":"ResourceGroupsTaggingAPI_20170126.GetResources"}'; fi
  done >"$BATS_TEST_TMPDIR/batch"
  run --separate-stderr plc-aws-sign --send "$BATS_TEST_TMPDIR/batch"
  assert_success
  assert_equal "$(jq -s '[.[].status] | unique' -c <<<"$output")" "[200]"
  assert_equal "$(jq -s length <<<"$output")" 20
  throttled=$(faultproxy_count "" throttle)
  ((throttled > 0))
  assert_equal "$(faultproxy_count "")" $((20 + throttled))
  faultproxy_stop
}

@test "100% throttling: exactly AWS_MAX_ATTEMPTS attempts, then exit 1" {
  faultproxy_start --fault throttle --rate 1
  export AWS_MAX_ATTEMPTS=3
  run --separate-stderr plc-aws-sign --send <<<'{"service":"ec2","action":"DescribeRegions"}'
  assert_failure 1
  assert_equal "$(jq -c '[.status, .error.code]' <<<"$output")" '[503,"RequestLimitExceeded"]'
  assert_equal "$(faultproxy_count DescribeRegions)" 3
  faultproxy_clear_log
  export AWS_MAX_ATTEMPTS=2
  run --separate-stderr plc-aws-sign --send <<<'{"service":"tagging","target":"ResourceGroupsTaggingAPI_20170126.GetResources"}'
  assert_failure 1
  assert_equal "$(jq -c '[.status, .error.code]' <<<"$output")" '[400,"ThrottlingException"]'
  assert_equal "$(faultproxy_count GetResources)" 2
  faultproxy_stop
}

@test "500s and dropped connections are retried; other 4xx are not" {
  faultproxy_start --fault drop --limit 1
  run --separate-stderr plc-aws-sign --send <<<'{"service":"sts","action":"GetCallerIdentity"}'
  assert_success
  assert_equal "$(faultproxy_count GetCallerIdentity)" 2
  faultproxy_clear_log
  faultproxy_config '{"fault":"500","rate":1}'
  AWS_MAX_ATTEMPTS=2 run --separate-stderr plc-aws-sign --send <<<'{"service":"sts","action":"GetCallerIdentity"}'
  assert_failure 1
  assert_equal "$(jq .status <<<"$output")" 500
  assert_equal "$(faultproxy_count GetCallerIdentity)" 2
  faultproxy_clear_log
  faultproxy_config '{"fault":"error:InvalidParameterValue:400","rate":1}'
  run --separate-stderr plc-aws-sign --send <<<'{"service":"ec2","action":"DescribeRegions"}'
  assert_failure 1
  assert_equal "$(jq -r .error.code <<<"$output")" InvalidParameterValue
  assert_equal "$(faultproxy_count DescribeRegions)" 1
  faultproxy_stop
}

@test "no credentials: exit 1 naming every source tried" {
  unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
  export AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:9
  run --separate-stderr plc-aws-sign --send <<<'{"service":"sts","action":"GetCallerIdentity"}'
  assert_failure 1
  assert_output ""
  [[ $stderr == "plc-aws-sign: <stdin>:1: no credentials found"* ]]
  [[ $stderr == *environment* ]]
  [[ $stderr == *"profile default"* ]]
  [[ $stderr == *"instance metadata"* ]]
}

@test "malformed input exits 3 with its line, after the good lines" {
  run --separate-stderr plc-aws-sign --time 2026-11-24T00:00:00Z <<'EOF'
{"service":"sts","action":"GetCallerIdentity"}

{"service":"sts","action":
{"service":"sts","action":"GetCallerIdentity"}
EOF
  assert_failure 3
  assert_equal "${#lines[@]}" 1
  [[ $stderr == "plc-aws-sign: <stdin>:3:"* ]]
  run --separate-stderr plc-aws-sign <<<'{"action":"DescribeRegions"}'
  assert_failure 3
  assert_equal "$stderr" 'plc-aws-sign: <stdin>:1: missing "service" (e.g. "ec2", "s3", "ce")'
  run --separate-stderr plc-aws-sign <<<'{"service":"ec2","action":"DescribeRegions","params":[1]}'
  assert_failure 3
  assert_equal "$stderr" 'plc-aws-sign: <stdin>:1: "params": expected an object'
}

@test "a canary secret appears in no output and no file" {
  canary=$AWS_SECRET_ACCESS_KEY
  cd "$BATS_TEST_TMPDIR"
  service_batch "canary-$RANDOM" >batch
  plc-aws-sign --send --verbose batch >out.send 2>err.send
  service_batch "canary-pages-$RANDOM" >batch.pages
  plc-aws-sign --send --paginate batch.pages >out.page 2>err.page
  plc-aws-sign batch >out.sign 2>err.sign
  plc-aws-sign --presign 60 batch >out.presign 2>err.presign
  AWS_SECRET_ACCESS_KEY=x$canary plc-aws-sign --send batch >out.bad 2>err.bad || true
  [[ -s out.send && -s out.sign && -s out.presign && -s out.bad ]]
  run grep -rlF -- "$canary" "$BATS_TEST_TMPDIR" "$HOME"
  assert_output ""
}

@test "S3 object reads keep their bytes; output_file writes them" {
  local b=obj-$RANDOM
  printf '%s\n' \
    "{\"service\":\"s3\",\"method\":\"PUT\",\"bucket\":\"$b\",\"body\":\"<CreateBucketConfiguration><LocationConstraint>us-west-2</LocationConstraint></CreateBucketConfiguration>\"}" \
    "{\"service\":\"s3\",\"method\":\"PUT\",\"bucket\":\"$b\",\"key\":\"r.json\",\"body_file\":\"$FIXTURES/sigv4/SOURCES.md\"}" \
    "{\"service\":\"s3\",\"bucket\":\"$b\",\"key\":\"r.json\",\"output_file\":\"$BATS_TEST_TMPDIR/r.json\"}" |
    plc-aws-sign --send >"$BATS_TEST_TMPDIR/out"
  assert_equal "$(jq -sc '[.[2].body_file, .[2].body_bytes]' "$BATS_TEST_TMPDIR/out")" "[\"$BATS_TEST_TMPDIR/r.json\",$(wc -c <"$FIXTURES/sigv4/SOURCES.md")]"
  cmp "$FIXTURES/sigv4/SOURCES.md" "$BATS_TEST_TMPDIR/r.json"
}

@test "--send reuses one connection across lines when the server keeps it open" {
  command -v strace >/dev/null || skip "strace is not installed"
  faultproxy_start --keep-alive
  for _ in 1 2 3 4 5; do echo '{"service":"sts","action":"GetCallerIdentity"}'; done >"$BATS_TEST_TMPDIR/five"
  # LeakSanitizer cannot work under ptrace: leak checks stay with the other tests.
  ASAN_OPTIONS=detect_leaks=0 run --separate-stderr strace -f -e trace=connect -o "$BATS_TEST_TMPDIR/strace" plc-aws-sign --send "$BATS_TEST_TMPDIR/five"
  assert_success
  assert_equal "$(jq -c .status <<<"$output" | paste -sd' ')" "200 200 200 200 200"
  run grep -c "sin_port=htons($FAULTPROXY_PORT)" "$BATS_TEST_TMPDIR/strace"
  assert_output 1
  faultproxy_stop
}

@test "AWS_CA_BUNDLE decides which TLS endpoints are trusted" {
  cd "$BATS_TEST_TMPDIR"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 1 \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
  python3 "$PLC_ROOT/tests/lib/tlsecho.py" cert.pem key.pem port 3>&- &
  tls_pid=$!
  for _ in $(seq 50); do [[ -s port ]] && break; sleep 0.1; done
  export AWS_ENDPOINT_URL=https://127.0.0.1:$(cat port)
  req='{"service":"sts","action":"GetCallerIdentity"}'
  AWS_CA_BUNDLE=$PWD/cert.pem run --separate-stderr plc-aws-sign --send <<<"$req"
  assert_success
  assert_equal "$(jq -c '[.status, .body.tls]' <<<"$output")" '[200,true]'
  # The system's trust store does not know this certificate: refused, not retried.
  run --separate-stderr plc-aws-sign --send <<<"$req"
  kill "$tls_pid"
  assert_failure 1
  assert_output ""
  [[ $stderr == "plc-aws-sign: <stdin>:1: POST https://127.0.0.1:"*"/: SSL certificate problem: self-signed certificate" ]]
}
