#!/usr/bin/env bats
# plc-tfvars: YAML (infrastructure, cluster, plan) to terraform.tfvars.json
# and, with --runs, one JSON line per run with its OMB workload.

bats_require_minimum_version 1.5.0
load lib/common

setup() {
  T=$FIXTURES/plc-tfvars
  PLANS=$PLC_ROOT/plans
}

# Variables and object attributes terraform declares: the contract.
variables_tf() { echo "$PLC_ROOT/terraform/variables.tf"; }

# Every key of a tfvars document is a declared variable (or a declared
# attribute of an object-typed one), and every required variable is there.
check_contract() {
  local json=$1 declared path top bad=0
  declared=$(awk -f "$T/lib/tfvars-declared.awk" "$(variables_tf)")
  while read -r top; do
    grep -qx "var $top \(required\|optional\)" <<<"$declared" ||
      { echo "undeclared variable: $top"; bad=1; }
  done < <(jq -r 'keys_unsorted[]' <<<"$json")
  while read -r path; do
    top=${path%%.*}
    if grep -q "^attr $top\." <<<"$declared"; then
      grep -qx "attr $path" <<<"$declared" ||
        { echo "undeclared attribute: $path"; bad=1; }
    fi
  done < <(jq -r 'paths(scalars) | map(tostring) | join(".")' <<<"$json")
  while read -r top; do
    jq -e --arg k "$top" 'has($k)' <<<"$json" >/dev/null ||
      { echo "required variable not emitted: $top"; bad=1; }
  done < <(awk '$1 == "var" && $3 == "required" { print $2 }' <<<"$declared")
  return $bad
}

# Every workload (of runs and of their steps) uses only keys OMB reads and
# always sets a payload.
check_workloads() {
  local ndjson=$1
  run jq -r '.workload, (.steps // [] | .[].workload) | keys_unsorted[]' <<<"$ndjson"
  assert_success
  local unknown
  unknown=$(sort -u <<<"$output" | comm -23 - "$T/omb-workload-keys.txt")
  [[ -z $unknown ]] || { echo "keys OMB does not read: $unknown"; return 1; }
  run jq -e -s '[.[] | .workload, (.steps // [] | .[].workload)]
    | all(.useRandomizedPayloads == true or (.payloadFile | type == "string" and length > 0))' <<<"$ndjson"
  assert_success
}

check_invalid() {
  cd "$T/invalid"
  run --separate-stderr plc-tfvars -e exp-t "$1.yaml"
  assert_failure 3
  assert_output ''
  assert_equal "$stderr" "$(cat "$1.err")"
}

# Issue 17: the one help of every tool (tests/cli.bats), the usage first;
# -h was a usage error here.
@test "--help and -h print the usage first on stdout" {
  run --separate-stderr plc-tfvars -h
  assert_success
  assert_equal "$(head -n 2 <<<"$output")" 'usage: plc-tfvars [-p | -r | -x mode | -F frontier-id] [-c cluster.yaml] [-e experiment-id]
                  [-i infrastructure.yaml] [-t key=value]... [-w variant] plan.yaml'
  assert_line "  -t, --tag KEY=VALUE       add a tag to every resource (repeatable)"
  assert_equal "${lines[-1]}" "See plc-tfvars(1)."
  assert_equal "$stderr" ''
}

@test "--version prints the version" {
  run --separate-stderr plc-tfvars --version
  assert_success
  assert_output --regexp '^plc-tfvars [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "no plan is a usage error" {
  run --separate-stderr plc-tfvars
  assert_failure 2
  assert_output ''
  assert_equal "$stderr" 'usage: plc-tfvars [-p | -r | -x mode | -F frontier-id] [-c cluster.yaml] [-e experiment-id]
                  [-i infrastructure.yaml] [-t key=value]... [-w variant] plan.yaml'
}

@test "an unknown option is a usage error" {
  run --separate-stderr plc-tfvars --bogus "$PLANS/poc.yaml"
  assert_failure 2
  assert_output ''
  assert_equal "${stderr_lines[0]}" "plc-tfvars: unrecognized option '--bogus'"
}

# The records scripts/lab-setup and scripts/lab-frontier keep; until issue
# 17 each script wrote its own in jq.
@test "-x: experiment.json of a variant's experiment: its fields in order, created now" {
  run --separate-stderr plc-tfvars -x local -e exp-rec-1 -w medium -t plc:created-at=2026-11-24T09:30:00Z -t owner=me "$PLANS/capacity.yaml"
  assert_success
  assert_equal "$stderr" ''
  before=$(TZ=UTC0 date -d '-5 seconds' +%Y-%m-%dT%H:%M:%SZ) after=$(TZ=UTC0 date -d '+1 second' +%Y-%m-%dT%H:%M:%SZ)
  created=$(jq -r .created <<<"$output")
  [[ ! $created < $before && ! $created > $after ]] || fail "created $created is not now ($before to $after)"
  assert_equal "$(sed 's/"created": ".*"/"created": "NOW"/' <<<"$output")" '{
  "schema": "plc-experiment/1",
  "id": "exp-rec-1",
  "plan": "capacity",
  "plan_file": "'"$PLANS"'/capacity.yaml",
  "mode": "local",
  "variant": "medium",
  "region": "us-west-2",
  "created": "NOW",
  "tags": {
    "environment": "test",
    "plc:created-at": "2026-11-24T09:30:00Z",
    "owner": "me"
  }
}'
  run --separate-stderr plc-tfvars -x aws -e exp-rec-2 "$PLANS/poc.yaml"
  assert_success
  run jq -c '[.plan, .mode, .variant]' <<<"$output"
  assert_output '["poc","aws",null]'
}

