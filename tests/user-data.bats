#!/usr/bin/env bats
# user-data/: every role's boot script rendered by Terraform itself (one
# plan against a private moto_server), checked with bash -n and shellcheck,
# then run in a sandbox: a temporary root, stub systemctl, mkfs, mount, nc,
# curl (the instance metadata service, the brokers' and OMB workers' HTTP
# ports), runuser and pulsar commands that record their calls, OMB's binary
# package with a bin/benchmark held to the real one's contract, and the real aws CLI against moto's S3. The configs written are
# compared key by key, and checked against the keys Pulsar and OMB read.

bats_require_minimum_version 1.5.0

load lib/common
load lib/cluster

BUCKET=plc-123456789012-exp-ud

setup_file() {
  cluster_moto_start
  if ! cluster_tf_setup; then
    echo "no provider mirror" >"$BATS_FILE_TMPDIR/skip"
    return 0
  fi
  local d=$BATS_FILE_TMPDIR node
  tf plan -input=false -no-color -var-file="$FIXTURES/terraform/user-data.tfvars.json" \
    -out="$d/plan.bin" >"$d/plan.log" 2>&1
  tf show -json "$d/plan.bin" >"$d/plan.json"
  mkdir -p "$d/scripts"
  for node in $(jq -r '.planned_values.root_module.resources[] | select(.type == "aws_instance") | .index' "$d/plan.json"); do
    jq -r --arg n "$node" '.planned_values.root_module.resources[] | select(.index == $n) | .values.user_data_base64' \
      "$d/plan.json" | base64 -d | gunzip >"$d/scripts/$node.sh"
  done
  # The same cluster with bookies on NVMe instance store.
  tf plan -input=false -no-color -var-file="$FIXTURES/terraform/user-data.tfvars.json" \
    -var 'bookkeeper={count=3, instance_type="i3en.2xlarge"}' -var 'bookkeeper_storage={instance_store=true}' \
    -out="$d/plan-is.bin" >"$d/plan-is.log" 2>&1
  tf show -json "$d/plan-is.bin" >"$d/plan-is.json"
  mkdir -p "$d/scripts-is"
  jq -r '.planned_values.root_module.resources[] | select(.index == "bookkeeper-2") | .values.user_data_base64' \
    "$d/plan-is.json" | base64 -d | gunzip >"$d/scripts-is/bookkeeper-2.sh"
  aws s3api create-bucket --bucket "$BUCKET" --create-bucket-configuration LocationConstraint=us-west-2 >/dev/null
  # As Terraform's aws_s3_object.toolkit puts them (terraform.bats checks it).
  aws s3 cp --only-show-errors "$PLC_ROOT/scripts/prom-export" "s3://$BUCKET/toolkit/prom-export"
  aws s3 cp --only-show-errors "$PLC_ROOT/metrics/queries.json" "s3://$BUCKET/toolkit/queries.json"
}

teardown_file() {
  cluster_moto_stop
}

setup() {
  [[ ! -e $BATS_FILE_TMPDIR/skip ]] || skip "$(cat "$BATS_FILE_TMPDIR/skip")"
  SCRIPTS=$BATS_FILE_TMPDIR/scripts
  KEYS=$FIXTURES/keys
}

# sandbox NODE IP: a fresh temporary root for NODE (shared by every test of
# the file, so a second run sees the first one's state). Sets SANDBOX and R.
sandbox() {
  SANDBOX=$BATS_FILE_TMPDIR/sandbox-$1
  R=$SANDBOX/root
  export SANDBOX SANDBOX_IP=$2 SANDBOX_BIN=$FIXTURES/user-data/bin
  export SANDBOX_ZK_LEADER=10.0.1.10 SANDBOX_BOOKIES="10.0.1.20:3181, 10.0.1.21:3181, 10.0.1.22:3181"
  [[ -d $R ]] && return 0
  mkdir -p "$R/opt/pulsar/bin" "$R/opt/pulsar/conf" "$R/opt/openmessaging-benchmark/bin" \
    "$R/usr/local/bin" "$R/etc" "$R/dev" "$R/sys/block/nvme1n1/device" "$R/sys/block/nvme2n1/device"
  cp "$SANDBOX_BIN/pulsar" "$SANDBOX_BIN/bookkeeper" "$R/opt/pulsar/bin/"
  # What install-monitoring.sh puts in the image (packer.bats runs it).
  printf '#!/bin/bash\n' >"$R/usr/local/bin/node_exporter"
  chmod 755 "$R/usr/local/bin/node_exporter"
  # OMB's binary package as the image holds it; its bin/benchmark stand-in
  # runs only from that layout (tests/fixtures/user-data/omb-src/bin/benchmark).
  sandbox_omb_package "$R"
  # The EBS volumes, as Amazon Linux's udev rules name them.
  : >"$R/dev/nvme1n1"
  : >"$R/dev/nvme2n1"
  ln -s nvme1n1 "$R/dev/sdf"
  ln -s nvme2n1 "$R/dev/sdg"
  echo vol0aaaaaaaaaaaaaaaa >"$R/sys/block/nvme1n1/device/serial"
  echo vol0bbbbbbbbbbbbbbbb >"$R/sys/block/nvme2n1/device/serial"
  # Pulsar's shipped files, cut down: their keys must be replaced in place.
  printf 'tickTime=2000\n# dataDir=/tmp\ndataDir=data/zookeeper\nclientPort=2181\n' >"$R/opt/pulsar/conf/zookeeper.conf"
  printf 'bookiePort=3181\njournalDirectories=data/bookkeeper/journal\nzkTimeout=30000\n' >"$R/opt/pulsar/conf/bookkeeper.conf"
  printf 'clusterName=\nmetadataStoreUrl=\nbrokerServicePort=6650\nmanagedLedgerDefaultAckQuorum=2\n' >"$R/opt/pulsar/conf/broker.conf"
}

