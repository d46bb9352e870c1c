#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2154  # jq programs in single quotes; bats sets $stderr
# plc-model: the predicted ceiling of a plan's cluster, from moto's recorded
# DescribeInstanceTypes answers (tests/fixtures/plc-model/SOURCES.md).

bats_require_minimum_version 1.5.0

load lib/common

USAGE=$'usage: plc-model -q tfvars\n       plc-model -L tfvars\n       plc-model tfvars workloads.ndjson\n       plc-model -O [-d driver] workload.json model.json'

setup() {
  F=$FIXTURES/plc-model
  ANSWERS=$F/describe-instance-types.ndjson
}

# model TFVARS WORKLOADS: the model of fixtures, as a file; prints its path.
model() {
  plc-model "$F/$1" "$F/$2" <"$ANSWERS" >"$BATS_TEST_TMPDIR/model.json"
  printf '%s\n' "$BATS_TEST_TMPDIR/model.json"
}

@test "plc-model: usage, help and version" {
  run --separate-stderr plc-model
  assert_equal "$status" 2
  assert_equal "$stderr" "$USAGE"
  run --separate-stderr plc-model -x a
  assert_equal "$status" 2
  assert_equal "${stderr%%$'\n'*}" "plc-model: invalid option -- 'x'"
  run --separate-stderr plc-model -q a b
  assert_equal "$status" 2
  run --separate-stderr plc-model -q -L a
  assert_equal "$status" 2
  assert_equal "$stderr" "$USAGE"
  run --separate-stderr plc-model --help
  assert_equal "$status" 0
  assert_equal "${output%%$'\n'*}" "usage: plc-model -q tfvars"
  run --separate-stderr plc-model --version
  assert_equal "$output" "plc-model 0.1.0"
}

@test "plc-model -q: one DescribeInstanceTypes request of the bookie, broker and client types, then the other roles'" {
  run --separate-stderr plc-model -q "$F/confluent-2020.tfvars.json"
  assert_equal "$status" 0
  assert_equal "$output" '{"service":"ec2","region":"us-west-2","action":"DescribeInstanceTypes","params":{"InstanceType":["i3en.2xlarge","c5n.2xlarge","c5.2xlarge","t3.small"]}}'
}

@test "plc-model reproduces Confluent 2020: 3 x i3en.2xlarge, W=3, journal on its own NVMe, bounded by the journal device" {
  # Measured: 313,070 msg/s, 305.7 MiB/s (confluentinc/openmessaging-benchmark@08e2feed
  # blog/results/pulsar/throughput/default-sync-tiered.json). Predicted:
  # 3 bookies x 327 MB/s (StreamNative's dd on one i3en.2xlarge disk) / W=3
  # = 327 MB/s = 319,336 msg/s of 1024 B. Tolerance: within 5 % of measured.
  m=$(model confluent-2020.tfvars.json confluent-2020.workload.ndjson)
  run jq -r '.workloads[0] | "\(.bounded_by) \(.ceiling_msgs_per_s | round) \(.ceiling_mib_per_s * 100 | round / 100)"' "$m"
  assert_equal "$output" "journal_device 319336 311.85"
  run jq '.workloads[0].ceiling_msgs_per_s / 313070 | . > 0.95 and . < 1.05' "$m"
  assert_equal "$output" true
  run jq -c '.workloads[0].resources[] | [.resource, .role, .capacity_mb_per_s, .load_per_published_byte, (.ceiling_mb_per_s | round), .provenance]' "$m"
  assert_equal "$output" '["journal_device","bookkeeper",327,1,327,"measured"]
["ledger_device","bookkeeper",327,1,327,"measured"]
["bookie_nic_in","bookkeeper",1050,1,1050,"documented"]
["broker_nic_in","broker",1250,0.34,3676,"documented"]
["broker_nic_out","broker",1250,1.36,919,"documented"]
["client_nic_out","client",312.5,0.5,625,"documented"]
["client_nic_in","client",312.5,0.5,625,"documented"]'
  run jq -r '.workloads[0].resources[0].figure' "$m"
  assert_equal "$output" "one of 2 NVMe disks of 2500 GB, 327 MB/s sequential write (measured: StreamNative 2020 report p.27: dd bs=1M oflag=direct, 327 MB/s (the second disk 328 MB/s))"
  run jq -c '[.schema, .experiment_id, .cluster, .workloads[0].runs, .workloads[0].workload]' "$m"
  assert_equal "$output" '["plc-model/1","confluent-2020-tiered",{"instance_store":true,"ensemble_size":3,"write_quorum":3,"ack_quorum":2,"journal_sync_data":true},[],{"messageSize":1024,"topics":1,"partitionsPerTopic":100,"subscriptionsPerTopic":1,"producersPerTopic":4,"consumerPerSubscription":4}]'
}