@test "-F: frontier.json from variant, experiment and exit-status lines; null while one runs" {
  run --separate-stderr plc-tfvars -e frontier-check -F capacity-20261124-093000 "$PLANS/capacity.yaml" <<'EOF'
small capacity-small-093000-1a2b 0
medium capacity-medium-093000-3c4d 143
large capacity-large-093000-5e6f
EOF
  assert_success
  assert_equal "$stderr" ''
  assert_output '{
  "schema": "plc-frontier-run/1",
  "id": "capacity-20261124-093000",
  "plan": "capacity",
  "plan_file": "'"$PLANS"'/capacity.yaml",
  "experiments": [
    {
      "variant": "small",
      "experiment": "capacity-small-093000-1a2b",
      "exit_status": 0
    },
    {
      "variant": "medium",
      "experiment": "capacity-medium-093000-3c4d",
      "exit_status": 143
    },
    {
      "variant": "large",
      "experiment": "capacity-large-093000-5e6f",
      "exit_status": null
    }
  ]
}'
}

@test "-F: a line that is not a variant, experiment and status of the plan is bad input" {
  local line want
  while IFS='|' read -r line want; do
    run --separate-stderr plc-tfvars -F fr-1 "$PLANS/capacity.yaml" <<<"small capacity-small-1 0
$line"
    assert_failure 3
    assert_output ''
    assert_equal "$stderr" "plc-tfvars: <stdin>:2: $want"
  done <<'EOF'
tiny capacity-tiny-1|"tiny": not a variant of the plan
small|expected VARIANT EXPERIMENT-ID [EXIT-STATUS]
small capacity-small-1 0 extra|expected VARIANT EXPERIMENT-ID [EXIT-STATUS]
small Capacity_1|"Capacity_1": expected an experiment ID (3 to 46 characters of a-z, 0-9 and '-', starting and ending with a letter or digit)
small capacity-small-1 256|"256": expected an exit status (0 to 255)
small capacity-small-1 -1|"-1": expected an exit status (0 to 255)
EOF
}

@test "-x takes aws or local; -p, -r, -x and -F exclude each other" {
  run --separate-stderr plc-tfvars -x cloud "$PLANS/poc.yaml"
  assert_failure 2
  assert_output ''
  assert_equal "$stderr" 'plc-tfvars: --experiment-record: expected aws or local, found "cloud"'
  run --separate-stderr plc-tfvars -x aws -F fr-1 "$PLANS/poc.yaml"
  assert_failure 2
  assert_output ''
  assert_equal "${stderr_lines[0]}" 'plc-tfvars: -p, -r, -x and -F exclude each other'
}

@test "--tag without = is a usage error" {
  run --separate-stderr plc-tfvars --tag owner "$PLANS/poc.yaml"
  assert_failure 2
  assert_output ''
  # Issue 17: a bad value names the option, the value last (cli_bad_value).
  assert_equal "$stderr" 'plc-tfvars: --tag: expected key=value, found "owner"'
}

@test "--tag cannot set a tag plc sets" {
  run --separate-stderr plc-tfvars --tag ExperimentID=x "$PLANS/poc.yaml"
  assert_failure 3
  assert_output ''
  assert_equal "$stderr" 'plc-tfvars: --tag "ExperimentID=x": tag key is set by plc itself'
}

@test "--tag refuses characters AWS refuses" {
  run --separate-stderr plc-tfvars --tag 'owner=a;b' "$PLANS/poc.yaml"
  assert_failure 3
  assert_equal "$stderr" 'plc-tfvars: --tag "owner=a;b": tags may hold only letters, digits, spaces and _.:/=+-@'
}

# Issue 17: one rule and one message for every tool (tests/cli.bats); a bad
# option value is a usage error (2), no longer bad input (3).
@test "--experiment-id is checked" {
  run --separate-stderr plc-tfvars -e Exp_1 "$PLANS/poc.yaml"
  assert_failure 2
  assert_output ''
  assert_equal "$stderr" "plc-tfvars: --experiment-id: expected 3 to 46 characters of a-z, 0-9 and '-', starting and ending with a letter or digit, found \"Exp_1\""
}

@test "a missing plan is bad input" {
  cd "$BATS_TEST_TMPDIR"
  run --separate-stderr plc-tfvars nope.yaml
  assert_failure 3
  assert_output ''
  assert_equal "$stderr" 'plc-tfvars: nope.yaml: No such file or directory'
}