# boot NODE [SCRIPT_DIR]: run the node's rendered user-data in its sandbox.
boot() {
  run --separate-stderr env PLC_ROOT_DIR="$R" PLC_WAIT_STEP=0 PLC_IMDS_ENDPOINT=http://imds.invalid \
    PATH="$SANDBOX_BIN:$PATH" bash "${2:-$SCRIPTS}/$1.sh"
}

s3_status() { aws s3 cp "s3://$BUCKET/status/$1.json" - | jq -r "$2"; }

# conf_keys FILE: the keys set in a properties file.
conf_keys() { sed -n 's/^\([A-Za-z0-9_.-]*\)=.*/\1/p' "$1" | LC_ALL=C sort; }

@test "every node's user-data is rendered, and each role's passes bash -n and shellcheck" {
  run ls "$SCRIPTS"
  assert_output "$(printf '%s.sh\n' bookkeeper-0 bookkeeper-1 bookkeeper-2 broker-0 broker-1 client-0 client-1 monitor-0 zookeeper-0 zookeeper-1 zookeeper-2)"
  local s
  for s in zookeeper-0 bookkeeper-0 broker-0 client-0 client-1 monitor-0; do
    run --separate-stderr bash -n "$SCRIPTS/$s.sh"
    assert_success
    run --separate-stderr shellcheck -s bash "$SCRIPTS/$s.sh"
    assert_success
    assert_output ""
  done
}

@test "user-data fits the EC2 limit of 16 KB" {
  local n size
  for n in "$SCRIPTS"/*.sh; do
    size=$(gzip -9c "$n" | wc -c)
    ((size < 16384))
  done
}

@test "zookeeper: myid, ensemble, unit, TTL; waits for quorum; reports ready" {
  sandbox zookeeper-1 10.0.1.11
  boot zookeeper-1
  assert_success
  assert_file_exists "$R/var/lib/zookeeper/data/myid"
  assert_equal "$(cat "$R/var/lib/zookeeper/data/myid")" 2
  assert_equal "$(cat "$R/opt/pulsar/conf/zookeeper.conf")" "tickTime=3000
# dataDir=/tmp
dataDir=/var/lib/zookeeper/data
clientPort=2181
initLimit=10
syncLimit=5
maxSessionTimeout=40000
dataLogDir=/var/lib/zookeeper/datalog
admin.enableServer=false
autopurge.snapRetainCount=3
autopurge.purgeInterval=1
metricsProvider.httpPort=8000
server.1=10.0.1.10:2888:3888
server.2=10.0.1.11:2888:3888
server.3=10.0.1.12:2888:3888"
  assert_equal "$(cat "$R/etc/systemd/system/zookeeper.service")" '[Unit]
Description=plc zookeeper
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=pulsar
Group=pulsar
WorkingDirectory=/opt/pulsar
Environment="PULSAR_MEM=-Xms256m -Xmx256m"
Environment="PULSAR_LOG_DIR=/var/log/pulsar"
Environment="PULSAR_EXTRA_OPTS=-Dzookeeper.4lw.commands.whitelist=ruok,srvr,mntr"
ExecStart=/opt/pulsar/bin/pulsar zookeeper
Restart=on-failure
RestartSec=10
LimitNOFILE=1048576
LimitNPROC=1048576
TimeoutStopSec=120

[Install]
WantedBy=multi-user.target'
  assert_file_contains "$R/etc/systemd/system/plc-ttl.timer" '^OnBootSec=6h$'
  assert_file_contains "$R/etc/systemd/system/plc-ttl.service" '^ExecStart=/usr/bin/systemctl poweroff$'
  run cat "$SANDBOX/calls"
  assert_output "systemctl daemon-reload
systemctl enable --now plc-ttl.timer plc-collect-logs.timer
useradd --system --home-dir /opt/pulsar --no-create-home --shell /sbin/nologin pulsar
chown pulsar:pulsar $R/var/log/pulsar
systemctl daemon-reload
systemctl enable plc-node-exporter
systemctl restart plc-node-exporter
chown -R pulsar:pulsar $R/var/lib/zookeeper
systemctl daemon-reload
systemctl enable zookeeper
systemctl restart zookeeper"
  run s3_status zookeeper-1 '[.state, .node, .instance_id, .private_ip, .experiment_id] | join(" ")'
  assert_output "ready zookeeper-1 i-0sandbox 10.0.1.11 exp-ud"
}

@test "zookeeper: a second run writes the same files and creates no user" {
  sandbox zookeeper-1 10.0.1.11
  cp "$R/opt/pulsar/conf/zookeeper.conf" "$BATS_TEST_TMPDIR/before"
  : >"$SANDBOX/calls"
  boot zookeeper-1
  assert_success
  assert_equal "$(cat "$R/opt/pulsar/conf/zookeeper.conf")" "$(cat "$BATS_TEST_TMPDIR/before")"
  run grep -c useradd "$SANDBOX/calls"
  assert_output 0
}

@test "bookkeeper 0: formats and mounts both volumes, metaformats, reports ready" {
  sandbox bookkeeper-0 10.0.1.20
  boot bookkeeper-0
  assert_success
  run grep -E '^(mkfs|mount|bookkeeper|systemctl (enable|restart))' "$SANDBOX/calls"
  assert_output "systemctl enable --now plc-ttl.timer plc-collect-logs.timer
systemctl enable plc-node-exporter
systemctl restart plc-node-exporter
mkfs.xfs -q -L bk-journal $R/dev/nvme1n1
mount $R/mnt/journal
mkfs.xfs -q -L bk-ledgers $R/dev/nvme2n1
mount $R/mnt/ledgers
bookkeeper shell metaformat -nonInteractive
systemctl enable bookkeeper
systemctl restart bookkeeper"
  assert_equal "$(cat "$R/etc/fstab")" "UUID=uuid-nvme1n1 /mnt/journal xfs defaults,noatime,nofail 0 2
UUID=uuid-nvme2n1 /mnt/ledgers xfs defaults,noatime,nofail 0 2"
  assert_equal "$(cat "$R/opt/pulsar/conf/bookkeeper.conf")" "bookiePort=3181
journalDirectories=/mnt/journal/bookkeeper
zkTimeout=30000
metadataServiceUri=zk+hierarchical://10.0.1.10:2181;10.0.1.11:2181;10.0.1.12:2181/ledgers
advertisedAddress=10.0.1.20
ledgerDirectories=/mnt/ledgers/bookkeeper
ledgerStorageClass=org.apache.bookkeeper.bookie.storage.ldb.DbLedgerStorage
journalSyncData=false
journalMaxGroupWaitMSec=1
journalWriteBufferSizeKB=64
dbStorage_writeCacheMaxSizeMb=512
dbStorage_readAheadCacheMaxSizeMb=256
numAddWorkerThreads=0
numReadWorkerThreads=8
prometheusStatsHttpPort=8000"
  assert_file_contains "$R/etc/systemd/system/bookkeeper.service" '^Environment="BOOKIE_MEM=-Xms1536m -Xmx1536m -XX:MaxDirectMemorySize=2048m"$'
  assert_file_contains "$R/etc/systemd/system/bookkeeper.service" '^ExecStart=/opt/pulsar/bin/pulsar bookie$'
  assert_file_contains "$BATS_FILE_TMPDIR/sandbox-bookkeeper-0/root/var/log/pulsar/boot.log" 'journal .*/dev/nvme1n1 (vol-0aaaaaaaaaaaaaaaa), ledger .*/dev/nvme2n1 (vol-0bbbbbbbbbbbbbbbb)'
  run s3_status bookkeeper-0 .state
  assert_output ready
  run aws s3 cp "s3://$BUCKET/state/bookkeeper-metaformat" -
  assert_output bookkeeper-0
}

