# Shared by the lifecycle scripts (scripts/lab-*): the experiment
# directory, lab.log and timeline.json, the AWS calls (through plc-aws-sign)
# and Terraform, and local mode. Sourced, never run.
# shellcheck shell=bash

PLC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PATH=$PLC_ROOT/bin:$PATH
PLC_HOME=${PLC_HOME:-$HOME/.pulsar-aws-lab}
LAB_PROG=${LAB_PROG:-$(basename "$0")}
EXP_DIR=${EXP_DIR:-}

# Exit status of each phase, so that `make full` says which one failed.
# shellcheck disable=SC2034 # each script uses its own
readonly LAB_EXIT_PREFLIGHT=10 LAB_EXIT_SETUP=11 LAB_EXIT_RUN=12
# shellcheck disable=SC2034
readonly LAB_EXIT_REPORT=13 LAB_EXIT_TEARDOWN=14 LAB_EXIT_SLO=15
# Which of those this script exits with when it fails.
LAB_FAIL=${LAB_FAIL:-1}

# The terminal as the script found it: a trap may fire while stderr is
# redirected into a log (an interrupt during `terraform apply >log 2>&1`),
# and what it says must still reach the user.
exec {LAB_STDERR}>&2

lab_now() { TZ=UTC0 printf '%(%Y-%m-%dT%H:%M:%SZ)T\n' -1; }

# say MESSAGE: a line on the terminal and, timestamped, in lab.log.
say() {
  printf '%s: %s\n' "$LAB_PROG" "$*" >&"$LAB_STDERR"
  if [[ -n $EXP_DIR && -d $EXP_DIR ]]; then
    printf '%s %s: %s\n' "$(lab_now)" "$LAB_PROG" "$*" >>"$EXP_DIR/lab.log"
  fi
}

# die MESSAGE: say it and exit with this phase's status.
die() {
  say "error: $*"
  exit "$LAB_FAIL"
}

# usage_die MESSAGE: a usage error (exit 2).
usage_die() {
  printf '%s: %s\n' "$LAB_PROG" "$*" >&2
  exit 2
}

# elapsed SECONDS: 75 -> 1m15s
elapsed() {
  local s=$1
  if ((s >= 3600)); then
    printf '%dh%02dm' $((s / 3600)) $((s % 3600 / 60))
  elif ((s >= 60)); then
    printf '%dm%02ds' $((s / 60)) $((s % 60))
  else
    printf '%ds' "$s"
  fi
}

# progress LINE: a progress line that rewrites itself on a terminal and,
# elsewhere, is printed when it changes or every PLC_PROGRESS_EVERY seconds.
LAB_PROGRESS_LAST='' LAB_PROGRESS_AT=0
progress() {
  if [[ -t $LAB_STDERR ]]; then
    printf '\r\033[K%s: %s' "$LAB_PROG" "$1" >&"$LAB_STDERR"
    return
  fi
  local key=${1%% *} now=$SECONDS
  if [[ $key != "$LAB_PROGRESS_LAST" ]] || ((now - LAB_PROGRESS_AT >= ${PLC_PROGRESS_EVERY:-10})); then
    printf '%s: %s\n' "$LAB_PROG" "$1" >&"$LAB_STDERR"
    LAB_PROGRESS_LAST=$key LAB_PROGRESS_AT=$now
  fi
}
progress_done() {
  [[ -t $LAB_STDERR ]] && printf '\r\033[K' >&"$LAB_STDERR"
  LAB_PROGRESS_LAST=''
  return 0
}

# timed LABEL COMMAND...: run it; its wall time goes to logs/timings.tsv
# (tests/bench/lifecycle tells the toolkit's own time from Terraform's and
# the waits on nodes with it).
timed() {
  local label=$1 t0=$EPOCHREALTIME rc=0
  shift
  "$@" || rc=$?
  timing_add "$label" "$t0"
  return "$rc"
}

