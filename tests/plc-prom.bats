#!/usr/bin/env bats
# plc-prom: Prometheus answers into per-node series, and the verdict of a run.
# A recorded answer of this machine's Prometheus and node_exporter, and
# constructed answers of a cluster whose bottleneck is known (SOURCES.md).

bats_require_minimum_version 1.5.0

load lib/common

F=$PLC_ROOT/tests/fixtures/plc-prom

@test "the recorded answers of this machine become one record with its measured series on 10 s periods" {
  run --separate-stderr plc-prom -e exp-1 "$F/local-machine.answers.json"
  assert_success
  assert_equal "$stderr" ""
  assert_equal "$(grep -c . <<<"$output")" 1
  run jq -c '[.schema, .experiment_id, .key, .run_name, .node, .role, .source, .about, .start_unix_s, .end_unix_s, .period_s, .periods, (.series | keys)]' <<<"$output"
  assert_output '["plc-cluster/1","exp-1","001-local-recorded","local-recorded","local-machine","local-machine","local-machine","this machine, measured in local mode: not a cluster node",1796412201,1796412241,10,4,["cpu_utilisation_ratio","disk_busy_ratio","disk_read_bytes_per_s","disk_write_await_ms","disk_write_bytes_per_s","nic_receive_bytes_per_s","nic_transmit_bytes_per_s"]]'
}

@test "a period's value is the mean of the recorded samples in it" {
  # Samples at 1796412206 + 5i (the first, at the window's start, had no
  # rate yet); period 0 is [1796412201, 1796412211): the samples at 06 and 11?
  # No: 11 is period 1. So period 0 holds the sample at 06 alone.
  local want
  want=$(jq -c '[.queries[] | select(.id == "cpu") | .answer.data.result[0].values[]
      | select(.[0] < 1796412211) | .[1] | tonumber] | add / length' "$F/local-machine.answers.json")
  run --separate-stderr plc-prom "$F/local-machine.answers.json"
  assert_success
  run jq -c '.series.cpu_utilisation_ratio[0]' <<<"$output"
  assert_output "$want"
  run jq -c '.series.cpu_utilisation_ratio | length' <<<"$(plc-prom "$F/local-machine.answers.json")"
  assert_output 4
}

@test "series split by device keep one array per device; samples before the window and NaN are no sample" {
  run --separate-stderr plc-prom "$F/disk-bound.answers.json"
  assert_success
  run jq -c 'select(.node == "bookkeeper-0") | [.series.disk_write_bytes_per_s.nvme1n1, .summary.disk_write_bytes_per_s, .series.disk_write_await_ms.nvme2n1, .summary.disk_write_await_ms.nvme2n1]' <<<"$output"
  assert_output '[[1100000000,1100000000,1100000000,1100000000,1100000000,1100000000],{"nvme1n1":{"mean":1100000000,"max":1100000000},"nvme2n1":{"mean":204800000,"max":204800000}},[null,null,null,null,null,null],{"mean":null,"max":null}]'
}

@test "records come one per node, sorted by node, and -p changes the period" {
  run --separate-stderr plc-prom -p 30 "$F/cpu-bound.answers.json"
  assert_success
  run jq -c '[.node, .periods, .series.cpu_utilisation_ratio]' <<<"$output"
  assert_output '["bookkeeper-0",2,[0.31,0.31]]
["broker-0",2,[0.96,0.96]]'
}

judge() {
  for f in disk-bound nic-bound cpu-bound undecidable; do
    plc-prom "$F/$f.answers.json"
  done >"$BATS_TEST_TMPDIR/cluster.ndjson"
  run --separate-stderr plc-prom -j -e exp-1 -l "$F/limits.json" -m "$F/metrics.ndjson" "$BATS_TEST_TMPDIR/cluster.ndjson"
  assert_success
  assert_equal "$stderr" ""
  verdicts=$output
}

@test "a disk-bound run: the journal device at 92% of its bandwidth" {
  judge
  run jq -c 'select(.key == "001-disk-bound") | [.schema, .experiment_id, .run_name, .decided, .limited_by, .figure, .verdict]' <<<"$verdicts"
  assert_output '["plc-prom-verdict/1","exp-1","disk-bound",true,"disk_bandwidth",{"node":"bookkeeper-0","role":"bookkeeper","metric":"disk_read_write_bytes_per_s","device":"nvme1n1","value":1100000000,"unit":"bytes_per_s","limit":1200000000,"limit_unit":"bytes_per_s","ratio_to_limit":0.9166666666666666,"resource":"disk_bandwidth"},"limited by disk bandwidth: disk_read_write_bytes_per_s 1.1e+09 of nvme1n1 on bookkeeper-0, 92% of its limit (1.2e+09 bytes_per_s)"]'
}