@test "bookkeeper 0: a second run neither formats a disk nor the metadata again" {
  sandbox bookkeeper-0 10.0.1.20
  cp "$R/opt/pulsar/conf/bookkeeper.conf" "$BATS_TEST_TMPDIR/before"
  : >"$SANDBOX/calls"
  boot bookkeeper-0
  assert_success
  run grep -cE '^(mkfs|bookkeeper shell|mount )' "$SANDBOX/calls"
  assert_output 0
  assert_equal "$(wc -l <"$R/etc/fstab")" 2
  assert_equal "$(cat "$R/opt/pulsar/conf/bookkeeper.conf")" "$(cat "$BATS_TEST_TMPDIR/before")"
}

@test "bookkeeper 1: never runs metaformat, waits for bookie 0's" {
  sandbox bookkeeper-1 10.0.1.21
  boot bookkeeper-1
  assert_success
  run grep -c 'metaformat' "$SANDBOX/calls"
  assert_output 0
  assert_file_contains "$R/opt/pulsar/conf/bookkeeper.conf" '^advertisedAddress=10.0.1.21$'
}

@test "broker 0: waits for the bookies, initialises the cluster metadata once" {
  sandbox broker-0 10.0.1.100
  boot broker-0
  assert_success
  run grep -E '^pulsar ' "$SANDBOX/calls"
  assert_output "pulsar zookeeper-shell -server 10.0.1.10:2181,10.0.1.11:2181,10.0.1.12:2181 ls /ledgers/available
pulsar initialize-cluster-metadata --cluster lab-ud --metadata-store zk:10.0.1.10:2181,10.0.1.11:2181,10.0.1.12:2181 --configuration-metadata-store zk:10.0.1.10:2181,10.0.1.11:2181,10.0.1.12:2181 --web-service-url http://10.0.1.100:8080,10.0.1.101:8080 --broker-service-url pulsar://10.0.1.100:6650,10.0.1.101:6650"
  assert_equal "$(cat "$R/opt/pulsar/conf/broker.conf")" "clusterName=lab-ud
metadataStoreUrl=zk:10.0.1.10:2181,10.0.1.11:2181,10.0.1.12:2181
brokerServicePort=6650
managedLedgerDefaultAckQuorum=2
configurationMetadataStoreUrl=zk:10.0.1.10:2181,10.0.1.11:2181,10.0.1.12:2181
metadataStoreSessionTimeoutMillis=30000
advertisedAddress=10.0.1.100
webServicePort=8080
managedLedgerDefaultEnsembleSize=3
managedLedgerDefaultWriteQuorum=2
managedLedgerCacheSizeMB=1024
defaultRetentionTimeInMinutes=60
defaultRetentionSizeInMB=0
brokerDeduplicationEnabled=true
defaultNumPartitions=1
defaultNumberOfNamespaceBundles=64
managedLedgerNewEntriesCheckDelayInMillis=0
loadBalancerAutoUnloadSplitBundlesEnabled=false"
  assert_file_contains "$R/etc/systemd/system/pulsar-broker.service" '^Environment="PULSAR_MEM=-Xms2048m -Xmx2048m -XX:MaxDirectMemorySize=3072m"$'
  run grep -c 'systemctl restart pulsar-broker' "$SANDBOX/calls"
  assert_output 1
  run s3_status broker-0 .state
  assert_output ready
  # Again: the metadata is not initialised twice.
  : >"$SANDBOX/calls"
  boot broker-0
  assert_success
  run grep -c initialize-cluster-metadata "$SANDBOX/calls"
  assert_output 0
}

