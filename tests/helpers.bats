#!/usr/bin/env bats
# Self-test of the local-AWS helpers: tests/lib/moto.bash (moto_server on a
# free loopback port, with and without signature checking) and
# tests/lib/faultproxy.py (fault injection between a client and moto).
# Requests are made with the aws CLI or curl; curl requests are unsigned and
# carry only the credential scope moto routes by.

# Each test runs in its own subshell, bats sets $stderr, and variables are
# read by the helpers: shellcheck cannot see that.
# shellcheck disable=SC2030,SC2031,SC2034,SC2154,SC2317

bats_require_minimum_version 1.5.0
load lib/common
load lib/moto

setup_file() {
  moto_start --auth
  export AUTH_MOTO_PORT=$MOTO_PORT AUTH_MOTO_PID=$MOTO_PID AUTH_MOTO_URL=$MOTO_URL AUTH_MOTO_DIR=$MOTO_DIR \
    AUTH_MOTO_IMDS_PID=$MOTO_IMDS_PID AUTH_MOTO_IMDS_URL=$MOTO_IMDS_URL
  unset MOTO_PID
  moto_start
  faultproxy_start --seed 7
}

teardown_file() {
  faultproxy_stop
  moto_stop
  MOTO_PID=${AUTH_MOTO_PID:-} MOTO_IMDS_PID=${AUTH_MOTO_IMDS_PID:-} moto_stop
}

setup() {
  plc_isolate_aws_env
  moto_env
  faultproxy_config '{}'
  faultproxy_clear_log
}

# Switch this test's environment to the moto with signature checking on.
use_auth_moto() {
  MOTO_PORT=$AUTH_MOTO_PORT MOTO_PID=$AUTH_MOTO_PID MOTO_URL=$AUTH_MOTO_URL MOTO_DIR=$AUTH_MOTO_DIR MOTO_AUTH=1
  MOTO_IMDS_PID=$AUTH_MOTO_IMDS_PID MOTO_IMDS_URL=$AUTH_MOTO_IMDS_URL
  unset FAULTPROXY_URL
  moto_env
}

# The Authorization header moto routes by: scope_auth SERVICE REGION [KEY_ID]
scope_auth() {
  printf 'Authorization: AWS4-HMAC-SHA256 Credential=%s/20260101/%s/%s/aws4_request, SignedHeaders=host, Signature=0' \
    "${3:-AKIAPLCTESTNOTREAL00}" "$2" "$1"
}

# Each prints the HTTP status; the body goes to $BATS_TEST_TMPDIR/body and the
# response headers to $BATS_TEST_TMPDIR/headers.
#   query_req SERVICE ACTION VERSION [URL [KEY_ID]]   Query protocol (EC2, STS, IAM)
#   json_req SERVICE TARGET [URL]                     JSON 1.1
#   s3_req METHOD PATH [URL [curl args...]]           REST, us-east-1
query_req() {
  curl -sS -o "$BATS_TEST_TMPDIR/body" -D "$BATS_TEST_TMPDIR/headers" -w '%{http_code}' \
    -H "$(scope_auth "$1" us-west-2 "${5:-}")" \
    -H 'Content-Type: application/x-www-form-urlencoded; charset=utf-8' \
    --data "Action=$2&Version=$3" "${4:-$FAULTPROXY_URL}/"
}
json_req() {
  curl -sS -o "$BATS_TEST_TMPDIR/body" -D "$BATS_TEST_TMPDIR/headers" -w '%{http_code}' \
    -H "$(scope_auth "$1" us-west-2)" -H 'Content-Type: application/x-amz-json-1.1' \
    -H "X-Amz-Target: $2" --data '{}' "${3:-$FAULTPROXY_URL}/"
}
s3_req() {
  local method=$1 path=$2 url=${3:-$FAULTPROXY_URL}
  shift 3 || shift $#
  curl -sS -o "$BATS_TEST_TMPDIR/body" -D "$BATS_TEST_TMPDIR/headers" -w '%{http_code}' \
    -X "$method" -H "$(scope_auth s3 us-east-1)" "$@" "$url$path"
}

# The last body with request ids replaced by UUID.
body() {
  sed -E 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/UUID/g; s/<HostId>[0-9a-f]{32}</<HostId>HEX</' \
    "$BATS_TEST_TMPDIR/body"
}

# The value of one response header of the last request.
resp_header() {
  sed -n "s/^$1: \\(.*\\)\\r\$/\\1/Ip" "$BATS_TEST_TMPDIR/headers"
}

port_closed() {
  run curl -sS --max-time 2 -o /dev/null "http://127.0.0.1:$1/"
  assert_failure 7
}