@test "a missing infrastructure file beside the plan is bad input" {
  cp "$PLANS/poc.yaml" "$BATS_TEST_TMPDIR/"
  cd "$BATS_TEST_TMPDIR"
  run --separate-stderr plc-tfvars poc.yaml
  assert_failure 3
  assert_equal "$stderr" 'plc-tfvars: "infrastructure.yaml": no infrastructure.yaml beside the plan; give one with -i FILE (the shipped one is plans/infrastructure.yaml)'
  run --separate-stderr plc-tfvars -i "$PLANS/infrastructure.yaml" "$BATS_TEST_TMPDIR/poc.yaml"
  assert_failure 3
  assert_equal "$stderr" "plc-tfvars: \"$BATS_TEST_TMPDIR/pulsar-cluster.yaml\": no pulsar-cluster.yaml beside the plan; give one with -c FILE (the shipped one is plans/pulsar-cluster.yaml)"
  run --separate-stderr plc-tfvars -i "$PLANS/infrastructure.yaml" -c "$PLANS/pulsar-cluster.yaml" poc.yaml
  assert_success
}

@test "without --experiment-id the ID is exp-<UTC time>" {
  run --separate-stderr plc-tfvars "$PLANS/poc.yaml"
  assert_success
  run jq -r .experiment_id <<<"$output"
  assert_output --regexp '^exp-20[0-9]{6}-[0-9]{6}$'
}

@test "a closed stdout fails loudly" {
  run --separate-stderr bash -c 'plc-tfvars -e exp-t "$1" >&-' _ "$PLANS/poc.yaml"
  assert_failure 1
  assert_equal "$stderr" 'plc-tfvars: stdout: Bad file descriptor'
}

@test "golden: plans/poc.yaml tfvars" {
  run --separate-stderr plc-tfvars -e exp-golden "$PLANS/poc.yaml"
  assert_success
  assert_equal "$stderr" ''
  assert_output "$(cat "$T/golden/poc.tfvars.json")"
}

@test "golden: plans/poc.yaml --runs" {
  run --separate-stderr plc-tfvars --runs -e exp-golden "$PLANS/poc.yaml"
  assert_success
  assert_equal "$stderr" ''
  assert_output "$(cat "$T/golden/poc.runs.ndjson")"
}

@test "contract: plans/poc.yaml emits only declared variables, every required one" {
  run plc-tfvars -e exp-t "$PLANS/poc.yaml"
  assert_success
  check_contract "$output"
}

@test "workloads of plans/poc.yaml use only keys OMB reads, with a payload" {
  run plc-tfvars -r -e exp-t "$PLANS/poc.yaml"
  assert_success
  check_workloads "$output"
}

@test "golden: plans/baseline.yaml tfvars" {
  run --separate-stderr plc-tfvars -e exp-golden "$PLANS/baseline.yaml"
  assert_success
  assert_equal "$stderr" ''
  assert_output "$(cat "$T/golden/baseline.tfvars.json")"
}

@test "golden: plans/baseline.yaml --runs" {
  run --separate-stderr plc-tfvars --runs -e exp-golden "$PLANS/baseline.yaml"
  assert_success
  assert_equal "$stderr" ''
  assert_output "$(cat "$T/golden/baseline.runs.ndjson")"
}

@test "contract: plans/baseline.yaml emits only declared variables, every required one" {
  run plc-tfvars -e exp-t "$PLANS/baseline.yaml"
  assert_success
  check_contract "$output"
}

@test "workloads of plans/baseline.yaml use only keys OMB reads, with a payload" {
  run plc-tfvars -r -e exp-t "$PLANS/baseline.yaml"
  assert_success
  check_workloads "$output"
}

@test "golden: plans/latency.yaml tfvars" {
  run --separate-stderr plc-tfvars -e exp-golden "$PLANS/latency.yaml"
  assert_success
  assert_equal "$stderr" ''
  assert_output "$(cat "$T/golden/latency.tfvars.json")"
}

@test "golden: plans/latency.yaml --runs" {
  run --separate-stderr plc-tfvars --runs -e exp-golden "$PLANS/latency.yaml"
  assert_success
  assert_equal "$stderr" ''
  assert_output "$(cat "$T/golden/latency.runs.ndjson")"
}

@test "contract: plans/latency.yaml emits only declared variables, every required one" {
  run plc-tfvars -e exp-t "$PLANS/latency.yaml"
  assert_success
  check_contract "$output"
}

@test "workloads of plans/latency.yaml use only keys OMB reads, with a payload" {
  run plc-tfvars -r -e exp-t "$PLANS/latency.yaml"
  assert_success
  check_workloads "$output"
}

@test "golden: plans/max-throughput.yaml tfvars" {
  run --separate-stderr plc-tfvars -e exp-golden "$PLANS/max-throughput.yaml"
  assert_success
  assert_equal "$stderr" ''
  assert_output "$(cat "$T/golden/max-throughput.tfvars.json")"
}