# Pulsar's bin/pulsar and bin/bookkeeper read these (apache/pulsar
# conf/pulsar_env.sh and conf/bkenv.sh of branch-3.0): unset, a CLI call
# gets a server's 2 GB pre-touched heap and writes its GC log to "/".
@test "CLI JVMs (zookeeper-shell, initialize-cluster-metadata, metaformat) get a small heap and their GC log in /var/log/pulsar" {
  local cli="BOOKIE_GC=-XX:+UseSerialGC
BOOKIE_GC_LOG=-Xlog:gc:file=ROOT/var/log/pulsar/cli_gc.log:time,uptime:filecount=2,filesize=10M
BOOKIE_LOG_DIR=ROOT/var/log/pulsar
BOOKIE_MEM=-Xms64m -Xmx512m
PULSAR_GC=-XX:+UseSerialGC
PULSAR_GC_LOG=-Xlog:gc:file=ROOT/var/log/pulsar/cli_gc.log:time,uptime:filecount=2,filesize=10M
PULSAR_LOG_DIR=ROOT/var/log/pulsar
PULSAR_MEM=-Xms64m -Xmx512m" f
  for f in sandbox-broker-0/env-pulsar-initialize-cluster-metadata sandbox-broker-0/env-pulsar-zookeeper-shell \
    sandbox-bookkeeper-0/env-bookkeeper-shell; do
    assert_equal "$(cat "$BATS_FILE_TMPDIR/$f")" "${cli//ROOT/$BATS_FILE_TMPDIR/${f%%/*}/root}"
  done
}

@test "client 0: the OMB driver file, the runner and its unit, an OMB worker" {
  sandbox client-0 10.0.1.150
  boot client-0
  assert_success
  assert_equal "$(cat "$R/etc/plc/pulsar-driver.yaml")" "name: Pulsar
driverClass: io.openmessaging.benchmark.driver.pulsar.PulsarBenchmarkDriver
client:
  serviceUrl: pulsar://10.0.1.100:6650,10.0.1.101:6650
  httpUrl: http://10.0.1.100:8080
  namespacePrefix: benchmark/ns
  clusterName: lab-ud
  topicType: persistent
  ioThreads: 8
  connectionsPerBroker: 8
  persistence:
    ensembleSize: 3
    writeQuorum: 2
    ackQuorum: 2
    deduplicationEnabled: true
producer:
  batchingEnabled: true
  batchingMaxPublishDelayMs: 1
  batchingMaxBytes: 1048576
  blockIfQueueFull: true
  pendingQueueSize: 0
consumer:
  receiverQueueSize: 10000
  subscriptionType: Key_Shared"
  run diff "$PLC_ROOT/user-data/runner.sh" "$R/usr/local/bin/plc-runner"
  assert_success
  assert_file_executable "$R/usr/local/bin/plc-runner"
  assert_equal "$(cat "$R/etc/plc/runner.env")" "PLC_BUCKET=$BUCKET
PLC_NODE=client-0
PLC_EXPERIMENT_ID=exp-ud
PLC_OMB_HOME=/opt/openmessaging-benchmark
PLC_OMB_COMMAND='bin/benchmark'
PLC_DRIVER=/etc/plc/pulsar-driver.yaml
PLC_WORKERS=http://10.0.1.150:8080,http://10.0.1.151:8080
PLC_WORK_DIR=/var/lib/plc/runs
HEAP_OPTS=-Xms1024m -Xmx1024m -XX:+UseG1GC
AWS_DEFAULT_REGION=us-west-2
PLC_PROM_URL=http://10.0.1.200:9090
PLC_PROM_ANY_HOST=1
PLC_PROM_QUERIES=/etc/plc/queries.json"
  # The queries and prom-export the runner answers them with, as in the repo.
  run diff "$PLC_ROOT/scripts/prom-export" "$R/usr/local/bin/plc-prom-export"
  assert_success
  assert_file_executable "$R/usr/local/bin/plc-prom-export"
  run diff "$PLC_ROOT/metrics/queries.json" "$R/etc/plc/queries.json"
  assert_success
  assert_file_contains "$R/etc/systemd/system/omb-worker.service" '^Environment="HEAP_OPTS=-Xms3072m -Xmx3072m -XX:+UseG1GC"$'
  assert_file_contains "$R/etc/systemd/system/plc-runner.service" '^ExecStart=/usr/local/bin/plc-runner$'
  assert_file_contains "$R/etc/systemd/system/omb-worker.service" '^ExecStart=/opt/openmessaging-benchmark/bin/benchmark-worker --port 8080 --stats-port 8081$'
  # Every OMB worker answers on its HTTP port before the client is ready
  # (openmessaging/benchmark at 85599891: BenchmarkWorker.java:45,85 listens
  # on 8080; WorkerHandler.java:47,66 serves GET /counters-stats;
  # LocalWorker.java:241-242 answers it before any driver is set up); then
  # the smoke run, OMB as the runner runs it, as pulsar, from OMB's root.
  run grep -E '^(curl|systemctl restart|runuser|benchmark)' "$SANDBOX/calls"
  assert_output "systemctl restart plc-node-exporter
systemctl restart omb-worker
curl -fsS -m 5 http://10.0.1.150:8080/counters-stats
curl -fsS -m 5 http://10.0.1.151:8080/counters-stats
curl -fsS -m 10 http://10.0.1.100:8080/admin/v2/brokers/health
curl -fsS -m 10 http://10.0.1.101:8080/admin/v2/brokers/health
runuser -u pulsar -- env HEAP_OPTS=-Xms1024m -Xmx1024m -XX:+UseG1GC bin/benchmark --drivers $R/etc/plc/pulsar-driver.yaml --workers http://10.0.1.150:8080,http://10.0.1.151:8080 -o $R/var/lib/plc/smoke/result.json $R/var/lib/plc/smoke/workload.yaml
benchmark --drivers $R/etc/plc/pulsar-driver.yaml --workers http://10.0.1.150:8080,http://10.0.1.151:8080 -o $R/var/lib/plc/smoke/result.json $R/var/lib/plc/smoke/workload.yaml
systemctl restart plc-runner"
  assert_file_contains "$R/var/log/pulsar/boot.log" 'smoke run: publish rate 1000 msg/s$'
  run s3_status client-0 .state
  assert_output ready
}