@test "plc-model: EBS-backed bookies are bounded by the instance's EBS baseline, not by their gp3 volumes" {
  # m5.large: EbsOptimizedInfo.BaselineThroughputInMBps 81.25; journal and
  # ledger both on EBS: 2 x W / 3 bookies = 2 bytes per byte published.
  m=$(model ebs.tfvars.json confluent-2020.workload.ndjson)
  run jq -c '.workloads[0] | [.bounded_by, .ceiling_mb_per_s, ([.resources[] | select(.role == "bookkeeper") | [.resource, (.ceiling_mb_per_s * 1000 | round / 1000)]])]' "$m"
  assert_equal "$output" '["ebs_instance_cap",40.625,[["journal_device",1048.576],["ledger_device",1048.576],["ebs_instance_cap",40.625],["bookie_nic_in",93.75]]]'
}

@test "plc-model: a bookie whose one NVMe disk holds journal and ledgers, behind a slower NIC, is NIC-bound" {
  # i3.2xlarge: 2.5 Gbps baseline = 312.5 MB/s; its one disk 180,000 IOPS x
  # 4096 B = 737 MB/s (an estimate), written twice per byte.
  m=$(model nic.tfvars.json confluent-2020.workload.ndjson)
  run jq -c '.workloads[0] | [.bounded_by, .ceiling_mb_per_s, (.ceiling_msgs_per_s | round), (.resources[0] | [.resource, .capacity_mb_per_s, .load_per_published_byte, .provenance])]' "$m"
  assert_equal "$output" '["bookie_nic_in",312.5,305176,["journal_ledger_device",737.28,2,"estimate"]]'
}

@test "plc-model: four subscriptions bound the cluster by the brokers' NIC out (W + S copies)" {
  # c5.2xlarge brokers: 312.5 MB/s; the busiest of 3 has 34 of 100
  # partitions and sends (3 + 4) copies: 312.5 / (0.34 x 7) = 131.3 MB/s.
  m=$(model fanout.tfvars.json fanout.workload.ndjson)
  run jq -c '.workloads[0] | [.bounded_by, (.ceiling_mb_per_s * 100 | round / 100), (.resources[] | select(.resource == "broker_nic_out") | .load_per_published_byte * 100 | round / 100)]' "$m"
  assert_equal "$output" '["broker_nic_out",131.3,2.38]'
  # One subscription: (3 + 1) copies, 7/4 the ceiling, the same bound.
  m=$(model fanout.tfvars.json confluent-2020.workload.ndjson)
  run jq -c '.workloads[0] | [.bounded_by, (.ceiling_mb_per_s * 100 | round / 100)]' "$m"
  assert_equal "$output" '["broker_nic_out",229.78]'
}

