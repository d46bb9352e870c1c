#!/usr/bin/env bats
# make teardown on its own, in local mode against a moto of the suite. A
# create cut short by an interrupt can leave what Terraform never recorded
# and AWS never tagged: the experiment's bucket (S3 tags it after creating
# it), its node role, instance profile and bucket policy. plc-reap knows
# the names Terraform gives them, so it adopts them (teardown says so) and
# deletes them. Another experiment's look-alikes are not touched.

bats_require_minimum_version 1.5.0

load lib/common
load lib/moto
load lib/untagged

setup_file() {
  moto_start
}

teardown_file() {
  moto_stop
}

setup() {
  plc_isolate_aws_env
  moto_env
  export PLC_HOME=$BATS_TEST_TMPDIR/home
}

# local_experiment EXP: an experiment directory in local mode against the
# suite's moto, with no Terraform state (its create never got that far).
local_experiment() {
  local d=$PLC_HOME/$1
  mkdir -p "$d/local" "$d/logs"
  jq -n --arg id "$1" '{schema: 1, experiment_id: $id, region: "us-west-2", mode: "local"}' >"$d/experiment.json"
  jq -n --arg e "$MOTO_URL" '{endpoint: $e, own_credentials: false, pid: null}' >"$d/local/env.json"
  echo "failed: setup" >"$d/state"
}

# named EXP: what of EXP's bucket and IAM names exists, one line each.
named() {
  {
    aws s3api list-buckets --query 'Buckets[].Name' --output text
    aws iam list-roles --path-prefix /pulsar-aws-lab/ --query 'Roles[].RoleName' --output text
    aws iam list-instance-profiles --path-prefix /pulsar-aws-lab/ --query 'InstanceProfiles[].InstanceProfileName' --output text
    aws iam list-policies --scope Local --path-prefix /pulsar-aws-lab/ --query 'Policies[].PolicyName' --output text
  } | tr '\t' '\n' | grep -e "-$1\$" -e "^plc-$1-" | sort
}

@test "teardown adopts an untagged bucket and IAM an interrupted create left, and plc-reap deletes them" {
  moto_reset
  local_experiment tear-adopt
  untagged tear-adopt
  untagged tear-other
  EXP=tear-adopt run "$PLC_ROOT/scripts/lab-teardown"
  assert_success
  assert_line 'teardown: adopted, left untagged by an interrupted create: iam-instance-profile plc-tear-adopt-node, iam-policy plc-tear-adopt-bucket, iam-role plc-tear-adopt-node, s3-bucket plc-123456789012-tear-adopt'
  assert_line --regexp '^teardown: left after destroy: .*; plc-reap --execute$'
  assert_line 'teardown: reaped: 4 resource(s); nothing is left'
  # Gone, by the aws CLI; the other experiment's, untouched.
  run named tear-adopt
  assert_output ''
  run named tear-other
  assert_output "plc-123456789012-tear-other
plc-tear-other-bucket
plc-tear-other-node
plc-tear-other-node"
  assert_equal "$(cat "$PLC_HOME/tear-adopt/state")" "torn-down (failed: setup)"
}

@test "teardown with nothing left behind: nothing adopted, plc-reap's proof, and a zero exit" {
  moto_reset
  local_experiment tear-empty
  untagged tear-other
  EXP=tear-empty run "$PLC_ROOT/scripts/lab-teardown"
  assert_success
  refute_line --partial adopted
  assert_line 'teardown: verified: nothing tagged ExperimentID=tear-empty is left in us-west-2'
  run named tear-other
  assert_equal "${#lines[@]}" 4
}

# A proof that could not look is no proof: an answer plc-reap cannot read
# (here a captive portal's page for DescribeVpcs, through the fault proxy)
# ends the teardown with status 14 and the reason, not "verified"
# (issue 18, item 1).
@test "teardown whose check of what is left cannot read an answer exits 14 with the reason" {
  moto_reset
  local_experiment tear-blind
  faultproxy_start
  jq --arg e "$FAULTPROXY_URL" '.endpoint = $e' "$PLC_HOME/tear-blind/local/env.json" >"$BATS_TEST_TMPDIR/env.json"
  mv "$BATS_TEST_TMPDIR/env.json" "$PLC_HOME/tear-blind/local/env.json"
  faultproxy_config '{"fault":"garbage:html","match":"^DescribeVpcs$"}'
  EXP=tear-blind run "$PLC_ROOT/scripts/lab-teardown"
  faultproxy_stop
  assert_failure 14
  assert_line 'teardown: error: plc-reap could not check what is left: plc-reap: unreadable answer: no "DescribeVpcsResponse" in it'
  refute_line --partial verified
  assert_equal "$(cat "$PLC_HOME/tear-blind/state")" "failed: setup"
}

