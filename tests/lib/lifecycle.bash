# Helpers of the lifecycle suites: `make full` in local mode, each lifecycle
# against a moto_server of its own (PLC_LOCAL_ENDPOINT; one moto serving
# several Terraform applies at once mixes them up), with the fake OMB
# command, several at once, and an independent look at what an experiment
# left behind.
# shellcheck shell=bash

# lifecycle_setup: nothing of the caller's AWS set-up, throwaway keys for
# the aws CLI, and what every lifecycle of the suite shares.
lifecycle_setup() {
  plc_isolate_aws_env
  export AWS_ACCESS_KEY_ID=plc-test AWS_SECRET_ACCESS_KEY=plc-test-secret
  export AWS_REGION=us-west-2 AWS_DEFAULT_REGION=us-west-2
  export PLC_HOME=$BATS_FILE_TMPDIR/plc-home
  export PLC_LOCAL_OMB_COMMAND=$FIXTURES/lifecycle/fake-omb
  export PLC_PROGRESS_EVERY=5
  # Only the make demo lifecycle scrapes this machine (lab_start -u).
  export PLC_LOCAL_PROMETHEUS=0
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# lab_moto NAME: start a moto_server for NAME on a free loopback port and
# wait until it answers (at most 60 s; else fail with its log); its URL
# goes to NAME.url (lab_url NAME).
lab_moto() {
  local dir=$BATS_FILE_TMPDIR/$1.moto port i
  mkdir -p "$dir"
  port=$(free_port)
  moto_server -H 127.0.0.1 -p "$port" >"$dir/log" 2>&1 </dev/null &
  echo $! >"$dir/pid"
  echo "http://127.0.0.1:$port" >"$BATS_FILE_TMPDIR/$1.url"
  for ((i = 0; i < 600; i++)); do
    curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$port/moto-api/" 2>/dev/null && return 0
    sleep 0.1
  done
  { echo "lab_moto: the moto_server of $1 (port $port) does not answer; its log:"; sed 's/^/  /' "$dir/log"; } >&2
  return 1
}

lab_url() { cat "$BATS_FILE_TMPDIR/$1.url"; }

# lab_proxy NAME UPSTREAM: a faultproxy.py recording every request in
# NAME.proxy/log; its URL on stdout.
lab_proxy() {
  local dir=$BATS_FILE_TMPDIR/$1.proxy i
  mkdir -p "$dir"
  python3 "$PLC_ROOT/tests/lib/faultproxy.py" --listen 127.0.0.1:0 --upstream "$2" \
    --port-file "$dir/port" --log "$dir/log" >"$dir/out" 2>&1 </dev/null &
  echo $! >"$dir/pid"
  for ((i = 0; i < 100; i++)); do [[ -s $dir/port ]] && break; sleep 0.1; done
  echo "http://127.0.0.1:$(cat "$dir/port")"
}

# lab_servers_stop: every moto and proxy the suite started, by PID.
lab_servers_stop() {
  local f pids=()
  for f in "$BATS_FILE_TMPDIR"/*.moto/pid "$BATS_FILE_TMPDIR"/*.proxy/pid; do
    [[ -f $f ]] && pids+=("$(cat "$f")")
  done
  ((${#pids[@]})) || return 0
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}

# lab_start NAME TARGET [VAR=VALUE...]: `make TARGET` in the background, in
# its own process group, output in $BATS_FILE_TMPDIR/NAME.out, exit status
# in NAME.rc when done; NAME.pid is the process group. A background job of
# a script starts with SIGINT ignored, and bash cannot undo that: make is
# started with SIGINT back to its default, as from a terminal.
lab_start() {
  local out=$BATS_FILE_TMPDIR/$1 target=$2
  shift 2
  rm -f "$out.rc"
  # shellcheck disable=SC2016 # $0 and $@ are the inner shell's
  setsid bash -c 'rc=0; env "$@" >"$0.out" 2>&1 || rc=$?; echo "$rc" >"$0.rc"' "$out" \
    "$@" python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])' \
    make -s --no-print-directory -C "$PLC_ROOT" SAN="${PLC_SAN:-}" "$target" </dev/null &
  echo $! >"$out.pid"
}

# lab_wait NAME [SECONDS]: until NAME is done (default at most 600 s).
lab_wait() {
  local i limit=$((${2:-600} * 5))
  for ((i = 0; i < limit; i++)); do
    [[ -s $BATS_FILE_TMPDIR/$1.rc ]] && return 0
    sleep 0.2
  done
  # What it is stuck in, for whoever reads the failure.
  {
    echo "lab_wait: $1 still runs after ${2:-600} s; its processes:"
    ps -e -o pid=,pgid=,etimes=,stat=,wchan:24=,args= | awk -v g="$(cat "$BATS_FILE_TMPDIR/$1.pid")" '$2 == g'
    echo "its output's end:"
    tail -n 15 "$BATS_FILE_TMPDIR/$1.out"
  } | sed 's/^/  /' >&2
  return 1
}

# lab_rc NAME: its exit status.
lab_rc() { cat "$BATS_FILE_TMPDIR/$1.rc"; }

# shows NAME...: the end of each NAME.out. bats prints what a test wrote
# only when the test fails: there, it tells why.
shows() {
  local n
  for n; do
    echo "the end of $n.out:"
    tail -n 30 "$BATS_FILE_TMPDIR/$n.out" 2>/dev/null | sed 's/^/  /'
  done
}

# leaks EXP URL: every resource of the emulator at URL that still belongs to
# EXP, one "type ids" line each, found with botocore in one process
# (tests/lib/leaks.py), not with plc's own tools; an error shows as output.
leaks() {
  python3 "$PLC_ROOT/tests/lib/leaks.py" "$1" "$2" 2>&1
}

# reap_left EXP URL: what plc-reap's dry run would still delete (a number).
reap_left() {
  AWS_ENDPOINT_URL=$2 plc-reap -r us-west-2 -e "$1" | jq -c 'select(.record == "summary") | .to_delete'
}