@test "plc-model: one prediction per distinct workload, naming its runs; run lines and bare workloads alike" {
  plc-tfvars -e exp-model -i "$PLC_ROOT/plans/infrastructure.yaml" -c "$PLC_ROOT/plans/pulsar-cluster.yaml" \
    -r "$PLC_ROOT/plans/baseline.yaml" >"$BATS_TEST_TMPDIR/runs.ndjson"
  run jq -sc 'map(.id) | sort' "$BATS_TEST_TMPDIR/runs.ndjson"
  ids=$output
  plc-model "$F/confluent-2020.tfvars.json" "$BATS_TEST_TMPDIR/runs.ndjson" <"$ANSWERS" >"$BATS_TEST_TMPDIR/m.json"
  run jq -c '[.workloads[].runs] | add | sort' "$BATS_TEST_TMPDIR/m.json"
  assert_equal "$output" "$ids"
  run jq '.workloads | length' "$BATS_TEST_TMPDIR/m.json"
  assert_equal "$output" "$(jq -s 'map(.workload | {messageSize, topics, partitionsPerTopic, subscriptionsPerTopic, producersPerTopic, consumerPerSubscription}) | unique | length' "$BATS_TEST_TMPDIR/runs.ndjson")"
}

@test "plc-model: a partition fewer than the brokers puts all of it on one broker; one ensemble covers E bookies" {
  jq -c '.partitionsPerTopic = 1' "$F/confluent-2020.workload.ndjson" >"$BATS_TEST_TMPDIR/one.ndjson"
  jq '.bookkeeper.count = 6' "$F/confluent-2020.tfvars.json" >"$BATS_TEST_TMPDIR/six.json"
  plc-model "$BATS_TEST_TMPDIR/six.json" "$BATS_TEST_TMPDIR/one.ndjson" <"$ANSWERS" >"$BATS_TEST_TMPDIR/m.json"
  run jq -c '[.workloads[0].resources[] | select(.resource | test("broker_nic_in|journal_device")) | [.resource, .load_per_published_byte]]' "$BATS_TEST_TMPDIR/m.json"
  assert_equal "$output" '[["journal_device",1],["broker_nic_in",1]]'
}

@test "plc-model: bad input, and answers that do not describe the plan" {
  run --separate-stderr plc-model "$F/confluent-2020.tfvars.json" "$F/confluent-2020.workload.ndjson" </dev/null
  assert_equal "$status" 1
  assert_equal "$stderr" 'plc-model: no DescribeInstanceTypes answer describes "i3en.2xlarge" (bookkeeper): ask plc-model -q'"'"'s request with plc-aws-sign --send --paginate'
  jq '.cluster.broker.ensemble_size = 4 | .cluster.broker.write_quorum = 4' "$F/confluent-2020.tfvars.json" >"$BATS_TEST_TMPDIR/e4.json"
  run --separate-stderr plc-model -q "$BATS_TEST_TMPDIR/e4.json"
  assert_equal "$status" 3
  assert_equal "$stderr" "plc-model: \"$BATS_TEST_TMPDIR/e4.json\": \"cluster.broker.ensemble_size\": 4 needs as many bookies, the plan has 3"
  printf '{"name": "x"}\n' >"$BATS_TEST_TMPDIR/w.ndjson"
  run --separate-stderr plc-model "$F/confluent-2020.tfvars.json" "$BATS_TEST_TMPDIR/w.ndjson" <"$ANSWERS"
  assert_equal "$status" 3
  assert_equal "$stderr" "plc-model: \"$BATS_TEST_TMPDIR/w.ndjson\":1: expected a run line (plc-tfvars --runs) or an OMB workload, with a messageSize"
  jq '.bookkeeper.instance_type = "i4i.metal"' "$F/confluent-2020.tfvars.json" >"$BATS_TEST_TMPDIR/x.json"
  run --separate-stderr plc-model "$BATS_TEST_TMPDIR/x.json" "$F/confluent-2020.workload.ndjson" <"$ANSWERS"
  assert_equal "$status" 1
  assert_equal "${stderr%%:*}" "plc-model"
  assert_equal "${stderr#*: }" 'no DescribeInstanceTypes answer describes "i4i.metal" (bookkeeper): ask plc-model -q'"'"'s request with plc-aws-sign --send --paginate'
}