# --- moto ------------------------------------------------------------------

@test "moto_start: moto answers on its loopback port and the environment points at it" {
  [[ $MOTO_PORT =~ ^[0-9]+$ ]]
  ((MOTO_PORT > 1024))
  [[ $AUTH_MOTO_PORT != "$MOTO_PORT" ]]
  run curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MOTO_PORT/moto-api/"
  assert_output 200
  run tr '\0' ' ' <"/proc/$MOTO_PID/cmdline"
  assert_output --partial "moto_server -H 127.0.0.1 -p $MOTO_PORT "
  assert_file_contains "$MOTO_LOG" "Running on http://127.0.0.1:$MOTO_PORT"
  [[ $MOTO_LOG == "$BATS_FILE_TMPDIR"/moto*/moto.log ]]
  assert_equal "$MOTO_URL" "http://127.0.0.1:$MOTO_PORT"
  # a fault proxy runs in this file, so the endpoint is the proxy's
  assert_equal "$AWS_ENDPOINT_URL" "$FAULTPROXY_URL"
  assert_equal "$AWS_REGION" us-west-2
  assert_equal "$AWS_DEFAULT_REGION" us-west-2
  assert_equal "$AWS_ACCESS_KEY_ID" AKIAPLCTESTNOTREAL00
  [[ -n $AWS_SECRET_ACCESS_KEY ]]
  assert_equal "$AWS_EC2_METADATA_SERVICE_ENDPOINT" "$MOTO_URL"
  run query_req ec2 'DescribeRegions&RegionName.1=us-west-2' 2016-11-15 "$MOTO_URL"
  assert_output 200
  run body
  assert_output --partial '<regionName>us-west-2</regionName>'
}

@test "moto_start: two suites get different ports; moto_stop ends the process, closes the port, can be repeated" {
  ( unset MOTO_PID; moto_start >"$BATS_TEST_TMPDIR/a.err" 2>&1 && echo "$MOTO_PORT $MOTO_PID" >"$BATS_TEST_TMPDIR/a" ) &
  ( unset MOTO_PID; moto_start >"$BATS_TEST_TMPDIR/b.err" 2>&1 && echo "$MOTO_PORT $MOTO_PID" >"$BATS_TEST_TMPDIR/b" ) &
  wait
  read -r port_a pid_a <"$BATS_TEST_TMPDIR/a"
  read -r port_b pid_b <"$BATS_TEST_TMPDIR/b"
  [[ $port_a != "$port_b" && $port_a != "$MOTO_PORT" && $port_b != "$MOTO_PORT" ]]
  run curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port_a/moto-api/"
  assert_output 200
  run curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port_b/moto-api/"
  assert_output 200
  MOTO_PID=$pid_a moto_stop
  MOTO_PID=$pid_b moto_stop
  run moto_pid_running "$pid_a"
  assert_failure
  run moto_pid_running "$pid_b"
  assert_failure
  port_closed "$port_a"
  port_closed "$port_b"
  MOTO_PID=$pid_a run moto_stop
  assert_success
  assert_output ''
  # this file's moto is untouched
  run curl -sS -o /dev/null -w '%{http_code}' "$MOTO_URL/moto-api/"
  assert_output 200
}

@test "moto_start: a port taken between its choice and moto's bind is retried" {
  (
    unset MOTO_PID
    # the first choice is a port in use (this file's moto), then the kernel's
    _moto_free_port() {
      if [[ ! -e $BATS_TEST_TMPDIR/first ]]; then
        : >"$BATS_TEST_TMPDIR/first"
        echo "$MOTO_PORT"
      else
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
      fi
    }
    moto_start
    echo "$MOTO_PORT $MOTO_PID $MOTO_LOG" >"$BATS_TEST_TMPDIR/started"
    moto_stop
  )
  read -r port pid log <"$BATS_TEST_TMPDIR/started"
  [[ $port != "$MOTO_PORT" ]]
  assert_file_contains "$log" "Running on http://127.0.0.1:$port"
  run moto_pid_running "$pid"
  assert_failure
}

@test "moto_reset: resources are gone afterwards" {
  run query_req ec2 'CreateSecurityGroup&GroupName=plc-reset&GroupDescription=d' 2016-11-15 "$MOTO_URL"
  assert_output 200
  run query_req ec2 'DescribeSecurityGroups&GroupName.1=plc-reset' 2016-11-15 "$MOTO_URL"
  assert_output 200
  moto_reset
  run query_req ec2 'DescribeSecurityGroups&GroupName.1=plc-reset' 2016-11-15 "$MOTO_URL"
  assert_output 400
  run body
  assert_output --partial '<Code>InvalidGroup.NotFound</Code>'
}

