#!/usr/bin/env bats
# plc-omb-parse: every OMB result shape in, one metrics record per run out.
# Expected values are recomputed here from the result files with jq, never
# copied from the tool's own output.
# shellcheck disable=SC2016,SC2154  # jq programs in single quotes; bats sets $stderr

bats_require_minimum_version 1.5.0
load lib/common

OMB="$FIXTURES/omb"
USAGE='usage: plc-omb-parse [-qs] [-e experiment-id] [-r runs.ndjson] [file ...]
       plc-omb-parse [-qs] [-e experiment-id] -r runs.ndjson -f reason
       plc-omb-parse [-qs] [-e experiment-id] -x executed.ndjson'
LUKY="$OMB/luky116_pulsar_failed-run_1000-partition-10-producer-10-consumer.json"
RTEW="$OMB/rtewierik_pulsar_throughput-10kb-10-Pulsar-2024-05-12-20-33-23.json"
PR407="$OMB/omb-pr407_kafka_1-topic-1-partition-1kb-Kafka-2024-02-08-10-51-41.json"
RDHA="$OMB/rdhabalia_pulsar_v1-early_010000-Pulsar-2019-01-08-07-52-46.json"
CFPULSAR="$OMB/confluent_pulsar_throughput_default-sync-raid0.json"
CFKAFKA="$OMB/confluent_kafka_latency_default-sync-200k.json"
SNBACKLOG="$OMB/streamnative_pulsar-backlog-100-partitions-1kb-batched-1ms-ack-2-sync.json"
CHOSH="$OMB/chosh31_kafka_1-topic-1-partition-1000-rate-1kb-Kafka-Dev-2020-02-20-22-37-57.json"

setup() {
  cd "$BATS_TEST_TMPDIR" || return
}

# check FILE JQ-EXPR [OPTION...]: the tool's record for FILE is $r, the
# file itself $s, its path $f; JQ-EXPR must be true.
check() {
  local file=$1 expr=$2 rec
  shift 2
  rec=$(plc-omb-parse "$@" "$file")
  run jq -n --argjson r "$rec" --slurpfile s "$file" --arg f "$file" \
    "\$s[0] as \$s | $expr"
  assert_output true
}

# Issue 17: the one help of every tool (tests/cli.bats): the usage first,
# then the options, the exit statuses and the man page.
@test "--help prints the usage line first" {
  run --separate-stderr plc-omb-parse --help
  assert_success
  assert_equal "${lines[0]}${lines[1]}${lines[2]}" "${USAGE//$'\n'/}"
  assert_line "  -r, --runs FILE           one record per run of FILE (plc-tfvars"
  assert_equal "${lines[-1]}" "See plc-omb-parse(1)."
  assert_equal "$stderr" ""
}

@test "--version prints the version" {
  run --separate-stderr plc-omb-parse --version
  assert_success
  assert_output --regexp '^plc-omb-parse [0-9]+\.[0-9]+\.[0-9]+$'
  assert_equal "$stderr" ""
}

@test "an unknown option or a missing argument is a usage error" {
  run --separate-stderr plc-omb-parse -z "$LUKY"
  assert_failure 2
  assert_output ""
  assert_equal "$stderr" "plc-omb-parse: invalid option -- 'z'
$USAGE"
  run --separate-stderr plc-omb-parse --nope "$LUKY"
  assert_failure 2
  assert_equal "$stderr" "plc-omb-parse: unrecognized option '--nope'
$USAGE"
  run --separate-stderr plc-omb-parse --runs
  assert_failure 2
  assert_output ""
  assert_equal "$stderr" "plc-omb-parse: option '--runs' requires an argument
$USAGE"
  run --separate-stderr plc-omb-parse -r
  assert_failure 2
  assert_equal "$stderr" "plc-omb-parse: option requires an argument -- 'r'
$USAGE"
}

