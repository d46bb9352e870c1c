#!/bin/bash
# plc node boot script: ${role}-${index} of experiment ${experiment_id}.
# Rendered by Terraform (templatefile); this common part is shared by every
# role and followed by the role's own part. Safe to run again: nothing
# destructive happens twice.
set -Eeuo pipefail
umask 022

# PLC_ROOT_DIR is empty on a node; tests run the script inside a temporary
# root with stub commands.
R=$${PLC_ROOT_DIR:-}
ROLE=${role}
INDEX=${index}
NODE=$ROLE-$INDEX
MY_IP=${ip}
EXPERIMENT_ID=${experiment_id}
BUCKET=${bucket}
export AWS_DEFAULT_REGION=${region}
PULSAR_VERSION=${pulsar_version}
PULSAR_HOME=$R/opt/pulsar
PLC_DIR=$R/etc/plc
STATE_DIR=$R/var/lib/plc
LOG_DIR=$R/var/log/pulsar
UNIT_DIR=$R/etc/systemd/system
HEAP_MB=${heap_mb}
DIRECT_MB=${direct_mb}
IMDS=$${PLC_IMDS_ENDPOINT:-http://169.254.169.254}
BOOT_LOG=$LOG_DIR/boot.log

mkdir -p "$LOG_DIR" "$PLC_DIR" "$STATE_DIR"
# Commands' output goes to the console and the boot log through tee; our own
# lines are written to both directly, so a failure report never misses them.
exec 3>&2
exec > >(tee -a "$BOOT_LOG") 2>&1

log() {
  local line
  line="$(date -u +%Y-%m-%dT%H:%M:%SZ) plc[$NODE]: $*"
  printf '%s\n' "$line" >>"$BOOT_LOG"
  printf '%s\n' "$line" >&3
}

imds() {
  local token
  token=$(curl -fsS -m 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' "$IMDS/latest/api/token")
  curl -fsS -m 5 -H "X-aws-ec2-metadata-token: $token" "$IMDS/latest/meta-data/$1"
}

# status STATE: status/<role>-<index>.json in the experiment bucket.
status() {
  local tail_lines='[]'
  command -v jq >/dev/null || { log "status $1 (no jq to report it)"; return 0; }
  if [[ $1 == failed ]]; then
    tail_lines=$(tail -n 30 "$BOOT_LOG" | jq -R . | jq -s .)
  fi
  jq -n --arg state "$1" --arg node "$NODE" --arg role "$ROLE" --argjson index "$INDEX" \
    --arg ip "$MY_IP" --arg id "$INSTANCE_ID" --arg exp "$EXPERIMENT_ID" \
    --arg time "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --argjson log "$tail_lines" \
    '{schema: 1, experiment_id: $exp, node: $node, role: $role, index: $index,
      instance_id: $id, private_ip: $ip, state: $state, time: $time, log_tail: $log}' \
    >"$STATE_DIR/status.json"
  aws s3 cp --only-show-errors "$STATE_DIR/status.json" "s3://$BUCKET/status/$NODE.json" ||
    log "could not write status $1"
}

on_error() {
  local rc=$? line=$1
  log "failed at line $line (exit $rc)"
  status failed
  if [[ -x $R/usr/local/bin/plc-collect-logs ]]; then
    PLC_BUCKET=$BUCKET PLC_NODE=$NODE PLC_LOG_DIR=$LOG_DIR PLC_STATE_DIR=$STATE_DIR \
      "$R/usr/local/bin/plc-collect-logs" --reason failed || log "could not send the logs to the bucket"
  fi
  exit "$rc"
}

# marker_exists NAME / marker_put NAME: cluster-wide one-time steps.
marker_exists() { aws s3api head-object --bucket "$BUCKET" --key "state/$1" >/dev/null 2>&1; }
marker_put() { printf '%s\n' "$NODE" | aws s3 cp --only-show-errors - "s3://$BUCKET/state/$1"; }

# wait_for DESCRIPTION SECONDS COMMAND...: retry every 5 s.
wait_for() {
  local what=$1 limit=$2 start=$SECONDS
  shift 2
  until "$@"; do
    if ((SECONDS - start >= limit)); then
      log "gave up waiting for $what after $${limit}s"
      return 1
    fi
    sleep "$${PLC_WAIT_STEP:-5}"
  done
  log "ready: $what"
}

# write_unit NAME DIR EXEC [ENV...]: a service run by the pulsar user.
write_unit() {
  local name=$1 dir=$2 exec_start=$3 env
  shift 3
  {
    printf '[Unit]\nDescription=plc %s\nAfter=network-online.target\nWants=network-online.target\n\n' "$name"
    printf '[Service]\nType=simple\nUser=pulsar\nGroup=pulsar\nWorkingDirectory=%s\n' "$dir"
    for env in "$@"; do printf 'Environment="%s"\n' "$env"; done
    printf 'ExecStart=%s\nRestart=on-failure\nRestartSec=10\nLimitNOFILE=1048576\nLimitNPROC=1048576\nTimeoutStopSec=120\n\n' "$exec_start"
    printf '[Install]\nWantedBy=multi-user.target\n'
  } >"$UNIT_DIR/$name.service.new"
  mv "$UNIT_DIR/$name.service.new" "$UNIT_DIR/$name.service"
}

# write_conf FILE: FILE becomes Pulsar's shipped file (kept once as
# FILE.dist) with the settings read from stdin (key=value lines) replacing
# its lines for those keys; keys it lacks are appended. Rerunning gives the
# same file.
write_conf() {
  local file=$1 settings
  settings=$(cat)
  if [[ ! -e $file.dist ]]; then
    if [[ -e $file ]]; then cp -p "$file" "$file.dist"; else : >"$file.dist"; fi
  fi
  awk -v settings="$settings" '
    BEGIN {
      n = split(settings, lines, "\n")
      for (i = 1; i <= n; i++) {
        if (lines[i] == "") continue
        eq = index(lines[i], "="); k = substr(lines[i], 1, eq - 1)
        value[k] = lines[i]; order[++count] = k
      }
    }
    {
      line = $0; sub(/^[ \t]+/, "", line)
      eq = index(line, "="); k = substr(line, 1, eq - 1); sub(/[ \t]+$/, "", k)
      if (eq > 0 && line !~ /^#/ && (k in value)) {
        if (!(k in done)) print value[k]
        done[k] = 1; next
      }
      print
    }
    END {
      for (i = 1; i <= count; i++) if (!(order[i] in done)) { print value[order[i]]; done[order[i]] = 1 }
    }' "$file.dist" >"$file.new"
  mv "$file.new" "$file"
}

start_unit() {
  systemctl daemon-reload
  systemctl enable "$1"
  systemctl restart "$1"
}

# zk_mode IP: the ZooKeeper server's mode (leader, follower, standalone).
zk_mode() { printf 'srvr\n' | nc -w 3 "$1" 2181 2>/dev/null | sed -n 's/^Mode: //p'; }

zk_quorum() {
  local ip mode leaders=0
  for ip in "$@"; do
    mode=$(zk_mode "$ip") || return 1
    case $mode in
      leader | standalone) leaders=$((leaders + 1)) ;;
      follower) ;;
      *) return 1 ;;
    esac
  done
  ((leaders == 1))
}