@test "a NIC-bound run: 12 of 12.5 Gbit/s; its broker counted 25% more than OMB, and the cross-check says so" {
  judge
  run jq -c 'select(.key == "002-nic-bound") | [.limited_by, .figure.value, .figure.ratio_to_limit, .verdict, .cross_check]' <<<"$verdicts"
  assert_output '["nic",1500000000,0.96,"limited by NIC: nic_transmit_bytes_per_s 1.5e+09 on broker-0, 96% of its limit (12.5 gbps)",{"broker_publish_rate_msgs_per_s":100000,"omb_publish_rate_msgs_per_s":80000,"difference_ratio":0.25,"tolerance_ratio":0.05,"agrees":false,"reason":null}]'
}

@test "a CPU-bound run: the broker 96% busy, and every resource's closest figure listed" {
  # By hand: NIC 409.6 MB/s x 8 of 12.5 Gbit/s; disk 204.8 of 1200 MB/s;
  # journal fsync p99 1.5 of 5 ms (above the write await's 0.8); GC 0.01 of 0.1.
  judge
  run jq -c 'select(.key == "003-cpu-bound") | [.limited_by, .verdict, [.candidates[] | [.resource, .node, .ratio_to_limit]], .not_judged, .cross_check.agrees]' <<<"$verdicts"
  assert_output '["cpu","limited by CPU: cpu_utilisation_ratio 0.96 on broker-0, 96% of its limit (1 ratio)",[["cpu","broker-0",0.96],["nic","broker-0",0.262144],["disk_bandwidth","bookkeeper-0",0.17066666666666666],["disk_latency","bookkeeper-0",0.3],["gc","broker-0",0.09999999999999999]],[],true]'
}

@test "an undecidable run: nothing near its limit, and a run without any cluster metrics" {
  judge
  run jq -c 'select(.key == "004-undecidable" or .key == "005-no-prometheus") | [.key, .run_name, .source, .decided, .limited_by, .figure, .verdict, .cross_check.agrees, .cross_check.reason]' <<<"$verdicts"
  assert_output '["004-undecidable","undecidable","cluster",false,null,null,"cannot decide: nothing measured is near its limit (closest: CPU: cpu_utilisation_ratio 0.42 on broker-0, 42% of its limit (1 ratio))",true,null]
["005-no-prometheus","no-prometheus",null,false,null,null,"cannot decide: no cluster metrics for this run",null,"no broker-side publish rate for this run"]'
}

@test "without limits, only CPU can be judged; the others are named as not judged" {
  plc-prom "$F/local-machine.answers.json" >"$BATS_TEST_TMPDIR/c.ndjson"
  run --separate-stderr plc-prom -j "$BATS_TEST_TMPDIR/c.ndjson"
  assert_success
  run jq -c '[.decided, .limited_by, .figure.metric, .not_judged, .cross_check.reason]' <<<"$output"
  assert_output '[true,"cpu","cpu_utilisation_ratio",[{"resource":"nic","reason":"no limit for it in the limits"},{"resource":"disk_bandwidth","reason":"no limit for it in the limits"},{"resource":"disk_latency","reason":"no limit for it in the limits"},{"resource":"gc","reason":"no data"}],"no broker-side publish rate for this run"]'
}