@test "plc-model: the recorded answers are moto's" {
  load lib/moto
  moto_start
  plc_isolate_aws_env
  moto_env
  jq -cn '{service: "ec2", region: "us-west-2", action: "DescribeInstanceTypes", params: {InstanceType:
    ["c5.2xlarge", "c5n.2xlarge", "i3.2xlarge", "i3en.2xlarge", "i3en.large", "m5.large", "t3.small"]}}' |
    plc-aws-sign --send --paginate >"$BATS_TEST_TMPDIR/now.ndjson"
  moto_stop
  run jq -n --slurpfile a "$ANSWERS" --slurpfile b "$BATS_TEST_TMPDIR/now.ndjson" '[$a[].body] == [$b[].body]'
  assert_equal "$output" true
}

@test "plc-model -L: every role's limits from DescribeInstanceTypes; EBS volumes capped by the instance's EBS baseline" {
  # m5.large (Nitro): 2 vCPUs, NetworkCards[0].BaselineBandwidthInGbps 0.75,
  # EbsOptimizedInfo.BaselineThroughputInMBps 81.25: the journal and ledger
  # gp3 volumes (1000 MiB/s each) and the root (gp3 default 125 MiB/s) are
  # each capped to 81.25 MB/s. c5n/c5.2xlarge: 125 MiB/s = 131072000 B/s,
  # under their 287.5. t3.small's 21.75 caps its root.
  run --separate-stderr plc-model -L "$F/ebs.tfvars.json" <"$ANSWERS"
  assert_equal "$status" 0
  assert_equal "$stderr" ""
  run jq -c '[.schema, .experiment_id, .region, (.roles | map_values(del(.devices)))]' <<<"$output"
  assert_equal "$output" '["plc-limits/1","ebs-bound","us-west-2",{"zookeeper":{"instance_type":"t3.small","vcpus":2,"network_baseline_gbps":0.128,"disk_bytes_per_s":{"nvme0n1":21750000},"disk_latency_ms":10,"gc_time_ratio":0.1},"bookkeeper":{"instance_type":"m5.large","vcpus":2,"network_baseline_gbps":0.75,"disk_bytes_per_s":{"nvme0n1":81250000,"nvme1n1":81250000,"nvme2n1":81250000},"disk_latency_ms":10,"gc_time_ratio":0.1},"broker":{"instance_type":"c5n.2xlarge","vcpus":8,"network_baseline_gbps":10,"disk_bytes_per_s":{"nvme0n1":131072000},"disk_latency_ms":10,"gc_time_ratio":0.1},"client":{"instance_type":"c5.2xlarge","vcpus":8,"network_baseline_gbps":2.5,"disk_bytes_per_s":{"nvme0n1":131072000},"disk_latency_ms":10,"gc_time_ratio":0.1}}]'
  run --separate-stderr plc-model -L "$F/ebs.tfvars.json" <"$ANSWERS"
  run jq -c '.roles.bookkeeper.devices' <<<"$output"
  assert_equal "$output" '{"nvme0n1":{"use":"root","source":"gp3 30 GiB, 125 MiB/s, 3000 IOPS: 131.07 MB/s, capped by m5.large'"'"'s EbsOptimizedInfo.BaselineThroughputInMBps 81.25"},"nvme1n1":{"use":"journal","source":"gp3 100 GiB, 1000 MiB/s, 4000 IOPS: 1048.58 MB/s, capped by m5.large'"'"'s EbsOptimizedInfo.BaselineThroughputInMBps 81.25"},"nvme2n1":{"use":"ledger","source":"gp3 500 GiB, 1000 MiB/s, 4000 IOPS: 1048.58 MB/s, capped by m5.large'"'"'s EbsOptimizedInfo.BaselineThroughputInMBps 81.25"}}'
}

