# --- zookeeper ----------------------------------------------------------
# myid is the index + 1; the ensemble comes from the fixed IPs.
ZK_DIR=$R/var/lib/zookeeper
mkdir -p "$ZK_DIR/data" "$ZK_DIR/datalog"
printf '%s\n' $((INDEX + 1)) >"$ZK_DIR/data/myid"
chown -R pulsar:pulsar "$ZK_DIR"

write_conf "$PULSAR_HOME/conf/zookeeper.conf" <<'CONF'
tickTime=${cluster.zookeeper.tick_time_ms}
initLimit=${cluster.zookeeper.init_limit_ticks}
syncLimit=${cluster.zookeeper.sync_limit_ticks}
maxSessionTimeout=${cluster.zookeeper.max_session_timeout_ms}
dataDir=/var/lib/zookeeper/data
dataLogDir=/var/lib/zookeeper/datalog
clientPort=2181
admin.enableServer=false
autopurge.snapRetainCount=3
autopurge.purgeInterval=1
metricsProvider.httpPort=8000
%{ for i, zk in ips.zookeeper ~}
server.${i + 1}=${zk}:2888:3888
%{ endfor ~}
CONF

write_unit zookeeper /opt/pulsar "/opt/pulsar/bin/pulsar zookeeper" \
  "PULSAR_MEM=$(jvm_mem)" "PULSAR_LOG_DIR=/var/log/pulsar" \
  "PULSAR_EXTRA_OPTS=-Dzookeeper.4lw.commands.whitelist=ruok,srvr,mntr"
start_unit zookeeper

wait_for "ZooKeeper quorum" 900 zk_quorum ${join(" ", ips.zookeeper)}
status ready
log "zookeeper ${index} ready"
