# --- client -------------------------------------------------------------
# Every client runs an OMB worker when there is more than one client (OMB's
# distributed mode needs at least two workers); client 0 also holds the
# driver file and the runner.
OMB_HOME=$R/opt/openmessaging-benchmark
# OMB's bin/ scripts find their jars in ./lib, its binary package's layout.
[[ -x $OMB_HOME/bin/benchmark && -d $OMB_HOME/lib ]] || { log "OMB (bin/benchmark, lib/) missing in $OMB_HOME"; false; }
%{ if length(ips.client) > 1 ~}
# With --workers the driver only coordinates the workers over HTTP
# (openmessaging/benchmark Benchmark.java:140-148 at omb_commit): 1 GiB, and
# client 0's worker leaves room for it (heap and direct memory).
WORKER_HEAP_OPTS=$(omb_heap_opts $((INDEX == 0 ? 2048 : 0)))
HEAP_OPTS="-Xms1024m -Xmx1024m -XX:+UseG1GC"
%{ else ~}
HEAP_OPTS=$(omb_heap_opts 0)
%{ endif ~}

%{ if length(ips.client) > 1 ~}
write_unit omb-worker /opt/openmessaging-benchmark \
  "/opt/openmessaging-benchmark/bin/benchmark-worker --port 8080 --stats-port 8081" \
  "HEAP_OPTS=$WORKER_HEAP_OPTS"
start_unit omb-worker
# No client is ready before every OMB worker answers on its HTTP port (OMB's
# BenchmarkWorker serves GET /counters-stats from its start).
worker_answers() { curl -fsS -m 5 "http://$1:8080/counters-stats" >/dev/null 2>&1; }
%{ for c in ips.client ~}
wait_for "OMB worker ${c}:8080 answering" 1800 worker_answers ${c}
%{ endfor ~}
%{ endif ~}

if ((INDEX != 0)); then
  status ready
  log "client ${index} (OMB worker) ready"
  exit 0
fi

# The OMB Pulsar driver file, with the keys OMB's PulsarConfig reads.
cat >"$PLC_DIR/pulsar-driver.yaml.new" <<'YAML'
name: Pulsar
driverClass: io.openmessaging.benchmark.driver.pulsar.PulsarBenchmarkDriver
client:
  serviceUrl: pulsar://${service_url}
  httpUrl: ${http_url}
  namespacePrefix: ${cluster.client.namespace_prefix}
  clusterName: ${cluster.name}
  topicType: ${cluster.client.topic_type}
  ioThreads: ${cluster.client.io_threads}
  connectionsPerBroker: ${cluster.client.connections_per_broker}
  persistence:
    ensembleSize: ${cluster.broker.ensemble_size}
    writeQuorum: ${cluster.broker.write_quorum}
    ackQuorum: ${cluster.broker.ack_quorum}
    deduplicationEnabled: ${cluster.broker.deduplication_enabled}
producer:
  batchingEnabled: ${cluster.client.batching_enabled}
  batchingMaxPublishDelayMs: ${cluster.client.batching_max_publish_delay_ms}
  batchingMaxBytes: ${cluster.client.batching_max_bytes}
  blockIfQueueFull: ${cluster.client.block_if_queue_full}
  pendingQueueSize: ${cluster.client.pending_queue_size}
consumer:
  receiverQueueSize: ${cluster.client.receiver_queue_size}
  subscriptionType: ${cluster.client.subscription_type}
YAML
mv "$PLC_DIR/pulsar-driver.yaml.new" "$PLC_DIR/pulsar-driver.yaml"

# The runner: takes workloads from the bucket's inbox/, runs OMB.
cat >"$R/usr/local/bin/plc-runner.new" <<'PLC_RUNNER'
${chomp(runner)}
PLC_RUNNER
chmod 755 "$R/usr/local/bin/plc-runner.new"
mv "$R/usr/local/bin/plc-runner.new" "$R/usr/local/bin/plc-runner"

