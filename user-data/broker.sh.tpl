# --- broker -------------------------------------------------------------
# The last three as OMB's reference setup has them, so that numbers compare
# (openmessaging/benchmark driver-pulsar/deploy/ssd/templates/broker.conf:27-29
# at omb_commit): 64 bundles spread a run's namespace over every broker
# (Pulsar's 4 leave brokers idle); a consumer at the tail sees new entries
# at once (Pulsar's default checks every 10 ms, which adds to end-to-end
# latency); no bundle is split and unloaded in the middle of a run.
write_conf "$PULSAR_HOME/conf/broker.conf" <<'CONF'
clusterName=${cluster.name}
metadataStoreUrl=zk:${zk_connect}
configurationMetadataStoreUrl=zk:${zk_connect}
metadataStoreSessionTimeoutMillis=${cluster.broker.zookeeper_session_timeout_ms}
advertisedAddress=${ip}
brokerServicePort=6650
webServicePort=8080
managedLedgerDefaultEnsembleSize=${cluster.broker.ensemble_size}
managedLedgerDefaultWriteQuorum=${cluster.broker.write_quorum}
managedLedgerDefaultAckQuorum=${cluster.broker.ack_quorum}
managedLedgerCacheSizeMB=${cluster.broker.managed_ledger_cache_mb}
defaultRetentionTimeInMinutes=${cluster.broker.retention_time_minutes}
defaultRetentionSizeInMB=${cluster.broker.retention_size_mb}
brokerDeduplicationEnabled=${cluster.broker.deduplication_enabled}
defaultNumPartitions=${cluster.broker.default_partitions}
defaultNumberOfNamespaceBundles=64
managedLedgerNewEntriesCheckDelayInMillis=0
loadBalancerAutoUnloadSplitBundlesEnabled=false
CONF

wait_for "ZooKeeper quorum" 900 zk_quorum ${join(" ", ips.zookeeper)}
wait_for "${length(ips.bookkeeper)} bookies registered" 1200 bookies_registered ${zk_connect} ${join(" ", ips.bookkeeper)}

# Cluster metadata: initialised once, by broker 0; the command itself leaves
# an existing cluster alone, and the marker keeps re-runs from repeating it.
if ((INDEX == 0)) && ! marker_exists cluster-metadata; then
  pulsar_cli pulsar initialize-cluster-metadata \
    --cluster ${cluster.name} \
    --metadata-store zk:${zk_connect} \
    --configuration-metadata-store zk:${zk_connect} \
    --web-service-url http://${join(":8080,", ips.broker)}:8080 \
    --broker-service-url pulsar://${join(":6650,", ips.broker)}:6650
  marker_put cluster-metadata
fi
wait_for "cluster metadata" 900 marker_exists cluster-metadata

write_unit pulsar-broker /opt/pulsar "/opt/pulsar/bin/pulsar broker" \
  "PULSAR_MEM=$(jvm_mem)" "PULSAR_LOG_DIR=/var/log/pulsar"
start_unit pulsar-broker

broker_healthy() { [[ $(curl -fsS -m 10 "http://$1:8080/admin/v2/brokers/health" 2>/dev/null) == ok ]]; }
wait_for "broker healthy" 900 broker_healthy ${ip}
status ready
log "broker ${index} ready"
