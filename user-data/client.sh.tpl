# --- client -------------------------------------------------------------
# Every client runs an OMB worker when there is more than one client (OMB's
# distributed mode needs at least two workers); client 0 also holds the
# driver file and the runner.
OMB_HOME=$R/opt/openmessaging-benchmark
[[ -x $OMB_HOME/bin/benchmark ]] || { log "OMB missing in $OMB_HOME"; false; }
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
ENV
mv "$PLC_DIR/runner.env.new" "$PLC_DIR/runner.env"
mkdir -p "$STATE_DIR/runs"
chown pulsar:pulsar "$STATE_DIR/runs"

# Ready means: every broker healthy, every bookie registered.
broker_healthy() { [[ $(curl -fsS -m 10 "http://$1:8080/admin/v2/brokers/health" 2>/dev/null) == ok ]]; }
%{ for b in ips.broker ~}
wait_for "broker ${b} healthy" 1800 broker_healthy ${b}
%{ endfor ~}
wait_for "${length(ips.bookkeeper)} bookies registered" 900 bookies_registered ${zk_connect} ${join(" ", ips.bookkeeper)}

{
  printf '[Unit]\nDescription=plc benchmark runner\nAfter=network-online.target\n\n'
  printf '[Service]\nType=simple\nUser=pulsar\nGroup=pulsar\nEnvironmentFile=/etc/plc/runner.env\n'
  printf 'WorkingDirectory=/opt/openmessaging-benchmark\nExecStart=/usr/local/bin/plc-runner\nRestart=on-failure\nRestartSec=10\n\n'
  printf '[Install]\nWantedBy=multi-user.target\n'
} >"$UNIT_DIR/plc-runner.service"
start_unit plc-runner
status ready
log "client 0 ready: driver file and runner installed"