@test "golden: plans/max-throughput.yaml --runs" {
  run --separate-stderr plc-tfvars --runs -e exp-golden "$PLANS/max-throughput.yaml"
  assert_success
  assert_equal "$stderr" ''
  assert_output "$(cat "$T/golden/max-throughput.runs.ndjson")"
}

@test "contract: plans/max-throughput.yaml emits only declared variables, every required one" {
  run plc-tfvars -e exp-t "$PLANS/max-throughput.yaml"
  assert_success
  check_contract "$output"
}

@test "workloads of plans/max-throughput.yaml use only keys OMB reads, with a payload" {
  run plc-tfvars -r -e exp-t "$PLANS/max-throughput.yaml"
  assert_success
  check_workloads "$output"
}

@test "golden: plans/capacity.yaml --runs (slo_search: the SLO and the search with its defaults)" {
  run --separate-stderr plc-tfvars --runs -e exp-golden "$PLANS/capacity.yaml"
  assert_success
  assert_equal "$stderr" ''
  assert_output "$(cat "$T/golden/capacity.runs.ndjson")"
  run jq -c '[.workload.producerRate, .workload.testDurationMinutes, .expected_duration_s, .search.growth_factor]' <<<"$output"
  assert_output '[5000,2,2340,2]'
}

@test "workloads of plans/capacity.yaml use only keys OMB reads, with a payload" {
  run --separate-stderr plc-tfvars --runs -e exp-t "$PLANS/capacity.yaml"
  check_workloads "$output"
}

@test "slo_search: too few max_steps for the precision is valid, with a warning naming the worst case" {
  sed 's/max_steps: 13 /max_steps: 12 /' "$PLANS/capacity.yaml" >"$BATS_TEST_TMPDIR/cap.yaml"
  run --separate-stderr plc-tfvars --runs -e exp-t -i "$PLANS/infrastructure.yaml" -c "$PLANS/pulsar-cluster.yaml" "$BATS_TEST_TMPDIR/cap.yaml"
  assert_success
  assert_equal "$stderr" "plc-tfvars: warning: $BATS_TEST_TMPDIR/cap.yaml:31:7: test_runs[0].search: max_steps 12 may end before precision_percent 5 is reached (the worst case needs 13 steps)"
}

@test "a plan-level slo gates every fixed-rate and latency run, and is an slo_search's default" {
  cat >"$BATS_TEST_TMPDIR/gate.yaml" <<'EOF'
name: gate
base_workload: {topics: 1, partitions_per_topic: 1, message_size: 1024, test_duration_minutes: 2}
slo: {publish_p99_ms: 25, min_achieved_percent: 98.5}
test_runs:
  - {name: f, type: fixed_rate, producer_rate: 1000}
  - {name: l, type: latency_test}
  - {name: m, type: max_rate}
  - {name: s, type: slo_search, search: {min_rate: 1000, max_rate: 8000, max_steps: 9}}
EOF
  run --separate-stderr plc-tfvars --runs -e exp-t -i "$PLANS/infrastructure.yaml" -c "$PLANS/pulsar-cluster.yaml" "$BATS_TEST_TMPDIR/gate.yaml"
  assert_success
  assert_equal "$stderr" ''
  run jq -c '[.name, .slo]' <<<"$output"
  assert_output '["f",{"publish_p99_ms":25,"min_achieved_percent":98.5}]
["l",{"publish_p99_ms":25,"min_achieved_percent":98.5}]
["m",null]
["s",{"publish_p99_ms":25,"min_achieved_percent":98.5}]'
}

@test "invalid: slo-search-without-slo" {
  check_invalid slo-search-without-slo
}

@test "invalid: slo-search-max-below-min" {
  check_invalid slo-search-max-below-min
}

@test "invalid: slo-on-fixed-rate" {
  check_invalid slo-on-fixed-rate
}

@test "golden: --plan summarizes the plan and its reporting wishes" {
  run --separate-stderr plc-tfvars --plan -e exp-golden "$PLANS/baseline.yaml"
  assert_success
  assert_output "$(cat "$T/golden/baseline.plan.json")"
  run --separate-stderr plc-tfvars -p -e exp-golden -i "$PLANS/infrastructure.yaml" \
    -c "$PLANS/pulsar-cluster.yaml" "$T/valid/anchors.yaml"
  assert_success
  assert_output "$(cat "$T/golden/anchors.plan.json")"
}

@test "--plan and --runs exclude each other" {
  run --separate-stderr plc-tfvars -p -r "$PLANS/poc.yaml"
  assert_failure 2
  assert_output ''
}

@test "golden: every optional infrastructure key, arm64 and EBS (--infra, --cluster)" {
  run --separate-stderr plc-tfvars -e exp-golden -i "$T/valid/infra-arm-ebs.yaml" \
    -c "$PLANS/pulsar-cluster.yaml" "$T/valid/rich.yaml"
  assert_success
  assert_output "$(cat "$T/golden/arm-ebs-rich.tfvars.json")"
  check_contract "$output"
}