# c5.2xlarge (16 GiB) with max-throughput's 8 GB client heap: before,
# worker and driver each got -Xmx8g on client 0, and each JVM's direct
# memory defaults to its heap size.
@test "client 0 on a 16 GiB node with an 8 GB heap: worker and driver, heap and direct memory, fit in its memory" {
  sandbox client-0-16g 10.0.1.150
  mkdir -p "$R/proc"
  printf 'MemTotal:       15803656 kB\nMemFree:        15000000 kB\n' >"$R/proc/meminfo"
  sed 's/^HEAP_MB=3072$/HEAP_MB=8192/' "$SCRIPTS/client-0.sh" >"$BATS_TEST_TMPDIR/client-0.sh"
  boot client-0 "$BATS_TEST_TMPDIR"
  assert_success
  assert_file_contains "$R/etc/systemd/system/omb-worker.service" '^Environment="HEAP_OPTS=-Xms6180m -Xmx6180m -XX:+UseG1GC"$'
  assert_file_contains "$R/etc/plc/runner.env" '^HEAP_OPTS=-Xms1024m -Xmx1024m -XX:+UseG1GC$'
  assert_file_contains "$R/var/log/pulsar/boot.log" 'OMB heap 6180 MB instead of 8192 MB: heap and direct memory must fit in 15433 MB$'
  # Twice each heap (heap and direct memory) and 1 GiB for the system.
  assert [ $((2 * 6180 + 2 * 1024 + 1024)) -le 15433 ]
}

@test "client 0: a smoke run that publishes nothing fails the node, with OMB's last lines in its status" {
  sandbox client-0-smoke 10.0.1.150
  export SANDBOX_OMB_PUBLISH_RATE=0 SANDBOX_OMB_LOG="ERROR PulsarBenchmarkDriver: sandbox: producer create failed"
  boot client-0
  assert_failure 1
  run grep -c 'systemctl restart plc-runner' "$SANDBOX/calls"
  assert_output 0
  run s3_status client-0 '.state'
  assert_output failed
  run s3_status client-0 '.log_tail[] | select(test("omb: |smoke run failed")) | sub("^[^ ]* "; "")'
  assert_output "plc[client-0]: omb: ERROR PulsarBenchmarkDriver: sandbox: producer create failed
plc[client-0]: smoke run failed: OMB exited 0, publish rate '0' (log in $R/var/lib/plc/smoke/omb.log)"
}

@test "client 0: OMB built without its package (no lib/) fails the node before it is ready" {
  # openmessaging/benchmark bin/benchmark:16-20 at 85599891.
  sandbox client-0-nolib 10.0.1.150
  rm -rf "$R/opt/openmessaging-benchmark/lib"
  boot client-0
  assert_failure 1
  run s3_status client-0 '.log_tail[] | select(test("OMB")) | sub("^[^ ]* "; "")'
  assert_output "plc[client-0]: OMB (bin/benchmark, lib/) missing in $R/opt/openmessaging-benchmark"
}

@test "client 1: only an OMB worker, ready once every OMB worker answers" {
  sandbox client-1 10.0.1.151
  boot client-1
  assert_success
  assert_file_exists "$R/etc/systemd/system/omb-worker.service"
  run grep -E '^(curl|systemctl restart)' "$SANDBOX/calls"
  assert_output "systemctl restart plc-node-exporter
systemctl restart omb-worker
curl -fsS -m 5 http://10.0.1.150:8080/counters-stats
curl -fsS -m 5 http://10.0.1.151:8080/counters-stats"
  run s3_status client-1 .state
  assert_output ready
  assert_file_contains "$R/etc/systemd/system/omb-worker.service" '^Environment="HEAP_OPTS=-Xms3072m -Xmx3072m -XX:+UseG1GC"$'
  assert_file_not_exists "$R/etc/plc/pulsar-driver.yaml"
  assert_file_not_exists "$R/usr/local/bin/plc-runner"
}