@test "plc-model -L: instance store from plc-model's table, labeled; Xen names EBS xvdX; a type the table lacks has no disk limit" {
  # i3en.2xlarge (Nitro): two disks after the root, 327 MB/s measured.
  run --separate-stderr plc-model -L "$F/confluent-2020.tfvars.json" <"$ANSWERS"
  run jq -c '.roles.bookkeeper | [.vcpus, .network_baseline_gbps, .disk_bytes_per_s, .devices.nvme2n1.use, .devices.nvme2n1.source]' <<<"$output"
  assert_equal "$output" '[8,8.4,{"nvme0n1":131072000,"nvme1n1":327000000,"nvme2n1":327000000},"ledger","instance store, 327 MB/s sequential write (measured: StreamNative 2020 report p.27: dd bs=1M oflag=direct, 327 MB/s (the second disk 328 MB/s))"]'
  # i3.2xlarge (hypervisor xen): root xvda, its one NVMe disk nvme0n1
  # holding journal and ledgers, 180,000 IOPS x 4096 B: an estimate.
  run --separate-stderr plc-model -L "$F/nic.tfvars.json" <"$ANSWERS"
  run jq -c '.roles.bookkeeper | [.disk_bytes_per_s, .devices.nvme0n1.use, (.devices.nvme0n1.source | startswith("instance store, 737 MB/s sequential write (estimate: "))]' <<<"$output"
  assert_equal "$output" '[{"xvda":131072000,"nvme0n1":737280000},"journal, ledger",true]'
  # c5.2xlarge has no instance store: no disk but the root.
  jq '.bookkeeper.instance_type = "c5.2xlarge"' "$F/confluent-2020.tfvars.json" >"$BATS_TEST_TMPDIR/none.json"
  run --separate-stderr plc-model -L "$BATS_TEST_TMPDIR/none.json" <"$ANSWERS"
  run jq -c '.roles.bookkeeper.disk_bytes_per_s' <<<"$output"
  assert_equal "$output" '{"nvme0n1":131072000}'
  # i3en.large is described with one disk but, in a copy of the answers
  # named otherwise, plc-model's table knows nothing of it: no limit, said.
  jq -c '(.body.DescribeInstanceTypesResponse.instanceTypeSet[] | select(.instanceType == "i3en.large") | .instanceType) = "i9z.large"' \
    "$ANSWERS" >"$BATS_TEST_TMPDIR/answers.ndjson"
  jq '.bookkeeper.instance_type = "i9z.large"' "$F/confluent-2020.tfvars.json" >"$BATS_TEST_TMPDIR/i9z.json"
  run --separate-stderr plc-model -L "$BATS_TEST_TMPDIR/i9z.json" <"$BATS_TEST_TMPDIR/answers.ndjson"
  run jq -c '.roles.bookkeeper | [.disk_bytes_per_s, .devices.nvme1n1]' <<<"$output"
  assert_equal "$output" '[{"nvme0n1":72100000},{"use":"journal, ledger","source":"instance store: DescribeInstanceTypes gives no bandwidth and plc-model'"'"'s table has none for i9z.large: no limit"}]'
}

@test "plc-model -L: answers that do not describe a role's type (ZooKeeper's too) fail with exit 1" {
  jq -c 'del(.body.DescribeInstanceTypesResponse.instanceTypeSet[] | select(.instanceType == "t3.small"))' "$ANSWERS" >"$BATS_TEST_TMPDIR/answers.ndjson"
  run --separate-stderr plc-model -L "$F/ebs.tfvars.json" <"$BATS_TEST_TMPDIR/answers.ndjson"
  assert_equal "$status" 1
  assert_equal "$output" ""
  assert_equal "$stderr" 'plc-model: no DescribeInstanceTypes answer describes "t3.small"'
}

