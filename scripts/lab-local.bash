# Local mode (AWS=local, make demo): the experiment's own AWS emulator, a
# stand-in AMI, the nodes' status written on their behalf and the client
# runner run on this machine. Sourced by scripts/lab-* after lab-lib.bash.
# shellcheck shell=bash

LAB_LOCAL_LABEL="local mode: AWS is emulated by moto on 127.0.0.1; no cluster boots"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# lab_local_start: the emulator (PLC_LOCAL_ENDPOINT, a loopback URL, names
# one already running, whose owner stops it; then the environment's
# credentials are used), its settings in local/env.json.
lab_local_start() {
  local port pid='' endpoint own=false i
  mkdir -p "$EXP_DIR/local"
  if [[ -n ${PLC_LOCAL_ENDPOINT:-} ]]; then
    [[ $PLC_LOCAL_ENDPOINT =~ ^http://(127\.[0-9]+\.[0-9]+\.[0-9]+|localhost):[0-9]+/?$ ]] ||
      die "PLC_LOCAL_ENDPOINT '$PLC_LOCAL_ENDPOINT': expected http://127.x.y.z:PORT (local mode never leaves this machine)"
    endpoint=${PLC_LOCAL_ENDPOINT%/}
    [[ -n ${AWS_ACCESS_KEY_ID:-} && -n ${AWS_SECRET_ACCESS_KEY:-} ]] && own=true
  else
    # PLC_LOCAL_MOTO: another command in moto_server's place (the tests:
    # one whose emulator outlives the lab, so that they can look inside).
    local moto=${PLC_LOCAL_MOTO:-moto_server}
    command -v "$moto" >/dev/null || die "$moto is not installed (make deps says how to get moto_server)"
    port=$(free_port)
    endpoint=http://127.0.0.1:$port
    # Its own session: a Ctrl-C of the lab must not take the emulator down
    # before the teardown has run against it.
    setsid "$moto" -H 127.0.0.1 -p "$port" >"$EXP_DIR/local/moto.log" 2>&1 </dev/null &
    pid=$!
  fi
  jq -n --arg e "$endpoint" --arg p "$pid" --argjson own "$own" --arg t "$(lab_now)" \
    '{endpoint: $e, pid: (if $p == "" then null else ($p | tonumber) end), own_credentials: $own, started: $t}' \
    >"$EXP_DIR/local/env.json"
  lab_local_env
  for ((i = 0; i < 100; i++)); do
    lab_local_alive && break
    [[ -z $pid ]] || kill -0 "$pid" 2>/dev/null || die "moto_server exited at start; see $EXP_DIR/local/moto.log"
    sleep 0.2
  done
  lab_local_alive || die "the emulator at $endpoint does not answer"
  say "$LAB_LOCAL_LABEL ($endpoint${pid:+, pid $pid})"
  lab_local_prom_start
}

# lab_local_stop: stop the emulator this experiment started, by its PID.
lab_local_stop() {
  local f=$EXP_DIR/local/env.json pid i t0
  lab_local_prom_stop
  [[ -f $f ]] || return 0
  pid=$(jq -r '.pid // empty' "$f")
  [[ -n $pid ]] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    t0=$EPOCHREALTIME
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    timing_add emulator-stop "$t0"
    say "local mode: emulator stopped (pid $pid)"
  fi
  jq '.pid = null | .stopped = $t' --arg t "$(lab_now)" "$f" >"$f.tmp" && mv "$f.tmp" "$f"
}

# lab_local_ami VERSION ARCH: a stand-in for the baked pulsar-base image,
# made from the emulator's Amazon Linux image, so that ami=auto finds it.
lab_local_ami() {
  local base iid ami
  base=$(jq -cn --arg a "$2" '{service: "ssm", target: "AmazonSSM.GetParameter",
      json: {Name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-\($a)"}}' |
    aws_send | jq -r '.body.Parameter.Value') || die "local mode: no Amazon Linux image in the emulator"
  # Not tagged with the experiment: it is no part of what the lab prices.
  iid=$(jq -cn --arg i "$base" --arg e "$EXP" '{service: "ec2", action: "RunInstances",
      params: {ImageId: $i, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1,
        TagSpecification: [{ResourceType: "instance", Tag: [{Key: "Name", Value: "plc-\($e)-stand-in-image"}]}]}}' |
    aws_send | jq -r '.body.RunInstancesResponse.instancesSet[0].instanceId')
  ami=$(jq -cn --arg i "$iid" --arg n "pulsar-base-$1-$(date -u +%Y%m%d%H%M%S)" \
    '{service: "ec2", action: "CreateImage", params: {InstanceId: $i, Name: $n,
      Description: "plc local mode: stand-in for the baked image (nothing is installed)"}}' |
    aws_send | jq -r '.body.CreateImageResponse.imageId')
  jq -cn --arg i "$iid" '{service: "ec2", action: "TerminateInstances", params: {InstanceId: [$i]}}' |
    aws_send >/dev/null
  [[ $ami == ami-* ]] || die "local mode: could not make the stand-in image"
  say "local mode: stand-in image $ami (pulsar-base-$1) made from $base"
}