@test "moto serves instance metadata (IMDSv2 token, role, fixed credentials, region)" {
  run curl -sS -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 21600' "$AWS_EC2_METADATA_SERVICE_ENDPOINT/latest/api/token"
  assert_success
  token=$output
  [[ -n $token ]]
  run curl -sS -H "X-aws-ec2-metadata-token: $token" "$AWS_EC2_METADATA_SERVICE_ENDPOINT/latest/meta-data/iam/security-credentials/"
  assert_output default-role
  run curl -sS -H "X-aws-ec2-metadata-token: $token" "$AWS_EC2_METADATA_SERVICE_ENDPOINT/latest/meta-data/iam/security-credentials/default-role"
  run jq -r '[.AccessKeyId, .SecretAccessKey, .Token, (.Expiration | test("^[0-9-]+T[0-9:]+Z$"))] | join(" ")' <<<"$output"
  assert_output 'test-key test-secret-key test-session-token true'
  run curl -sS "$AWS_EC2_METADATA_SERVICE_ENDPOINT/latest/meta-data/placement/region"
  assert_output us-east-1
}

# --- moto with signature checking ------------------------------------------

@test "moto_start --auth: the IAM key it exports works for STS and EC2" {
  use_auth_moto
  [[ $AWS_ACCESS_KEY_ID == AKIA* && $AWS_ACCESS_KEY_ID != AKIAPLCTESTNOTREAL00 ]]
  assert_equal "$AWS_ACCESS_KEY_ID" "$MOTO_ACCESS_KEY_ID"
  assert_equal "$AWS_ENDPOINT_URL" "$AUTH_MOTO_URL"
  run --separate-stderr aws sts get-caller-identity --query Arn --output text
  assert_success
  assert_output arn:aws:iam::123456789012:user/plc-test
  run --separate-stderr aws ec2 describe-regions --region-names us-west-2 --query 'Regions[0].RegionName' --output text
  assert_success
  assert_output us-west-2
}

@test "moto_start --auth: a wrong secret fails with SignatureDoesNotMatch, for EC2 AuthFailure" {
  use_auth_moto
  export AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}x AWS_MAX_ATTEMPTS=1
  run --separate-stderr aws sts get-caller-identity
  assert_failure 255
  assert_output ''
  [[ $stderr == *"An error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation"* ]]
  run --separate-stderr aws ec2 describe-regions
  assert_failure 255
  [[ $stderr == *"An error occurred (AuthFailure) when calling the DescribeRegions operation"* ]]
}

@test "moto_start --auth: an unknown key id fails with InvalidClientTokenId; unsigned requests fail" {
  use_auth_moto
  export AWS_ACCESS_KEY_ID=AKIAUNKNOWNKEY000000 AWS_MAX_ATTEMPTS=1
  run --separate-stderr aws sts get-caller-identity
  assert_failure 255
  [[ $stderr == *"An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation"* ]]
  # the unchecked set-up requests are used up: the same request is refused now
  run query_req iam 'ListUsers' 2010-05-08 "$MOTO_URL" AKIAPLCSETUP
  assert_output 403
  run body
  assert_output --partial '<Code>InvalidClientTokenId</Code>'
}

@test "moto_start --auth: the role session works with its token and fails with a wrong one" {
  use_auth_moto
  [[ $MOTO_SESSION_ACCESS_KEY_ID == ASIA* && -n $MOTO_SESSION_TOKEN ]]
  export AWS_ACCESS_KEY_ID=$MOTO_SESSION_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$MOTO_SESSION_SECRET_ACCESS_KEY \
    AWS_SESSION_TOKEN=$MOTO_SESSION_TOKEN AWS_MAX_ATTEMPTS=1
  run --separate-stderr aws sts get-caller-identity --query Arn --output text
  assert_success
  assert_output arn:aws:sts::123456789012:assumed-role/plc-test-role/plc-test-session
  # moto compares the token before the signature: an unsigned request shows it
  run curl -sS -o "$BATS_TEST_TMPDIR/body" -w '%{http_code}' -H "$(scope_auth sts us-west-2 "$AWS_ACCESS_KEY_ID")" \
    -H "X-Amz-Security-Token: ${MOTO_SESSION_TOKEN}x" --data 'Action=GetCallerIdentity&Version=2011-06-15' "$MOTO_URL/"
  assert_output 403
  run body
  assert_output --partial '<Code>InvalidClientTokenId</Code>'
}