@test "golden: repeats, payload files, backlog and a geometric scale" {
  run --separate-stderr plc-tfvars -r -e exp-golden -i "$PLANS/infrastructure.yaml" \
    -c "$PLANS/pulsar-cluster.yaml" "$T/valid/rich.yaml"
  assert_success
  assert_output "$(cat "$T/golden/rich.runs.ndjson")"
  check_workloads "$output"
}

@test "the contract test catches an undeclared variable" {
  run plc-tfvars -e exp-t "$PLANS/poc.yaml"
  run check_contract "$(jq '.cluster.broker.heapsize = 1 | .brokers = 2 | del(.region)' <<<"$output")"
  assert_failure
  assert_line 'undeclared variable: brokers'
  assert_line 'undeclared attribute: cluster.broker.heapsize'
  assert_line 'required variable not emitted: region'
}

@test "the workload check catches a key OMB does not read" {
  run plc-tfvars -r -e exp-t "$PLANS/poc.yaml"
  run check_workloads "$(jq -c '.workload.producerRatePerTopic = 1' <<<"$output")"
  assert_failure
}

@test "predecessor poc plan: the workload it meant, with a payload" {
  run --separate-stderr plc-tfvars -r -e exp-t -i "$PLANS/infrastructure.yaml" \
    -c "$PLANS/pulsar-cluster.yaml" "$T/predecessor/poc.yaml"
  assert_success
  assert_equal "$(jq -cS .workload <<<"$output")" "$(jq -cS . "$T/predecessor/poc.expected.json")"
}

@test "predecessor baseline plan: every run as meant, every type distinct" {
  run --separate-stderr plc-tfvars -r -e exp-t -i "$PLANS/infrastructure.yaml" \
    -c "$PLANS/pulsar-cluster.yaml" "$T/predecessor/baseline.yaml"
  assert_success
  local runs=$output
  check_workloads "$runs"
  run jq -r '[.id, .type, .workload.producerRate, .workload.topics,
      .workload.partitionsPerTopic, .workload.messageSize,
      .workload.producersPerTopic, .workload.consumerPerSubscription,
      .workload.testDurationMinutes,
      (if .steps then (.steps | map(.producer_rate_msgs_per_s | tostring) | join(",")) else "-" end)]
    | map(tostring) | join(" ")' <<<"$runs"
  assert_output "$(cat "$T/predecessor/baseline.expected.txt")"
  run jq -c 'select(.type == "ramp_up" or .type == "scale_to_failure") | .stop' <<<"$runs"
  assert_output '{"rule":"plateau","allowed_deviation_percent":10,"consecutive_steps":2}
{"rule":"failure","max_p99_publish_latency_ms":1000,"max_error_rate_percent":1}'
}

@test "anchors, aliases and merge keys" {
  run --separate-stderr plc-tfvars -r -e exp-t -i "$PLANS/infrastructure.yaml" \
    -c "$PLANS/pulsar-cluster.yaml" "$T/valid/anchors.yaml"
  assert_success
  run jq -r '[.id, .type, .workload.producerRate, .workload.topics, .workload.partitionsPerTopic, .workload.messageSize, .workload.warmupDurationMinutes] | map(tostring) | join(" ")' <<<"$output"
  assert_output 'a fixed_rate 1000 3 4 512 0
b fixed_rate 2000 3 4 512 0
c fixed_rate 1000 3 8 512 0
d max_rate 0 5 4 512 0'
}

@test "null means not set: a plan unsets a file's key, a run a base key" {
  run --separate-stderr plc-tfvars -r -e exp-t -i "$PLANS/infrastructure.yaml" \
    -c "$PLANS/pulsar-cluster.yaml" "$T/valid/nulls.yaml"
  assert_success
  assert_equal "$(jq -c '[.id, .workload.messageSize, .workload.payloadFile, .workload.useRandomizedPayloads, .workload.keyDistributor]' <<<"$output")" \
'["file",1024,"payload/payload-1Kb.data",false,"NO_KEY"]
["random",2000,null,true,"NO_KEY"]'
  run --separate-stderr plc-tfvars -e exp-t -i "$PLANS/infrastructure.yaml" \
    -c "$PLANS/pulsar-cluster.yaml" "$T/valid/nulls.yaml"
  assert_success
  assert_equal "$(jq -c '[.tags, .bookkeeper_storage]' <<<"$output")" \
    '[{},{"instance_store":false,"journal":{"size_gb":20,"type":"gp3"},"ledger":{"size_gb":125,"type":"st1"}}]'
}

@test "--tag adds tags and wins over the file's" {
  run --separate-stderr plc-tfvars -e exp-t -t owner=me -t environment=perf -t 'note=a b' "$PLANS/poc.yaml"
  assert_success
  assert_equal "$(jq -c .tags <<<"$output")" '{"environment":"perf","owner":"me","note":"a b"}'
}