# local_prometheus EXP: a real Prometheus (Debian's, as make deps installs
# it) for EXP as lab-local.bash starts it (loopback port, admin API, data in
# local/prom/data, its PID in local/prom.json), scraping itself every
# second; returns once it has samples. The experiment was set up
# (outputs.json names its bucket).
local_prometheus() {
  local d=$PLC_HOME/$1 port i
  aws s3api create-bucket --bucket "plc-123456789012-$1" --create-bucket-configuration LocationConstraint=us-west-2 >/dev/null
  jq -n --arg b "plc-123456789012-$1" '{bucket: {value: $b}, instances: {value: []}, monitor: {value: null}}' >"$d/outputs.json"
  mkdir -p "$d/local/prom"
  port=$(_moto_free_port)
  printf 'global: {scrape_interval: 1s}\nscrape_configs:\n  - job_name: prometheus\n    static_configs: [{targets: ["127.0.0.1:%s"]}]\n' \
    "$port" >"$d/local/prom/prometheus.yml"
  setsid prometheus --config.file="$d/local/prom/prometheus.yml" --storage.tsdb.path="$d/local/prom/data" \
    --web.listen-address="127.0.0.1:$port" --web.enable-admin-api >"$d/local/prom/prometheus.log" 2>&1 </dev/null &
  PROM_PID=$!
  jq -n --arg u "http://127.0.0.1:$port" --argjson p "$PROM_PID" '{url: $u, prometheus_pid: $p, node_exporter_pid: null}' \
    >"$d/local/prom.json"
  for ((i = 0; i < 150; i++)); do
    [[ $(curl -s "http://127.0.0.1:$port/api/v1/query?query=up" | jq -r '.data.result | length' 2>/dev/null) == 1 ]] && return 0
    sleep 0.2
  done
  return 1
}

@test "teardown brings Prometheus' TSDB snapshot home before destroy, then stops the local Prometheus" {
  moto_reset
  local_experiment tear-snap
  local_prometheus tear-snap
  local d=$PLC_HOME/tear-snap
  PLC_SNAPSHOT_WAIT=20 PLC_LOGS_WAIT=5 EXP=tear-snap run "$PLC_ROOT/scripts/lab-teardown"
  kill -0 "$PROM_PID" 2>/dev/null && kill "$PROM_PID"
  assert_success
  assert_line --regexp '^teardown: TSDB snapshot in cluster/tsdb-snapshot.tar.gz \(1 block\(s\), [0-9]+ bytes; 0 left out by the size cap\)$'
  # Prometheus' own tool reads the archive's block, with the samples scraped.
  mkdir "$BATS_TEST_TMPDIR/tsdb"
  tar -xzf "$d/cluster/tsdb-snapshot.tar.gz" -C "$BATS_TEST_TMPDIR/tsdb"
  run --separate-stderr promtool tsdb list "$BATS_TEST_TMPDIR/tsdb"
  assert_success
  assert_equal "${#lines[@]}" 2
  assert_line --index 0 --regexp '^BLOCK ULID +MIN TIME +MAX TIME +DURATION +NUM SAMPLES +NUM CHUNKS +NUM SERIES +SIZE$'
  [[ $(awk 'NR == 2 { print $5 }' <<<"$output") -gt 0 ]]
  run jq -c '[.schema, .blocks, .blocks_left_out, .cap_bytes, .label]' "$d/cluster/tsdb-snapshot.json"
  assert_output '[1,1,0,2147483648,"local mode: this machine, not a cluster node"]'
  # The snapshot does not stay in Prometheus' data directory, nor Prometheus.
  run find "$d/local/prom/data/snapshots" -mindepth 1
  assert_output ''
  run jq -r .prometheus_pid "$d/local/prom.json"
  assert_output null
  run kill -0 "$PROM_PID"
  assert_failure
}

@test "the TSDB snapshot is size-capped: blocks past the cap are left out and counted" {
  moto_reset
  local_experiment tear-cap
  local_prometheus tear-cap
  PLC_SNAPSHOT_CAP_BYTES=1 PLC_SNAPSHOT_WAIT=20 PLC_LOGS_WAIT=5 EXP=tear-cap run "$PLC_ROOT/scripts/lab-teardown"
  kill -0 "$PROM_PID" 2>/dev/null && kill "$PROM_PID"
  assert_success
  assert_line 'teardown: TSDB snapshot in cluster/tsdb-snapshot.tar.gz (0 block(s), '"$(jq .bytes "$PLC_HOME/tear-cap/cluster/tsdb-snapshot.json")"' bytes; 1 left out by the size cap)'
  run tar -tzf "$PLC_HOME/tear-cap/cluster/tsdb-snapshot.tar.gz"
  assert_output ''
}