@test "moto_start --auth: role_arn + source_profile assumes MOTO_ROLE_ARN" {
  use_auth_moto
  assert_equal "$MOTO_ROLE_ARN" arn:aws:iam::123456789012:role/plc-test-role
  printf '[profile user]\naws_access_key_id = %s\naws_secret_access_key = %s\n[profile role]\nrole_arn = %s\nsource_profile = user\n' \
    "$MOTO_ACCESS_KEY_ID" "$MOTO_SECRET_ACCESS_KEY" "$MOTO_ROLE_ARN" >"$BATS_TEST_TMPDIR/config"
  unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
  AWS_CONFIG_FILE=$BATS_TEST_TMPDIR/config AWS_PROFILE=role run --separate-stderr \
    aws sts get-caller-identity --query Arn --output text
  assert_success
  assert_regex "$output" '^arn:aws:sts::123456789012:assumed-role/plc-test-role/.+$'
}

@test "moto_start --auth: instance metadata (IMDSv2) hands out the valid role session" {
  use_auth_moto
  assert_equal "$AWS_EC2_METADATA_SERVICE_ENDPOINT" "$MOTO_IMDS_URL"
  # tokens are required
  run curl -sS -o /dev/null -w '%{http_code}' "$MOTO_IMDS_URL/latest/meta-data/iam/security-credentials/"
  assert_output 401
  run curl -sS -o /dev/null -w '%{http_code}' -X PUT "$MOTO_IMDS_URL/latest/api/token"
  assert_output 400
  token=$(curl -sS -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' "$MOTO_IMDS_URL/latest/api/token")
  run curl -sS -H "X-aws-ec2-metadata-token: $token" "$MOTO_IMDS_URL/latest/meta-data/iam/security-credentials/"
  assert_output plc-test-role
  run curl -sS -H "X-aws-ec2-metadata-token: $token" "$MOTO_IMDS_URL/latest/meta-data/iam/security-credentials/plc-test-role"
  run jq -r '[.Code, .Type, .AccessKeyId == env.MOTO_SESSION_ACCESS_KEY_ID, .Token == env.MOTO_SESSION_TOKEN,
    (.Expiration | test("^[0-9-]+T[0-9:]+Z$"))] | join(" ")' <<<"$output"
  assert_output 'Success AWS-HMAC true true true'
  run curl -sS -H "X-aws-ec2-metadata-token: $token" "$MOTO_IMDS_URL/latest/meta-data/placement/region"
  assert_output us-west-2
  # the aws CLI with no other credentials gets them there, and moto accepts them
  unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
  run --separate-stderr aws sts get-caller-identity --query Arn --output text
  assert_success
  assert_output arn:aws:sts::123456789012:assumed-role/plc-test-role/plc-test-session
}

@test "faultproxy: signed requests pass through unchanged (moto checks the signature); faultproxy_stop" {
  use_auth_moto
  unset FAULTPROXY_PID
  FAULTPROXY_UPSTREAM=$MOTO_URL faultproxy_start --fault throttle --match '^DescribeRegions$'
  [[ $FAULTPROXY_LOG == "$AUTH_MOTO_DIR/faultproxy.log" ]]
  assert_equal "$AWS_ENDPOINT_URL" "$FAULTPROXY_URL"
  pid=$FAULTPROXY_PID port=$FAULTPROXY_PORT
  run --separate-stderr aws sts get-caller-identity --query Arn --output text
  faultproxy_stop
  assert_success
  assert_output arn:aws:iam::123456789012:user/plc-test
  run faultproxy_count GetCallerIdentity '^forwarded$'
  assert_output 1
  run jq -r .status "$AUTH_MOTO_DIR/faultproxy.log"
  assert_output 200
  run moto_pid_running "$pid"
  assert_failure
  port_closed "$port"
  assert_equal "$AWS_ENDPOINT_URL" "$AUTH_MOTO_URL"
  run faultproxy_stop
  assert_success
}

@test "moto_reset --auth: a new IAM key replaces the old one" {
  use_auth_moto
  old=$AWS_ACCESS_KEY_ID
  moto_reset
  [[ $AWS_ACCESS_KEY_ID == AKIA* && $AWS_ACCESS_KEY_ID != "$old" ]]
  run --separate-stderr aws sts get-caller-identity --query Arn --output text
  assert_success
  assert_output arn:aws:iam::123456789012:user/plc-test
  run query_req sts GetCallerIdentity 2011-06-15 "$MOTO_URL" "$old"
  assert_output 403
  run body
  assert_output --partial '<Code>InvalidClientTokenId</Code>'
}

# --- faultproxy: forwarding ------------------------------------------------