@test "every fixture: identity, rates, aggregated latencies and backlog match the file" {
  local f n=0
  for f in "$OMB"/*.json; do
    check "$f" '
      $r.schema == 1 and $r.workload == $s.workload and $r.driver == $s.driver
      and $r.source_file == $f
      and $r.periods == ($s.publishRate | length)
      and $r.period_s == 10 and $r.duration_s == 10 * ($s.publishRate | length)
      and $r.publish_rate_msgs_per_s.mean == ($s.publishRate | add / length)
      and $r.publish_rate_msgs_per_s.min == ($s.publishRate | min)
      and $r.publish_rate_msgs_per_s.max == ($s.publishRate | max)
      and $r.publish_rate_msgs_per_s.median == ($s.publishRate | sort
          | if length % 2 == 1 then .[length / 2 | floor]
            else (.[length / 2 - 1] + .[length / 2]) / 2 end)
      and $r.consume_rate_msgs_per_s.mean == ($s.consumeRate | add / length)
      and $r.publish_latency_ms.avg == $s.aggregatedPublishLatencyAvg
      and $r.publish_latency_ms.p50 == $s.aggregatedPublishLatency50pct
      and $r.publish_latency_ms.p99 == $s.aggregatedPublishLatency99pct
      and $r.publish_latency_ms.p99_9 == $s.aggregatedPublishLatency999pct
      and $r.publish_latency_ms.p99_99 == $s.aggregatedPublishLatency9999pct
      and $r.publish_latency_ms.max == $s.aggregatedPublishLatencyMax
      and $r.backlog_msgs.final == $s.backlog[-1]
      and $r.backlog_msgs.max == ($s.backlog | max)
      and $r.backlog_msgs.min == ($s.backlog | min)'
    n=$((n + 1))
  done
  assert_equal "$n" 9
}

@test "every fixture: the detected shape is the one SOURCES.md gives" {
  local f want
  for f in "$OMB"/*.json; do
    case ${f##*/} in
      omb-pr407_* | rtewierik_*) want=v4 ;;
      rdhabalia_*) want=v1-early ;;
      *) want=v1 ;;
    esac
    run jq -r .shape < <(plc-omb-parse "$f")
    assert_output "$want"
  done
}