@test "the plan's infrastructure: and cluster: sections win over the files" {
  run plc-tfvars -e exp-t "$PLANS/max-throughput.yaml"
  assert_success
  assert_equal "$(jq -c '[.broker, .client.count, .cluster.broker.heap_mb, .zookeeper.count]' <<<"$output")" \
    '[{"count":3,"instance_type":"m5.2xlarge"},2,4096,3]'
}

@test "instance types of current families are valid: i3en, m7i-flex, c6gn, r5dn" {
  local t arch
  for t in i3en.large:x86_64 m7i-flex.xlarge:x86_64 c6gn.16xlarge:arm64 r5dn.24xlarge:x86_64; do
    arch=${t#*:} t=${t%%:*}
    sed "s/^base_workload:/infrastructure:\n  compute:\n    zookeeper: { instance_type: $t }\n    bookkeeper: { instance_type: $t }\n    broker: { instance_type: $t }\n    client: { instance_type: $t }\nbase_workload:/" \
      "$PLANS/poc.yaml" >"$BATS_TEST_TMPDIR/p.yaml"
    run --separate-stderr plc-tfvars -e exp-t -i "$T/valid/infra-arm-ebs.yaml" \
      -c "$PLANS/pulsar-cluster.yaml" "$BATS_TEST_TMPDIR/p.yaml"
    assert_success
    assert_equal "$(jq -r '[.broker.instance_type, .architecture] | join(" ")' <<<"$output")" "$t $arch"
  done
}

@test "monitoring: on by default at t3.small (t4g.small on arm64); a plan turns it off or sizes it" {
  run --separate-stderr plc-tfvars -e exp-t "$PLANS/poc.yaml"
  assert_success
  assert_equal "$(jq -c .monitoring <<<"$output")" '{"enabled":true,"instance_type":"t3.small"}'
  sed "s/^base_workload:/infrastructure:\n  compute:\n    monitoring: { enabled: false, instance_type: m5.large, root_volume_gb: 50 }\nbase_workload:/" \
    "$PLANS/poc.yaml" >"$BATS_TEST_TMPDIR/p.yaml"
  run --separate-stderr plc-tfvars -e exp-t -i "$PLANS/infrastructure.yaml" \
    -c "$PLANS/pulsar-cluster.yaml" "$BATS_TEST_TMPDIR/p.yaml"
  assert_success
  assert_equal "$(jq -c .monitoring <<<"$output")" '{"enabled":false,"instance_type":"m5.large","root_volume_gb":50}'
  check_contract "$output"
  # Its type is held to the same rules as the nodes': one AMI for all.
  sed "s/^base_workload:/infrastructure:\n  compute:\n    monitoring: { instance_type: t4g.small }\nbase_workload:/" \
    "$PLANS/poc.yaml" >"$BATS_TEST_TMPDIR/p.yaml"
  run --separate-stderr plc-tfvars -e exp-t -i "$PLANS/infrastructure.yaml" \
    -c "$PLANS/pulsar-cluster.yaml" "$BATS_TEST_TMPDIR/p.yaml"
  assert_failure 3
  assert_equal "$stderr" "plc-tfvars: $BATS_TEST_TMPDIR/p.yaml:9:34: compute.monitoring.instance_type: expected an x86_64 instance type like compute.zookeeper's, found \"t4g.small\" (arm64): all nodes share one AMI"
  sed "s/^base_workload:/infrastructure:\n  compute:\n    monitoring: { enabled: maybe }\nbase_workload:/" \
    "$PLANS/poc.yaml" >"$BATS_TEST_TMPDIR/p.yaml"
  run --separate-stderr plc-tfvars -e exp-t -i "$PLANS/infrastructure.yaml" \
    -c "$PLANS/pulsar-cluster.yaml" "$BATS_TEST_TMPDIR/p.yaml"
  assert_failure 3
  assert_output ''
}

@test "a type whose memory the table does not know is valid, with a warning" {
  sed "s/^base_workload:/infrastructure:\n  compute:\n    broker: { instance_type: p4d.24xlarge }\nbase_workload:/" \
    "$PLANS/poc.yaml" >"$BATS_TEST_TMPDIR/p.yaml"
  run --separate-stderr plc-tfvars -e exp-t -i "$PLANS/infrastructure.yaml" \
    -c "$PLANS/pulsar-cluster.yaml" "$BATS_TEST_TMPDIR/p.yaml"
  assert_success
  assert_equal "$(jq -r .broker.instance_type <<<"$output")" p4d.24xlarge
  assert_equal "$stderr" "plc-tfvars: warning: $PLANS/pulsar-cluster.yaml:30:14: broker.heap_size: memory of p4d.24xlarge is not known; heap and direct memory not checked"
}

@test "workloads/: every file uses only keys OMB reads and sets a payload of its size" {
  local f keys size
  for f in "$PLC_ROOT"/workloads/*.yaml; do
    keys=$(sed -n 's/^\([A-Za-z]*\):.*/\1/p' "$f" | sort)
    assert_equal "$(comm -23 <(echo "$keys") "$T/omb-workload-keys.txt")" ''
    size=$(sed -n 's/^messageSize: //p' "$f")
    if grep -qx 'useRandomizedPayloads: true' "$f"; then
      grep -q '^randomizedPayloadPoolSize: [1-9]' "$f"
    else
      case $(sed -n 's/^payloadFile: //p' "$f") in
        payload/payload-100b.data) assert_equal "$size" 100 ;;
        payload/payload-1Kb.data) assert_equal "$size" 1024 ;;
        payload/payload-2Kb.data) assert_equal "$size" 2048 ;;
        payload/payload-4Kb.data) assert_equal "$size" 4096 ;;
        *) echo "$f: no usable payload"; return 1 ;;
      esac
    fi
  done
  run ls "$PLC_ROOT/workloads"
  assert_output 'high-throughput.yaml