@test "faultproxy: the aws CLI gets the same answer through the proxy as directly" {
  run --separate-stderr aws --endpoint-url "$MOTO_URL" ec2 describe-regions --output json
  assert_success
  direct=$output
  run --separate-stderr aws --endpoint-url "$FAULTPROXY_URL" ec2 describe-regions --output json
  assert_success
  assert_output "$direct"
  run faultproxy_count '^DescribeRegions$' '^forwarded$'
  assert_output 1
  run jq -c '{service, protocol, op, fault, status}' "$FAULTPROXY_LOG"
  assert_output '{"service":"ec2","protocol":"ec2","op":"DescribeRegions","fault":"forwarded","status":200}'
}

@test "faultproxy: forwards the client's Host and headers unchanged and bodies byte for byte" {
  # moto's metadata endpoint echoes the request headers
  run curl -sS -D - -o /dev/null -H 'X-Plc-Probe: one  two' \
    "$FAULTPROXY_URL/latest/meta-data/iam/security-credentials/"
  assert_line --partial "Host: 127.0.0.1:$FAULTPROXY_PORT"
  assert_line --partial 'X-Plc-Probe: one  two'
  head -c 3000000 /dev/urandom >"$BATS_TEST_TMPDIR/object"
  printf '\r\n\0end\r\n' >>"$BATS_TEST_TMPDIR/object"
  run s3_req PUT /plc-proxy-bucket "$FAULTPROXY_URL"
  assert_output 200
  run s3_req PUT /plc-proxy-bucket/obj "$FAULTPROXY_URL" -T "$BATS_TEST_TMPDIR/object"
  assert_output 200
  run s3_req GET /plc-proxy-bucket/obj "$MOTO_URL"
  assert_output 200
  cmp "$BATS_TEST_TMPDIR/body" "$BATS_TEST_TMPDIR/object"
  run s3_req GET /plc-proxy-bucket/obj "$FAULTPROXY_URL"
  assert_output 200
  cmp "$BATS_TEST_TMPDIR/body" "$BATS_TEST_TMPDIR/object"
  run faultproxy_count '^(PUT|GET) /plc-proxy-bucket' forwarded
  assert_output 3
}

@test "faultproxy: many concurrent connections are all forwarded" {
  run bash -c "seq 40 | xargs -P 8 -I{} curl -sS -o /dev/null -w '%{http_code}\n' '$FAULTPROXY_URL/latest/meta-data/placement/region?n={}' | sort | uniq -c"
  assert_success
  assert_output --regexp '^ +40 200$'
  run faultproxy_count placement/region forwarded
  assert_output 40
}

# --- faultproxy: faults ----------------------------------------------------

@test "faultproxy: every fault kind in EC2's Query protocol" {
  local kind want code message
  while IFS="|" read -r kind want code message; do
    faultproxy_config "{\"fault\":\"$kind\"}"
    run query_req ec2 DescribeInstances 2016-11-15
    assert_output "$want"
    run body
    assert_output "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<Response><Errors><Error><Code>$code</Code><Message>$message</Message></Error></Errors><RequestID>UUID</RequestID></Response>"
    run resp_header Content-Type
    assert_output 'text/xml;charset=UTF-8'
  done <<'EOF'
throttle|503|RequestLimitExceeded|Request limit exceeded.
500|500|InternalError|An internal error has occurred.
503|503|Unavailable|The server is overloaded and can't handle the request.
error:DependencyViolation:400|400|DependencyViolation|Injected fault: DependencyViolation
error:InvalidGroup.NotFound|400|InvalidGroup.NotFound|Injected fault: InvalidGroup.NotFound
error:UnauthorizedOperation:403|403|UnauthorizedOperation|Injected fault: UnauthorizedOperation
EOF
  run faultproxy_count '^DescribeInstances$' '^(throttle|500|503|error:.*)$'
  assert_output 6
  run faultproxy_count '' forwarded
  assert_output 0
}

@test "faultproxy: every fault kind in the JSON 1.1 protocol" {
  local kind want code message
  while IFS="|" read -r kind want code message; do
    faultproxy_config "{\"fault\":\"$kind\"}"
    run json_req tagging ResourceGroupsTaggingAPI_20170126.GetResources
    assert_output "$want"
    run body
    assert_output "{\"__type\":\"$code\",\"message\":\"$message\"}"
    run resp_header X-Amzn-ErrorType
    assert_output "$code"
    run resp_header Content-Type
    assert_output application/x-amz-json-1.1
  done <<'EOF'
throttle|400|ThrottlingException|Rate exceeded
500|500|InternalFailure|An internal error has occurred.
503|503|ServiceUnavailable|Service is unable to handle request.
error:AccessDeniedException:403|403|AccessDeniedException|Injected fault: AccessDeniedException
EOF
  run faultproxy_count '^GetResources$' '^(throttle|500|503|error:.*)$'
  assert_output 4
}

