# --- monitor ------------------------------------------------------------
# Prometheus, on its own small node so that it does not perturb what it
# measures: every node's node_exporter and each Pulsar role's own endpoint,
# scraped by fixed IP (static targets: the topology is known before boot)
# every 5 s, each target labeled node and role (the conventions of
# metrics/queries.json). The runner on client 0 asks it the queries after
# each run; teardown asks it for a TSDB snapshot (plc-prom-snapshot), which
# needs the admin API.
PROM_CONF=$R/etc/prometheus
PROM_DATA=$R/var/lib/prometheus
mkdir -p "$PROM_CONF" "$PROM_DATA"
chown prometheus:prometheus "$PROM_DATA"
cat >"$PROM_CONF/prometheus.yml.new" <<'YAML'
# plc monitor node: static targets by fixed IP, written by its user-data.
global:
  scrape_interval: 5s
  scrape_timeout: 4s
  evaluation_interval: 5s
scrape_configs:
%{ for job in distinct([for t in scrape_targets : t.job]) ~}
  - job_name: ${job}
    static_configs:
%{ for t in scrape_targets ~}
%{ if t.job == job ~}
      - targets: ["${t.target}"]
        labels: {node: ${t.node}, role: ${t.role}}
%{ endif ~}
%{ endfor ~}
%{ endfor ~}
YAML
# What Prometheus itself would refuse fails the boot here, with promtool's
# reason in the log.
promtool check config "$PROM_CONF/prometheus.yml.new"
mv "$PROM_CONF/prometheus.yml.new" "$PROM_CONF/prometheus.yml"

printf '[Unit]\nDescription=plc prometheus\nAfter=network-online.target\nWants=network-online.target\n\n[Service]\nType=simple\nUser=prometheus\nGroup=prometheus\nExecStart=/usr/local/bin/prometheus --config.file=/etc/prometheus/prometheus.yml --storage.tsdb.path=/var/lib/prometheus --storage.tsdb.retention.time=%sh --web.listen-address=:9090 --web.enable-admin-api\nRestart=on-failure\nRestartSec=10\nTimeoutStopSec=120\n\n[Install]\nWantedBy=multi-user.target\n' \
  ${ttl_hours} >"$UNIT_DIR/prometheus.service"
start_unit prometheus

# The snapshot at teardown: control/snapshot asks, a timer looks.
cat >"$R/usr/local/bin/plc-prom-snapshot.new" <<'PLC_SNAPSHOT'
${chomp(prom_snapshot)}
PLC_SNAPSHOT
chmod 755 "$R/usr/local/bin/plc-prom-snapshot.new"
mv "$R/usr/local/bin/plc-prom-snapshot.new" "$R/usr/local/bin/plc-prom-snapshot"
printf '[Unit]\nDescription=plc TSDB snapshot to the bucket when asked\n\n[Service]\nType=oneshot\nEnvironmentFile=/etc/plc/collect.env\nExecStart=/usr/local/bin/plc-prom-snapshot --watch\n' \
  >"$UNIT_DIR/plc-prom-snapshot.service"
printf '[Unit]\nDescription=plc TSDB snapshot: look for control/snapshot\n\n[Timer]\nOnBootSec=30s\nOnUnitActiveSec=30s\n\n[Install]\nWantedBy=timers.target\n' \
  >"$UNIT_DIR/plc-prom-snapshot.timer"
systemctl daemon-reload
systemctl enable --now plc-prom-snapshot.timer

prometheus_ready() { curl -fsS -m 5 "http://$1:9090/-/ready" >/dev/null 2>&1; }
wait_for "prometheus ready" 300 prometheus_ready ${ip}
status ready
log "monitor ready: prometheus scrapes ${length(scrape_targets)} targets every 5 s"