large-messages.yaml
latency-test.yaml
multi-topic.yaml
poc.yaml
simple-test.yaml'
}

@test "a configuration error in the infrastructure file points into it" {
  sed 's/count: 2$/count: many/' "$PLANS/infrastructure.yaml" >"$BATS_TEST_TMPDIR/infra.yaml"
  run --separate-stderr plc-tfvars -e exp-t -i "$BATS_TEST_TMPDIR/infra.yaml" \
    -c "$PLANS/pulsar-cluster.yaml" "$PLANS/poc.yaml"
  assert_failure 3
  assert_output ''
  assert_equal "$stderr" "plc-tfvars: $BATS_TEST_TMPDIR/infra.yaml:41:12: compute.broker.count: expected an integer between 1 and 50, found \"many\""
}

# Issue 18, items 2, 3 and 7: hostile plans are refused at the limits of
# plc-tfvars(1), LIMITS, with their position, quickly; before, a 493-byte
# alias bomb took 57 s, 40,000 levels of flow nesting crashed (SIGSEGV),
# 100,000 keys took 57 s, and a NUL byte or bad UTF-8 was reported at 1:1.
@test "invalid: alias-bomb (a billion laughs) is refused at the node limit" {
  check_invalid alias-bomb
}

@test "invalid: a NUL byte and invalid UTF-8 are reported where they are" {
  check_invalid nul-byte
  check_invalid bad-utf8
}

@test "invalid: nesting, keys and size beyond the limits; below them, linear" {
  cd "$BATS_TEST_TMPDIR"
  python3 -c "print('a: ' + '[' * 40000 + ']' * 40000)" >deep.yaml
  run --separate-stderr plc-tfvars -e exp-t deep.yaml
  assert_failure 3
  assert_equal "$stderr" "plc-tfvars: deep.yaml:1:67: nested deeper than the limit of 64"
  python3 -c "print(''.join('k%d: 1\\n' % i for i in range(10001)), end='')" >keys.yaml
  run --separate-stderr plc-tfvars -e exp-t keys.yaml
  assert_failure 3
  assert_equal "$stderr" "plc-tfvars: keys.yaml:1:1: mapping has more keys than the limit of 10000"
  # 10,000 keys: loaded, and on to the next file (absent here).
  python3 -c "print(''.join('k%d: 1\\n' % i for i in range(10000)), end='')" >keys.yaml
  run --separate-stderr plc-tfvars -e exp-t keys.yaml
  assert_failure 3
  assert_equal "$stderr" 'plc-tfvars: "infrastructure.yaml": no infrastructure.yaml beside the plan; give one with -i FILE (the shipped one is plans/infrastructure.yaml)'
  head -c 1048577 /dev/zero | tr '\\0' '#' >big.yaml
  run --separate-stderr plc-tfvars -e exp-t big.yaml
  assert_failure 3
  assert_equal "$stderr" "plc-tfvars: big.yaml: larger than the limit of 1048576 bytes"
}

@test "invalid: ack-above-write" {
  check_invalid ack-above-write
}

@test "invalid: bad-ami" {
  check_invalid bad-ami
}

@test "invalid: bad-key-distributor" {
  check_invalid bad-key-distributor
}

@test "invalid: bad-pulsar-version" {
  check_invalid bad-pulsar-version
}

@test "invalid: bad-region" {
  check_invalid bad-region
}

@test "invalid: bad-run-type" {
  check_invalid bad-run-type
}

@test "invalid: broker-count-zero" {
  check_invalid broker-count-zero
}

@test "invalid: cache-above-direct" {
  check_invalid cache-above-direct
}

@test "invalid: cluster-unknown-key" {
  check_invalid cluster-unknown-key
}

@test "invalid: duplicate-key" {
  check_invalid duplicate-key
}

@test "invalid: duplicate-run-name" {
  check_invalid duplicate-run-name
}

@test "invalid: duration-zero" {
  check_invalid duration-zero
}

@test "invalid: empty-file" {
  check_invalid empty-file
}

@test "invalid: empty-test-runs" {
  check_invalid empty-test-runs
}

@test "invalid: ensemble-above-bookies" {
  check_invalid ensemble-above-bookies
}

@test "invalid: fixed-rate-without-rate" {
  check_invalid fixed-rate-without-rate
}