@test "faultproxy: answer:STATUS sends the body given, in the caller's protocol's content type" {
  # moto 5.2.1 models Service Quotas for vpc only (moto/servicequotas/models.py):
  # an EC2 quota is what a test must inject.
  local quota='{"Quota":{"ServiceCode":"ec2","QuotaCode":"L-1216C47A","Value":32.0}}'
  faultproxy_config "$(jq -cn --arg b "$quota" '{fault: "answer:200", match: "^GetServiceQuota$", body: $b}')"
  run json_req servicequotas ServiceQuotasV20190624.GetServiceQuota
  assert_output 200
  run body
  assert_output "$quota"
  run resp_header Content-Type
  assert_output application/x-amz-json-1.1
  faultproxy_config '{"fault":"answer:200","body":"<DescribeRegionsResponse/>"}'
  run query_req ec2 DescribeInstances 2016-11-15
  assert_output 200
  run body
  assert_output '<DescribeRegionsResponse/>'
  run resp_header Content-Type
  assert_output 'text/xml;charset=UTF-8'
  run faultproxy_count '^(GetServiceQuota|DescribeInstances)$' '^answer:200$'
  assert_output 2
}

@test "faultproxy: throttling for S3 (REST) and STS (Query, not EC2)" {
  faultproxy_config '{"fault":"throttle"}'
  run s3_req GET /plc-any-bucket/key
  assert_output 503
  run body
  assert_output '<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>UUID</RequestId><HostId>HEX</HostId></Error>'
  run query_req sts GetCallerIdentity 2011-06-15
  assert_output 400
  run body
  assert_output '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>UUID</RequestId></ErrorResponse>'
}

@test "faultproxy: the aws CLI sees the injected errors; the log counts its attempts" {
  faultproxy_config '{"fault":"throttle"}'
  AWS_MAX_ATTEMPTS=2 run --separate-stderr aws ec2 describe-regions
  assert_failure 255
  [[ $stderr == *"An error occurred (RequestLimitExceeded) when calling the DescribeRegions operation (reached max retries: 1): Request limit exceeded."* ]]
  run faultproxy_count '^DescribeRegions$' '^throttle$'
  assert_output 2
  AWS_MAX_ATTEMPTS=1 run --separate-stderr aws resourcegroupstaggingapi get-resources
  assert_failure 255
  [[ $stderr == *"An error occurred (ThrottlingException) when calling the GetResources operation (reached max retries: 0): Rate exceeded"* ]]
  run faultproxy_count '^GetResources$' '^throttle$'
  assert_output 1
}

@test "faultproxy: lost forwards the request, then closes without the answer, after S seconds" {
  faultproxy_config '{"fault":"lost:1","match":"^CreateSecurityGroup$"}'
  local t0=$SECONDS
  run query_req ec2 'CreateSecurityGroup&GroupName=plc-lost&GroupDescription=d' 2016-11-15
  assert_failure 52 # curl: empty reply from server
  ((SECONDS - t0 >= 1)) || fail "answered after $((SECONDS - t0)) s, not after the 1 s asked"
  run jq -c '{op, fault, status}' "$FAULTPROXY_LOG"
  assert_output '{"op":"CreateSecurityGroup","fault":"lost","status":200}'
  # The request did its work: moto has the group, and a second try collides.
  run query_req ec2 'DescribeSecurityGroups&GroupName.1=plc-lost' 2016-11-15 "$MOTO_URL"
  assert_output 200
  faultproxy_config '{}'
  run query_req ec2 'CreateSecurityGroup&GroupName=plc-lost&GroupDescription=d' 2016-11-15
  assert_output 400
  run body
  assert_output --partial '<Code>InvalidGroup.Duplicate</Code>'
}

@test "faultproxy: drop closes the connection without an answer" {
  faultproxy_config '{"fault":"drop"}'
  run query_req ec2 DescribeRegions 2016-11-15
  assert_failure 52 # curl: empty reply from server
  run jq -c '{op, fault, status}' "$FAULTPROXY_LOG"
  assert_output '{"op":"DescribeRegions","fault":"drop","status":null}'
  faultproxy_config '{}'
  run query_req ec2 DescribeRegions 2016-11-15
  assert_output 200
}