# lab_local_nodes_report: write each node's status as its boot would, since
# nothing boots here. PLC_LOCAL_NODE_STATE="node=state ..." injects other
# states (tests: bookkeeper-1=failed).
lab_local_nodes_report() {
  # Errors are checked by hand: this runs under `timed`, where set -e is off.
  local n node state kv f nodes=()
  f=$(mktemp)
  mapfile -t nodes < <(jq -c '.instances.value[]' "$EXP_DIR/outputs.json")
  for n in "${nodes[@]}"; do
    node=$(jq -r '"\(.role)-\(.index)"' <<<"$n")
    state=ready
    for kv in ${PLC_LOCAL_NODE_STATE:-}; do
      [[ ${kv%%=*} == "$node" ]] && state=${kv#*=}
    done
    jq -n --argjson n "$n" --arg exp "$EXP" --arg s "$state" --arg t "$(lab_now)" '
      {schema: 1, experiment_id: $exp, node: "\($n.role)-\($n.index)", role: $n.role, index: $n.index,
       instance_id: $n.id, private_ip: $n.private_ip, state: $s, time: $t,
       log_tail: (if $s == "failed" then ["local mode: state \($s) injected by PLC_LOCAL_NODE_STATE"] else [] end),
       written_by: "plc local mode, on the node'"'"'s behalf: nothing boots here"}' >"$f"
    s3_put "status/$node.json" "$f" || {
      rm -f "$f"
      die "local mode: could not write the status of $node in the bucket"
    }
  done
  rm -f "$f"
}

# lab_local_runner: the client node's runner, run here until the inbox is
# empty, with the local OMB command: PLC_LOCAL_OMB_COMMAND (tests: a fake),
# else the one setup chose (omb_command in tfvars.json: scripts/omb-model
# for a plan with slo_search runs), else a replay of recorded real results.
lab_local_runner() {
  local omb
  omb=${PLC_LOCAL_OMB_COMMAND:-$(jq -r '.omb_command // empty' "$EXP_DIR/tfvars.json" 2>/dev/null)}
  omb=${omb:-$PLC_ROOT/scripts/omb-replay}
  # With the local Prometheus, the runner answers the queries after each
  # run as it does on the client node (PLC_PROM_*).
  local prom=''
  [[ -z $(jq -r '.prometheus_pid // empty' "$EXP_DIR/local/prom.json" 2>/dev/null) ]] ||
    prom=$(jq -r .url "$EXP_DIR/local/prom.json")
  mkdir -p "$EXP_DIR/local/runner" "$EXP_DIR/local/omb"
  # Its own process group (setsid execs in place here: a background
  # subshell leads no group), so that lab-run can stop it all.
  PLC_BUCKET=$LAB_BUCKET PLC_OMB_HOME=$EXP_DIR/local/omb PLC_OMB_COMMAND=$omb \
    PLC_DRIVER=$EXP_DIR/local/pulsar-driver.yaml PLC_WORKERS='' PLC_WORK_DIR=$EXP_DIR/local/runner \
    PLC_EXPERIMENT_ID=$EXP PLC_NODE=client-0 PLC_POLL_SECONDS=1 PLC_PROM_URL=$prom PLC_PROM_SOURCE=local-machine \
    PLC_PROM_STEP=1 PLC_PROM_EXPORT=$PLC_ROOT/scripts/prom-export PLC_PROM_QUERIES=$PLC_ROOT/metrics/queries.json \
    exec setsid "$PLC_ROOT/user-data/runner.sh" --drain >>"$EXP_DIR/logs/runner-local.log" 2>&1
}

# ---- Seeing inside the cluster, locally: Debian's prometheus and
# prometheus-node-exporter scrape this machine (node "local-machine"), each
# in its own session like the emulator, their PIDs in local/prom.json. Not
# installed, or not starting: said once, and the lab goes on without them.

lab_local_prom_start() {
  local dir=$EXP_DIR/local/prom np pp ne='' pr='' i
  # PLC_LOCAL_PROMETHEUS=0: none (the test suites, ten lifecycles at once).
  [[ ${PLC_LOCAL_PROMETHEUS:-1} != 0 ]] || return 0
  if ! command -v prometheus >/dev/null || ! command -v prometheus-node-exporter >/dev/null; then
    say "local mode: prometheus or prometheus-node-exporter is not installed (make deps); no cluster metrics"
    return 0
  fi
  mkdir -p "$dir"
  np=$(free_port) pp=$(free_port)
  cat >"$dir/prometheus.yml" <<EOF
# plc local mode: this machine, labeled as such (metrics/queries.json conventions)
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:$np']
        labels: {node: local-machine, role: local-machine}
EOF
  setsid prometheus-node-exporter --web.listen-address="127.0.0.1:$np" >"$dir/node-exporter.log" 2>&1 </dev/null &
  ne=$!
  setsid prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --web.listen-address="127.0.0.1:$pp" --web.enable-admin-api >"$dir/prometheus.log" 2>&1 </dev/null &
  pr=$!
  jq -n --arg u "http://127.0.0.1:$pp" --argjson ne "$ne" --argjson pr "$pr" \
    '{url: $u, node_exporter_pid: $ne, prometheus_pid: $pr}' >"$EXP_DIR/local/prom.json"
  for ((i = 0; i < 100; i++)); do
    curl -sf "http://127.0.0.1:$pp/-/ready" >/dev/null 2>&1 && break
    sleep 0.2
  done
  if ! curl -sf "http://127.0.0.1:$pp/-/ready" >/dev/null 2>&1; then
    say "local mode: prometheus did not start (see local/prom/prometheus.log); no cluster metrics"
    lab_local_prom_stop
    return 0
  fi
  say "local mode: prometheus (pid $pr) and node_exporter (pid $ne) scrape this machine on 127.0.0.1:$pp"
}

# lab_local_prom_stop: both, by their PIDs, if this experiment started them.
lab_local_prom_stop() {
  local f=$EXP_DIR/local/prom.json pid i
  [[ -f $f ]] || return 0
  [[ -n $(jq -r '.prometheus_pid // .node_exporter_pid // empty' "$f") ]] || return 0
  for pid in $(jq -r '.prometheus_pid // empty, .node_exporter_pid // empty' "$f"); do
    kill -0 "$pid" 2>/dev/null || continue
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  done
  jq '.prometheus_pid = null | .node_exporter_pid = null' "$f" >"$f.tmp" && mv "$f.tmp" "$f"
  say "local mode: prometheus and node_exporter stopped"
}

# lab_local_cluster_metrics: after the runs, every succeeded run's window
# (the runner's start to finish, no longer than the result's measured
# phase, so warm-up is left out) answered into cluster/KEY.json, then
# cluster.ndjson (plc-prom). Failures are said, never fatal.
lab_local_cluster_metrics() {
  local url key name start end f
  [[ -f $EXP_DIR/local/prom.json ]] || return 0
  [[ -n $(jq -r '.prometheus_pid // empty' "$EXP_DIR/local/prom.json") ]] || return 0
  url=$(jq -r '.url' "$EXP_DIR/local/prom.json")
  while IFS=$'\t' read -r key name start end; do
    mkdir -p "$EXP_DIR/cluster"
    f=$EXP_DIR/cluster/$key.json
    [[ -s $f ]] && continue
    "$PLC_ROOT/scripts/prom-export" -u "$url" -s "$start" -e "$end" -k "$key" -n "$name" \
      -S local-machine -t 1 -o "$f" 2>>"$EXP_DIR/logs/prom-export.log" ||
      say "local mode: no cluster metrics for $key (see logs/prom-export.log)"
  done < <(jq -r --slurpfile m "$EXP_DIR/metrics.ndjson" '
      select(.state == "succeeded" and .started != null and .finished != null) | . as $e
      | (.finished | fromdate) as $fin
      | ([$m[] | select(.source_file == $e.result_file) | .duration_s] | first // null) as $d
      | ([(.started | fromdate), (if $d then $fin - $d else 0 end)] | max) as $start
      | [.key, .run_name, $start, ([$fin, $start + 1] | max)] | map(tostring) | join("\t")' "$EXP_DIR/executed.ndjson")
}