@test "this machine's verdict says it is no cluster node; an undecided one names what it could not judge" {
  # The recorded machine was fully busy (SOURCES.md): CPU decides.
  plc-prom "$F/local-machine.answers.json" >"$BATS_TEST_TMPDIR/c.ndjson"
  run --separate-stderr plc-prom -j "$BATS_TEST_TMPDIR/c.ndjson"
  assert_success
  run jq -r '.source, .verdict' <<<"$output"
  assert_output 'local-machine
limited by CPU: cpu_utilisation_ratio 0.999 on local-machine, 100% of its limit (1 ratio) (this machine in local mode, not a cluster node)'
  # The same machine at 30% busy: nothing near a limit, and without
  # limits NIC and the disks could not be judged, nor GC without data.
  jq -c '.summary.cpu_utilisation_ratio.mean = 0.3' "$BATS_TEST_TMPDIR/c.ndjson" >"$BATS_TEST_TMPDIR/idle.ndjson"
  run --separate-stderr plc-prom -j "$BATS_TEST_TMPDIR/idle.ndjson"
  assert_success
  run jq -r '[.decided, .verdict] | @tsv' <<<"$output"
  assert_output 'false	cannot decide: nothing measured is near its limit (closest: CPU: cpu_utilisation_ratio 0.3 on local-machine, 30% of its limit (1 ratio)); not judged: NIC (no limit), disk bandwidth (no limit), disk latency (no limit), GC (no data) (this machine in local mode, not a cluster node)'
}

@test "a Prometheus error answer is bad input, named with the query" {
  jq --slurpfile e "$F/prometheus-error.json" '.queries[0].answer = $e[0]' "$F/local-machine.answers.json" >"$BATS_TEST_TMPDIR/a.json"
  run --separate-stderr plc-prom "$BATS_TEST_TMPDIR/a.json"
  assert_failure 3
  assert_output ''
  assert_equal "$stderr" "plc-prom: \"$BATS_TEST_TMPDIR/a.json\": query \"cpu\": Prometheus answered \"error\": 1:33: parse error: unclosed left parenthesis"
}

@test "a series without the node label, a window that ends before it starts, bad JSON: exit 3" {
  jq '.queries[0].answer.data.result[0].metric |= del(.node)' "$F/local-machine.answers.json" >"$BATS_TEST_TMPDIR/a.json"
  run --separate-stderr plc-prom "$BATS_TEST_TMPDIR/a.json"
  assert_failure 3
  assert_equal "$stderr" "plc-prom: \"$BATS_TEST_TMPDIR/a.json\": query \"cpu\": series 0 has no \"node\" and \"role\" labels (every scrape target needs them)"
  jq '.end_unix_s = .start_unix_s' "$F/local-machine.answers.json" >"$BATS_TEST_TMPDIR/a.json"
  run --separate-stderr plc-prom "$BATS_TEST_TMPDIR/a.json"
  assert_failure 3
  assert_equal "$stderr" "plc-prom: \"$BATS_TEST_TMPDIR/a.json\": the window ends (1796412201) before it starts (1796412201)"
  printf '{"schema":' >"$BATS_TEST_TMPDIR/a.json"
  run --separate-stderr plc-prom "$BATS_TEST_TMPDIR/a.json"
  assert_failure 3
  assert_equal "$stderr" "plc-prom: $BATS_TEST_TMPDIR/a.json:1:10: unexpected token near end of file"
}

# Issue 17: lab-run merged the verdicts into metrics.ndjson and wrote its
# terminal lines in jq; the jq below is that program, kept as the oracle.
@test "-M: the metrics records, each with its run's verdict as cluster_verdict, as lab-run's jq merged them" {
  local t=$BATS_TEST_TMPDIR
  for f in disk-bound nic-bound cpu-bound undecidable; do
    plc-prom "$F/$f.answers.json"
  done >"$t/cluster.ndjson"
  # A record without result file goes with the verdict of its run's name.
  cat "$F/metrics.ndjson" - >"$t/metrics.ndjson" <<<'{"run_name":"undecidable","source_file":null,"failed":true}
{"run_name":"unjudged","source_file":null,"failed":true}'
  run --separate-stderr plc-prom -j -e exp-1 -l "$F/limits.json" -m "$t/metrics.ndjson" -M "$t/merged.ndjson" "$t/cluster.ndjson"
  assert_success
  assert_equal "$stderr" ""
  printf '%s\n' "$output" >"$t/verdicts.ndjson"
  run jq -c --slurpfile v "$t/verdicts.ndjson" '
    . as $m
    | ([$v[] | select(("results/" + .key + ".json") == $m.source_file
        or ($m.source_file == null and .run_name == $m.run_name))] | first) as $j
    | if $j == null then . else
        .cluster_verdict = ($j | {source, decided, limited_by, verdict, figure, cross_check}) end' "$t/metrics.ndjson"
  assert_equal "$(cat "$t/merged.ndjson")" "$output"
  run jq -c '[.run_name, .cluster_verdict.limited_by, .cluster_verdict.source]' "$t/merged.ndjson"
  assert_output '["disk-bound","disk_bandwidth","cluster"]
["nic-bound","nic","cluster"]
["cpu-bound","cpu","cluster"]
["undecidable",null,"cluster"]
["no-prometheus",null,null]
["undecidable",null,"cluster"]
["unjudged",null,null]'
  run jq -c 'has("cluster_verdict")' <(tail -n 1 "$t/merged.ndjson")
  assert_output false
}