@test "end-to-end latency is the file's, in ms; publish delay is converted from us" {
  local f
  for f in "$OMB"/*.json; do
    [[ $f == "$RDHA" ]] && continue
    check "$f" '
      $r.end_to_end_latency_ms.p99 == $s.aggregatedEndToEndLatency99pct
      and $r.end_to_end_latency_ms.max == $s.aggregatedEndToEndLatencyMax
      and $r.unit_fixed == false'
  done
  check "$PR407" '
    $r.publish_delay_ms.p99 == $s.aggregatedPublishDelayLatency99pct / 1000
    and $r.publish_delay_ms.max == $s.aggregatedPublishDelayLatencyMax / 1000
    and $r.publish_delay_ms.avg == $s.aggregatedPublishDelayLatencyAvg / 1000'
  check "$CHOSH" '$r.publish_delay_ms == null and $r.publish_error_rate_errs_per_s == null'
}

@test "v1-early: aggregated end-to-end values in us are corrected and flagged" {
  check "$RDHA" '
    ($s.aggregatedEndToEndLatencyQuantiles | to_entries | last.value) as $qmax
    | $r.unit_fixed == true and $r.shape == "v1-early"
    and $s.aggregatedEndToEndLatencyMax == 1000 * $qmax
    and $r.end_to_end_latency_ms.max == $qmax
    and $r.end_to_end_latency_ms.p99 == $s.aggregatedEndToEndLatency99pct / 1000
    and $r.end_to_end_latency_ms.avg == $s.aggregatedEndToEndLatencyAvg / 1000
    and $r.publish_latency_ms.p99 == $s.aggregatedPublishLatency99pct'
}

@test "failed: the all-zero run with empty quantile maps" {
  check "$LUKY" '
    $r.failed == true
    and $r.failure_reason == "no message published in any period"
    and $r.stalled == false and $r.publish_rate_cv == null
    and ($s.publishRate | all(. == 0))'
  check "$LUKY" '
    $r.quantiles == {"publish_latency_ms": [], "publish_delay_ms": null,
                     "end_to_end_latency_ms": []}
    and ($s.aggregatedPublishLatencyQuantiles | length) == 0' --quantiles
}

@test "failed: an empty publish latency quantile map alone" {
  jq '.aggregatedPublishLatencyQuantiles = {}' "$RTEW" > empty-map.json
  check empty-map.json '$r.failed == true
    and $r.failure_reason == "empty publish latency quantile map"'
}

@test "stalled: trailing periods with no publishing are counted" {
  local f
  for f in "$CFPULSAR" "$PR407"; do
    check "$f" '
      ($s.publishRate | length - (map(. != 0) | rindex(true)) - 1) as $tail
      | $tail > 0 and $r.stalled == true and $r.stalled_periods == $tail
      and $r.failed == false'
  done
  check "$RTEW" '$r.stalled == false and $r.stalled_periods == 0'
}

@test "overloaded: publish delay at OMB's 60 s clamp" {
  check "$RTEW" '$r.overloaded == false'
  # As a max-rate run writes them: every delay statistic at the clamp.
  jq '.aggregatedPublishDelayLatency99pct = 60000255
      | .aggregatedPublishDelayLatency999pct = 60000255
      | .aggregatedPublishDelayLatency9999pct = 60000255
      | .aggregatedPublishDelayLatencyMax = 60000255' "$RTEW" > clamped.json
  check clamped.json '$r.overloaded == true and $r.publish_delay_ms.max == 60000.255'
  printf '{"workload":"w","driver":"d","publishRate":[1],"aggregatedPublishDelayLatencyMax":59999999}' > below.json
  printf '{"workload":"w","driver":"d","publishRate":[1],"aggregatedPublishDelayLatencyMax":60000000}' > at.json
  printf '{"workload":"w","driver":"d","publishRate":[1],"aggregatedPublishLatencyMax":60000.001}' > pub.json
  check below.json '$r.overloaded == false'
  check at.json '$r.overloaded == true'
  check pub.json '$r.overloaded == true'
}

@test "negative backlogs of pre-2022 files are kept" {
  check "$CFKAFKA" '($s.backlog | min) < 0 and $r.backlog_msgs.min == ($s.backlog | min)'
}

@test "the backlog build-and-drain run" {
  check "$SNBACKLOG" '
    $r.periods == 301 and $r.backlog_msgs.max == ($s.backlog | max)
    and $r.backlog_msgs.max > 500000000
    and $r.backlog_msgs.final == $s.backlog[-1]
    and $r.consume_rate_msgs_per_s.max == ($s.consumeRate | max)
    and $r.end_to_end_latency_ms.p50 == $s.aggregatedEndToEndLatency50pct'
}

@test "stability is the coefficient of variation of the publish rate" {
  local f
  for f in "$RTEW" "$CFPULSAR" "$CHOSH"; do
    check "$f" '
      ($s.publishRate | add / length) as $m
      | $r.publish_rate_cv
        == (($s.publishRate | map((. - $m) * (. - $m)) | add / length | sqrt) / $m)'
  done
}

@test "MB/s uses the file's message size" {
  check "$RTEW" '
    $r.message_size_bytes == $s.messageSize and $r.topics == $s.topics
    and $r.partitions_per_topic == $s.partitions
    and $r.producers_per_topic == $s.producersPerTopic
    and $r.consumers_per_subscription == $s.consumersPerTopic
    and $r.publish_rate_mb_per_s.mean
        == ($s.publishRate | add / length) * $s.messageSize / 1e6
    and $r.consume_rate_mb_per_s.min == ($s.consumeRate | min) * $s.messageSize / 1e6
    and $r.publish_error_rate_errs_per_s.max == ($s.publishErrorRate | max)'
  check "$CHOSH" '$r.message_size_bytes == null and $r.publish_rate_mb_per_s == null'
}

@test "shapes v0, v2, v3 and the Redpanda fork are told apart" {
  jq 'del(.publishErrorRate)' "$RTEW" > v3.json
  jq 'del(.publishErrorRate) | with_entries(select(.key | test("PublishDelay|publishDelay") | not))' \
    "$RTEW" > v2.json
  jq 'with_entries(select(.key | test("EndToEnd|endToEnd") | not))' "$CHOSH" > v0.json
  jq 'del(.publishErrorRate) + {sampleRateMillis: 1000, version: "1"}' "$RTEW" > rp.json
  check v3.json '$r.shape == "v3" and $r.publish_delay_ms.p99 == $s.aggregatedPublishDelayLatency99pct / 1000'
  check v2.json '$r.shape == "v2" and $r.publish_delay_ms == null and $r.message_size_bytes == $s.messageSize'
  check v0.json '$r.shape == "v0" and $r.end_to_end_latency_ms == null
    and $r.publish_latency_ms.p99 == $s.aggregatedPublishLatency99pct'
  check rp.json '$r.shape == "redpanda" and $r.period_s == 1 and $r.duration_s == ($s.publishRate | length)'
}

@test "a small file gives exactly the documented record" {
  cat > small.json <<'JSON'
{ "workload" : null, "driver" : "Pulsar", "unknownKey" : { "a" : [ 1, { "b" : null } ] },
  "messageSize" : 1000, "publishRate" : [ 100.0, 300.0, 0.0 ], "consumeRate" : [ 100.0, 100.0, 100.0 ],
  "backlog" : [ 5, -2, 7 ], "aggregatedPublishLatencyAvg" : 1.5, "aggregatedPublishLatency99pct" : 4.25,
  "aggregatedPublishLatencyQuantiles" : { "50.0" : 1.0, "100.0" : 4.5, "1.0E-5" : 0.5 } }
JSON
  run --separate-stderr plc-omb-parse -e exp-7 -q small.json
  assert_success
  assert_equal "$stderr" ""
  assert_output '{"schema":1,"experiment_id":"exp-7","source_file":"small.json","shape":"v2","workload":null,"driver":"Pulsar","topics":null,"partitions_per_topic":null,"message_size_bytes":1000,"producers_per_topic":null,"consumers_per_subscription":null,"subscriptions_per_topic":null,"periods":3,"period_s":10,"duration_s":30,"target_rate_msgs_per_s":null,"publish_rate_msgs_per_s":{"mean":133.33333333333334,"median":100,"min":0,"max":300},"publish_rate_mb_per_s":{"mean":0.13333333333333333,"median":0.1,"min":0,"max":0.3},"consume_rate_msgs_per_s":{"mean":100,"median":100,"min":100,"max":100},"consume_rate_mb_per_s":{"mean":0.1,"median":0.1,"min":0.1,"max":0.1},"publish_error_rate_errs_per_s":null,"publish_rate_cv":0.9354143466934853,"achieved_to_target_ratio":null,"publish_latency_ms":{"avg":1.5,"p50":null,"p75":null,"p95":null,"p99":4.25,"p99_9":null,"p99_99":null,"max":null},"publish_delay_ms":null,"end_to_end_latency_ms":null,"backlog_msgs":{"max":7,"final":7,"min":-2},"failed":false,"failure_reason":null,"stalled":true,"stalled_periods":1,"overloaded":false,"unit_fixed":false,"quantiles":{"publish_latency_ms":[[1e-05,0.5],[50,1],[100,4.5]],"publish_delay_ms":null,"end_to_end_latency_ms":null}}'
}

@test "--quantiles: curves sorted by percentile as numbers, values in ms" {
  check "$PR407" '
    ($s.aggregatedPublishLatencyQuantiles | to_entries
      | map([(.key | tonumber), .value]) | sort_by(.[0])) as $pub
    | ($s.aggregatedPublishDelayLatencyQuantiles | to_entries
      | map([(.key | tonumber), .value / 1000]) | sort_by(.[0])) as $delay
    | $r.quantiles.publish_latency_ms == $pub
    and $r.quantiles.publish_delay_ms == $delay
    and ($r.quantiles.end_to_end_latency_ms | length)
        == ($s.aggregatedEndToEndLatencyQuantiles | length)
    and $r.quantiles.publish_latency_ms[-1][0] == 100' --quantiles
  # String order would put "1.0E-5"-style keys last: numeric order puts the
  # smallest percentile first.
  check "$RTEW" '$r.quantiles.publish_latency_ms[0][0]
    == ($s.aggregatedPublishLatencyQuantiles | keys | map(tonumber) | min)' -q
}

@test "--series: the per-period arrays, publish delay in ms" {
  check "$PR407" '
    $r.series.publish_rate_msgs_per_s == $s.publishRate
    and $r.series.consume_rate_msgs_per_s == $s.consumeRate
    and $r.series.publish_error_rate_errs_per_s == $s.publishErrorRate
    and $r.series.backlog_msgs == $s.backlog
    and $r.series.publish_latency_ms.p99 == $s.publishLatency99pct
    and $r.series.end_to_end_latency_ms.avg == $s.endToEndLatencyAvg
    and $r.series.publish_delay_ms.p99 == ($s.publishDelayLatency99pct | map(. / 1000))' --series
  check "$CHOSH" '$r.series.publish_delay_ms == null and $r.series.publish_error_rate_errs_per_s == null
    and $r.series.end_to_end_latency_ms.p99 == $s.endToEndLatency99pct' -s
  check "$CHOSH" 'has("series") == false and has("quantiles") == false'
}

@test "reads stdin when no file is given" {
  rec=$(plc-omb-parse < "$RTEW")
  run jq -n --argjson r "$rec" --slurpfile s "$RTEW" \
    '$r.source_file == "-" and $r.publish_latency_ms.p99 == $s[0].aggregatedPublishLatency99pct'
  assert_output true
}

@test "--runs: joined by workload name and order, a failed record for a run without result" {
  run --separate-stderr plc-omb-parse -e exp-1 --runs "$OMB/runs.ndjson" \
    "$PR407" "$RTEW" "$LUKY" "$CHOSH"
  assert_success
  assert_equal "$stderr" "plc-omb-parse: $CHOSH: workload \"1 topic / 1 partition / 1000 rate / 1Kb\" matches no run"
  printf '%s\n' "$output" > out.ndjson
  run jq -c '[.run_name, .run_index, .source_file, .failed]' out.ndjson
  assert_output "[\"tput-10kb\",0,\"$RTEW\",false]
[\"kafka-1kb-a\",1,\"$PR407\",false]
[\"max-rate\",2,null,true]
[\"pulsar-1kb-b\",3,\"$LUKY\",true]
[null,null,\"$CHOSH\",false]"
  run jq -c 'select(.run_name == "max-rate") | [.experiment_id, .run_type, .workload, .failure_reason, .expected_duration_s, .target_rate_msgs_per_s, .message_size_bytes, .periods]' out.ndjson
  assert_output '["exp-1","max-rate","max-rate-1-topic-1-partition-1p-1c-1kb","no result file for this run",600,10000000,1024,null]'
  # The workload fills what a v1 file lacks; the target gives the ratio.
  run jq -n --slurpfile o out.ndjson --slurpfile s "$LUKY" --slurpfile k "$PR407" '
    ($o[3]) as $b | ($o[1]) as $a
    | $b.topics == 1000 and $b.message_size_bytes == 1024 and $b.producers_per_topic == 10
    and $b.publish_rate_mb_per_s.mean == 0 and $b.target_rate_msgs_per_s == null
    and $a.target_rate_msgs_per_s == 50000 and $a.topics == $k[0].topics
    and $a.achieved_to_target_ratio == ($k[0].publishRate | add / length) / 50000'
  assert_output true
}

@test "--runs: a run without result has null series and quantiles; a null workload matches no run" {
  printf '{"workload":null,"driver":"d","publishRate":[1]}' > nameless.json
  run --separate-stderr plc-omb-parse -q -s --runs "$OMB/runs.ndjson" "$RTEW" nameless.json
  assert_success
  assert_equal "$stderr" 'plc-omb-parse: nameless.json: workload "null" matches no run'
  printf '%s\n' "$output" > out.ndjson
  run jq -c '[.run_name, .workload, .series == null, .quantiles == null]' out.ndjson
  assert_output '["tput-10kb","throughput-10kb-10",false,false]
["kafka-1kb-a","1 topic / 1 partition / 1Kb",true,true]
["max-rate","max-rate-1-topic-1-partition-1p-1c-1kb",true,true]
["pulsar-1kb-b","1 topic / 1 partition / 1Kb",true,true]
[null,null,false,false]'
  # Every record has the same fields in the same order.
  run jq -sc 'map(keys_unsorted) | unique | length' out.ndjson
  assert_output 1
}

@test "--runs: a malformed line or a missing key is bad input with its position" {
  printf '{"name":"a","index":0,"workload":{"name":"w"}}\n{"name": "b", ]\n' > bad.ndjson
  run --separate-stderr plc-omb-parse --runs bad.ndjson "$RTEW"
  assert_failure 3
  assert_output ""
  assert_equal "$stderr" "plc-omb-parse: bad.ndjson:2:15: string or '}' expected near ']'"
  printf '{"name":"a","index":0,"workload":{"title":"w"}}\n' > miss.ndjson
  run --separate-stderr plc-omb-parse --runs miss.ndjson "$RTEW"
  assert_failure 3
  assert_equal "$stderr" 'plc-omb-parse: miss.ndjson:1: not a run: missing "workload"."name" (a string)'
  run --separate-stderr plc-omb-parse --runs nowhere.ndjson "$RTEW"
  assert_failure 1
  assert_equal "$stderr" "plc-omb-parse: nowhere.ndjson: No such file or directory"
}

# Issue 17: lab-run built the failed record of a step, a gated run and a
# phase without results in jq, and its copies had drifted from this one.
@test "--failed: each run's failed record, exactly as --runs writes it, with the reason given; no result read" {
  plc-omb-parse -q -s -e exp-1 --runs "$OMB/runs.ndjson" "$CHOSH" 2>/dev/null | head -n 4 |
    jq -c '.failure_reason = "no answer from the runner after 20m"' >want.ndjson
  run --separate-stderr plc-omb-parse -q -s -e exp-1 --runs "$OMB/runs.ndjson" \
    --failed "no answer from the runner after 20m" <<<'not read'
  assert_success
  assert_equal "$stderr" ""
  assert_output "$(cat want.ndjson)"
  run jq -c '[.run_name, .failed, .failure_reason, .target_rate_msgs_per_s, .source_file]' <<<"$output"
  assert_line --index 1 '["kafka-1kb-a",true,"no answer from the runner after 20m",50000,null]'
}

@test "--failed needs --runs and no file, and a reason" {
  run --separate-stderr plc-omb-parse -f "why"
  assert_failure 2
  assert_output ""
  assert_equal "$stderr" "plc-omb-parse: --failed needs --runs and no file
$USAGE"
  run --separate-stderr plc-omb-parse -f "why" -r "$OMB/runs.ndjson" "$RTEW"
  assert_failure 2
  assert_equal "$stderr" "plc-omb-parse: --failed needs --runs and no file
$USAGE"
  run --separate-stderr plc-omb-parse --failed= -r "$OMB/runs.ndjson"
  assert_failure 2
  assert_equal "$stderr" 'plc-omb-parse: --failed: expected a reason, found ""'
}

# executed LINE-JQ...: executed.ndjson (plc-executed/1, as lab-run writes
# it) in exp/, one line per jq object (run_line: that line of runs.ndjson).
executed() {
  local i=0 e
  mkdir -p exp/results
  : >exp/executed.ndjson
  for e in "$@"; do
    jq -c --argjson i "$i" --slurpfile runs <(grep . "$OMB/runs.ndjson") \
      "{schema: \"plc-executed/1\", seq: (\$i + 1), key: \"k\(\$i)\", run_name: \$runs[\$i].name,
        state: \"succeeded\", reason: null, result_file: null, run_line: \$runs[\$i]} + $e" <<<null >>exp/executed.ndjson
    i=$((i + 1))
  done
}

# Issue 17: lab-run merged the executed workloads' states, SLO verdicts
# and the results' provenance into the records in a jq program.
@test "--executed: one record per workload as it ran, its result beside the file, failed by its state, with its SLO verdict" {
  executed '{result_file: "results/a.json", slo_pass: true, slo_verdict: "within the SLO"}' \
    '{state: "failed", reason: "OMB exited 1"}' \
    '{state: "failed", result_file: "results/c.json", slo_pass: false, slo_verdict: "p99 over 10 ms"}' \
    '{}'
  cp "$RTEW" exp/results/a.json
  printf '{"workload": "max-rate-1-topic-1-partition-1p-1c-1kb", "driver": "d", "publishRate": [5], "modeled": true}' >exp/results/c.json
  run --separate-stderr plc-omb-parse -s -e exp-1 -x exp/executed.ndjson <<<'not read'
  assert_success
  assert_equal "$stderr" ""
  printf '%s\n' "$output" >out.ndjson
  run jq -c '[.experiment_id, .run_name, .run_index, .source_file, .failed, .failure_reason, .slo_pass, .slo_verdict, .stand_in, .series != null]' out.ndjson
  assert_output '["exp-1","tput-10kb",0,"results/a.json",false,null,true,"within the SLO",null,true]
["exp-1","kafka-1kb-a",1,null,true,"OMB exited 1",null,null,null,false]
["exp-1","max-rate",2,"results/c.json",true,null,false,"p99 over 10 ms","modeled",true]
["exp-1","pulsar-1kb-b",3,null,true,"no result file for this run",null,null,null,false]'
  # Apart from those, each record is the one --runs makes of its result.
  run jq -c 'del(.slo_pass, .slo_verdict)' <(sed -n 1p out.ndjson)
  assert_output "$(cd exp && plc-omb-parse -s -e exp-1 -r <(sed -n 1p "$OMB/runs.ndjson") results/a.json)"
  # Without state or verdict to add, the same records as --runs and --failed.
  executed '{result_file: "results/a.json"}'
  run plc-omb-parse -x exp/executed.ndjson
  assert_output "$(cd exp && plc-omb-parse -r <(sed -n 1p "$OMB/runs.ndjson") results/a.json)"
}

@test "--executed: a bad line is bad input with its position; a missing result file, its failed record and exit 1" {
  executed '{}' '{schema: "plc-executed/0"}'
  run --separate-stderr plc-omb-parse -x exp/executed.ndjson
  assert_failure 3
  assert_output ""
  assert_equal "$stderr" 'plc-omb-parse: exp/executed.ndjson:2: not an executed workload: missing "schema" ("plc-executed/1")'
  executed '{run_line: {name: "x", index: 0, workload: {}}}'
  run --separate-stderr plc-omb-parse -x exp/executed.ndjson
  assert_failure 3
  assert_equal "$stderr" 'plc-omb-parse: exp/executed.ndjson:1: not an executed workload: "run_line": missing "workload"."name" (a string)'
  executed '{result_file: "results/gone.json"}' '{}'
  run --separate-stderr plc-omb-parse -x exp/executed.ndjson
  assert_failure 1
  assert_equal "$stderr" 'plc-omb-parse: exp/results/gone.json: No such file or directory'
  run jq -c '[.run_name, .failed, .failure_reason]' <<<"$output"
  assert_output '["tput-10kb",true,"no result file for this run"]
["kafka-1kb-a",true,"no result file for this run"]'
  run --separate-stderr plc-omb-parse -x exp/executed.ndjson "$RTEW"
  assert_failure 2
  assert_equal "$stderr" "plc-omb-parse: --executed takes no --runs and no file
$USAGE"
}

@test "malformed JSON is bad input with file:line:col" {
  printf '{\n  "workload" : "a",\n  "driver" : "b",\n  "publishRate" : [ 1.0, x ]\n}\n' > bad.json
  run --separate-stderr plc-omb-parse bad.json
  assert_failure 3
  assert_output ""
  assert_equal "$stderr" "plc-omb-parse: bad.json:4:26: lexical error: invalid char in json text"
  head -c 1000 "$LUKY" > cut.json
  run --separate-stderr plc-omb-parse cut.json
  assert_failure 3
  assert_equal "$stderr" "plc-omb-parse: cut.json:$(wc -l < cut.json | awk '{print $1 + 1}'):$(tail -n 1 cut.json | wc -c): parse error: premature EOF"
}

@test "valid JSON that is not an OMB result names what is missing or wrong" {
  printf '{"foo": 1, "driver": "x"}\n' > miss.json
  run --separate-stderr plc-omb-parse miss.json
  assert_failure 3
  assert_equal "$stderr" 'plc-omb-parse: miss.json: not an OMB result: missing "workload", "publishRate"'
  printf '[ 1, 2 ]\n' > arr.json
  run --separate-stderr plc-omb-parse arr.json
  assert_failure 3
  assert_equal "$stderr" 'plc-omb-parse: arr.json:1:1: not an OMB result: top level is not an object'
  printf '{\n  "workload" : "a",\n  "driver" : "b",\n  "publishRate" : [ 1.0, "2" ]\n}\n' > type.json
  run --separate-stderr plc-omb-parse type.json
  assert_failure 3
  assert_equal "$stderr" 'plc-omb-parse: type.json:4:28: "publishRate": expected an array of numbers'
  printf '{"workload": "a", "driver": "b", "publishRate": [ 1e999 ]}' > inf.json
  run --separate-stderr plc-omb-parse inf.json
  assert_failure 3
  assert_equal "$stderr" 'plc-omb-parse: inf.json:1:55: "publishRate": number out of range'
  printf '{"workload": 7, "driver": "b", "publishRate": []}' > wl.json
  run --separate-stderr plc-omb-parse wl.json
  assert_failure 3
  assert_equal "$stderr" 'plc-omb-parse: wl.json:1:14: "workload": expected a string or null'
  # Provenance is never guessed from a value of the wrong type.
  printf '{"workload": "a", "replayed": "yes", "publishRate": [1]}' > prov.json
  run --separate-stderr plc-omb-parse prov.json
  assert_failure 3
  assert_equal "$stderr" 'plc-omb-parse: prov.json:1:35: "replayed": expected true, false or null'
}

@test "provenance: a stand-in's labels become the record's; a measurement has none" {
  printf '{"workload": "a", "driver": "d", "publishRate": [5], "fake": false, "modeled": true, "replayedFrom": "x.json"}' >m.json
  printf '{"workload": "b", "driver": "d", "publishRate": [5], "replayed": true, "replayedFrom": "r.json", "replayedWorkload": "rec", "replayedProducerRate": 0}' >r.json
  run --separate-stderr bash -c "plc-omb-parse m.json r.json '$FIXTURES/omb/$(basename "$FIXTURES"/omb/rtewierik_*.json)' |
    jq -c '[.replayed, .stand_in, .replayed_from, .recorded_workload, .target_rate_msgs_per_s, has(\"planned_target_rate_msgs_per_s\")]'"
  assert_success
  assert_output '[true,"modeled","x.json",null,null,false]
[true,"replay","r.json","rec",null,true]
[null,null,null,null,null,false]'
}

# Issue 14: a replayed v1 recording (1 topic, 1 partition) was shown with
# the plan's 16 partitions, filled from the joined run. A replay ran the
# recording's workload: what its file lacks is unknown. A measured v1 file
# (and a fake or modeled one, computed from the plan) still takes the
# plan's workload, which is what OMB ran.
@test "--runs: a replay's workload is its file's alone, never the plan's" {
  printf '%s\n' '{"name":"p16","index":0,"type":"fixed_rate","expected_duration_s":180,"workload":{"name":"p16","topics":2,"partitionsPerTopic":16,"messageSize":2048,"subscriptionsPerTopic":3,"consumerPerSubscription":4,"producersPerTopic":5,"producerRate":20000}}' \
    '{"name":"p16b","index":1,"type":"fixed_rate","expected_duration_s":180,"workload":{"name":"p16b","topics":2,"partitionsPerTopic":16,"messageSize":2048,"subscriptionsPerTopic":3,"consumerPerSubscription":4,"producersPerTopic":5,"producerRate":20000}}' >plan.ndjson
  jq '.workload = "p16" | . + {replayed: true, replayedFrom: "r.json", replayedWorkload: .workload, replayedProducerRate: 10000}' "$RDHA" >replayed.json
  jq '.workload = "p16b"' "$RDHA" >measured.json
  run --separate-stderr bash -c "plc-omb-parse -r plan.ndjson replayed.json measured.json |
    jq -c '[.run_name, .stand_in, .topics, .partitions_per_topic, .message_size_bytes, .producers_per_topic, .consumers_per_subscription, .subscriptions_per_topic, .target_rate_msgs_per_s, .planned_target_rate_msgs_per_s, .publish_rate_mb_per_s]'"
  assert_success
  assert_equal "$stderr" ""
  assert_output '["p16","replay",null,null,null,null,null,null,10000,20000,null]
["p16b",null,2,16,2048,5,4,3,20000,null,{"mean":20.489128161236263,"median":20.479976718762256,"min":20.4771168541715,"max":20.722466799601964}]'
  # A replayed v2+ file keeps what it records itself.
  jq '.workload = "p16" | . + {replayed: true}' "$RTEW" >replayed2.json
  run --separate-stderr bash -c "plc-omb-parse -r plan.ndjson replayed2.json |
    jq -c 'select(.replayed) | [.topics, .partitions_per_topic, .message_size_bytes, .producers_per_topic, .consumers_per_subscription, .subscriptions_per_topic]'"
  assert_success
  assert_output '[10,1,10000,1,1,null]'
}

@test "invalid UTF-8 in a name, a quantile key that is no number: bad input" {
  printf '{"workload":"a\xff","driver":"d","publishRate":[]}' > utf.json
  run --separate-stderr plc-omb-parse utf.json
  assert_failure 3
  assert_output ""
  assert_equal "$stderr" 'plc-omb-parse: utf.json:1:16: "workload": invalid UTF-8'
  printf '{"workload":"a","driver":"d","publishRate":[],\n"aggregatedPublishLatencyQuantiles":{"1.0":1,"x":2}}' > key.json
  run --separate-stderr plc-omb-parse key.json
  assert_failure 3
  assert_equal "$stderr" 'plc-omb-parse: key.json:2:48: "aggregatedPublishLatencyQuantiles": a quantile key is not a number'
  run --separate-stderr plc-omb-parse -q key.json
  assert_failure 3
  assert_equal "$stderr" 'plc-omb-parse: key.json:2:48: "aggregatedPublishLatencyQuantiles": a quantile key is not a number'
}

# Issue 18, item 6: a number longer than 63 characters was cut (a 1 and 99
# zeros read as 1e+62), and 1e999 in a quantile map passed without -q.
@test "long numbers are converted whole; acceptance does not depend on -q" {
  local big
  big="1$(printf '0%.0s' {1..99})"
  printf '{"workload":"w","driver":"d","publishRate":[],"aggregatedPublishLatencyAvg":%s,\n"aggregatedPublishLatencyQuantiles":{"50.0":%s.0}}' "$big" "$big" > long.json
  run --separate-stderr plc-omb-parse -q long.json
  assert_success
  assert_equal "$(jq -c '[.publish_latency_ms.avg, .quantiles.publish_latency_ms]' <<<"$output")" '[1e+99,[[50,1e+99]]]'
  printf '{"workload":"w","driver":"d","publishRate":[],\n"aggregatedPublishLatencyQuantiles":{"50.0":1e999}}' > inf.json
  printf '{"workload":"w","driver":"d","publishRate":[],\n"aggregatedPublishLatencyQuantiles":{"1e999":1}}' > infkey.json
  # The same verdict with and without -q.
  local q
  for q in -s -q; do
    run --separate-stderr plc-omb-parse "$q" inf.json
    assert_failure 3
    assert_equal "$stderr" 'plc-omb-parse: inf.json:2:49: "aggregatedPublishLatencyQuantiles": number out of range'
    run --separate-stderr plc-omb-parse "$q" infkey.json
    assert_failure 3
    assert_equal "$stderr" 'plc-omb-parse: infkey.json:2:44: "aggregatedPublishLatencyQuantiles": a quantile key is not a number'
  done
  printf '{"aggregatedPublishLatencyAvg":1%s}' "$(printf '0%.0s' {1..1000})" > huge.json
  run --separate-stderr plc-omb-parse huge.json
  assert_failure 3
  assert_equal "$stderr" 'plc-omb-parse: huge.json:1:1032: "aggregatedPublishLatencyAvg": number longer than 1000 characters'
}

@test "one bad file among good ones: the good records are written, then exit 3" {
  printf '{"workload": "w"}' > bad.json
  run --separate-stderr plc-omb-parse "$RTEW" bad.json nowhere.json "$LUKY"
  assert_failure 3
  assert_equal "$stderr" 'plc-omb-parse: bad.json: not an OMB result: missing "driver", "publishRate"
plc-omb-parse: nowhere.json: No such file or directory'
  run jq -r .workload <<<"$output"
  assert_output "$(jq -r .workload "$RTEW")
$(jq -r .workload "$LUKY")"
  run --separate-stderr plc-omb-parse nowhere.json "$RTEW" bad.json
  assert_failure 1
}

@test "an empty run (no periods) is failed, not an error" {
  printf '{"workload":"w","driver":"d","publishRate":[ ],"consumeRate":[ ]}' > none.json
  check none.json '$r.failed == true and $r.failure_reason == "no measurement periods"
    and $r.periods == 0 and $r.publish_rate_msgs_per_s == null'
}

@test "a write error on stdout fails loudly" {
  run --separate-stderr bash -c 'plc-omb-parse "$1" >&-' _ "$RTEW"
  assert_failure 1
  assert_equal "$stderr" "plc-omb-parse: stdout: Bad file descriptor"
  run bash -c 'plc-omb-parse "$1" > /dev/full' _ "$RTEW"
  assert_failure 1
  assert_output "plc-omb-parse: stdout: No space left on device"
}