@test "faultproxy: rate 0.3 with a seed fails about 30% of 100 requests, the same ones every time" {
  local url="$FAULTPROXY_URL/latest/meta-data/placement/region?n=[1-100]"
  run curl -sS -X POST "$FAULTPROXY_URL/__faultproxy/reset"
  assert_output '{"status": "ok"}'
  faultproxy_config '{"fault":"500","rate":0.3,"seed":42}'
  first=$(curl -sS -o /dev/null -w '%{http_code}\n' "$url")
  faultproxy_config '{"fault":"500","rate":0.3,"seed":42}'
  second=$(curl -sS -o /dev/null -w '%{http_code}\n' "$url")
  assert_equal "$second" "$first"
  failed=$(grep -c '^500$' <<<"$first")
  (( failed >= 20 && failed <= 40 ))
  [[ $(grep -c '^200$' <<<"$first") -eq $((100 - failed)) ]]
  run faultproxy_count placement/region '^500$'
  assert_output $((2 * failed))
  run faultproxy_count placement/region
  assert_output 200
  run curl -sS "$FAULTPROXY_URL/__faultproxy/stats"
  run jq -c '[.requests, .faulted, .forwarded, .by_op["GET /latest/meta-data/placement/region"].faulted]' <<<"$output"
  assert_output "[200,$((2 * failed)),$((200 - 2 * failed)),$((2 * failed))]"
}

@test "faultproxy: match limits faults to one operation, also in a chunked body" {
  faultproxy_config '{"fault":"error:DependencyViolation:400","match":"^DeleteSecurityGroup$"}'
  run query_req ec2 'DeleteSecurityGroup&GroupId=sg-12345678' 2016-11-15
  assert_output 400
  run body
  assert_output --partial '<Code>DependencyViolation</Code>'
  run query_req ec2 'DescribeSecurityGroups' 2016-11-15
  assert_output 200
  run json_req tagging ResourceGroupsTaggingAPI_20170126.GetResources
  assert_output 200
  # the proxy finds Action= in a chunked body too
  run curl -sS -o /dev/null -w '%{http_code}' -H "$(scope_auth ec2 us-west-2)" -H 'Transfer-Encoding: chunked' \
    -H 'Content-Type: application/x-www-form-urlencoded' \
    --data 'Action=DeleteSecurityGroup&Version=2016-11-15&GroupId=sg-1' "$FAULTPROXY_URL/"
  assert_output 400
  run faultproxy_count '^DeleteSecurityGroup$' '^error:DependencyViolation:400$'
  assert_output 2
  run faultproxy_count '' '^forwarded$'
  assert_output 2
}

@test "faultproxy: service limits faults to one signing service" {
  faultproxy_config '{"fault":"throttle","service":"^tagging$"}'
  run json_req tagging ResourceGroupsTaggingAPI_20170126.GetResources
  assert_output 400
  run query_req ec2 DescribeRegions 2016-11-15
  assert_output 200
  run jq -c '[.service, .fault]' "$FAULTPROXY_LOG"
  assert_output '["tagging","throttle"]
["ec2","forwarded"]'
}

@test "faultproxy: limit injects that many faults, then forwards" {
  faultproxy_config '{"fault":"throttle","limit":2}'
  run bash -c "curl -sS -o /dev/null -w '%{http_code} ' '$FAULTPROXY_URL/latest/meta-data/placement/region?n=[1-4]'"
  assert_output '503 503 200 200 '
}

@test "faultproxy: keeps client connections alive; keep_alive also for moto's answers" {
  local url="$FAULTPROXY_URL/latest/meta-data/placement/region?n=[1-3]"
  faultproxy_config '{"fault":"throttle"}'
  run curl -sS -o /dev/null -w '%{http_code}:%{num_connects} ' "$url"
  assert_output '503:1 503:0 503:0 '
  faultproxy_config '{}'
  run curl -sS -o /dev/null -w '%{http_code}:%{num_connects} ' "$url"
  assert_output '200:1 200:1 200:1 '
  faultproxy_config '{"keep_alive":true}'
  run curl -sS -o /dev/null -w '%{http_code}:%{num_connects} ' "$url"
  assert_output '200:1 200:0 200:0 '
}

@test "faultproxy: the control endpoint rejects bad settings and keeps the old ones" {
  faultproxy_config '{"fault":"throttle","match":"^X$"}'
  run faultproxy_config '{"fault":"explode"}'
  assert_failure
  assert_output --partial 'fault must be none, throttle, 500, 503, drop, lost[:SECONDS], error:CODE[:STATUS], answer:STATUS or garbage:KIND'
  run faultproxy_config '{"fault":"answer:200"}'
  assert_failure
  assert_output --partial 'fault answer:STATUS needs a body'
  run faultproxy_config '{"rate":1.5}'
  assert_failure
  assert_output --partial 'rate must be a number from 0 to 1'
  run faultproxy_config '{"match":"("}'
  assert_failure
  assert_output --partial 'bad match regex'
  run curl -sS "$FAULTPROXY_URL/__faultproxy/config"
  run jq -c '{fault, match}' <<<"$output"
  assert_output '{"fault":"throttle","match":"^X$"}'
  run faultproxy_count
  assert_output 0
}

