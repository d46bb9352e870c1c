#!/usr/bin/env bats
# plc-report: an experiment directory in, report/ out. The experiment is
# built here from real OMB results (tests/fixtures/omb) by plc-omb-parse;
# every number the tests expect is read with jq from the metrics and costs
# it came from, never copied from the tool's output.
# shellcheck disable=SC2016,SC2154  # jq programs in single quotes; bats sets $stderr

bats_require_minimum_version 1.5.0
load lib/common

FIX="$FIXTURES/plc-report"
EXP_ID=exp-20261124-210000
USAGE='usage: plc-report [-o outdir] experiment-dir
       plc-report -c [-m] [-t percent] [-o outdir] experiment-dir-a experiment-dir-b
       plc-report -F -o outdir experiment-dir ...
       plc-report -s experiment-dir'
XSS='<script>alert(1)</script> & "200k"'
# Chart figures every page has, with a chart or a note saying why not.
CHARTS='["chart-timeline","chart-latency-quantiles","chart-e2e-quantiles","chart-throughput","chart-p99","chart-target-achieved","chart-ramp","chart-cost"]'

# make_exp DIR: the fixture experiment, its metrics parsed from its results;
# the lifecycle marks replayed runs, here ramp-step-1 in its record (and
# kafka-1kb in runs.ndjson).
make_exp() {
  cp -rL "$FIX/exp-a" "$1"
  plc-omb-parse -s -q -e "$EXP_ID" --runs "$1/runs.ndjson" "$1"/results/*.json |
    jq -c 'if .run_name == "ramp-step-1" then .replayed = true else . end' \
      >"$1/metrics.ndjson"
}

# priced_exp DIR END: make_exp DIR with plc-cost's costs.json: the cluster
# of tfvars.json up for the whole timeline, the run windows the timeline's
# run phases from their start to their END (end, or start for 0 s windows),
# priced as of the end of the timeline, so the figures never depend on the
# day the test runs.
priced_exp() {
  make_exp "$1"
  jq '(.phases[0].start) as $s | ([.phases[].end | strings] | max) as $e | {
        region: "us-west-2",
        instances: [ $tf[0] | to_entries[]
          | select(.value | type == "object" and has("count") and has("instance_type"))
          | .key as $role | .value as $r | range($r.count) as $i
          | {id: "i-\($role)-\($i)", role: $role, instance_type: $r.instance_type,
             launch_time: $s, end_time: $e} ],
        volumes: [] }' --slurpfile tf "$1/tfvars.json" "$1/timeline.json" >"$1.cost-input.json"
  jq -c --arg at "$2" '[.phases[] | select(.run) | {name: .run, start_time: .start, end_time: .[$at]}]' \
    "$1/timeline.json" >"$1.windows.json"
  plc-cost -t "$(jq -r '[.phases[].end | strings] | max' "$1/timeline.json")" -r "$1.windows.json" \
    -m "$1/metrics.ndjson" "$1.cost-input.json" >"$1/costs.json"
}

setup_file() {
  export A="$BATS_FILE_TMPDIR/exp-a"
  make_exp "$A"
  plc-report "$A"
  python3 "$FIX/html_table.py" "$A/report/index.html" >"$BATS_FILE_TMPDIR/page.json"
  export PAGE="$BATS_FILE_TMPDIR/page.json"
}

setup() {
  cd "$BATS_TEST_TMPDIR" || return
}

# Issue 17: the one help of every tool (tests/cli.bats), the usage first.
@test "--help prints the usage first" {
  run --separate-stderr plc-report --help
  assert_success
  assert_equal "$(head -n 4 <<<"$output")" "$USAGE"
  assert_line "  -t, --threshold PERCENT   with -c, the regression threshold"
  assert_equal "${lines[-1]}" "See plc-report(1)."
  assert_equal "$stderr" ""
}

@test "--version prints the version" {
  run --separate-stderr plc-report --version
  assert_success
  assert_output --regexp '^plc-report [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "usage errors exit 2 and say why" {
  run --separate-stderr plc-report
  assert_failure 2
  assert_equal "$stderr" "plc-report: expected one experiment directory
$USAGE"
  run --separate-stderr plc-report -c "$A"
  assert_failure 2
  assert_equal "$stderr" "plc-report: expected two experiment directories
$USAGE"
  run --separate-stderr plc-report -x "$A"
  assert_failure 2
  assert_equal "$stderr" "plc-report: invalid option -- 'x'
$USAGE"
  run --separate-stderr plc-report -c -t -3 "$A" "$A"
  assert_failure 2
  # Issue 17: a bad value is one line naming the option (cli_bad_value).
  assert_equal "$stderr" "plc-report: --threshold: expected a percentage of 0 or more, found \"-3\""
  run --separate-stderr plc-report --output
  assert_failure 2
  assert_equal "$stderr" "plc-report: option '--output' requires an argument
$USAGE"
}

@test "a missing metrics.ndjson is bad input naming the file" {
  mkdir empty
  run --separate-stderr plc-report empty
  assert_failure 3
  assert_output ""
  assert_equal "$stderr" "plc-report: empty/metrics.ndjson: No such file or directory"
  assert_not_exist empty/report
}

@test "malformed inputs are bad input with file, line and column" {
  make_exp x
  printf '{"schema":1}\n{"schema": }\n' >x/metrics.ndjson
  run --separate-stderr plc-report x
  assert_failure 3
  assert_equal "$stderr" "plc-report: x/metrics.ndjson:2:12: unexpected token near '}'"
  make_exp w
  printf '{"schema":1}\n\n[1]\n' >w/metrics.ndjson
  run --separate-stderr plc-report w
  assert_failure 3
  assert_equal "$stderr" "plc-report: w/metrics.ndjson:3: expected an object"
  make_exp y
  echo '{"phases":[{"name":"provision","start":"yesterday","end":null}]}' >y/timeline.json
  run --separate-stderr plc-report y
  assert_failure 3
  assert_equal "$stderr" 'plc-report: y/timeline.json: phase 0: expected "name", "start" and "end" as RFC 3339 UTC times'
  make_exp z
  echo '[1,2]' >z/costs.json
  run --separate-stderr plc-report z
  assert_failure 3
  assert_equal "$stderr" "plc-report: z/costs.json: expected an object"
}

@test "the report directory holds every file, written quietly" {
  make_exp e
  run --separate-stderr plc-report e
  assert_success
  assert_output ""
  assert_equal "$stderr" ""
  for f in index.html metrics.csv metrics.json costs.json config/tfvars.json \
    config/plan.json config/runs.ndjson; do
    assert_file_exists "e/report/$f"
  done
}

@test "metrics.csv is RFC 4180 and matches the metrics field by field" {
  python3 "$FIX/csv2json.py" "$A/report/metrics.csv" >csv.json
  run jq -c '[.crlf, .widths, (.rows | length)]' csv.json
  assert_output "[true,[47],$(wc -l <"$A/metrics.ndjson")]"
  # Column -> record path; the last three come from elsewhere.
  run jq -n --slurpfile c csv.json --slurpfile m "$A/metrics.ndjson" \
    --slurpfile costs "$A/costs.json" '
    $c[0] as $c | $costs[0] as $k
    | def enc: if . == null then "" elif type == "boolean" then tostring
               else . end;
    def same($text; $v): if ($v | type) == "number"
               then ($text | tonumber) == $v else $text == ($v | enc) end;
    [ $c.header[0:42][] as $col
      | range(0; $m | length) as $i
      | ($col | sub("_(?<s>mean|min|max|avg|p50|p95|p99|p99_9|p99_99|final)$"; ".\(.s)")) as $path
      | ($m[$i] | getpath($path | split("."))) as $v
      | select(same($c.rows[$i][$col]; $v) | not)
      | {row: $i, $col, csv: $c.rows[$i][$col], metric: $v} ]
    + [ range(0; $m | length) as $i | $m[$i].run_name as $n
        | ($k.runs[] | select(.name == $n)) as $p
        | select(
            ($c.rows[$i].replayed == (($m[$i].replayed // false) or
               ($n == "kafka-1kb") | tostring)
             and same($c.rows[$i].cost_usd; $p.cost_usd)
             and same($c.rows[$i].cost_usd_per_hour; $p.cost_usd / $p.duration_s * 3600)
             and (if $m[$i].failed or ($m[$i].publish_rate_msgs_per_s.mean // 0) <= 0
                  then $c.rows[$i].cost_per_million_messages_usd == ""
                  else (($c.rows[$i].cost_per_million_messages_usd | tonumber) /
                        ($p.cost_usd / $p.duration_s / $m[$i].publish_rate_msgs_per_s.mean * 1e6) - 1
                        | fabs < 1e-12) end)) | not)
        | {row: $i, run: $n} ]'
  assert_output "[]"
  run jq -r '.header | join(",")' csv.json
  assert_output --partial "run_index,run_name,run_type,workload,driver,shape,"
  assert_output --partial ",failure_reason,stand_in,replayed_from,recorded_workload,planned_target_rate_msgs_per_s,replayed,off_target_pct,cost_usd,cost_usd_per_hour,cost_per_million_messages_usd"
  # The run with quotes and a comma-free name is quoted as RFC 4180 says.
  run grep -c '^2,"<script>alert(1)</script> & ""200k""",fixed_rate,' "$A/report/metrics.csv"
  assert_output 1
}

@test "metrics.json holds the records, replayed set, with schema and experiment" {
  run jq -nc --slurpfile j "$A/report/metrics.json" --slurpfile m "$A/metrics.ndjson" '
    $j[0] as $j
    | [$j.schema, $j.experiment_id, ($j.runs | length) == ($m | length),
       ([$j.runs[] | del(.replayed, .off_target_pct, .cost_usd, .cost_usd_per_hour,
          .cost_per_million_messages_usd)] == [$m[] | del(.replayed)]),
       [$j.runs[] | select(.replayed) | .run_name]]'
  assert_output "$(jq -nc --arg id "$EXP_ID" '[1,$id,true,true,["kafka-1kb","ramp-step-1"]]')"
}

@test "costs.json, raw_data and config are copies; secrets never reach config" {
  run jq -n --slurpfile a "$A/costs.json" --slurpfile b "$A/report/costs.json" '$a == $b'
  assert_output true
  for f in "$A"/results/*.json; do
    cmp "$f" "$A/report/raw_data/${f##*/}"
  done
  run bash -c "ls '$A/report/raw_data' | wc -l"
  assert_output "$(find "$A/results" -name '*.json' | wc -l)"
  make_exp s
  jq -c '.aws_secret_access_key = "CANARY-SECRET" | .cluster.broker.token = "CANARY-TOKEN"' \
    "$FIX/exp-a/tfvars.json" >s/tfvars.json
  plc-report s
  run grep -rl CANARY s/report
  assert_failure 1
  run jq -n --slurpfile a s/tfvars.json --slurpfile b s/report/config/tfvars.json \
    '$a[0] | del(.aws_secret_access_key, .cluster.broker.token) == $b[0]'
  assert_output true
}