@test "plc-model -L: plc-prom -j judges with its limits (the journal disk of i3en.2xlarge at 327 MB/s)" {
  plc-model -L "$F/confluent-2020.tfvars.json" <"$ANSWERS" >"$BATS_TEST_TMPDIR/limits.json"
  plc-prom "$FIXTURES/plc-prom/disk-bound.answers.json" >"$BATS_TEST_TMPDIR/cluster.ndjson"
  run --separate-stderr plc-prom -j -l "$BATS_TEST_TMPDIR/limits.json" "$BATS_TEST_TMPDIR/cluster.ndjson"
  assert_equal "$status" 0
  assert_equal "$stderr" ""
  run jq -c '[.limited_by, .figure.device, .figure.limit, .verdict]' <<<"$output"
  assert_equal "$output" '["disk_bandwidth","nvme1n1",327000000,"limited by disk bandwidth: disk_read_write_bytes_per_s 1.1e+09 of nvme1n1 on bookkeeper-0, 336% of its limit (3.27e+08 bytes_per_s)"]'
}

# omb WORKLOAD-JQ: plc-model -O's result for the workload {name: "w",
# messageSize: 1024, subscriptionsPerTopic: 2} changed by WORKLOAD-JQ, against
# a model whose one such workload has a ceiling of 1000 msg/s.
omb() {
  jq -n '{schema: "plc-model/1", workloads: [{workload: {messageSize: 1024, topics: 1, partitionsPerTopic: 1,
    subscriptionsPerTopic: 2, producersPerTopic: 1, consumerPerSubscription: 1},
    ceiling_msgs_per_s: 1000, bounded_by: "broker_nic_out"}]}' >"$BATS_TEST_TMPDIR/m.json"
  jq -n "{name: \"w\", messageSize: 1024, subscriptionsPerTopic: 2} | $1" >"$BATS_TEST_TMPDIR/w.json"
  run --separate-stderr plc-model -O "$BATS_TEST_TMPDIR/w.json" "$BATS_TEST_TMPDIR/m.json"
}

# The latency figures of a result: publish avg, p50, p99, max; end to end p99.
LAT='[.aggregatedPublishLatencyAvg, .aggregatedPublishLatency50pct, .aggregatedPublishLatency99pct, .aggregatedPublishLatencyMax, .aggregatedEndToEndLatency99pct]'

@test "plc-model -O: the modeled OMB result at u = 0.89 has a p99 of 20 ms (4 + 2u/(1-u)), percentiles its multiples, end to end +3 ms" {
  omb '.producerRate = 890'
  assert_equal "$status" 0
  assert_equal "$stderr" ""
  run jq -c "[.publishRate, .consumeRate, .publishErrorRate, .backlog, $LAT]" <<<"$output"
  assert_equal "$output" '[[890,890,890,890,890,890],[1780,1780,1780,1780,1780,1780],[0,0,0,0,0,0],[0,0,0,0,0,0],[8.073,7.064,20.182,60.545,23.182]]'
}

@test "plc-model -O: producerRate 0 (or none) is the max rate: the ceiling, at v = 0.98, p99 102 ms" {
  omb '.producerRate = 0 | .testDurationMinutes = 0.1'
  assert_equal "$status" 0
  assert_equal "$output" '{"workload":"w","driver":"Pulsar","messageSize":1024,"topics":1,"partitions":1,"producersPerTopic":1,"consumersPerTopic":1,"publishRate":[1000],"publishErrorRate":[0],"consumeRate":[2000],"backlog":[0],"publishLatencyAvg":[40.8],"publishLatency50pct":[35.7],"publishLatency75pct":[51],"publishLatency95pct":[81.6],"publishLatency99pct":[102],"publishLatency999pct":[153],"publishLatency9999pct":[204],"publishLatencyMax":[306],"aggregatedPublishLatencyAvg":40.8,"aggregatedPublishLatency50pct":35.7,"aggregatedPublishLatency75pct":51,"aggregatedPublishLatency95pct":81.6,"aggregatedPublishLatency99pct":102,"aggregatedPublishLatency999pct":153,"aggregatedPublishLatency9999pct":204,"aggregatedPublishLatencyMax":306,"aggregatedPublishLatencyQuantiles":{"50.0":35.7,"75.0":51,"95.0":81.6,"99.0":102,"99.9":153,"99.99":204,"100.0":306},"endToEndLatencyAvg":[43.8],"endToEndLatency50pct":[38.7],"endToEndLatency75pct":[54],"endToEndLatency95pct":[84.6],"endToEndLatency99pct":[105],"endToEndLatency999pct":[156],"endToEndLatency9999pct":[207],"endToEndLatencyMax":[309],"aggregatedEndToEndLatencyAvg":43.8,"aggregatedEndToEndLatency50pct":38.7,"aggregatedEndToEndLatency75pct":54,"aggregatedEndToEndLatency95pct":84.6,"aggregatedEndToEndLatency99pct":105,"aggregatedEndToEndLatency999pct":156,"aggregatedEndToEndLatency9999pct":207,"aggregatedEndToEndLatencyMax":309,"aggregatedEndToEndLatencyQuantiles":{"50.0":38.7,"75.0":54,"95.0":84.6,"99.0":105,"99.9":156,"99.99":207,"100.0":309},"modeled":true,"modeledCeilingMsgsPerS":1000,"modeledBoundedBy":"broker_nic_out"}'
  omb 'del(.producerRate) | .testDurationMinutes = 2.5'
  run jq -c "[(.publishRate | length), .publishRate[0], $LAT]" <<<"$output"
  assert_equal "$output" '[15,1000,[40.8,35.7,102,306,105]]'
}