@test "faultproxy.py: refuses non-loopback addresses" {
  run --separate-stderr python3 "$PLC_ROOT/tests/lib/faultproxy.py" --listen 0.0.0.0:0 --upstream "$MOTO_URL"
  assert_failure
  assert_equal "$stderr" "faultproxy: --listen must be a loopback address, got '0.0.0.0'"
  run --separate-stderr python3 "$PLC_ROOT/tests/lib/faultproxy.py" --upstream http://10.1.2.3:80
  assert_failure
  assert_equal "$stderr" "faultproxy: --upstream must be a loopback address, got '10.1.2.3'"
}

@test "faultproxy: an unreachable upstream gives 502 and is logged" {
  unset FAULTPROXY_PID FAULTPROXY_URL
  FAULTPROXY_UPSTREAM=http://127.0.0.1:9 faultproxy_start
  run query_req ec2 DescribeRegions 2016-11-15 "$FAULTPROXY_URL"
  faultproxy_stop
  assert_output 502
  run jq -c '{op, fault, status}' "$FAULTPROXY_LOG"
  assert_output '{"op":"DescribeRegions","fault":"forwarded","status":502}'
}

@test "leaks.py: names what an experiment left, type by type, and nothing of another experiment" {
  moto_reset
  local vpc
  tags() { echo "ResourceType=$1,Tags=[{Key=ExperimentID,Value=$2}]"; }
  vpc=$(aws ec2 create-vpc --cidr-block 10.9.0.0/16 --tag-specifications "$(tags vpc exp-left)" --query Vpc.VpcId --output text)
  aws ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.9.1.0/24 --tag-specifications "$(tags subnet exp-left)" >/dev/null
  aws ec2 create-volume --availability-zone us-west-2a --size 1 --tag-specifications "$(tags volume exp-other)" >/dev/null
  aws s3api create-bucket --bucket plc-1-exp-left --create-bucket-configuration LocationConstraint=us-west-2 >/dev/null
  aws iam create-role --path /pulsar-aws-lab/ --role-name plc-node-exp-left \
    --assume-role-policy-document '{"Version":"2012-10-17","Statement":[]}' >/dev/null
  run python3 "$PLC_ROOT/tests/lib/leaks.py" exp-left "$MOTO_URL"
  assert_success
  assert_line --regexp "^vpc $vpc\$"
  assert_line --regexp '^subnet subnet-[0-9a-f]+$'
  assert_line 'bucket plc-1-exp-left'
  assert_line 'iam-role plc-node-exp-left'
  assert_equal "${#lines[@]}" 4
  run python3 "$PLC_ROOT/tests/lib/leaks.py" exp-none "$MOTO_URL"
  assert_success
  assert_output ''
  run python3 "$PLC_ROOT/tests/lib/leaks.py" exp-other "$MOTO_URL"
  assert_output --regexp '^volume vol-[0-9a-f]+$'
}

# The Makefile's SAN_SKIP_SUITES are left out of the sanitizer pass because
# they execute no plc C program. Neither they nor the helpers they load may
# name one (comments aside), and no make target of theirs builds or runs one
# (their targets are the AMI ones).
@test "the suites the sanitizer pass leaves out run no plc program" {
  local skip tools suite f libs
  skip=$(sed -n 's/^SAN_SKIP_SUITES := //p' "$PLC_ROOT/Makefile")
  [[ -n $skip ]] || fail "no SAN_SKIP_SUITES in the Makefile"
  tools=$(cd "$PLC_ROOT/tools" && ls -d plc-* | paste -sd '|')
  [[ $(wc -w <<<"${tools//|/ }") -ge 6 ]] || fail "tools not found: $tools"
  for suite in $skip; do
    f=$PLC_ROOT/tests/$suite
    assert_file_exists "$f"
    mapfile -t libs < <(sed -n "s|^load lib/\(.*\)|$PLC_ROOT/tests/lib/\1.bash|p" "$f")
    run grep -vh '^ *#' "$f" "${libs[@]}"
    assert_success
    run grep -E "(^|[^a-z-])($tools)([^a-z-]|\$)" <<<"$output"
    assert_output ''
    run grep -vh '^ *#' "$f"
    run grep -E 'make .*-C "?\$PLC_ROOT"? ' <<<"$output"
    refute_output --regexp 'PLC_ROOT"? (all|test|full|setup|run|report|teardown|demo|reap|cost|install|list|logs)'
  done
}