@test "index.html is well-formed, self-contained and has every chart" {
  run xmllint --noout "$A/report/index.html"
  assert_success
  # Nothing on the page may point outside it, and its policy forbids it.
  run grep -Eci '(src|href)="(https?:)?//|url\(|@import' "$A/report/index.html"
  assert_output 0
  run grep -c "content=\"default-src 'none';" "$A/report/index.html"
  assert_output 1
  run jq -c --argjson want "$CHARTS" \
    '[$want[] as $c | select(.charts[$c].svg != true or (.charts[$c].missing | length) > 0)]' "$PAGE"
  assert_output "[]"
  # One line per run that has a curve or a series: the failed run has none.
  run jq -c '[.charts["chart-latency-quantiles", "chart-throughput", "chart-p99"].lines]' "$PAGE"
  n=$(jq -s '[.[] | select(.failed | not)] | length' "$A/metrics.ndjson")
  assert_output "[$n,$n,$n]"
}

@test "the numbers of the run table are the metrics' own" {
  run jq -n --slurpfile p "$PAGE" --slurpfile m "$A/metrics.ndjson" \
    --slurpfile k "$A/costs.json" '
    $p[0].rows as $rows
    | [ range(0; $m | length) as $i | $m[$i] as $r | $rows[$i] as $row
        | ($row.cells | to_entries[]) as $c
        # Cost per million: the cluster rate over the run window, over
        # the messages of the OMB measured period (rate x period).
        | (if $c.key == "cost_per_million_messages_usd"
           then ($k[0].runs[] | select(.name == $r.run_name)
                 | if $r.failed or ($r.publish_rate_msgs_per_s.mean // 0) <= 0 then null else
                   .cost_usd / .duration_s / $r.publish_rate_msgs_per_s.mean * 1e6 end)
           else $r | getpath($c.key | split(".")) end) as $v
        | select($row.run != $r.run_name or
                 (if $v == null then $c.value != "" else
                  (($c.value | tonumber) - $v | fabs) > 1e-12 * ($v | fabs) end))
        | {run: $r.run_name, key: $c.key, html: $c.value, metric: $v} ]
    + [ select(($rows | length) != ($m | length)) | "row count" ]
    + [ select(($rows[0].cells | length) != 14) | "column count" ]'
  assert_output "[]"
}

@test "what comes from plans and results is escaped" {
  run grep -c '<script>alert' "$A/report/index.html"
  assert_output 0
  run grep -c '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;200k&quot;' "$A/report/index.html"
  assert_output --regexp '^[1-9][0-9]*$'
  run jq -r --arg x "$XSS" '.rows[] | select(.run == $x) | .name_text' "$PAGE"
  assert_output "$XSS"
  run jq -r '.h1' "$PAGE"
  assert_output "$EXP_ID — pulsar-lab <report fixture>"
}

@test "the header gives the experiment, plan, cluster, times and cost" {
  run jq -c '.meta | [."Experiment ID", .Plan, ."Pulsar version", .Region, .Cluster, .Start, .End, .Duration, ."Total cost", ."Experiment cost per million messages"]' "$PAGE"
  want=$(jq -c -n --slurpfile t "$A/tfvars.json" --slurpfile p "$A/plan.json" \
    --slurpfile l "$A/timeline.json" --slurpfile k "$A/costs.json" '
    $t[0] as $t | [$l[0].phases[] | .start, (.end // empty) | fromdateiso8601] as $ts
    | (($ts | max) - ($ts | min)) as $d
    | [$t.experiment_id, $p[0].plan, $t.pulsar_version, $t.region,
       ([["zookeeper","bookkeeper","broker","client"][] as $r
         | "\($t[$r].count) × \($t[$r].instance_type) \($r)"] | join(", ")),
       ($ts | min | strftime("%Y-%m-%d %H:%M:%S UTC")),
       ($ts | max | strftime("%Y-%m-%d %H:%M:%S UTC")),
       (if $d < 60 then "\($d) s" elif $d < 3600 then "\($d / 60 | floor) min \($d % 60) s"
        else "\($d / 3600 | floor) h \($d % 3600 / 60 | floor) min" end),
       "$\($k[0].total_usd * 10000 | round / 10000) (estimate)",
       "$\($k[0].cost_per_million_messages_usd * 100000 | round / 100000) (total cost over all messages published; estimate)"]')
  # Issue 14: with a run that is no measurement (here ramp-step-1, replayed)
  # the experiment's cost per million divided its cost by messages not
  # published during it (the demo's 300 s recording in an 80 s lab).
  assert_output "$(jq -c '.[-1] = "not known: a run is not a measurement (replayed, fake or modeled), and its messages were not published during this experiment; each run'"'"'s own is in the runs table"' <<<"$want")"
  run jq -c '.cards.cost_per_million_msgs' "$PAGE"
  assert_output '{"k":"Experiment cost per million messages","v":"–","n":"not known: a run is not a measurement"}'
  assert_equal "$(jq .experiment_cost_per_million_messages_usd "$A/report/metrics.json")" null
  # Every run measured: the total over all messages.
  cp -R "$A" m
  jq -c 'del(.replayed)' "$A/metrics.ndjson" >m/metrics.ndjson
  jq -c 'del(.replayed)' "$A/runs.ndjson" >m/runs.ndjson
  plc-report m
  python3 "$FIX/html_table.py" m/report/index.html >m.json
  run jq -c '.meta | [."Experiment ID", .Plan, ."Pulsar version", .Region, .Cluster, .Start, .End, .Duration, ."Total cost", ."Experiment cost per million messages"]' m.json
  assert_output "$want"
  assert_equal "$(jq .experiment_cost_per_million_messages_usd m/report/metrics.json)" "$(jq .cost_per_million_messages_usd "$A/costs.json")"
}

@test "the plan's highlighted metrics are cards with their values" {
  run jq -c '.cards | keys_unsorted' "$PAGE"
  assert_output "$(jq -c .reporting.metrics_to_highlight "$A/plan.json")"
  best=$(jq -rs '[.[] | select(.failed | not)] | max_by(.publish_rate_msgs_per_s.mean)
    | "\(.publish_rate_msgs_per_s.mean | round | tostring
         | explode | map([.] | implode) | reverse | [range(0; length; 3) as $i | .[$i:$i+3] | reverse | join("")]
         | reverse | join(",")) msg/s|\(.run_name)"' "$A/metrics.ndjson")
  run jq -r '.cards.throughput | "\(.v)|\(.n | sub(".*run "; ""))"' "$PAGE"
  assert_output "$best"
  run jq -r '.cards.p99_latency.n' "$PAGE"
  assert_output "range over $(jq -s '[.[] | select(.failed | not)] | length' "$A/metrics.ndjson") runs"
}

@test "failed, stalled and replayed runs are flagged; replay has a banner" {
  run jq -c '[.rows[] | [.run, .class, .flags]]' "$PAGE"
  want=$(jq -sc '[.[] | [.run_name,
      (if .failed then "failed" else "ok" end) +
        (if .replayed or .run_name == "kafka-1kb" then " replayed" else "" end),
      [(select(.failed) | "failed"), (select(.stalled) | "stalled"),
       (select(.overloaded) | "overloaded"),
       (select((.failed | not) and (.target_rate_msgs_per_s // 0) > 0 and
          ((.publish_rate_msgs_per_s.mean / .target_rate_msgs_per_s - 1) | fabs) > 0.1) | "off-target"),
       (select(.replayed or .run_name == "kafka-1kb") | "replayed")]]]' "$A/metrics.ndjson")
  assert_output "$want"
  run jq -r '.banner[0]' "$PAGE"
  assert_output --partial "no cluster was benchmarked"
  run grep -c 'Run max-rate failed: ' "$A/report/index.html"
  assert_output 1
}

@test "the knee of a ramp is marked after the last step within 10% of its target" {
  run jq -c '.charts["chart-ramp"].knees' "$PAGE"
  want=$(jq -s '[.[] | select(.run_type == "ramp_up")
      | .publish_rate_msgs_per_s.mean >= 0.9 * .target_rate_msgs_per_s]
    | [range(0; length - 1) as $i | select(.[$i] and (.[$i + 1] | not))] | length | [., 1] | min' \
    "$A/metrics.ndjson")
  assert_output "$want"
  assert_output 1
  # Every step within its target: no knee.
  make_exp k
  jq -c 'if .run_name == "ramp-step-3" then .target_rate_msgs_per_s = 200000 else . end' \
    k/metrics.ndjson >k/m && mv k/m k/metrics.ndjson
  plc-report k
  run bash -c "python3 '$FIX/html_table.py' k/report/index.html | jq '.charts[\"chart-ramp\"].knees'"
  assert_output 0
}

@test "missing optional inputs give a report that says so" {
  mkdir bare
  plc-omb-parse -s -q "$FIXTURES"/omb/rtewierik_*.json >bare/metrics.ndjson
  run --separate-stderr plc-report bare
  assert_success
  assert_equal "$stderr" ""
  python3 "$FIX/html_table.py" bare/report/index.html >p.json
  run jq -c '[.notes, .charts["chart-cost"].missing, .charts["chart-timeline"].missing,
    .charts["chart-ramp"].missing, .meta."Total cost", .cards.cost_per_million_msgs.n,
    (.cards | keys_unsorted)]' p.json
  assert_output '[["tfvars.json is missing: cluster shape, region and Pulsar version unknown.","plan.json is missing: default highlights.","runs.ndjson is missing: the plan'"'"'s runs unknown.","costs.json is missing: no costs yet.","timeline.json is missing: no timeline."],["No costs yet: costs.json is missing"],["No timeline: timeline.json is missing"],["No ramp_up or scale_to_failure runs in this experiment"],"no costs yet","no costs yet",["throughput","p99_latency","cost_per_million_msgs"]]'
  assert_file_not_exist bare/report/costs.json
  run jq -r '.h1' p.json
  assert_output bare
}

@test "a failed write is a runtime error" {
  run --separate-stderr plc-report -o /dev/full "$A"
  assert_failure 1
  assert_equal "$stderr" "plc-report: /dev/full/metrics.json: Not a directory"
  run --separate-stderr bash -c "plc-report -c -o '$BATS_TEST_TMPDIR/c' '$A' '$A' >/dev/full"
  assert_failure 1
  assert_equal "$stderr" "plc-report: stdout: No space left on device"
}

# Issue 14: a local modeled step can start and end within one second; its
# 0 s window gave no cost rate and its cost per million was "–".
@test "a run with a 0 s window has its cost per million, plc-cost's own" {
  priced_exp exp start
  run jq -c '[.runs[].duration_s] | unique' exp/costs.json
  assert_output '[0]'
  run --separate-stderr plc-report exp
  assert_success
  python3 "$FIX/csv2json.py" exp/report/metrics.csv >csv.json
  # Every run that published and did not fail has one, equal to plc-cost's
  # (runs whose name is their own: a repeated name shares one window).
  run jq -cn --slurpfile c csv.json --slurpfile k exp/costs.json --slurpfile m exp/metrics.ndjson '
    [$m[] | select((.failed | not) and (.publish_rate_msgs_per_s.mean // 0) > 0) | .run_name] as $want
    | [$c[0].rows[] | select(.cost_per_million_messages_usd != "") | .run_name] as $have
    | [$c[0].rows[] | select(.cost_per_million_messages_usd != "") | .run_name as $n
       | select([$c[0].rows[] | select(.run_name == $n)] | length == 1)
       | (.cost_per_million_messages_usd | tonumber) as $got
       | ($k[0].runs[] | select(.name == $n) | .cost_per_million_messages_usd) as $own
       | (($got - $own) | fabs) <= 1e-12 * $own] as $same
    | [($want | length) > 0, ($have == $want), ($same | length) > 0, ($same | all)]'
  assert_output '[true,true,true,true]'
}

@test "--compare gives per-run deltas and flags regressions beyond the threshold" {
  make_exp b
  # B: the 10 KB run's publish p99 half as bad again, its rate 2% lower.
  jq -c 'if .run_name == "tput-10kb" then .publish_latency_ms.p99 *= 1.5
         | .publish_rate_msgs_per_s.mean *= 0.98 else . end' b/metrics.ndjson >b/m
  mv b/m b/metrics.ndjson
  run --separate-stderr plc-report -c "$A" b
  assert_success
  assert_equal "$stderr" ""
  echo "$output" >c.json
  run jq -n --slurpfile c c.json --slurpfile a "$A/metrics.ndjson" --slurpfile b b/metrics.ndjson '
    $c[0] as $c
    | [ $c.runs[] as $r | $r.metrics[] as $x
        | select($x.metric != "cost_per_million_messages_usd")
        | ($a[] | select(.run_name == $r.run_name) | getpath($x.metric | split("."))) as $va
        | ($b[] | select(.run_name == $r.run_name) | getpath($x.metric | split("."))) as $vb
        | (if $va == null or $vb == null or $va == 0 then null
           else ($vb - $va) / ($va | fabs) * 100 end) as $pct
        | select($x.a != $va or $x.b != $vb or
                 ($pct == null and $x.delta_pct != null) or
                 ($pct != null and (($x.delta_pct - $pct) | fabs) > 1e-9))
        | [$r.run_name, $x.metric] ]'
  assert_output "[]"
  run jq -c '[.regressions, [.runs[] | .run_name as $n | .metrics[] | select(.regression) | [$n, .metric]]]' c.json
  assert_output '[1,[["tput-10kb","publish_latency_ms.p99"]]]'
  run jq -c '[.runs[] | select(.run_name == "tput-10kb") | .metrics[]
    | select(.metric == "publish_rate_msgs_per_s.mean") | .regression]' c.json
  assert_output '[false]'
  assert_file_exists b/report/compare.json
  run xmllint --noout b/report/compare.html
  assert_success
  run grep -c 'class="regress"' b/report/compare.html
  assert_output 1
  # With a threshold of 60% the 50% change is not a regression, and at 1% the rate is.
  run jq -c '.regressions' < <(plc-report -c -t 60 -o t60 "$A" b)
  assert_output 0
  run jq -c '[.runs[] | .run_name as $n | .metrics[] | select(.regression) | [$n, .metric]]' \
    < <(plc-report --compare --threshold=1 -o t1 "$A" b)
  # 2% fewer messages at the same cluster cost: 2% more per million.
  assert_output '[["tput-10kb","publish_rate_msgs_per_s.mean"],["tput-10kb","publish_latency_ms.p99"],["tput-10kb","cost_per_million_messages_usd"]]'
}

# reps DIR P99S P50S: DIR's tput-10kb run repeated, one record per value of
# the space-separated lists (its publish p99 and p50, ms); other runs once.
reps() {
  local p99 p50 i
  read -ra p99 <<<"$2"
  read -ra p50 <<<"$3"
  jq -c 'select(.run_name != "tput-10kb")' "$1/metrics.ndjson" >"$1/m"
  for i in "${!p99[@]}"; do
    jq -c --argjson a "${p99[$i]}" --argjson b "${p50[$i]}" \
      'select(.run_name == "tput-10kb") | .publish_latency_ms.p99 = $a | .publish_latency_ms.p50 = $b' \
      "$1/metrics.ndjson" >>"$1/m"
  done
  mv "$1/m" "$1/metrics.ndjson"
}

@test "--compare over repetitions: Welch's t-test decides, means carry their 95% interval" {
  make_exp a
  make_exp b
  # p99 +10% with little spread (a regression); p50 +10% with much (not one).
  reps a "100 102 98" "100 130 70"
  reps b "110 111 109.5" "110 150 70"
  run --separate-stderr plc-report -c -o out a b
  assert_success
  assert_equal "$stderr" ""
  echo "$output" >c.json
  # t, df and p from mpmath 1.3.0 at 40 digits (betainc, regularized), as in
  # tests/unit/test_stats.c; the interval's t(0.975, 2) = 4.302652729749464
  # (NIST/SEMATECH e-Handbook 1.3.6.7.2: 4.303).
  run jq -c '.runs[] | select(.run_name == "tput-10kb") | [.repetitions_a, .repetitions_b,
    (.metrics[] | select(.metric == "publish_latency_ms.p99")
      | [.n_a, .n_b, .a, .b, .test, .regression, .significant, .single_sample,
         ((.t - 8.2252383220515535) | fabs) < 1e-12, ((.df - 2.5711857203569911) | fabs) < 1e-12,
         ((.p_value - 0.0065092059948666916) | fabs) < 1e-12,
         ((.a_ci95_low - (100 - 4.302652729749464 * 2 / (3 | sqrt))) | fabs) < 1e-9,
         ((.b_ci95_high - (110.16666666666667 + 4.302652729749464 * (0.5833333333333334 | sqrt) / (3 | sqrt))) | fabs) < 1e-9])]' c.json
  assert_output '[3,3,[3,3,100,110.16666666666667,"welch",true,true,false,true,true,true,true,true]]'
  run jq -c '.runs[] | select(.run_name == "tput-10kb") | .metrics[]
    | select(.metric == "publish_latency_ms.p50")
    | [.delta_pct, .regression, .significant, ((.p_value - 0.7477830904667778) | fabs) < 1e-12]' c.json
  assert_output '[10,false,false,true]'
  run jq -c '[.regressions, .untested_regressions, .not_significant_changes, .confidence_level, .alpha]' c.json
  assert_output '[1,0,1,0.95,0.05]'
  run xmllint --noout out/compare.html
  assert_success
  grep -q 'p = 0.00651<' out/compare.html
  grep -q 'p = 0.748 (not significant)' out/compare.html
  run grep -c 'id="untested"' out/compare.html
  assert_output 0
}

@test "--compare says when a regression rests on one sample against one sample" {
  make_exp b
  jq -c 'if .run_name == "tput-10kb" then .publish_latency_ms.p99 *= 1.5 else . end' b/metrics.ndjson >b/m
  mv b/m b/metrics.ndjson
  run --separate-stderr plc-report -c -o out "$A" b
  assert_success
  run jq -c '[.regressions, .untested_regressions, (.runs[] | select(.run_name == "tput-10kb") | .metrics[]
    | select(.metric == "publish_latency_ms.p99") | [.regression, .single_sample, .test, .p_value, .significant, .n_a, .a_ci95_low])]' <<<"$output"
  assert_output '[1,1,[true,true,null,null,null,1,null]]'
  run grep -o 'id="untested">[^<]*' out/compare.html
  assert_output 'id="untested">1 of the regressions rest on runs without repetitions on both sides: no test of significance was possible (repeat: N in the plan).'
  grep -q 'one sample each: untested' out/compare.html
}

@test "--compare refuses experiments of different durability settings unless told" {
  make_exp b
  # A: write quorum 2, the journal synced (Terraform's default, absent here).
  jq '.cluster.broker.write_quorum = 3 | .cluster.bookkeeper.journal_sync_data = false' \
    "$A/tfvars.json" >b/tfvars.json
  run --separate-stderr plc-report -c -o out "$A" b
  assert_failure 3
  assert_output ""
  assert_equal "$stderr" "plc-report: \"$EXP_ID\" and \"$EXP_ID\" ran with different durability settings: journal_sync_data true and false, write_quorum 2 and 3 (--mixed-durability compares them anyway)"
  assert_not_exists out/compare.json
  run --separate-stderr plc-report -c -m -o out "$A" b
  assert_success
  assert_equal "$stderr" ""
  run jq -c '[.durability, .durability_differs, .mixed_durability]' <<<"$output"
  assert_output '[{"a":{"journal_sync_data":true,"ensemble_size":2,"write_quorum":2,"ack_quorum":2},"b":{"journal_sync_data":false,"ensemble_size":2,"write_quorum":3,"ack_quorum":2}},true,true]'
  grep -q 'id="durability"' out/compare.html
  run --separate-stderr plc-report --compare --mixed-durability -o out2 "$A" b
  assert_success
  # Without tfvars.json the settings are unknown: null, and not refused.
  rm b/tfvars.json
  run --separate-stderr plc-report -c -o out3 "$A" b
  assert_success
  run jq -c '[.durability.b, .durability_differs]' <<<"$output"
  assert_output '[null,false]'
}

# render URL OUT.png DOM.html LOG: a headless Chromium that may load nothing
# from the network (no proxy, no name resolution, fresh profile).
render() {
  local flags=(--headless --no-sandbox --disable-gpu --disable-background-networking
    --disable-component-update --disable-sync --no-first-run
    --user-data-dir="$BATS_TEST_TMPDIR/profile-$RANDOM"
    --proxy-server=127.0.0.1:9 --host-resolver-rules='MAP * ~NOTFOUND'
    --enable-logging=stderr --v=0 --hide-scrollbars '--window-size=1200,2400')
  timeout 120 chromium "${flags[@]}" --screenshot="$2" "$1" >/dev/null 2>"$4.shot"
  timeout 120 chromium "${flags[@]}" --dump-dom "$1" >"$3" 2>"$4"
}

# png_stats FILE: width, height and distinct byte values of the pixel data.
png_stats() {
  python3 - "$1" <<'PY'
import struct, sys, zlib
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", d[16:24])
i, idat = 8, b""
while i < len(d):
    n, t = struct.unpack(">I4s", d[i:i + 8])
    if t == b"IDAT":
        idat += d[i + 8:i + 8 + n]
    i += 12 + n
print(w, h, len(set(zlib.decompress(idat))))
PY
}

@test "a real browser renders the page, with its run names and no console error" {
  command -v chromium >/dev/null ||
    skip "chromium not installed (PLC_DEPS_EXTRA=chromium make deps)"
  render "file://$A/report/index.html" page.png dom.html log
  run png_stats page.png
  assert_output --regexp '^1200 2400 ([0-9]+)$'
  (($(cut -d' ' -f3 <<<"$output") > 100)) || fail "a near-blank image: $output"
  run grep -c 'CONSOLE' log log.shot
  assert_output "log:0
log.shot:0"
  for n in $(jq -r '.run_name | @base64' "$A/metrics.ndjson"); do
    name=$(base64 -d <<<"$n" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g')
    grep -qF ">$name</td>" dom.html || fail "run $name not on the rendered page"
  done
  run grep -c '<script>alert' dom.html
  assert_output 0
  grep -q 'flag replayed' dom.html
  grep -q 'no cluster was benchmarked' dom.html
  # The checks can fail: a blank page and a page with a script error.
  echo '<!DOCTYPE html><html><body><script>undefinedFn();</script></body></html>' >bad.html
  render "file://$BATS_TEST_TMPDIR/bad.html" bad.png bad.dom badlog
  run png_stats bad.png
  (($(cut -d' ' -f3 <<<"$output") <= 100)) || fail "blank page not seen as blank: $output"
  run grep -c 'Uncaught ReferenceError' badlog
  assert_output 1
}

@test "runs repeated under one name get their mean and spread" {
  make_exp r
  # ramp-step-2's record renamed ramp-step-1: two repetitions of one run.
  jq -c 'if .run_name == "ramp-step-2" then .run_name = "ramp-step-1" else . end' \
    r/metrics.ndjson >r/m && mv r/m r/metrics.ndjson
  plc-report r
  python3 "$FIX/html_table.py" r/report/index.html >p.json
  run jq -n --slurpfile p p.json --slurpfile m r/metrics.ndjson '
    $p[0].repeats as $rep
    | [$m[] | select(.run_name == "ramp-step-1")] as $g
    | [ ["publish_rate_msgs_per_s.mean", "publish_latency_ms.p99",
         "publish_latency_ms.p99_9"][] as $k
        | [$g[] | getpath($k | split("."))] as $v
        | ($v | add / length) as $mean
        | {"\($k).mean": $mean, "\($k).min": ($v | min), "\($k).max": ($v | max),
           "\($k).stddev": ([$v[] | (. - $mean) * (. - $mean)] | add / length | sqrt)}
        | to_entries[]
        | select((($rep[0].cells[.key] | tonumber) - .value | fabs) > 1e-9 * (.value | fabs))
        | .key ]
    + [select(($rep | length) != 1 or $rep[0].run != "ramp-step-1"
              or $rep[0].cells.repetitions != "2") | "rows"]'
  assert_output "[]"
  # The mean's 95% interval: mean -+ t(0.975, 1) s / sqrt(2), s the sample
  # deviation (n - 1); t(0.975, 1) = 12.706204736174705 (NIST/SEMATECH
  # e-Handbook 1.3.6.7.2: 12.706; mpmath to all digits). On the page and in
  # metrics.json.
  run jq -n --slurpfile p p.json --slurpfile m r/metrics.ndjson --slurpfile j r/report/metrics.json '
    $p[0].repeats[0].cells as $c
    | ($j[0].repeats | if length == 1 then .[0] else error("repeats: \(length)") end) as $r
    | [$m[] | select(.run_name == "ramp-step-1")] as $g
    | [ ["publish_rate_msgs_per_s.mean", "publish_latency_ms.p99", "publish_latency_ms.p99_9"][] as $k
        | [$g[] | getpath($k | split("."))] as $v
        | ($v | add / length) as $mean
        | ([$v[] | (. - $mean) * (. - $mean)] | add | sqrt) as $s
        | (12.706204736174705 * $s / (2 | sqrt)) as $h
        | ($r.metrics[] | select(.metric == $k)) as $x
        | select((($c["\($k).ci95_low"] | tonumber) - ($mean - $h) | fabs) > 1e-9 * ($mean | fabs)
                 or (($c["\($k).ci95_high"] | tonumber) - ($mean + $h) | fabs) > 1e-9 * ($mean | fabs)
                 or ($x.ci95_low - ($mean - $h) | fabs) > 1e-9 * ($mean | fabs)
                 or ($x.ci95_high - ($mean + $h) | fabs) > 1e-9 * ($mean | fabs)
                 or ($x.sample_stddev - $s | fabs) > 1e-9 * ($s | fabs)
                 or $x.n != 2 or $x.mean != $mean or $x.min != ($v | min) or $x.max != ($v | max))
        | $k ]
    + [select($r.run_name != "ramp-step-1" or $r.repetitions != 2) | "run"]'
  assert_output "[]"
  run jq '.repeats | length' "$PAGE"
  assert_output 0
  run jq -c '.repeats' "$A/report/metrics.json"
  assert_output '[]'
}

@test "latency curves lie on the nines axis; the timeline has a bar per phase" {
  # Every run's curve reaches 99.999%: the axis goes 0% ... 99.999%.
  run jq -c '.charts["chart-latency-quantiles"].ticks | map(select(endswith("%")))' "$PAGE"
  assert_output '["0%","90%","99%","99.9%","99.99%","99.999%"]'
  # One bar per phase, with its label (at most 24 characters, which fit the
  # label column at a phone's text size): a longer one keeps its first 9 and
  # its last 15 (issue 14: ten "run: scale-to-failure-st…" could not be told
  # apart).
  run jq -c '.charts["chart-timeline"] | [.rects, (.ticks | map(select(endswith("min") | not)))]' "$PAGE"
  want=$(jq -c '.phases | [length, map(.name + (if .run then ": " + .run else "" end)
    | if length > 24 then .[0:9] + "…" + .[-15:] else . end)]' "$A/timeline.json")
  assert_output "$want"
  # More than 6 bars: slanted labels of at most 12 (the first 4, the last 8),
  # and the x title right of them, not under them.
  run jq -c '.charts["chart-target-achieved"].ticks | map(select(test("^[0-9,.]+$") | not))' "$PAGE"
  assert_output "$(jq -sc 'map(.run_name | if length > 12 then .[0:4] + "…" + .[-8:] else . end)' "$A/metrics.ndjson")"
  assert_output --partial '"ramp-step-1"'
  python3 - "$A/report/index.html" <<'PY'
import sys, xml.etree.ElementTree as ET
S = "{http://www.w3.org/2000/svg}"
fig = [f for f in ET.parse(sys.argv[1]).getroot().iter("figure") if f.get("id") == "chart-target-achieved"][0]
axis = [t for t in fig.iter(S + "text") if t.get("class") == "axis" and "".join(t.itertext()) == "run"][0]
assert (axis.get("text-anchor"), axis.get("x")) == ("end", "756"), axis.attrib
PY
}

@test "plc-cost's own costs.json flows into the page and the CSV" {
  priced_exp exp end
  run --separate-stderr plc-report exp
  assert_success
  total=$(jq .total_usd exp/costs.json)
  (( $(jq '.runs | length' exp/costs.json) > 0 ))
  # Every run's cost in the CSV is plc-cost's, and the header shows its total.
  python3 "$FIX/csv2json.py" exp/report/metrics.csv >csv.json
  run jq -n --slurpfile c csv.json --slurpfile k exp/costs.json '
    [ $c[0].rows[] as $row | $k[0].runs[] | select(.name == $row.run_name)
      | ($row.cost_usd | tonumber) == .cost_usd ] | [length, all]'
  assert_output "$(jq -n --slurpfile k exp/costs.json '[$k[0].runs | length, true]')"
  # Below a dollar the header shows four decimals.
  assert_equal "$(jq '.total_usd < 1 and .total_usd > 0.01' exp/costs.json)" true
  grep -q "\\\$$(printf '%.4f' "$total")" exp/report/index.html
}

# many_records DIR N: N records with distinct run names, each with a
# minute of per-second series (so that the report's linear work is measurable).
many_records() {
  mkdir -p "$1"
  awk -v n="$2" 'BEGIN {
    for (k = 0; k < 60; k++) s = s (k ? "," : "") (k * 7 % 13 + 1)
    for (i = 1; i <= n; i++)
      printf "{\"schema\":1,\"run_name\":\"r%d\",\"run_type\":\"fixed_rate\",\"target_rate_msgs_per_s\":1000,\"publish_rate_msgs_per_s\":{\"mean\":%d},\"publish_latency_ms\":{\"p99\":%d.5},\"period_s\":1,\"series\":{\"publish_rate_msgs_per_s\":[%s],\"publish_latency_ms\":{\"p99\":[%s]}}}\n", i, 900 + i % 200, i % 50, s, s }' \
    >"$1/metrics.ndjson"
}

# cpu_s CMD...: the user and system CPU seconds CMD took, the least of three.
cpu_s() {
  local best='' t i
  for i in 1 2 3; do
    /usr/bin/time -o cpu.txt -f '%U %S' "$@" >/dev/null 2>&1
    t=$(awk '{ print $1 + $2 }' cpu.txt)
    [[ -z $best ]] || (($(awk -v a="$t" -v b="$best" 'BEGIN { print (a < b) }'))) && best=$t
  done
  echo "$best"
}

@test "time grows linearly with the number of records" {
  # Ten times the records: about ten times the CPU, where a look-up per
  # record over all records (a quadratic report) took about 50 times.
  many_records small 1000
  many_records large 10000
  small=$(cpu_s plc-report small)
  large=$(cpu_s plc-report large)
  ratio=$(awk -v s="$small" -v l="$large" 'BEGIN { printf "%.1f", l / (s > 0.01 ? s : 0.01) }')
  (($(awk -v r="$ratio" 'BEGIN { print (r < 20) }'))) ||
    fail "1000 records: ${small} s, 10000 records: ${large} s (x$ratio)"
  run jq '.runs | length' large/report/metrics.json
  assert_output 10000
}

@test "beyond its documented limits the input is refused as bad input" {
  many_records ok 10000
  run --separate-stderr plc-report ok
  assert_success
  many_records over 10001
  run --separate-stderr plc-report over
  assert_failure 3
  assert_equal "$stderr" "plc-report: over/metrics.ndjson:10001: more than 10000 records, more than plc-report reads"
  assert_not_exist over/report
  make_exp runs
  many_records r 10001
  jq -c '{name: .run_name}' r/metrics.ndjson >runs/runs.ndjson
  run --separate-stderr plc-report runs
  assert_failure 3
  assert_equal "$stderr" "plc-report: runs/runs.ndjson:10001: more than 10000 records, more than plc-report reads"
  make_exp big
  truncate -s $((512 * 1024 * 1024 + 1)) big/metrics.ndjson
  run --separate-stderr plc-report big
  assert_failure 3
  assert_equal "$stderr" "plc-report: big/metrics.ndjson: 536870913 bytes, more than plc-report reads (536870912)"
  make_exp tl
  jq -c '.phases = [range(10001) | {name: "p", start: "2026-11-24T21:00:00Z", end: null}]' \
    "$FIX/exp-a/timeline.json" >tl/timeline.json
  run --separate-stderr plc-report tl
  assert_failure 3
  assert_equal "$stderr" "plc-report: tl/timeline.json: 10001 phases, more than plc-report reads (10000)"
}

@test "an interrupted report leaves every output whole or absent, and no page" {
  plc-report -o whole "$A"
  # A file size limit kills plc-report (SIGXFSZ) in the middle of its first
  # and largest output, metrics.json; once into an empty directory, once
  # over a complete report.
  mkdir fresh
  cp -r whole over
  for out in fresh over; do
    run bash -c "ulimit -f 64; exec plc-report -o $out '$A'"
    assert_failure $((128 + 25))
    assert_file_not_exist "$out/index.html"
    run find "$out" -name '.*'
    assert_output ""
    for f in $(cd "$out" && find . -type f); do
      cmp "whole/$f" "$out/$f" || fail "$out/$f is not whole"
    done
  done
  run find fresh -type f
  assert_output ""
}

# make_replay_exp DIR: an experiment of the baseline plan's fixed runs whose
# results are make demo's replays (scripts/omb-replay), with nothing but
# the result files to say so.
make_replay_exp() {
  mkdir -p "$1/results"
  plc-tfvars -e exp-r -r "$PLC_ROOT/plans/baseline.yaml" | jq -c 'select(has("steps") | not)' >"$1/runs.ndjson"
  local i=0 line
  while IFS= read -r line; do
    i=$((i + 1))
    jq .workload <<<"$line" >"$1/results/$i.workload.json"
    "$PLC_ROOT/scripts/omb-replay" --drivers /nonexistent -o "$1/results/$(printf %03d $i).json" \
      "$1/results/$i.workload.json" >/dev/null
  done <"$1/runs.ndjson"
  rm "$1"/results/*.workload.json
}

@test "a replay's provenance survives every re-parse: metrics, CSV, JSON and page" {
  make_replay_exp r
  # As the report's own hint has it: re-parsed with --series, then reported.
  plc-omb-parse -s -q -e exp-r --runs r/runs.ndjson r/results/*.json >r/metrics.ndjson
  plc-report r
  python3 "$FIX/html_table.py" r/report/index.html >p.json
  n=$(wc -l <r/runs.ndjson)
  run jq -c '[(.banner | length), ([.rows[] | select(.flags | index("replayed"))] | length)]' p.json
  assert_output "[1,$n]"
  # Each run names its recording, the recording's workload and both targets.
  while IFS=$'\t' read -r run file wl target planned; do
    [[ $planned == 0 ]] && planned='the maximum rate' || planned="$planned msg/s"
    grep -qF "<li data-run=\"$run\">$run: replayed from <span class=\"src\">$file</span>, recorded workload “$wl” at $target msg/s (the plan asked for $planned); no cluster was benchmarked.</li>" \
      r/report/index.html || fail "no provenance line for $run"
  done < <(for f in r/results/*.json; do
    jq -r --slurpfile runs r/runs.ndjson '.workload as $w
      | [$w, .replayedFrom, .replayedWorkload, .replayedProducerRate,
         ($runs[] | select(.name == $w) | .workload.producerRate)]
      | map(if type == "number" then (. | tostring | if length > 3 then .[:-3] + "," + .[-3:] else . end) else . end)
      | @tsv' "$f"
  done)
  python3 "$FIX/csv2json.py" r/report/metrics.csv >csv.json
  run jq -c '[.rows[] | [.replayed, .stand_in, (.replayed_from | length > 0)]] | unique' csv.json
  assert_output '[["true","replay",true]]'
  run jq -c '[.runs[] | [.replayed, .stand_in]] | unique' r/report/metrics.json
  assert_output '[[true,"replay"]]'
}

# Issue 14: make demo's v1 recording (1 topic, 1 partition) was shown in
# Run details with the plan's 16 partitions per topic. A replayed run shows
# what its recording's file records, "–" for the rest, in the page and CSV.
@test "a replayed run's workload is its recording's, never the plan's: details, CSV, JSON" {
  make_replay_exp r
  cp "$FIX/exp-a/tfvars.json" r/
  plc-omb-parse -q -e exp-r --runs r/runs.ndjson r/results/*.json >r/metrics.ndjson
  plc-report r
  run python3 -c '
import sys, xml.etree.ElementTree as ET
t = [e for e in ET.parse(sys.argv[1]).getroot().iter("table") if e.get("id") == "details-table"][0]
for tr in t.iter("tr"):
    c = ["".join(td.itertext()) for td in tr.iter("td")]
    if c:
        print("\t".join([c[0]] + c[2:8]))' r/report/index.html
  assert_success
  local want
  want=$(for f in r/results/*.json; do
    jq -r 'def n: if . == null then "–" else tostring end;
      [.workload, (.messageSize | if . == null then null elif . >= 1000 then (tostring | .[:-3] + "," + .[-3:]) else . end | n),
       (.topics | n), (.partitions | n), (.producersPerTopic | n), "–", (.consumersPerTopic | n)] | @tsv' "$f"
  done)
  assert_output "$want"
  # The demo's pick for a 1 KB fixed rate is the v1 recording: nothing known.
  assert_output --partial $'\t–\t–\t–\t–\t–\t–'
  assert_file_contains r/report/index.html '<p class="note" id="settings-replayed">This lab'"'"'s settings: a replayed run was recorded on another cluster, whose settings its recording does not give.</p>'
  grep -qF '<dt>Pulsar version</dt><dd>4.0.4 (this lab&#39;s; a replayed run was recorded on another cluster and version)</dd>' r/report/index.html
  python3 "$FIX/csv2json.py" r/report/metrics.csv >csv.json
  run jq -r '.rows[] | [.run_name, .message_size_bytes, .topics, .partitions_per_topic] | @tsv' csv.json
  assert_output "$(for f in r/results/*.json; do jq -r '[.workload, .messageSize, .topics, .partitions] | map(. // "") | @tsv' "$f"; done)"
  run jq -c '[.runs[] | select(.partitions_per_topic == 16)] | length' r/report/metrics.json
  assert_output 0
}

@test "re-parsing and re-reporting an experiment gives the same report" {
  make_replay_exp r
  plc-omb-parse -s -q -e exp-r --runs r/runs.ndjson r/results/*.json >r/metrics.ndjson
  plc-report r
  cp -r r/report first
  for i in 1 2; do
    plc-omb-parse -s -q -e exp-r --runs r/runs.ndjson r/results/*.json >r/metrics.ndjson
    plc-report r
  done
  diff -r first r/report
}

# measure PAGE WIDTH: the rendered page's layout facts, measured by a copy of
# the page with a script that writes them into the DOM, which headless
# Chromium dumps: the run table's flags column's right edge, the width
# the runs section can show, the viewport's width, and the smallest
# rendered height of a chart's tick label (px).
measure() {
  local dir=$BATS_TEST_TMPDIR
  # A script after </html> still runs, in the body, once the page is laid out.
  { cat "$1"; echo '<script>'; cat <<'JS'; echo '</script>'; } >"$dir/measure.html"
var r = document.querySelectorAll("#run-table th:last-child, #run-table td.flags");
var right = 0; r.forEach(function (e) { right = Math.max(right, e.getBoundingClientRect().right); });
var sec = document.getElementById("runs");
var tick = 1e9; document.querySelectorAll("figure.chart > svg text.tick").forEach(function (t) {
  var h = t.getBoundingClientRect().height; if (h > 0) tick = Math.min(tick, h); });
document.body.setAttribute("data-measure", [Math.ceil(right), sec.getBoundingClientRect().right,
  sec.scrollWidth <= sec.clientWidth, document.documentElement.clientWidth, Math.floor(tick)].join(" "));
JS
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run \
    --user-data-dir="$BATS_TEST_TMPDIR/profile-$RANDOM" --proxy-server=127.0.0.1:9 \
    --host-resolver-rules='MAP * ~NOTFOUND' --hide-scrollbars "--window-size=$2,2000" \
    --dump-dom "file://$dir/measure.html" 2>/dev/null |
    grep -o 'data-measure="[^"]*"' | cut -d'"' -f2
}

@test "layout: the run table fits 1400 px with its flags; chart text is readable at 420 px" {
  command -v chromium >/dev/null ||
    skip "chromium not installed (PLC_DEPS_EXTRA=chromium make deps)"
  read -r right secright fits vw tick < <(measure "$A/report/index.html" 1400)
  # The last column's right edge is inside the runs section and the viewport,
  # and the section needs no horizontal scrolling to show it.
  ((right <= ${secright%.*} + 1 && right <= vw)) || fail "flags column ends at $right px (section $secright, viewport $vw)"
  assert_equal "$fits" true
  ((tick >= 10)) || fail "tick labels $tick px high at 1400 px"
  read -r right secright fits vw tick < <(measure "$A/report/index.html" 420)
  ((tick >= 10)) || fail "tick labels $tick px high at 420 px"
}

@test "each stepped run has its own chart and knee; ramp and scale-to-failure are apart" {
  make_exp s
  # ramp-step-1 stays a ramp; steps 2 and 3 become a scale-to-failure run.
  jq -c 'if .run_name == "ramp-step-2" then .run_name = "stf-step-1" | .run_type = "scale_to_failure"
         elif .run_name == "ramp-step-3" then .run_name = "stf-step-2" | .run_type = "scale_to_failure"
         else . end' s/metrics.ndjson >s/m && mv s/m s/metrics.ndjson
  plc-report s
  python3 "$FIX/html_table.py" s/report/index.html >p.json
  # A frame and two bars (target, achieved) a step.
  run jq -c '[.charts["chart-ramp", "chart-ramp-2"] | [.rects, .knees]]' p.json
  assert_output '[[3,0],[5,1]]'
  run grep -o '<figure class="chart" id="chart-ramp[-0-9]*"><figcaption>[^<]*' s/report/index.html
  assert_output '<figure class="chart" id="chart-ramp"><figcaption>ramp (ramp_up): achieved against target by step, knee marked
<figure class="chart" id="chart-ramp-2"><figcaption>stf (scale_to_failure): achieved against target by step, knee marked'
  # The note for an experiment without stepped runs is information, not an error.
  mkdir bare
  plc-omb-parse -q "$FIXTURES"/omb/rtewierik_*.json >bare/metrics.ndjson
  plc-report bare
  run grep -c '<p class="missing info">No ramp_up or scale_to_failure runs in this experiment</p>' bare/report/index.html
  assert_output 1
}

# --- the frontier (plc-report --frontier) ---------------------------------

# variant NAME RATE USD_PER_HOUR: an experiment of the capacity plan whose
# slo_search found RATE msg/s, on a cluster of USD_PER_HOUR (all of it in
# its first resource); RATE null: the search found none.
variant() {
  local d=$BATS_TEST_TMPDIR/exp-$1
  cp -R "$FIXTURES/plc-report/frontier" "$d"
  jq -c --arg v "$1" '.variant = $v | .id = "cap-" + $v' "$FIXTURES/plc-report/frontier/experiment.json" >"$d/experiment.json"
  jq -c --argjson r "$2" '.runs[0].max_sustainable_rate_msgs_per_s = $r' "$FIXTURES/plc-report/frontier/capacity.json" >"$d/capacity.json"
  jq -c --argjson u "$3" '.by_resource |= (map(.usd_per_hour = 0) | .[0].usd_per_hour = $u)' "$FIXTURES/plc-report/frontier/estimate.json" >"$d/estimate.json"
  echo "$d"
}

@test "--frontier: the cheapest variant that reaches the target, the Pareto front, cost per million at the highest rate" {
  local a b c
  a=$(variant small 40000 1.5) b=$(variant medium 60000 3) c=$(variant large 174481 6)
  run --separate-stderr plc-report --frontier -o "$BATS_TEST_TMPDIR/fr" "$a" "$b" "$c"
  assert_success
  assert_equal "$stderr" ""
  # plan.json's target is 50,000 msg/s: small falls short, medium is cheapest.
  run jq -r '.recommendation.text' <<<"$output"
  assert_output 'cheapest variant reaching 50000 msg/s within the SLO: medium (60000 msg/s, $3.0000 per hour, $0.0139 per million messages)'
  run jq -c '.variants[] | [.variant, .meets_target, .pareto, (.usd_per_million_msgs_at_max_rate * 1e6 | round)]' "$BATS_TEST_TMPDIR/fr/frontier.json"
  assert_output '["small",false,true,10417]
["medium",true,true,13889]
["large",true,true,9552]'
  run jq -c '[.schema, .plan, .stand_in, .recommendation.variant]' "$BATS_TEST_TMPDIR/fr/frontier.json"
  assert_output '["plc-frontier/1","capacity",true,"medium"]'
  assert_file_contains "$BATS_TEST_TMPDIR/fr/index.html" 'id="stand-in"'
  assert_file_contains "$BATS_TEST_TMPDIR/fr/index.html" '<p id="recommendation">cheapest variant reaching 50000 msg/s'
}

@test "--frontier: a variant that is dearer and slower than another is off the front; none reaching the target says by how much" {
  local a b
  a=$(variant small 45000 1.5) b=$(variant medium 40000 3)
  run --separate-stderr plc-report --frontier -o "$BATS_TEST_TMPDIR/fr" "$a" "$b"
  assert_success
  run jq -c '[.variants[] | .pareto], .recommendation.variant, .recommendation.shortfall_msgs_per_s' "$BATS_TEST_TMPDIR/fr/frontier.json"
  assert_output '[true,false]
null
5000'
  run jq -r .recommendation.text "$BATS_TEST_TMPDIR/fr/frontier.json"
  assert_output 'no variant reaches 50000 msg/s within the SLO; the best, small, falls short by 5000 msg/s (10.0%)'
}

@test "--frontier: usage and a directory that is not an experiment" {
  run --separate-stderr plc-report --frontier "$BATS_TEST_TMPDIR"
  assert_failure 2
  assert_equal "${stderr_lines[0]}" "plc-report: --frontier takes -o outdir and one or more experiment directories, and no --compare"
  mkdir "$BATS_TEST_TMPDIR/empty"
  run --separate-stderr plc-report --frontier -o "$BATS_TEST_TMPDIR/fr" "$BATS_TEST_TMPDIR/empty"
  assert_failure 3
  assert_equal "$stderr" "plc-report: \"$BATS_TEST_TMPDIR/empty\": not an experiment (no experiment.json)"
}

@test "the page shows each slo_search's steps and answer, each run's workload and e2e tail, and the cluster's durability settings" {
  local d=$BATS_TEST_TMPDIR/cap
  cp -R "$FIXTURES/plc-report/frontier" "$d"
  jq '.cluster.bookkeeper.journal_sync_data = true' "$FIXTURES/plc-report/exp-a/tfvars.json" >"$d/tfvars.json"
  run --separate-stderr plc-report "$d"
  assert_success
  local page=$d/report/index.html
  # The search: the answer, one row per step with its verdict, the chart.
  assert_file_contains "$page" '<p class="answer"><strong>174,481 msg/s</strong> within the SLO; first failing 182,206 msg/s (publish_p99_ms); the bracket is within precision_percent.</p>'
  run grep -c '<tr class="\(pass\|fail\)">' "$page"
  assert_output "$(jq '.runs[0].steps | length' "$d/capacity.json")"
  assert_file_contains "$page" 'id="chart-search"'
  # The workload of each run and its end-to-end tail.
  assert_file_contains "$page" '<th>message size (B)</th>'
  assert_file_contains "$page" '<th>e2e p99.9 (ms)</th>'
  run grep -c '<tr><td class="name">capacity-step-' "$page"
  assert_output 11
  # Durability as tfvars.json has it (E/W/A 2/2/2, journal sync on).
  assert_file_contains "$page" '<tr><th>write quorum (W)</th><td>2</td></tr>'
  assert_file_contains "$page" '<tr><th>journal sync (fsync before the ack)</th><td>on</td></tr>'
  # Modeled results are said to be no measurement, and flagged as modeled.
  assert_file_contains "$page" 'id="replayed">Not measured: '
  assert_file_contains "$page" '<span class="flag replayed" title="a modeled result, not a measurement: no cluster was benchmarked">modeled</span>'
}

@test "each stepped run's measured maximum stands against plc-model's predicted ceiling, in its section and the highlights" {
  # An slo_search (the frontier fixture, modeled) and a ramp_up (exp-a's
  # three ramp steps) with a model.json predicting both.
  local d=$BATS_TEST_TMPDIR/cap
  cp -R "$FIXTURES/plc-report/frontier" "$d"
  make_exp r
  jq -c '.run_index += 100' r/metrics.ndjson | jq -c 'select(.run_type == "ramp_up")' >>"$d/metrics.ndjson"
  jq -c '.workloads += [{runs: ["ramp"], ceiling_msgs_per_s: 150000, bounded_by: "bookie_nic_in"}]' \
    "$FIXTURES/plc-report/frontier/model.json" >"$d/model.json"
  run --separate-stderr plc-report "$d"
  assert_success
  assert_equal "$stderr" ""
  # The measured maximum: the highest mean rate of a step that did not fail.
  run jq -n --slurpfile m "$d/metrics.ndjson" --slurpfile j "$d/report/metrics.json" '
    [ {run: "capacity", type: "slo_search", ceil: 203450.52083333334, by: "broker_nic_out"},
      {run: "ramp", type: "ramp_up", ceil: 150000, by: "bookie_nic_in"} ][] as $w
    | [$m[] | select(.run_type == $w.type and (.failed | not))] as $s
    | ($s | sort_by(-.publish_rate_msgs_per_s.mean) | first) as $top  # the first of equals
    | {run: $w.run, run_type: $w.type, predicted_ceiling_msgs_per_s: $w.ceil, bounded_by: $w.by,
       measured_max_msgs_per_s: $top.publish_rate_msgs_per_s.mean, measured_max_step: $top.run_name,
       measured_to_predicted: ($top.publish_rate_msgs_per_s.mean / $w.ceil)}
    | select(. != ($j[0].ceilings[] | select(.run == $w.run)))'
  assert_output ""
  run jq -c '.ceilings | length' "$d/report/metrics.json"
  assert_output 2
  local ramp_max pct
  ramp_max=$(jq -s '[.[] | select(.run_type == "ramp_up") | .publish_rate_msgs_per_s.mean] | max' r/metrics.ndjson)
  pct=$(jq -n "$ramp_max / 150000 * 100 | round")
  # In each run's section: under the search's steps and the ramp's chart.
  run grep -o '<p class="ceiling" data-run="[a-z]*">[^<]*' "$d/report/index.html"
  assert_output --regexp "^<p class=\"ceiling\" data-run=\"capacity\">Capacity model: predicted ceiling 203,451 msg/s \(plc-model, bounded by broker_nic_out\); measured maximum 203,451 msg/s, 100% of the prediction.
<p class=\"ceiling\" data-run=\"ramp\">Capacity model: predicted ceiling 150,000 msg/s \(plc-model, bounded by bookie_nic_in\); measured maximum [0-9,.]+ msg/s, $pct% of the prediction.\$"
  run python3 "$FIX/html_table.py" "$d/report/index.html"
  run jq -c '.cards | [.["ceiling:capacity"].v, (.["ceiling:ramp"].v | test(" / 150,000 msg/s \\('"$pct"'%\\)$")), .["ceiling:ramp"].n]' <<<"$output"
  assert_output '["203,451 / 203,451 msg/s (100%)",true,"ramp (ramp_up): highest step measured / ceiling the model predicts (bounded by bookie_nic_in)"]'
  # Without model.json: said, and no card.
  rm "$d/model.json"
  run --separate-stderr plc-report "$d"
  assert_success
  run grep -c 'Capacity model: no predicted ceiling (model.json is missing); measured maximum' "$d/report/index.html"
  assert_output 2
  run jq -c '[.ceilings[] | [.predicted_ceiling_msgs_per_s, .measured_to_predicted]]' "$d/report/metrics.json"
  assert_output '[[null,null],[null,null]]'
  run grep -c 'data-metric="ceiling:' "$d/report/index.html"
  assert_output 0
}

# cluster_exp DIR: the plc-prom fixtures' pretend cluster (constructed
# answers, tests/fixtures/plc-prom/SOURCES.md) as an experiment: the OMB
# records of the same runs given six 10-s periods of series, cluster.ndjson
# from plc-prom, the limits it was judged with, and each run's verdict
# (plc-prom -j) joined in by run as lab-run joins it.
cluster_exp() {
  local p=$FIXTURES/plc-prom
  mkdir -p "$1"
  plc-prom -e exp-c "$p/disk-bound.answers.json" "$p/nic-bound.answers.json" \
    "$p/cpu-bound.answers.json" "$p/undecidable.answers.json" >"$1/cluster.ndjson"
  plc-prom -j -l "$p/limits.json" -m "$p/metrics.ndjson" "$1/cluster.ndjson" >"$1/verdicts.ndjson"
  cp "$p/limits.json" "$1/limits.json"
  jq -c --slurpfile v "$1/verdicts.ndjson" '. as $m | .period_s = 10
    | .series.publish_rate_msgs_per_s = [range(6) | $m.publish_rate_msgs_per_s.mean]
    | .series.publish_latency_ms.p99 = [range(6) | 5]
    | .cluster_verdict = ([$v[] | select(.run_name == $m.run_name)][0]
        | {source, decided, limited_by, verdict, figure, cross_check})' "$p/metrics.ndjson" >"$1/metrics.ndjson"
}

@test "the cluster panel: per run with cluster records, each node's series on the same time axis as OMB's, by node and role" {
  cluster_exp c
  run --separate-stderr plc-report c
  assert_success
  assert_equal "$stderr" ""
  python3 "$FIX/html_table.py" c/report/index.html >p.json
  # Runs 1-4 have cluster records; the fifth (no-prometheus) none: no panel.
  run jq -c '[.charts | keys[] | select(startswith("chart-cluster-")) | split("-")[2]] | unique' p.json
  assert_output '["1","2","3","4"]'
  # One time axis for OMB's rate and every cluster chart of a run.
  run jq -c '[.charts | to_entries[] | select(.key | startswith("chart-cluster-1-")) | .value.xticks] | unique' p.json
  assert_output '[["0","10","20","30","40","50","60","70"]]'
  # OMB's rate beside the broker's own count; nodes by name and role,
  # devices by name.
  run jq -c '.charts["chart-cluster-2-rate"].legend, .charts["chart-cluster-1-cpu"].legend,
    .charts["chart-cluster-1-disk-throughput"].legend, .charts["chart-cluster-1-bookie-latency"].legend' p.json
  assert_output '["OMB (client side)","broker-0 (broker): counted"]
["bookkeeper-0 (bookkeeper)","broker-0 (broker)"]
["bookkeeper-0 (bookkeeper): nvme1n1 write","bookkeeper-0 (bookkeeper): nvme2n1 write","bookkeeper-0 (bookkeeper): nvme1n1 read","bookkeeper-0 (bookkeeper): nvme2n1 read","limit: 1,200 MB/s (disk_bytes_per_s)"]
["bookkeeper-0 (bookkeeper): journal fsync","bookkeeper-0 (bookkeeper): add-entry","limit: 5 ms (disk_latency_ms)"]'
  # Each limit of limits.json once where it applies: the baseline
  # bandwidth of both roles (12.5 Gbit/s), the vCPUs, no limit for CPU busy.
  run jq -c '.charts["chart-cluster-1-nic"].legend[-1:], .charts["chart-cluster-1-jvm-cpu"].legend[-1:],
    [.charts["chart-cluster-1-cpu"].legend[] | select(startswith("limit"))]' p.json
  assert_output '["limit: 12,500 Mbit/s (network_baseline_gbps)"]
["limit: 8 cores (vcpus)"]
[]'
  # Every chart the fixtures' fields make, and none for what no node has
  # (disk_busy_ratio).
  run jq -c '[.charts | keys[] | select(startswith("chart-cluster-1-")) | ltrimstr("chart-cluster-1-")]' p.json
  assert_output '["bookie-latency","cpu","disk-await","disk-throughput","gc","heap","jvm-cpu","nic","p99","rate"]'
  # The verdict and the cross-check above each run's charts.
  assert_file_contains c/report/index.html '<p class="verdict">What limited it: limited by NIC: nic_transmit_bytes_per_s 1.5e+09 on broker-0, 96% of its limit (12.5 gbps). Cross-check: the brokers counted 100,000 msg/s, OMB 80,000 msg/s (+25.0%, tolerance 5%): they DISAGREE: a client that measured something else is a broken benchmark.</p>'
}

@test "the verdict in the runs table's flags and in the highlights; a run without one has no such flag" {
  cluster_exp c
  plc-report c
  python3 "$FIX/html_table.py" c/report/index.html >p.json
  run jq -c '[.rows[] | [.run, .flags]]' p.json
  assert_output '[["disk-bound",["limited by disk bandwidth"]],["nic-bound",["limited by NIC","rate mismatch"]],["cpu-bound",["limited by CPU"]],["undecidable",["undecided"]],["no-prometheus",["undecided"]]]'
  assert_file_contains c/report/index.html '<span class="flag undecided" title="cannot decide: no cluster metrics for this run">undecided</span>'
  # The run closest to its limit (NIC and CPU both at 96%: the first).
  run jq -c '.cards.limited_by' p.json
  assert_output '{"k":"What limited the runs","v":"NIC","n":"run nic-bound (3 of 5 runs decided): limited by NIC: nic_transmit_bytes_per_s 1.5e+09 on broker-0, 96% of its limit (12.5 gbps)"}'
  # metrics.json carries the verdict as metrics.ndjson had it.
  run jq -c '[.runs[] | .cluster_verdict.limited_by]' c/report/metrics.json
  assert_output '["disk_bandwidth","nic","cpu",null,null]'
  # No verdict at all: no card, no flag.
  jq -c 'del(.cluster_verdict)' c/metrics.ndjson >c/m && mv c/m c/metrics.ndjson
  plc-report c
  python3 "$FIX/html_table.py" c/report/index.html >p.json
  run jq -c '[(.cards | has("limited_by")), [.rows[].flags[]]]' p.json
  assert_output '[false,[]]'
}

@test "this machine in local mode: labeled as no cluster node in the panel, its legends, its chart titles and its flag" {
  mkdir m
  plc-prom -e exp-m "$FIXTURES/plc-prom/local-machine.answers.json" >m/cluster.ndjson
  plc-prom -j m/cluster.ndjson >m/verdicts.ndjson
  jq -nc --slurpfile v m/verdicts.ndjson '{schema: 1, run_name: "local-recorded",
    source_file: "results/001-local-recorded.json", publish_rate_msgs_per_s: {mean: 1000},
    period_s: 10, series: {publish_rate_msgs_per_s: [1000, 1000, 1000, 1000]},
    cluster_verdict: ($v[0] | {source, decided, limited_by, verdict, figure, cross_check})}' >m/metrics.ndjson
  plc-report m
  python3 "$FIX/html_table.py" m/report/index.html >p.json
  run jq -c '.charts["chart-cluster-1-cpu"].legend, .charts["chart-cluster-1-disk-throughput"].legend, .rows[0].flags' p.json
  assert_output '["this machine, not a cluster node"]
["this machine, not a cluster node: vda write","this machine, not a cluster node: vda read"]
["limited by CPU (this machine)"]'
  assert_file_contains m/report/index.html '<figcaption>CPU busy, all vCPUs (this machine, not a cluster node)</figcaption>'
  assert_file_contains m/report/index.html '<p class="banner local-machine">This machine, not a cluster node: '
  assert_file_contains m/report/index.html 'What limited it: limited by CPU: cpu_utilisation_ratio 0.999 on local-machine, 100% of its limit (1 ratio) (this machine in local mode, not a cluster node)'
  run jq -r '.cards.limited_by.n' p.json
  assert_output 'run local-recorded: limited by CPU: cpu_utilisation_ratio 0.999 on local-machine, 100% of its limit (1 ratio) (this machine in local mode, not a cluster node)'
}

@test "a lone period is drawn as a point; a cluster.ndjson that is not NDJSON is bad input, named with its line" {
  cluster_exp c
  jq -c 'if .key == "001-disk-bound" and .node == "broker-0" then .series.cpu_utilisation_ratio = [null, null, 0.5, null, null, null] else . end' \
    c/cluster.ndjson >c/x && mv c/x c/cluster.ndjson
  plc-report c
  python3 "$FIX/html_table.py" c/report/index.html >p.json
  run jq -c '.charts["chart-cluster-1-cpu"] | [.lines, .dots]' p.json
  assert_output '[2,1]'
  printf '{"schema":"plc-cluster/1"}\n{nope\n' >c/cluster.ndjson
  run --separate-stderr plc-report c
  assert_failure 3
  assert_equal "$stderr" "plc-report: c/cluster.ndjson:2:5: string or '}' expected near 'nope'"
}

# Issue 17: the terminal's summary after make report (lab-report) is
# plc-report's, from the figures and flags the page has, no second program
# in the shell. The experiment is written here so that every figure follows
# from its inputs by the arithmetic in the comments: cost per million
# messages = usd_per_hour / 3600 / mean rate * 1e6 (plc-report(1)).
summary_exp() {
  mkdir "$1"
  {
    # 0.0001 / 3600 / 1000 * 1e6 = 0.0000278: under a hundredth of a cent
    echo '{"run_name":"cheap","publish_rate_msgs_per_s":{"mean":1000},"target_rate_msgs_per_s":1000,"publish_latency_ms":{"p50":1.234,"p99":123.6}}'
    # 0.04428 / 3600 / 1000 * 1e6 = 0.0123; 1000 of 1200 is 83%, 17% off
    echo '{"run_name":"cents","publish_rate_msgs_per_s":{"mean":1000},"target_rate_msgs_per_s":1200,"publish_latency_ms":{"p50":12.34,"p99":99.94}}'
    # 4.428 / 3600 / 1000 * 1e6 = 1.23; 1000 of 1050 is 5% off: on target
    echo '{"run_name":"dollars","publish_rate_msgs_per_s":{"mean":1000},"target_rate_msgs_per_s":1050,"publish_latency_ms":{"p50":0.5,"p99":1000}}'
    # failed: no cost and no off-target flag, though its entry and target have them
    echo '{"run_name":"broken","failed":true,"failure_reason":"omb exited 1","publish_rate_msgs_per_s":{"mean":10},"target_rate_msgs_per_s":1000}'
    echo '{"run_name":"no-reason","failed":true}'
    # replayed in its record; no costs entry: no cost
    echo '{"run_name":"replay","replayed":true,"publish_rate_msgs_per_s":{"mean":500},"publish_latency_ms":{"p50":2,"p99":3}}'
    # replayed by its runs.ndjson line, as the page's flag has it
    echo '{"run_name":"recorded","publish_rate_msgs_per_s":{"mean":2000.4},"publish_latency_ms":{"p99":7}}'
  } >"$1/metrics.ndjson"
  echo '{"name":"recorded","replayed":true}' >"$1/runs.ndjson"
  jq -n '{total_usd: 12.3, runs: [
    {name: "cheap", usd_per_hour: 0.0001}, {name: "cents", usd_per_hour: 0.04428},
    {name: "dollars", usd_per_hour: 4.428}, {name: "broken", usd_per_hour: 3.6},
    {name: "recorded", cost_usd: 0.5, duration_s: 3600}]}' >"$1/costs.json"
}

@test "-s prints a line per run and the total: failed, replayed, off target, each cost format" {
  summary_exp s
  run --separate-stderr plc-report -s s
  assert_success
  assert_equal "$stderr" ""
  # recorded: cost_usd / duration_s * 3600 = 0.5 per hour / 3600 / 2000.4 * 1e6
  assert_output '  cheap: 1000 msg/s, p50 1.23 ms, p99 124 ms, <$0.0001 per million messages
  cents: 1000 msg/s, p50 12.3 ms, p99 99.9 ms, $0.0123 per million messages [OFF TARGET: 83% of its 1200 msg/s target]
  dollars: 1000 msg/s, p50 0.5 ms, p99 1000 ms, $1.23 per million messages
  broken: FAILED (omb exited 1)
  no-reason: FAILED (?)
  replay: 500 msg/s, p50 2 ms, p99 3 ms [NOT MEASURED: replayed or fake]
  recorded: 2000 msg/s, p50 - ms, p99 7 ms, $0.0694 per million messages [NOT MEASURED: replayed or fake]
  total: $12.30 (estimate)'
  # A summary, not a report.
  assert_not_exist s/report
}

@test "-s: the total is costs.json's kind, not known without a total, and no costs yet without costs.json" {
  summary_exp s
  jq -c '.kind = "actual"' s/costs.json >x && mv x s/costs.json
  run --separate-stderr plc-report -s s
  assert_success
  assert_equal "${lines[-1]}" '  total: $12.30 (actual)'
  jq -c 'del(.total_usd, .kind)' s/costs.json >x && mv x s/costs.json
  run --separate-stderr plc-report -s s
  assert_equal "${lines[-1]}" '  total: not known (estimate)'
  rm s/costs.json
  run --separate-stderr plc-report -s s
  assert_success
  assert_equal "${lines[1]}" '  cents: 1000 msg/s, p50 12.3 ms, p99 99.9 ms [OFF TARGET: 83% of its 1200 msg/s target]'
  assert_equal "${lines[-1]}" '  total: no costs yet'
}

@test "-s has the page's figures: its cost per million, off-target and replayed runs" {
  priced_exp e end
  plc-report e
  run --separate-stderr plc-report -s e
  assert_success
  assert_equal "$stderr" ""
  printf '%s\n' "$output" >summary.txt
  # Each cost per million is metrics.json's, as $0.0000 (all under a dollar here).
  run sed -n 's/^  \([^:]*\): .*, \(\$[0-9.]*\) per million messages.*/\1 \2/p' summary.txt
  assert_output "$(jq -r '.runs[] | select(.cost_per_million_messages_usd != null)
    | [.run_name, .cost_per_million_messages_usd] | @tsv' e/report/metrics.json |
    awk -F'\t' '{ printf "%s $%.4f\n", $1, $2 }')"
  assert_line --index 0 --regexp '^tput-10kb \$0\.00[0-9][0-9]$'
  run sed -n 's/^  \([^:]*\): .*\[OFF TARGET: .*/\1/p' summary.txt
  assert_output "$(jq -r '.runs[] | select(.off_target_pct != null) | .run_name' e/report/metrics.json)"
  assert_output 'kafka-1kb
ramp-step-3'
  # kafka-1kb is replayed by its runs.ndjson line, ramp-step-1 by its record.
  run sed -n 's/^  \([^:]*\): .*\[NOT MEASURED: replayed or fake\]$/\1/p' summary.txt
  assert_output "$(jq -r '.runs[] | select(.replayed) | .run_name' e/report/metrics.json)"
  assert_output 'kafka-1kb
ramp-step-1'
  run grep -c '^  max-rate: FAILED (no result file for this run)$' summary.txt
  assert_output 1
  run tail -n 1 summary.txt
  assert_output "  total: $(jq -r .total_usd e/costs.json | awk '{ printf "$%.2f", $1 }') (estimate)"
}

@test "-s takes one experiment directory, no -c or -o" {
  summary_exp s
  run --separate-stderr plc-report -s -o out s
  assert_failure 2
  assert_equal "$stderr" "plc-report: --summary takes one experiment directory, and no --compare or --output
$USAGE"
  run --separate-stderr plc-report -s -c s s
  assert_failure 2
  assert_equal "$stderr" "plc-report: --summary takes one experiment directory, and no --compare or --output
$USAGE"
  run --separate-stderr plc-report -s s s
  assert_failure 2
  assert_equal "$stderr" "plc-report: expected one experiment directory
$USAGE"
}