# bookies_registered ZK_CONNECT IP...: every listed bookie is registered
# read-write.
bookies_registered() {
  local zk=$1 listing ip
  shift
  listing=$(pulsar_cli pulsar zookeeper-shell -server "$zk" ls /ledgers/available 2>/dev/null) || return 1
  for ip in "$@"; do
    grep -q "[[ ,]$ip:3181[],]" <<<"$listing" || return 1
  done
}

# Memory flags for Pulsar's scripts (PULSAR_MEM / BOOKIE_MEM).
jvm_mem() {
  local flags="-Xms$${HEAP_MB}m -Xmx$${HEAP_MB}m"
  if ((DIRECT_MB > 0)); then flags+=" -XX:MaxDirectMemorySize=$${DIRECT_MB}m"; fi
  printf '%s\n' "$flags"
}

# pulsar_cli pulsar|bookkeeper ARG...: a short-lived Pulsar command. Both
# scripts take the heap from PULSAR_MEM / BOOKIE_MEM and the GC flags from
# PULSAR_GC / BOOKIE_GC, and their defaults are a server's: a 2 GB heap and
# -XX:+AlwaysPreTouch (apache/pulsar conf/pulsar_env.sh, conf/bkenv.sh of
# branch-3.0); the GC log goes to $PULSAR_LOG_DIR, which pulsar_env.sh reads
# before bin/pulsar gives it a default, so to "/" when it is unset.
pulsar_cli() {
  local tool=$1 small="-Xms64m -Xmx512m" gc="-XX:+UseSerialGC"
  local gc_log="-Xlog:gc:file=$LOG_DIR/cli_gc.log:time,uptime:filecount=2,filesize=10M"
  shift
  PULSAR_MEM=$small BOOKIE_MEM=$small PULSAR_GC=$gc BOOKIE_GC=$gc \
    PULSAR_GC_LOG=$gc_log BOOKIE_GC_LOG=$gc_log PULSAR_LOG_DIR=$LOG_DIR BOOKIE_LOG_DIR=$LOG_DIR \
    "$PULSAR_HOME/bin/$tool" "$@"
}