@test "-S: a line per verdict, what limited the run, and the rates of a failed cross-check" {
  local t=$BATS_TEST_TMPDIR
  judge
  run --separate-stderr plc-prom -j -e exp-1 -l "$F/limits.json" -m "$F/metrics.ndjson" -S "$t/summary.txt" "$t/cluster.ndjson"
  assert_success
  assert_equal "$output" "$verdicts"
  run cat "$t/summary.txt"
  assert_output "what limited disk-bound: limited by disk bandwidth: disk_read_write_bytes_per_s 1.1e+09 of nvme1n1 on bookkeeper-0, 92% of its limit (1.2e+09 bytes_per_s)
what limited nic-bound: limited by NIC: nic_transmit_bytes_per_s 1.5e+09 on broker-0, 96% of its limit (12.5 gbps); CROSS-CHECK FAILED: the brokers counted 100000 msg/s, OMB 80000 msg/s (25%, tolerance 5%)
what limited cpu-bound: limited by CPU: cpu_utilisation_ratio 0.96 on broker-0, 96% of its limit (1 ratio)
what limited undecidable: cannot decide: nothing measured is near its limit (closest: CPU: cpu_utilisation_ratio 0.42 on broker-0, 42% of its limit (1 ratio))
what limited no-prometheus: cannot decide: no cluster metrics for this run"
  # A verdict without run name is named by its key.
  jq -c '.run_name = null' "$t/cluster.ndjson" >"$t/nameless.ndjson"
  run --separate-stderr plc-prom -j -S "$t/summary.txt" "$t/nameless.ndjson"
  assert_success
  run head -n 1 "$t/summary.txt"
  assert_output --regexp '^what limited 001-disk-bound: '
}

@test "-M needs -m, -M and -S need -j; a file that cannot be written: exit 1" {
  run --separate-stderr plc-prom -j -M m.ndjson c.ndjson
  assert_failure 2
  assert_equal "${stderr%%$'\n'*}" "plc-prom: --merged needs --metrics"
  run --separate-stderr plc-prom -S s.txt "$F/cpu-bound.answers.json"
  assert_failure 2
  judge
  run --separate-stderr plc-prom -j -m "$F/metrics.ndjson" -M /nonexistent/m.ndjson "$BATS_TEST_TMPDIR/cluster.ndjson"
  assert_failure 1
  assert_equal "$stderr" 'plc-prom: "/nonexistent/m.ndjson": No such file or directory'
  run --separate-stderr plc-prom -j -S /dev/full "$BATS_TEST_TMPDIR/cluster.ndjson"
  assert_failure 1
  assert_equal "$stderr" 'plc-prom: "/dev/full": cannot write'
}

@test "usage: no file, -l without -j, -p with -j, a bad tolerance: exit 2; --help and --version exit 0" {
  run --separate-stderr plc-prom
  assert_failure 2
  assert_equal "$stderr" "usage: plc-prom [-e experiment-id] [-p period-s] answers.json ...
       plc-prom -j [-e experiment-id] [-l limits.json] [-m metrics.ndjson [-M merged.ndjson]]
                   [-S summary.txt] [-t tolerance] cluster.ndjson"
  run --separate-stderr plc-prom -l x.json a.json
  assert_failure 2
  run --separate-stderr plc-prom -j -p 5 a.ndjson
  assert_failure 2
  run --separate-stderr plc-prom -j -t -1 a.ndjson
  assert_failure 2
  # Issue 17: a bad value names the long option, the value last (cli_bad_value).
  assert_equal "$stderr" 'plc-prom: --tolerance: expected a positive number, found "-1"'
  run --separate-stderr plc-prom --version
  assert_success
  assert_output "plc-prom 0.1.0"
  run --separate-stderr plc-prom --help
  assert_success
  assert_line --index 0 "usage: plc-prom [-e experiment-id] [-p period-s] answers.json ..."
}