%{ if monitor_url != "" ~}
# After each run the runner answers metrics/queries.json from the monitor
# node's Prometheus over the run's window (prom-export), beside its result;
# Terraform put both in the bucket.
aws s3 cp --only-show-errors "s3://$BUCKET/toolkit/prom-export" "$R/usr/local/bin/plc-prom-export.new"
chmod 755 "$R/usr/local/bin/plc-prom-export.new"
mv "$R/usr/local/bin/plc-prom-export.new" "$R/usr/local/bin/plc-prom-export"
aws s3 cp --only-show-errors "s3://$BUCKET/toolkit/queries.json" "$PLC_DIR/queries.json"
%{ endif ~}
cat >"$PLC_DIR/runner.env.new" <<ENV
PLC_BUCKET=$BUCKET
PLC_NODE=$NODE
PLC_EXPERIMENT_ID=$EXPERIMENT_ID
PLC_OMB_HOME=/opt/openmessaging-benchmark
PLC_OMB_COMMAND='${omb_command}'
PLC_DRIVER=/etc/plc/pulsar-driver.yaml
PLC_WORKERS=${length(ips.client) > 1 ? join(",", [for c in ips.client : "http://${c}:8080"]) : ""}
PLC_WORK_DIR=/var/lib/plc/runs
HEAP_OPTS=$HEAP_OPTS
AWS_DEFAULT_REGION=$AWS_DEFAULT_REGION
PLC_PROM_URL=${monitor_url}
PLC_PROM_ANY_HOST=1
PLC_PROM_QUERIES=/etc/plc/queries.json
ENV
mv "$PLC_DIR/runner.env.new" "$PLC_DIR/runner.env"
mkdir -p "$STATE_DIR/runs"
chown pulsar:pulsar "$STATE_DIR/runs"

# Ready means: every broker healthy, every bookie registered, every OMB
# worker answering (above), and a smoke run that published.
broker_healthy() { [[ $(curl -fsS -m 10 "http://$1:8080/admin/v2/brokers/health" 2>/dev/null) == ok ]]; }
%{ for b in ips.broker ~}
wait_for "broker ${b} healthy" 1800 broker_healthy ${b}
%{ endfor ~}
wait_for "${length(ips.bookkeeper)} bookies registered" 900 bookies_registered ${zk_connect} ${join(" ", ips.bookkeeper)}

# The benchmark path, proven before the plan: OMB as the runner runs it (user
# pulsar, the driver file, the workers) against this cluster, at a low rate;
# a failure puts OMB's last lines in this node's status. OMB's durations are
# whole minutes and 0 means forever, so one minute is the shortest run.
SMOKE_DIR=$STATE_DIR/smoke
rm -rf "$SMOKE_DIR"
mkdir -p "$SMOKE_DIR"
cat >"$SMOKE_DIR/workload.yaml" <<'YAML'
name: plc-setup-smoke
topics: 1
partitionsPerTopic: 1
messageSize: 1024
payloadFile: payload/payload-1Kb.data
subscriptionsPerTopic: 1
consumerPerSubscription: 1
producersPerTopic: 1
producerRate: 100
consumerBacklogSizeGB: 0
testDurationMinutes: 1
warmupDurationMinutes: 0
YAML
chown -R pulsar:pulsar "$SMOKE_DIR"
read -ra smoke_cmd <<<'${omb_command}'
smoke_cmd+=(--drivers "$PLC_DIR/pulsar-driver.yaml")
%{ if length(ips.client) > 1 ~}
smoke_cmd+=(--workers "${join(",", [for c in ips.client : "http://${c}:8080"])}")
%{ endif ~}
smoke_cmd+=(-o "$SMOKE_DIR/result.json" "$SMOKE_DIR/workload.yaml")
log "smoke run: OMB for one minute at 100 msg/s"
smoke_rc=0
(cd "$OMB_HOME" && exec runuser -u pulsar -- env HEAP_OPTS="$HEAP_OPTS" "$${smoke_cmd[@]}") >"$SMOKE_DIR/omb.log" 2>&1 || smoke_rc=$?
smoke_rate=$(jq -r 'select((.publishRate | type) == "array" and (.publishRate | length) > 0) | .publishRate | add / length | floor' \
  "$SMOKE_DIR/result.json" 2>/dev/null) || smoke_rate=""
if ((smoke_rc != 0)) || [[ ! $smoke_rate =~ ^[0-9]+$ ]] || ((smoke_rate == 0)); then
  while IFS= read -r line; do log "omb: $line"; done < <(tail -n 20 "$SMOKE_DIR/omb.log")
  log "smoke run failed: OMB exited $smoke_rc, publish rate '$smoke_rate' (log in $SMOKE_DIR/omb.log)"
  false
fi
log "smoke run: publish rate $smoke_rate msg/s"

{
  printf '[Unit]\nDescription=plc benchmark runner\nAfter=network-online.target\n\n'
  printf '[Service]\nType=simple\nUser=pulsar\nGroup=pulsar\nEnvironmentFile=/etc/plc/runner.env\n'
  printf 'WorkingDirectory=/opt/openmessaging-benchmark\nExecStart=/usr/local/bin/plc-runner\nRestart=on-failure\nRestartSec=10\n\n'
  printf '[Install]\nWantedBy=multi-user.target\n'
} >"$UNIT_DIR/plc-runner.service"
start_unit plc-runner
status ready
log "client 0 ready: driver file and runner installed"