@test "monitor: promtool accepts the scrape config; every node's node_exporter and each role's metrics port, by fixed IP, every 5 s" {
  sandbox monitor-0 10.0.1.200
  boot monitor-0
  assert_success
  # The boot ran the real promtool on it (Debian's, as make deps installs
  # it); here once more, as Prometheus would read it.
  assert_file_contains "$R/var/log/pulsar/boot.log" 'SUCCESS: .*prometheus.yml.new is valid prometheus config file syntax'
  run --separate-stderr promtool check config "$R/etc/prometheus/prometheus.yml"
  assert_success
  run python3 -c 'import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
print(c["global"]["scrape_interval"], c["global"]["scrape_timeout"])
for j in c["scrape_configs"]:
    for s in j["static_configs"]:
        for t in s["targets"]:
            print(j["job_name"], j.get("metrics_path", "/metrics"), t, s["labels"]["node"], s["labels"]["role"])' \
    "$R/etc/prometheus/prometheus.yml"
  assert_success
  local conf=$BATS_FILE_TMPDIR targets=$output
  # The ports are those the roles' configs, as their boots wrote them, open:
  # broker webServicePort, bookie prometheusStatsHttpPort, ZooKeeper
  # metricsProvider.httpPort (Pulsar's conf/bookkeeper.conf ships the
  # Prometheus provider on that port; the boot scripts set each explicitly).
  local wp bp zp
  wp=$(sed -n 's/^webServicePort=//p' "$conf/sandbox-broker-0/root/opt/pulsar/conf/broker.conf")
  bp=$(sed -n 's/^prometheusStatsHttpPort=//p' "$conf/sandbox-bookkeeper-0/root/opt/pulsar/conf/bookkeeper.conf")
  zp=$(sed -n 's/^metricsProvider.httpPort=//p' "$conf/sandbox-zookeeper-1/root/opt/pulsar/conf/zookeeper.conf")
  assert_equal "$wp $bp $zp" "8080 8000 8000"
  run printf '%s\n' "$targets"
  assert_output "5s 4s
node /metrics 10.0.1.20:9100 bookkeeper-0 bookkeeper
node /metrics 10.0.1.21:9100 bookkeeper-1 bookkeeper
node /metrics 10.0.1.22:9100 bookkeeper-2 bookkeeper
node /metrics 10.0.1.100:9100 broker-0 broker
node /metrics 10.0.1.101:9100 broker-1 broker
node /metrics 10.0.1.150:9100 client-0 client
node /metrics 10.0.1.151:9100 client-1 client
node /metrics 10.0.1.200:9100 monitor-0 monitor
node /metrics 10.0.1.10:9100 zookeeper-0 zookeeper
node /metrics 10.0.1.11:9100 zookeeper-1 zookeeper
node /metrics 10.0.1.12:9100 zookeeper-2 zookeeper
bookie /metrics 10.0.1.20:$bp bookkeeper-0 bookkeeper
bookie /metrics 10.0.1.21:$bp bookkeeper-1 bookkeeper
bookie /metrics 10.0.1.22:$bp bookkeeper-2 bookkeeper
broker /metrics 10.0.1.100:$wp broker-0 broker
broker /metrics 10.0.1.101:$wp broker-1 broker
zookeeper /metrics 10.0.1.10:$zp zookeeper-0 zookeeper
zookeeper /metrics 10.0.1.11:$zp zookeeper-1 zookeeper
zookeeper /metrics 10.0.1.12:$zp zookeeper-2 zookeeper"
  # The job names are the ones metrics/queries.json asks for.
  run jq -r '.queries[].promql | scan("job=~?\"([a-z|]+)\"")[0] | split("|")[]' "$PLC_ROOT/metrics/queries.json"
  run bash -c 'LC_ALL=C sort -u <<<"$1"' _ "$output"
  assert_output "bookie
broker
node
zookeeper"
  # Prometheus with the admin API (the teardown snapshot), and the timer
  # that answers control/snapshot; node_exporter on its planned IP.
  assert_file_contains "$R/etc/systemd/system/prometheus.service" '^ExecStart=/usr/local/bin/prometheus --config.file=/etc/prometheus/prometheus.yml --storage.tsdb.path=/var/lib/prometheus --storage.tsdb.retention.time=6h --web.listen-address=:9090 --web.enable-admin-api$'
  assert_file_contains "$R/etc/systemd/system/plc-node-exporter.service" '^ExecStart=/usr/local/bin/node_exporter --web.listen-address=10.0.1.200:9100$'
  run diff "$PLC_ROOT/user-data/prom-snapshot.sh" "$R/usr/local/bin/plc-prom-snapshot"
  assert_success
  run grep -E '^(curl|systemctl (enable|restart))' "$SANDBOX/calls"
  assert_output "systemctl enable --now plc-ttl.timer plc-collect-logs.timer
systemctl enable plc-node-exporter
systemctl restart plc-node-exporter
systemctl enable prometheus
systemctl restart prometheus
systemctl enable --now plc-prom-snapshot.timer
curl -fsS -m 5 http://10.0.1.200:9090/-/ready"
  run s3_status monitor-0 .state
  assert_output ready
}

@test "monitor: a scrape config Prometheus would refuse fails the boot, with promtool's reason" {
  sandbox monitor-bad 10.0.1.200
  # A timeout longer than the interval, which Prometheus refuses.
  sed "s/^  scrape_timeout: 4s$/  scrape_timeout: 6s/" "$SCRIPTS/monitor-0.sh" >"$BATS_TEST_TMPDIR/monitor-bad.sh"
  run grep -c '^  scrape_timeout: 6s$' "$BATS_TEST_TMPDIR/monitor-bad.sh"
  assert_output 1
  boot monitor-bad "$BATS_TEST_TMPDIR"
  assert_failure
  assert_file_contains "$R/var/log/pulsar/boot.log" 'scrape timeout greater than scrape interval'
  assert_file_not_exists "$R/etc/prometheus/prometheus.yml"
  run s3_status monitor-0 .state
  assert_output failed
}

@test "every key written is one Pulsar 3.0.17 and 4.0.13 read" {
  local v role file
  for v in 3.0.17 4.0.13; do
    run comm -23 <(conf_keys "$BATS_FILE_TMPDIR/sandbox-zookeeper-1/root/opt/pulsar/conf/zookeeper.conf" | grep -v '^server\.[0-9]*$') "$KEYS/pulsar-$v-zookeeper.txt"
    assert_output ""
    run comm -23 <(conf_keys "$BATS_FILE_TMPDIR/sandbox-bookkeeper-0/root/opt/pulsar/conf/bookkeeper.conf") "$KEYS/pulsar-$v-bookkeeper.txt"
    assert_output ""
    run comm -23 <(conf_keys "$BATS_FILE_TMPDIR/sandbox-broker-0/root/opt/pulsar/conf/broker.conf") \
      <(LC_ALL=C sort -u "$KEYS/pulsar-$v-broker.txt" "$KEYS/pulsar-$v-broker-properties-extra.txt")
    assert_output ""
  done
  # The lists are not empty, and a misspelt key would be caught.
  run comm -23 <(printf 'managedLedgerDefaultEnsembleSize\nmanagedLedgerEnsembleSize\n') "$KEYS/pulsar-3.0.17-broker.txt"
  assert_output managedLedgerEnsembleSize
}