# timing_add LABEL START: LABEL took from START ($EPOCHREALTIME) to now.
timing_add() {
  [[ -n $EXP_DIR && -d $EXP_DIR/logs ]] || return 0
  awk -v l="$1" -v a="$2" -v b="$EPOCHREALTIME" 'BEGIN { printf "%s\t%.3f\n", l, b - a }' >>"$EXP_DIR/logs/timings.tsv"
}

# --- the experiment directory ------------------------------------------

lab_id_valid() { [[ $1 =~ ^[a-z0-9][a-z0-9-]{1,44}[a-z0-9]$ ]]; }

# lab_plan_file PLAN: plans/PLAN.yaml, or PLAN itself when it is a file.
lab_plan_file() {
  if [[ -f $1 ]]; then
    printf '%s\n' "$1"
  elif [[ -f $PLC_ROOT/plans/$1.yaml ]]; then
    printf '%s\n' "$PLC_ROOT/plans/$1.yaml"
  else
    local p names=()
    for p in "$PLC_ROOT"/plans/*.yaml; do
      p=$(basename "$p" .yaml)
      [[ $p == infrastructure || $p == pulsar-cluster ]] || names+=("$p")
    done
    die "no plan '$1' (plans: ${names[*]})"
  fi
}

# lab_new_id PLAN_NAME: poc-20261124-225000-3f2a
lab_new_id() {
  printf '%s-%s-%s\n' "$(printf '%s' "$1" | tr 'A-Z_.' 'a-z--' | tr -cd 'a-z0-9-' | cut -c1-16)" \
    "$(date -u +%Y%m%d-%H%M%S)" "$(od -An -N2 -tx2 /dev/urandom | tr -d ' ')"
}

# lab_exp_create PLAN_NAME: a new experiment (EXP, else PLAN_NAME and the
# time), its directory, and the latest link moved to it. Sets EXP, EXP_DIR.
lab_exp_create() {
  EXP=${EXP:-$(lab_new_id "$1")}
  lab_id_valid "$EXP" ||
    usage_die "experiment id '$EXP': expected 3 to 46 of a-z, 0-9 and '-', starting and ending with a letter or digit"
  mkdir -p "$PLC_HOME"
  mkdir "$PLC_HOME/$EXP" 2>/dev/null || usage_die "experiment '$EXP' already exists in $PLC_HOME"
  EXP_DIR=$PLC_HOME/$EXP
  mkdir -p "$EXP_DIR/results" "$EXP_DIR/logs"
  LAB_PREV_LATEST=$(readlink "$PLC_HOME/latest" 2>/dev/null || true)
  ln -sfn "$EXP" "$PLC_HOME/.latest.$$" && mv -T "$PLC_HOME/.latest.$$" "$PLC_HOME/latest"
  export EXP EXP_DIR
}

# lab_exp_discard: undo lab_exp_create for an attempt that made nothing
# (preflight failed): its directory goes and `latest` points where it did,
# so no half experiment is left that `make list` and the phases must explain.
lab_exp_discard() {
  [[ -n ${EXP_DIR:-} && -d $EXP_DIR ]] || return 0
  rm -rf "$EXP_DIR"
  if [[ -n ${LAB_PREV_LATEST:-} ]]; then
    ln -sfn "$LAB_PREV_LATEST" "$PLC_HOME/.latest.$$" && mv -T "$PLC_HOME/.latest.$$" "$PLC_HOME/latest"
  else
    rm -f "$PLC_HOME/latest"
  fi
}

# lab_exp_open: the experiment EXP, else the latest. Sets EXP, EXP_DIR and
# loads the experiment's settings (region, local mode).
lab_exp_open() {
  if [[ -z ${EXP:-} ]]; then
    EXP=$(readlink "$PLC_HOME/latest" 2>/dev/null) ||
      usage_die "no experiment yet in $PLC_HOME: run make setup PLAN=... (or make demo)"
  fi
  lab_id_valid "$EXP" || usage_die "experiment id '$EXP' is not valid"
  EXP_DIR=$PLC_HOME/$EXP
  [[ -f $EXP_DIR/experiment.json ]] || usage_die "no experiment '$EXP' in $PLC_HOME"
  export EXP EXP_DIR
  IFS=$'\x1f' read -r REGION LAB_MODE < <(jq -r '[.region, .mode] | join("\u001f")' "$EXP_DIR/experiment.json")
  export AWS_REGION=$REGION AWS_DEFAULT_REGION=$REGION
  if [[ $LAB_MODE == local ]]; then
    lab_local_env
  fi
}

# exp_state STATE: what `make list` shows (created, set-up, ran, reported,
# torn-down, failed: PHASE).
exp_state() { printf '%s\n' "$1" >"$EXP_DIR/state"; }

# lab_say_replayed: say, loud, when results are not measurements.
lab_say_replayed() {
  local f fake=0 replayed=0 modeled=0
  shopt -s nullglob
  for f in "$EXP_DIR"/results/[0-9]*[0-9a-zA-Z_-].json; do
    case $(jq -r 'if .fake == true then "fake" elif .replayed == true then "replayed" elif .modeled == true then "modeled" else "" end' "$f" 2>/dev/null) in
      fake) fake=$((fake + 1)) ;;
      modeled) modeled=$((modeled + 1)) ;;
      replayed) replayed=$((replayed + 1)) ;;
    esac
  done
  if ((replayed)); then
    say "REPLAYED: $replayed result(s) are real OMB results recorded elsewhere (replay/SOURCES.md), replayed in local mode; no cluster was benchmarked"
  fi
  if ((modeled)); then
    say "MODELED: $modeled result(s) were computed by scripts/omb-model from the capacity model (model.json); no cluster was benchmarked"
  fi
  if ((fake)); then
    say "FAKE: $fake result(s) were written by a fake OMB command from the workloads' own numbers; no cluster was benchmarked"
  fi
  return 0
}

# --- timeline.json -----------------------------------------------------------

# timeline_begin NAME [RUN]: a phase starts now.
timeline_begin() {
  local f=$EXP_DIR/timeline.json
  [[ -f $f ]] || jq -n --arg id "$EXP" '{schema: 1, experiment_id: $id, phases: []}' >"$f"
  jq --arg n "$1" --arg r "${2:-}" --arg t "$(lab_now)" \
    '.phases += [{name: $n, start: $t, end: null} + (if $r == "" then {} else {run: $r} end)]' \
    "$f" >"$f.tmp" && mv "$f.tmp" "$f"
}

# timeline_has NAME: whether timeline.json has a phase NAME already.
timeline_has() {
  [[ -f $EXP_DIR/timeline.json ]] &&
    jq -e --arg n "$1" 'any(.phases[]; .name == $n)' "$EXP_DIR/timeline.json" >/dev/null
}

# timeline_end NAME [STATUS]: the last open phase NAME ends now.
timeline_end() {
  local f=$EXP_DIR/timeline.json
  [[ -f $f ]] || return 0
  jq --arg n "$1" --arg s "${2:-ok}" --arg t "$(lab_now)" '
    ([.phases | to_entries[] | select(.value.name == $n and .value.end == null) | .key] | last) as $i
    | if $i == null then . else .phases[$i] += {end: $t, status: $s} end' \
    "$f" >"$f.tmp" && mv "$f.tmp" "$f"
}

# --- AWS, through plc-aws-sign -------------------------------------------------

# aws_send: NDJSON requests on stdin, answers on stdout (plc-aws-sign -s).
aws_send() { plc-aws-sign --send "$@"; }

# s3_get KEY FILE: the object into FILE; fails when it is not there.
s3_get() {
  jq -cn --arg b "$LAB_BUCKET" --arg k "$1" --arg f "$2" \
    '{service: "s3", bucket: $b, key: $k, output_file: $f}' | aws_send >/dev/null 2>&1
}

# s3_put KEY FILE
s3_put() {
  jq -cn --arg b "$LAB_BUCKET" --arg k "$1" --arg f "$2" \
    '{service: "s3", method: "PUT", bucket: $b, key: $k, body_file: $f,
      headers: {"content-type": "application/json"}}' | aws_send >/dev/null
}

# s3_delete KEY
s3_delete() {
  jq -cn --arg b "$LAB_BUCKET" --arg k "$1" '{service: "s3", method: "DELETE", bucket: $b, key: $k}' |
    aws_send >/dev/null
}

# s3_list PREFIX: the keys under PREFIX, one per line.
s3_list() {
  jq -cn --arg b "$LAB_BUCKET" --arg p "$1" \
    '{service: "s3", bucket: $b, query: {"list-type": "2", prefix: $p}}' |
    aws_send --paginate | jq -r '.body.ListBucketResult.Contents // [] | .[].Key'
}

# --- Terraform -----------------------------------------------------------------

# tf ARGS...: terraform on the experiment's own copy of the module, state and
# data dir. The provider comes from a local mirror when there is one, else
# from a download shared by every experiment (one init at a time: Terraform's
# plugin cache is not safe for concurrent writers; nor, for all plc knows, is
# whatever the user's own CLI configuration names). Inits from the mirror
# only read it: they run at once, and one slow init holds up no other.
tf() {
  local mirror shared=1
  export TF_DATA_DIR=$EXP_DIR/tfdata TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
  # The user's own CLI configuration wins, when there is one.
  if [[ ! -f ${TF_CLI_CONFIG_FILE:-} || $TF_CLI_CONFIG_FILE == "$EXP_DIR/terraformrc" ]]; then
    if mirror=$("$PLC_ROOT/scripts/tf-provider-mirror" 2>/dev/null); then
      printf 'provider_installation {\n  filesystem_mirror {\n    path    = "%s"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n' \
        "$mirror" >"$EXP_DIR/terraformrc"
      export TF_CLI_CONFIG_FILE=$EXP_DIR/terraformrc
      shared=0
    else
      export TF_PLUGIN_CACHE_DIR=${TF_PLUGIN_CACHE_DIR:-$PLC_HOME/plugin-cache}
      mkdir -p "$TF_PLUGIN_CACHE_DIR"
    fi
  fi
  # Bounded (tf_watchdog). Terraform runs in the foreground, in this process
  # group: a Ctrl-C reaches it once, as from a terminal, and it stops
  # gracefully. (timeout(1) would pass the Ctrl-C on a second time, and a
  # second interrupt makes Terraform exit at once, losing what it was
  # creating from its state.)
  local limit=${PLC_TF_TIMEOUT:-$([[ ${LAB_MODE:-} == local ]] && echo 300 || echo 3600)} rc=0
  local pidf=$EXP_DIR/.terraform.$BASHPID.pid lock='' watchdog
  if [[ $1 == init ]] && ((shared)); then
    exec {lock}>"$PLC_HOME/.terraform-init.lock"
    if ! flock -w "$limit" "$lock"; then
      exec {lock}>&-
      printf '\n%s terraform init waited %ss for another experiment'"'"'s init (PLC_TF_TIMEOUT)\n' "$TF_STOPPED" "$limit"
      return 124
    fi
  fi
  rm -f "$pidf" "$pidf.stopped"
  # Only this shell holds the init lock: it is released when tf is done.
  (
    [[ -z $lock ]] || exec {lock}>&-
    tf_watchdog "$pidf" "$limit"
  ) &
  watchdog=$!
  (
    [[ -z $lock ]] || exec {lock}>&-
    echo "$BASHPID" >"$pidf"
    exec terraform -chdir="$EXP_DIR/src/terraform" "$@"
  ) || rc=$?
  [[ -z $lock ]] || exec {lock}>&-
  kill "$watchdog" 2>/dev/null || true
  wait "$watchdog" 2>/dev/null || true
  if [[ -e $pidf.stopped ]]; then
    printf '\n%s terraform %s did not finish in %ss (PLC_TF_TIMEOUT)\n' "$TF_STOPPED" "$1" "$limit"
    ((rc != 0)) || rc=124
  fi
  rm -f "$pidf" "$pidf.stopped"
  return "$rc"
}

# tf_route_race LOG: the apply in LOG failed on a route that its own earlier
# attempt had made. CreateRoute is not idempotent: when its answer is lost
# after AWS made the route (an answer later than the client's patience, a
# connection cut on the way back), the AWS SDK sends it again and gets
# RouteAlreadyExists. The route is inline in aws_route_table (network.tf),
# which the provider creates before adding its route and therefore keeps in
# the state as tainted: one more plan and apply replaces the table. (A
# separate aws_route would not heal: it is not kept, and the next apply
# refuses the route that exists.) Tested in tests/terraform.bats.
tf_route_race() {
  grep -q 'creating Route in Route Table .*api error RouteAlreadyExists' "$1"
}

# tf_watchdog PIDFILE LIMIT: once the process PIDFILE names has run LIMIT
# seconds, an interrupt, as from Ctrl-C, then a kill 60 s later. A provider
# retrying what will not succeed (the emulator's bad moments, an API that
# keeps failing) can hold Terraform for most of an hour; the caller fails
# and tears down instead. It ends within a second of the process, which it
# knows by its start time, so a reused PID is never signalled; the caller
# stops it when Terraform is done.
tf_watchdog() {
  local pid='' born i
  for ((i = 0; i < 100; i++)); do
    [[ -s $1 ]] && pid=$(<"$1") && break
    sleep 0.1
  done
  [[ -n $pid ]] && born=$(proc_stat "$pid" 22) || return 0
  for ((i = 0; i < $2; i++)); do
    sleep 1
    [[ $(proc_stat "$pid" 22) == "$born" ]] || return 0
  done
  : >"$1.stopped"
  kill -INT "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 60; i++)); do
    sleep 1
    [[ $(proc_stat "$pid" 22) == "$born" ]] || return 0
  done
  kill -KILL "$pid" 2>/dev/null || true
}

# proc_stat PID N: field N of /proc/PID/stat, numbered as in proc(5), from
# 3 on (after the command name, which may hold spaces); fails once PID is
# gone. 3 is the state (Z: exited, not yet waited for), 22 the start time.
proc_stat() {
  local stat n=$(($2 - 2))
  { stat=$(<"/proc/$1/stat"); } 2>/dev/null || return 1
  stat=${stat##*) }
  # shellcheck disable=SC2086 # the fields after the command name
  set -- $stat
  printf '%s\n' "${!n}"
}
TF_STOPPED='Stopped:'

# tf_error LOG: why the Terraform command logged in LOG failed, on one line:
# its time running out, else its first error.
tf_error() {
  grep -m1 "^$TF_STOPPED" "$1" || grep -m1 -A3 'Error' "$1" | tr -s ' \n' ' '
}

# --- local mode --------------------------------------------------------------------

# lab_local_env: point every tool at the experiment's local emulator.
lab_local_env() {
  local f=$EXP_DIR/local/env.json
  [[ -f $f ]] || die "local experiment '$EXP' has no emulator settings ($f)"
  AWS_ENDPOINT_URL=$(jq -r .endpoint "$f")
  export AWS_ENDPOINT_URL
  # Nothing of the operator's own AWS set-up is read in local mode.
  export AWS_EC2_METADATA_DISABLED=true AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_CONFIG_FILE=/dev/null
  unset AWS_PROFILE AWS_SESSION_TOKEN
  if [[ $(jq -r .own_credentials "$f") != true ]]; then
    export AWS_ACCESS_KEY_ID=plc-local AWS_SECRET_ACCESS_KEY=plc-local-throwaway
  fi
}

# lab_local_alive: the experiment's emulator still answers.
lab_local_alive() {
  local i
  # Three tries: an emulator slow under load is not a gone one, and "gone"
  # makes teardown skip the destroy.
  for ((i = 0; i < 3; i++)); do
    curl -fsS -m 5 -o /dev/null "$AWS_ENDPOINT_URL/moto-api/" 2>/dev/null && return 0
    ((i == 2)) || sleep 1
  done
  return 1
}