@test "plc-model -O: above the ceiling the rate stops at it, p99 grows 4000 ms per ceiling of excess, clamped at 60000 ms" {
  omb '.producerRate = 2000'
  run jq -c "[.publishRate[0], $LAT]" <<<"$output"
  assert_equal "$output" '[1000,[1640.8,1435.7,4102,12306,4105]]'
  # u = 20: p99 = 102 + 4000 x 19 = 76102 ms, past OMB's 60 s.
  omb '.producerRate = 20000'
  run jq -c "[.publishRate[0], $LAT, .aggregatedPublishLatency75pct, .aggregatedEndToEndLatencyMax]" <<<"$output"
  assert_equal "$output" '[1000,[30440.8,26635.7,60000,60000,60003],38051,60003]'
}

@test "plc-model -O: no model, no workload like it, a bad rate; usage" {
  omb '.messageSize = 100'
  assert_equal "$status" 3
  assert_equal "$output" ""
  assert_equal "$stderr" "plc-model: \"$BATS_TEST_TMPDIR/m.json\": no modeled workload like \"w\" (its message size, topics, partitions, subscriptions, producers and consumers)"
  omb '.producerRate = "fast"'
  assert_equal "$status" 3
  assert_equal "$stderr" "plc-model: \"$BATS_TEST_TMPDIR/w.json\": producerRate and testDurationMinutes: expected numbers of 0 or more (at most 10080 minutes)"
  run --separate-stderr plc-model -O -d Kafka - "$F/confluent-2020.tfvars.json" <"$BATS_TEST_TMPDIR/w.json"
  assert_equal "$status" 3
  assert_equal "$stderr" "plc-model: \"$F/confluent-2020.tfvars.json\": not a capacity model (plc-model/1)"
  jq '.producerRate = 10' "$BATS_TEST_TMPDIR/w.json" >"$BATS_TEST_TMPDIR/w10.json"
  run --separate-stderr plc-model --omb-result --driver Kafka "$BATS_TEST_TMPDIR/w10.json" "$BATS_TEST_TMPDIR/m.json"
  assert_equal "$status" 0
  run jq -c '[.driver, .publishRate[0]]' <<<"$output"
  assert_equal "$output" '["Kafka",10]'
  run --separate-stderr plc-model -d Kafka "$BATS_TEST_TMPDIR/w.json" "$BATS_TEST_TMPDIR/m.json"
  assert_equal "$status" 2
  assert_equal "$stderr" "$USAGE"
  run --separate-stderr plc-model -O "$BATS_TEST_TMPDIR/w.json"
  assert_equal "$status" 2
  assert_equal "$stderr" "$USAGE"
}