@test "invalid: heap-no-unit" {
  check_invalid heap-no-unit
}

@test "invalid: heap-too-big" {
  check_invalid heap-too-big
}

@test "invalid: instance-family-typo" {
  check_invalid instance-family-typo
}

@test "invalid: instance-mixed-arch" {
  check_invalid instance-mixed-arch
}

@test "invalid: instance-size-typo" {
  check_invalid instance-size-typo
}

@test "invalid: instance-store-on-m5" {
  check_invalid instance-store-on-m5
}

@test "invalid: io1-without-iops" {
  check_invalid io1-without-iops
}

# AWS's limits (EBS volume types): an st1 volume is 125 GiB to 16 TiB; a
# gp3 volume's throughput is at most 0.25 MiB/s per provisioned IOPS (3000
# when iops is not given).
@test "invalid: st1-too-small" {
  check_invalid st1-too-small
}

@test "invalid: gp3-throughput-above-iops" {
  check_invalid gp3-throughput-above-iops
}

@test "AWS's smallest st1 volume and gp3's highest throughput for its IOPS are valid" {
  sed -e 's/journal: .*/journal: { volume_size: 20, volume_type: gp3, throughput: 750 }/' \
    -e 's/ledger: .*/ledger: { volume_size: 125, volume_type: st1 }/' "$T/invalid/io1-without-iops.yaml" >"$BATS_TEST_TMPDIR/edge.yaml"
  run --separate-stderr plc-tfvars -e exp-t -i "$T/invalid/infrastructure.yaml" -c "$PLANS/pulsar-cluster.yaml" "$BATS_TEST_TMPDIR/edge.yaml"
  assert_success
  assert_equal "$(jq -c .bookkeeper_storage <<<"$output")" \
    '{"instance_store":false,"journal":{"size_gb":20,"type":"gp3","throughput":750},"ledger":{"size_gb":125,"type":"st1"}}'
}

@test "invalid: max-rate-backlog" {
  check_invalid max-rate-backlog
}

@test "invalid: max-rate-with-rate" {
  check_invalid max-rate-with-rate
}

@test "invalid: missing-base-workload" {
  check_invalid missing-base-workload
}

@test "invalid: missing-message-size" {
  check_invalid missing-message-size
}

@test "invalid: override-not-mapping" {
  check_invalid override-not-mapping
}

@test "invalid: payload-and-random" {
  check_invalid payload-and-random
}

@test "invalid: payload-size-mismatch" {
  check_invalid payload-size-mismatch
}

@test "invalid: ramp-step-zero-duration" {
  check_invalid ramp-step-zero-duration
}

@test "invalid: ramp-without-steps" {
  check_invalid ramp-without-steps
}

@test "invalid: rate-not-number" {
  check_invalid rate-not-number
}

@test "invalid: rate-quoted" {
  check_invalid rate-quoted
}

@test "invalid: rate-zero" {
  check_invalid rate-zero
}

@test "invalid: ratio-out-of-range" {
  check_invalid ratio-out-of-range
}

@test "invalid: reporting-bad-format" {
  check_invalid reporting-bad-format
}

@test "invalid: reserved-tag" {
  check_invalid reserved-tag
}

@test "invalid: run-name-space" {
  check_invalid run-name-space
}

@test "invalid: scale-two-schedules" {
  check_invalid scale-two-schedules
}

@test "invalid: scale-without-criteria" {
  check_invalid scale-without-criteria
}

@test "invalid: spot-bool-yes" {
  check_invalid spot-bool-yes
}

@test "invalid: spot-price-without-spot" {
  check_invalid spot-price-without-spot
}

@test "invalid: ssh-whole-internet" {
  check_invalid ssh-whole-internet
}

@test "invalid: subnet-outside-vpc" {
  check_invalid subnet-outside-vpc
}

@test "invalid: top-level-list" {
  check_invalid top-level-list
}

@test "invalid: topics-zero" {
  check_invalid topics-zero
}

@test "invalid: ttl-too-long" {
  check_invalid ttl-too-long
}

@test "invalid: unknown-anchor" {
  check_invalid unknown-anchor
}

@test "invalid: unknown-run-key" {
  check_invalid unknown-run-key
}

@test "invalid: unknown-top-key" {
  check_invalid unknown-top-key
}

@test "invalid: vpc-cidr-host-bits" {
  check_invalid vpc-cidr-host-bits
}

@test "invalid: vpc-cidr-prefix" {
  check_invalid vpc-cidr-prefix
}

@test "invalid: yaml-syntax" {
  check_invalid yaml-syntax
}

@test "invalid: zone-not-in-region" {
  check_invalid zone-not-in-region
}

@test "invalid: zookeeper-even" {
  check_invalid zookeeper-even
}

@test "invalid: runs-exceed-ttl" {
  check_invalid runs-exceed-ttl
}

@test "invalid: anchor-cycle" {
  check_invalid anchor-cycle
}

@test "invalid: instance-size-metal-xl" {
  check_invalid instance-size-metal-xl
}