# omb_heap_opts RESERVED_MB: HEAP_OPTS for an OMB JVM (bin/benchmark and
# bin/benchmark-worker read HEAP_OPTS): the configured heap, capped so that
# heap and direct memory (which defaults to the heap's size) fit in what is
# left of this node's memory after 1 GiB for the system and RESERVED_MB for
# the other JVMs on the node.
omb_heap_opts() {
  local reserved=$1 heap=$HEAP_MB total_kb fit
  total_kb=$(awk '$1 == "MemTotal:" { print $2 }' "$R/proc/meminfo" 2>/dev/null || true)
  if [[ -n $total_kb ]]; then
    fit=$(((total_kb / 1024 - 1024 - reserved) / 2))
    if ((fit < heap)); then
      log "OMB heap $${fit} MB instead of $${heap} MB: heap and direct memory must fit in $((total_kb / 1024)) MB"
      heap=$fit
    fi
  fi
  printf '%s\n' "-Xms$${heap}m -Xmx$${heap}m -XX:+UseG1GC"
}

INSTANCE_ID=unknown
trap 'on_error $LINENO' ERR

# The TTL first: whatever fails later, the node still goes away.
mkdir -p "$UNIT_DIR"
printf '[Unit]\nDescription=plc experiment TTL: power off\n\n[Service]\nType=oneshot\nExecStart=/usr/bin/systemctl poweroff\n' \
  >"$UNIT_DIR/plc-ttl.service"
printf '[Unit]\nDescription=plc experiment TTL (%s h)\n\n[Timer]\nOnBootSec=%sh\nAccuracySec=1min\n\n[Install]\nWantedBy=timers.target\n' \
  ${ttl_hours} ${ttl_hours} >"$UNIT_DIR/plc-ttl.timer"
# Logs come home: plc-collect-logs sends them on failure (on_error) and
# whenever control/collect asks (teardown, make logs), which a timer checks.
cat >"$R/usr/local/bin/plc-collect-logs.new" <<'PLC_COLLECT'
${chomp(collect_logs)}
PLC_COLLECT
chmod 755 "$R/usr/local/bin/plc-collect-logs.new"
mv "$R/usr/local/bin/plc-collect-logs.new" "$R/usr/local/bin/plc-collect-logs"
printf 'PLC_BUCKET=%s\nPLC_NODE=%s\nAWS_DEFAULT_REGION=%s\n' "$BUCKET" "$NODE" "$AWS_DEFAULT_REGION" >"$PLC_DIR/collect.env"
printf '[Unit]\nDescription=plc logs to the bucket when asked\n\n[Service]\nType=oneshot\nEnvironmentFile=/etc/plc/collect.env\nExecStart=/usr/local/bin/plc-collect-logs --watch\n' \
  >"$UNIT_DIR/plc-collect-logs.service"
printf '[Unit]\nDescription=plc logs: look for control/collect\n\n[Timer]\nOnBootSec=30s\nOnUnitActiveSec=30s\n\n[Install]\nWantedBy=timers.target\n' \
  >"$UNIT_DIR/plc-collect-logs.timer"
systemctl daemon-reload
systemctl enable --now plc-ttl.timer plc-collect-logs.timer

INSTANCE_ID=$(imds instance-id)
imds_ip=$(imds local-ipv4)
if [[ $imds_ip != "$MY_IP" ]]; then
  log "private IP $imds_ip is not the planned $MY_IP"
  false
fi
%{ if install_at_boot ~}
# Stock Amazon Linux: run the AMI's install scripts now.
${install_scripts}
if [[ ! -x $PULSAR_HOME/bin/pulsar ]]; then
  plc_install_configure_system
  PULSAR_VERSION='${pulsar_version}' PULSAR_SHA512='${pulsar_sha512}' plc_install_install_pulsar
fi
if [[ $ROLE == client && ! -x $R/opt/openmessaging-benchmark/bin/benchmark ]]; then
  OMB_COMMIT='${omb_commit}' plc_install_install_omb
fi
[[ -x $R/usr/local/bin/node_exporter ]] || plc_install_install_monitoring
%{ endif ~}
status booting
log "booting $NODE ($INSTANCE_ID, $MY_IP), Pulsar $PULSAR_VERSION"

if ! id pulsar >/dev/null 2>&1; then
  useradd --system --home-dir /opt/pulsar --no-create-home --shell /sbin/nologin pulsar
fi
for tool in "$PULSAR_HOME/bin/pulsar" "$R/usr/local/bin/node_exporter" jq aws; do
  command -v "$tool" >/dev/null || { log "missing $tool"; false; }
done
mkdir -p "$LOG_DIR"
chown pulsar:pulsar "$LOG_DIR"

# OS metrics of every node for the monitor node's Prometheus (job node),
# on the planned IP, which only the monitor's security group reaches.
printf '[Unit]\nDescription=plc node_exporter\nAfter=network-online.target\nWants=network-online.target\n\n[Service]\nType=simple\nUser=prometheus\nExecStart=/usr/local/bin/node_exporter --web.listen-address=%s:9100\nRestart=on-failure\nRestartSec=10\n\n[Install]\nWantedBy=multi-user.target\n' \
  "$MY_IP" >"$UNIT_DIR/plc-node-exporter.service"
start_unit plc-node-exporter