@test "every OMB driver key is one OMB reads, and the required ones are there" {
  local keys
  keys=$(python3 -c 'import sys, yaml
def walk(d, p=""):
    for k, v in d.items():
        if isinstance(v, dict): yield from walk(v, p + k + ".")
        else: yield p + k
print("\n".join(sorted(walk(yaml.safe_load(open(sys.argv[1]))))))' \
    "$BATS_FILE_TMPDIR/sandbox-client-0/root/etc/plc/pulsar-driver.yaml")
  run comm -23 <(LC_ALL=C sort <<<"$keys") "$KEYS/omb-pulsar-driver.txt"
  assert_output ""
  run comm -13 <(LC_ALL=C sort <<<"$keys") <(printf '%s\n' client.clusterName client.httpUrl client.namespacePrefix client.serviceUrl driverClass name)
  assert_output ""
}

@test "a node that is not where Terraform planned it fails and says why in its status" {
  sandbox broker-1 10.0.1.99
  boot broker-1
  assert_failure 1
  run s3_status broker-1 '.state'
  assert_output failed
  run s3_status broker-1 '.log_tail | map(select(test("private IP 10.0.1.99 is not the planned 10.0.1.101"))) | length'
  assert_output 1
}

# node_logs NODE: the files of the node's archive in the bucket, and their
# collected.json as "reason request files label".
node_logs() {
  aws s3 cp "s3://$BUCKET/logs/nodes/$1/logs.tar.gz" "$BATS_TEST_TMPDIR/$1.tar.gz" >/dev/null
  tar -tzf "$BATS_TEST_TMPDIR/$1.tar.gz" | LC_ALL=C sort
  aws s3 cp "s3://$BUCKET/logs/nodes/$1/collected.json" - | jq -r '[.reason, .request // "", .files, .label // ""] | map(tostring) | join(" ")'
}

@test "a node that fails sends its logs (boot log, service and GC logs, dmesg tail) to the bucket" {
  sandbox broker-1 10.0.1.99
  run node_logs broker-1
  assert_output "broker-1/
broker-1/boot.log
broker-1/dmesg-tail.txt
failed  1 "
  tar -xzf "$BATS_TEST_TMPDIR/broker-1.tar.gz" -C "$BATS_TEST_TMPDIR"
  assert_file_contains "$BATS_TEST_TMPDIR/broker-1/boot.log" 'private IP 10.0.1.99 is not the planned 10.0.1.101'
  assert_file_contains "$BATS_TEST_TMPDIR/broker-1/dmesg-tail.txt" 'nvme nvme1: 2/0/0'
}

@test "a node answers a control/collect request once, with its logs capped in size" {
  sandbox broker-0 10.0.1.100
  [[ -x $R/usr/local/bin/plc-collect-logs ]] || boot broker-0
  assert_file_contains "$R/etc/systemd/system/plc-collect-logs.timer" '^OnUnitActiveSec=30s$'
  assert_file_contains "$R/etc/systemd/system/plc-collect-logs.service" '^ExecStart=/usr/local/bin/plc-collect-logs --watch$'
  head -c 3000000 /dev/zero >"$R/var/log/pulsar/pulsar_gc_1234.log"
  printf 'req-1\n' | aws s3 cp - "s3://$BUCKET/control/collect"
  collect() {
    env PLC_BUCKET="$BUCKET" PLC_NODE=broker-0 PLC_LOG_DIR="$R/var/log/pulsar" PLC_STATE_DIR="$R/var/lib/plc" \
      PLC_LOGS_FILE_CAP_BYTES=1000000 PATH="$SANDBOX_BIN:$PATH" "$R/usr/local/bin/plc-collect-logs" --watch
  }
  run --separate-stderr collect
  assert_success
  run node_logs broker-0
  assert_output "broker-0/
broker-0/boot.log
broker-0/dmesg-tail.txt
broker-0/pulsar_gc_1234.log
requested req-1 2 "
  assert_equal "$(tar -xzOf "$BATS_TEST_TMPDIR/broker-0.tar.gz" broker-0/pulsar_gc_1234.log | wc -c)" 1000000
  # Answered: the timer's next look sends nothing; a new request is answered.
  aws s3 rm --quiet "s3://$BUCKET/logs/nodes/broker-0/collected.json"
  run --separate-stderr collect
  assert_success
  run aws s3api head-object --bucket "$BUCKET" --key logs/nodes/broker-0/collected.json
  assert_failure
  printf 'req-2\n' | aws s3 cp - "s3://$BUCKET/control/collect"
  run --separate-stderr collect
  assert_success
  run bash -c "aws s3 cp s3://$BUCKET/logs/nodes/broker-0/collected.json - | jq -r .request"
  assert_output req-2
}

# bk_dirs: the bookie's journal and ledger directories, as written.
bk_dirs() {
  sed -n 's/^\(journalDirectories\|ledgerDirectories\)=/\1 /p' "$R/opt/pulsar/conf/bookkeeper.conf"
}

# assert_dirs_on_disks: every journal and ledger directory lies on a disk
# the script mounted (not on the root volume), and is owned by pulsar.
assert_dirs_on_disks() {
  local dir found m
  for dir in $(bk_dirs | cut -d' ' -f2 | tr ',' ' '); do
    found=
    while read -r m; do [[ $R$dir == "$m"/* ]] && found=$m; done <"$SANDBOX/mounts"
    [[ -n $found ]] || fail "$dir is on no mounted disk"
    assert_file_contains "$SANDBOX/calls" "^chown pulsar:pulsar $R$dir\$"
  done
}

# instance_store_sandbox NAME IP DISKS: a bookie whose NVMe namespaces are
# the EBS root (nvme0n1) and DISKS instance-store disks (nvme1n1...).
instance_store_sandbox() {
  local i
  sandbox "$1" "$2"
  rm -f "$R/dev/sdf" "$R/dev/sdg" "$R/dev/nvme1n1" "$R/dev/nvme2n1"
  rm -rf "$R/sys/block"
  mkdir -p "$R/sys/block/nvme0n1/device"
  echo "Amazon Elastic Block Store" >"$R/sys/block/nvme0n1/device/model"
  for ((i = 1; i <= $3; i++)); do
    mkdir -p "$R/sys/block/nvme${i}n1/device"
    : >"$R/dev/nvme${i}n1"
    echo "Amazon EC2 NVMe Instance Storage" >"$R/sys/block/nvme${i}n1/device/model"
  done
  # Bookie 0's metaformat marker, so a test run alone does not wait for it.
  printf 'bookkeeper-0\n' | aws s3 cp --only-show-errors - "s3://$BUCKET/state/bookkeeper-metaformat"
}

@test "bookkeeper on EBS: journal on the sdf volume, ledgers on the sdg volume" {
  sandbox bookkeeper-0 10.0.1.20
  run bk_dirs
  assert_output "journalDirectories /mnt/journal/bookkeeper
ledgerDirectories /mnt/ledgers/bookkeeper"
  run cat "$SANDBOX/mounts"
  assert_output "$R/mnt/journal
$R/mnt/ledgers"
  assert_dirs_on_disks
}

@test "bookkeeper on a two-disk NVMe instance store: no EBS volumes, journal and ledgers each on its own disk" {
  run jq -r '[.planned_values.root_module.resources[] | select(.type == "aws_instance" and .values.tags.Role == "bookkeeper") |
      .values.ebs_block_device | length] | join(",")' "$BATS_FILE_TMPDIR/plan-is.json"
  assert_output "0,0,0"
  instance_store_sandbox bookkeeper-2-is2 10.0.1.22 2
  boot bookkeeper-2 "$BATS_FILE_TMPDIR/scripts-is"
  assert_success
  run grep -E '^(mkfs|mount)' "$SANDBOX/calls"
  assert_output "mkfs.xfs -q -L bk-journal $R/dev/nvme1n1
mount $R/mnt/journal
mkfs.xfs -q -L bk-ledgers $R/dev/nvme2n1
mount $R/mnt/ledgers"
  run bk_dirs
  assert_output "journalDirectories /mnt/journal/bookkeeper
ledgerDirectories /mnt/ledgers/bookkeeper"
  assert_dirs_on_disks
}

# i3en.large, the shipped plans' bookie, has one NVMe disk; the rendered
# script is the same for every instance-store type (it finds the disks at
# boot), so the i3en.2xlarge plan's script stands for it.
@test "bookkeeper on a one-disk NVMe instance store: journal and ledgers both on it, in two directories" {
  instance_store_sandbox bookkeeper-2-is1 10.0.1.22 1
  boot bookkeeper-2 "$BATS_FILE_TMPDIR/scripts-is"
  assert_success
  run grep -E '^(mkfs|mount)' "$SANDBOX/calls"
  assert_output "mkfs.xfs -q -L bk-data $R/dev/nvme1n1
mount $R/mnt/data"
  assert_equal "$(cat "$R/etc/fstab")" "UUID=uuid-nvme1n1 /mnt/data xfs defaults,noatime,nofail 0 2"
  run bk_dirs
  assert_output "journalDirectories /mnt/data/journal
ledgerDirectories /mnt/data/ledgers"
  assert_dirs_on_disks
  assert_file_contains "$R/var/log/pulsar/boot.log" 'journal in /mnt/data/journal, ledgers in /mnt/data/ledgers$'
}

@test "bookkeeper on a four-disk NVMe instance store: the journal on one, ledgers on the other three" {
  instance_store_sandbox bookkeeper-2-is4 10.0.1.22 4
  boot bookkeeper-2 "$BATS_FILE_TMPDIR/scripts-is"
  assert_success
  run bk_dirs
  assert_output "journalDirectories /mnt/journal/bookkeeper
ledgerDirectories /mnt/ledgers/bookkeeper,/mnt/ledgers2/bookkeeper,/mnt/ledgers3/bookkeeper"
  run cat "$SANDBOX/mounts"
  assert_output "$R/mnt/journal
$R/mnt/ledgers
$R/mnt/ledgers2
$R/mnt/ledgers3"
  assert_dirs_on_disks
}

@test "bookkeeper on an instance-store type without NVMe disks fails and says so" {
  instance_store_sandbox bookkeeper-2-is0 10.0.1.22 0
  boot bookkeeper-2 "$BATS_FILE_TMPDIR/scripts-is"
  assert_failure 1
  run s3_status bookkeeper-2 '.log_tail | map(select(test("no NVMe instance store found"))) | length'
  assert_output 1
}

@test "a step failing inside a function still reports failed, with the command's error" {
  sandbox bookkeeper-2 10.0.1.22
  export SANDBOX_MKFS_FAILS=1
  boot bookkeeper-2
  assert_failure 1
  run grep -c '^mkfs' "$SANDBOX/calls"
  assert_output 1
  run s3_status bookkeeper-2 '.state'
  assert_output failed
  run s3_status bookkeeper-2 '.log_tail | map(select(test("Device or resource busy"))) | length'
  assert_output 1
}
