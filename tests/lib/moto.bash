# Local AWS for tests: moto_server on a free loopback port, optionally with
# signature checking on, and faultproxy.py in front of it.
# shellcheck shell=bash
#
# A suite starts one moto for the whole file and stops it by PID:
#
#   load lib/common
#   load lib/moto
#
#   setup_file() { moto_start; }            # or: moto_start --auth
#   teardown_file() { faultproxy_stop; moto_stop; }
#   setup() {
#     plc_isolate_aws_env                   # drops every AWS_* variable...
#     moto_env                              # ...so put the moto ones back
#   }
#
# Functions (each returns non-zero with a message on stderr when it fails):
#
#   moto_start [--auth]
#       Start moto_server -H 127.0.0.1 on a free port, wait until it answers
#       (at most MOTO_START_TIMEOUT seconds, default 15) and export
#       MOTO_PORT, MOTO_PID, MOTO_URL (http://127.0.0.1:PORT), MOTO_DIR (its
#       files), MOTO_LOG (its output: $BATS_FILE_TMPDIR/moto/moto.log under
#       bats), MOTO_AUTH (0 or 1) and, through moto_env, the AWS_* variables.
#       --auth: signature checking on. moto is started with
#       INITIAL_NO_AUTH_ACTION_COUNT=3, and those 3 unchecked requests create
#       IAM user plc-test, its inline policy allowing every action on every
#       resource, and its access key; from then on every request must be
#       signed with that key (wrong secret: SignatureDoesNotMatch, or
#       AuthFailure for EC2; unknown key id: InvalidClientTokenId, or
#       AuthFailure for EC2; S3: SignatureDoesNotMatch / InvalidAccessKeyId).
#   moto_env
#       Export AWS_ENDPOINT_URL (the fault proxy's URL while one runs, else
#       moto's), AWS_REGION and AWS_DEFAULT_REGION (us-west-2; the aws CLI v1
#       reads only the latter), AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
#       (throwaway values, or with --auth the current IAM key, also in
#       MOTO_ACCESS_KEY_ID / MOTO_SECRET_ACCESS_KEY), and
#       AWS_EC2_METADATA_SERVICE_ENDPOINT (moto serves IMDS: PUT
#       /latest/api/token, /latest/meta-data/iam/security-credentials/ ->
#       "default-role" -> fixed credentials "test-key"/"test-secret-key"/
#       "test-session-token"; with --auth those are NOT valid keys).
#   moto_reset
#       POST /moto-api/reset: wipe every resource. With --auth, re-create the
#       IAM user and key (a new key; moto_env exports it, and later moto_env
#       calls in other tests read it from $MOTO_DIR/credentials).
#   moto_stop
#       SIGTERM moto by PID (SIGKILL after 5 s), wait until it is gone. Does
#       nothing when moto is not running; never kills by name.
#   moto_pid_running PID
#       True while PID runs (an unreaped zombie counts as stopped).
#
#   faultproxy_start [faultproxy.py options...]
#       Start tests/lib/faultproxy.py --listen 127.0.0.1:0 --upstream MOTO_URL
#       with the given options (--fault KIND --rate R --match RE --service RE
#       --limit N --seed N --keep-alive; see faultproxy.py), wait until it
#       listens, export FAULTPROXY_PORT, FAULTPROXY_PID, FAULTPROXY_URL,
#       FAULTPROXY_LOG (one JSON line per request) and point AWS_ENDPOINT_URL
#       at it. Needs a running moto (or FAULTPROXY_UPSTREAM=http://127.0.0.1:P).
#   faultproxy_config JSON
#       Replace the fault settings, e.g.
#       faultproxy_config '{"fault":"throttle","rate":0.3,"seed":1}'
#       faultproxy_config '{"fault":"error:DependencyViolation:400","match":"^DeleteSecurityGroup$"}'
#       faultproxy_config '{}'                # forward everything again
#   faultproxy_count [OP_REGEX [FAULT_REGEX]]
#       Print how many requests the proxy logged whose operation matches
#       OP_REGEX (jq test(), unanchored; "" = all) and whose fault matches
#       FAULT_REGEX ("forwarded", "throttle", "drop", "error:...").
#   faultproxy_clear_log
#       Empty FAULTPROXY_LOG (counts start again from 0).
#   faultproxy_stop
#       Stop the proxy by PID; AWS_ENDPOINT_URL goes back to moto.

MOTO_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Throwaway credentials for moto without signature checking.
MOTO_TEST_ACCESS_KEY_ID=AKIAPLCTESTNOTREAL00
MOTO_TEST_SECRET_ACCESS_KEY=plc-test-secret-not-a-real-key
MOTO_REGION=us-west-2
# Requests moto leaves unchecked with --auth: CreateUser, PutUserPolicy,
# CreateAccessKey.
MOTO_AUTH_SETUP_CALLS=3

_moto_err() { printf 'moto.bash: %s\n' "$*" >&2; }

# Print a port that is free on 127.0.0.1 now (the kernel's choice).
_moto_free_port() {
  python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# moto_pid_running PID: true while PID is a live process (a zombie, which an
# orphan stays here as long as nothing reaps it, counts as gone).
moto_pid_running() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}

# _moto_kill PID: SIGTERM, then SIGKILL after 5 s; reap it if it is ours.
_moto_kill() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    moto_pid_running "$pid" || break
    ((i == 50)) && kill -KILL "$pid" 2>/dev/null
    sleep 0.1
  done
  wait "$pid" 2>/dev/null || true
  if moto_pid_running "$pid"; then
    _moto_err "process $pid did not stop"
    return 1
  fi
  return 0
}

# An IAM Query request moto accepts while it does not check signatures: the
# Authorization header only has to carry the credential scope moto routes by.
_moto_iam() {
  curl -sS --max-time 10 -w '\n%{http_code}' \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=AKIAPLCSETUP/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0' \
    -H 'Content-Type: application/x-www-form-urlencoded; charset=utf-8' \
    --data "Version=2010-05-08&$1" "$MOTO_URL/"
}

# Create the IAM user, its allow-all inline policy and its access key (the
# first MOTO_AUTH_SETUP_CALLS requests), save the key in $MOTO_DIR/credentials.
_moto_auth_setup() {
  local out policy ak sk
  # {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}
  policy='%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22*%22%2C%22Resource%22%3A%22*%22%7D%5D%7D'
  if ! out=$(_moto_iam 'Action=CreateUser&UserName=plc-test') || [[ $out != *$'\n'200 ]]; then
    _moto_err "CreateUser failed: $out"; return 1
  fi
  if ! out=$(_moto_iam "Action=PutUserPolicy&UserName=plc-test&PolicyName=allow-all&PolicyDocument=$policy") ||
    [[ $out != *$'\n'200 ]]; then
    _moto_err "PutUserPolicy failed: $out"; return 1
  fi
  if ! out=$(_moto_iam 'Action=CreateAccessKey&UserName=plc-test') || [[ $out != *$'\n'200 ]]; then
    _moto_err "CreateAccessKey failed: $out"; return 1
  fi
  ak=$(sed -n 's|.*<AccessKeyId>\([^<]*\)</AccessKeyId>.*|\1|p' <<<"$out")
  sk=$(sed -n 's|.*<SecretAccessKey>\([^<]*\)</SecretAccessKey>.*|\1|p' <<<"$out")
  [[ -n $ak && -n $sk ]] || { _moto_err "no access key in: $out"; return 1; }
  printf '%s\n%s\n' "$ak" "$sk" >"$MOTO_DIR/credentials.tmp"
  mv "$MOTO_DIR/credentials.tmp" "$MOTO_DIR/credentials"
}

moto_start() {
  local auth=0 port pid attempt i timeout=${MOTO_START_TIMEOUT:-15} base
  case ${1:-} in
    --auth) auth=1 ;;
    '') ;;
    *) _moto_err "usage: moto_start [--auth]"; return 2 ;;
  esac
  if [[ -n ${MOTO_PID:-} ]] && moto_pid_running "$MOTO_PID"; then
    _moto_err "moto already runs here (pid $MOTO_PID, port $MOTO_PORT)"
    return 1
  fi
  if [[ -n ${BATS_FILE_TMPDIR:-} ]]; then
    base=$BATS_FILE_TMPDIR
    if mkdir "$base/moto" 2>/dev/null; then MOTO_DIR=$base/moto
    else MOTO_DIR=$(mktemp -d "$base/moto.XXXXXX") || return 1; fi
  else
    MOTO_DIR=$(mktemp -d "${TMPDIR:-/tmp}/plc-moto.XXXXXX") || return 1
  fi
  MOTO_LOG=$MOTO_DIR/moto.log
  export MOTO_DIR MOTO_LOG
  # The port can be taken between the kernel's answer and moto's bind: then
  # moto exits and another port is tried.
  for ((attempt = 1; attempt <= 5; attempt++)); do
    port=$(_moto_free_port) || return 1
    if ((auth)); then
      INITIAL_NO_AUTH_ACTION_COUNT=$MOTO_AUTH_SETUP_CALLS \
        moto_server -H 127.0.0.1 -p "$port" </dev/null >"$MOTO_LOG" 2>&1 3>&- &
    else
      moto_server -H 127.0.0.1 -p "$port" </dev/null >"$MOTO_LOG" 2>&1 3>&- &
    fi
    pid=$!
    for ((i = 0; i < timeout * 10; i++)); do
      if ! moto_pid_running "$pid"; then break; fi
      # Our own moto has bound the port once it logs "Running on"; only then
      # can an answer on that port not come from someone else's server.
      if grep -q "Running on http://127.0.0.1:$port" "$MOTO_LOG" 2>/dev/null &&
        curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/moto-api/"; then
        break
      fi
      sleep 0.1
    done
    if moto_pid_running "$pid" && ((i < timeout * 10)); then
      break
    fi
    if moto_pid_running "$pid"; then
      _moto_kill "$pid"
      _moto_err "moto_server did not answer on 127.0.0.1:$port within ${timeout}s; log tail:"
      tail -n 20 "$MOTO_LOG" >&2
      return 1
    fi
    wait "$pid" 2>/dev/null || true
    if ! grep -q 'in use' "$MOTO_LOG"; then
      _moto_err "moto_server exited at start; log tail:"
      tail -n 20 "$MOTO_LOG" >&2
      return 1
    fi
    pid=
  done
  if [[ -z $pid ]]; then
    _moto_err "no free port after 5 attempts; log tail:"
    tail -n 20 "$MOTO_LOG" >&2
    return 1
  fi
  MOTO_PORT=$port MOTO_PID=$pid MOTO_URL=http://127.0.0.1:$port MOTO_AUTH=$auth
  export MOTO_PORT MOTO_PID MOTO_URL MOTO_AUTH
  if ((auth)); then
    _moto_auth_setup || { moto_stop; return 1; }
  fi
  moto_env
}

moto_env() {
  if [[ -z ${MOTO_URL:-} ]]; then
    _moto_err "moto_env: no moto started (MOTO_URL is unset)"
    return 1
  fi
  if [[ ${MOTO_AUTH:-0} == 1 ]]; then
    { read -r MOTO_ACCESS_KEY_ID && read -r MOTO_SECRET_ACCESS_KEY; } <"$MOTO_DIR/credentials" ||
      { _moto_err "moto_env: no credentials in $MOTO_DIR"; return 1; }
  else
    MOTO_ACCESS_KEY_ID=$MOTO_TEST_ACCESS_KEY_ID
    MOTO_SECRET_ACCESS_KEY=$MOTO_TEST_SECRET_ACCESS_KEY
  fi
  export MOTO_ACCESS_KEY_ID MOTO_SECRET_ACCESS_KEY
  export AWS_ACCESS_KEY_ID=$MOTO_ACCESS_KEY_ID
  export AWS_SECRET_ACCESS_KEY=$MOTO_SECRET_ACCESS_KEY
  export AWS_ENDPOINT_URL=${FAULTPROXY_URL:-$MOTO_URL}
  export AWS_REGION=$MOTO_REGION AWS_DEFAULT_REGION=$MOTO_REGION
  export AWS_EC2_METADATA_SERVICE_ENDPOINT=$MOTO_URL
  unset AWS_SESSION_TOKEN AWS_PROFILE
}

moto_reset() {
  local out
  [[ -n ${MOTO_URL:-} ]] || { _moto_err "moto_reset: no moto started"; return 1; }
  if ! out=$(curl -sS --max-time 10 -X POST -w '\n%{http_code}' "$MOTO_URL/moto-api/reset") ||
    [[ $out != *$'\n'200 ]]; then
    _moto_err "moto_reset failed: $out"; return 1
  fi
  if [[ ${MOTO_AUTH:-0} == 1 ]]; then
    # The IAM user is gone too: leave the next 3 requests unchecked again.
    if ! out=$(curl -sS --max-time 10 -H "Content-Type: text/plain" --data "$MOTO_AUTH_SETUP_CALLS" -w '\n%{http_code}' \
      "$MOTO_URL/moto-api/reset-auth") || [[ $out != *$'\n'200 ]]; then
      _moto_err "moto_reset: reset-auth failed: $out"; return 1
    fi
    _moto_auth_setup || return 1
    moto_env
  fi
}

moto_stop() {
  if [[ -n ${MOTO_PID:-} ]]; then
    _moto_kill "$MOTO_PID" || return 1
  fi
  if [[ -n ${MOTO_DIR:-} && -z ${BATS_FILE_TMPDIR:-} && $MOTO_DIR == */plc-moto.* ]]; then
    rm -rf "$MOTO_DIR"
  fi
  unset MOTO_PID
  return 0
}

faultproxy_start() {
  local upstream=${FAULTPROXY_UPSTREAM:-${MOTO_URL:-}} dir pid i port
  [[ -n $upstream ]] || { _moto_err "faultproxy_start: no moto started (MOTO_URL unset)"; return 1; }
  if [[ -n ${FAULTPROXY_PID:-} ]] && moto_pid_running "$FAULTPROXY_PID"; then
    _moto_err "faultproxy already runs here (pid $FAULTPROXY_PID)"
    return 1
  fi
  dir=${MOTO_DIR:-}
  [[ -n $dir ]] || dir=$(mktemp -d "${BATS_FILE_TMPDIR:-${TMPDIR:-/tmp}}/faultproxy.XXXXXX") || return 1
  rm -f "$dir/faultproxy.port"
  FAULTPROXY_LOG=$dir/faultproxy.log
  : >"$FAULTPROXY_LOG"
  python3 "$MOTO_LIB_DIR/faultproxy.py" --listen 127.0.0.1:0 --upstream "$upstream" \
    --port-file "$dir/faultproxy.port" --log "$FAULTPROXY_LOG" "$@" \
    </dev/null >"$dir/faultproxy.out" 2>&1 3>&- &
  pid=$!
  for ((i = 0; i < 100; i++)); do
    [[ -s $dir/faultproxy.port ]] && break
    moto_pid_running "$pid" || break
    sleep 0.05
  done
  if ! [[ -s $dir/faultproxy.port ]]; then
    _moto_kill "$pid"
    _moto_err "faultproxy did not start; its output:"
    cat "$dir/faultproxy.out" >&2
    return 1
  fi
  read -r port <"$dir/faultproxy.port"
  FAULTPROXY_PORT=$port FAULTPROXY_PID=$pid FAULTPROXY_URL=http://127.0.0.1:$port
  export FAULTPROXY_PORT FAULTPROXY_PID FAULTPROXY_URL FAULTPROXY_LOG
  export AWS_ENDPOINT_URL=$FAULTPROXY_URL
}

faultproxy_config() {
  local out
  [[ $# -eq 1 ]] || { _moto_err "usage: faultproxy_config JSON"; return 2; }
  [[ -n ${FAULTPROXY_URL:-} ]] || { _moto_err "faultproxy_config: no proxy started"; return 1; }
  if ! out=$(curl -sS --max-time 10 -X POST --data "$1" -w '\n%{http_code}' \
    "$FAULTPROXY_URL/__faultproxy/config") || [[ $out != *$'\n'200 ]]; then
    _moto_err "faultproxy_config failed: $out"; return 1
  fi
}

faultproxy_count() {
  [[ -n ${FAULTPROXY_LOG:-} ]] || { _moto_err "faultproxy_count: no proxy started"; return 1; }
  jq -n --arg op "${1:-}" --arg fault "${2:-}" \
    '[inputs | select((.op | test($op)) and (.fault | test($fault)))] | length' "$FAULTPROXY_LOG"
}

faultproxy_clear_log() {
  [[ -n ${FAULTPROXY_LOG:-} ]] || { _moto_err "faultproxy_clear_log: no proxy started"; return 1; }
  : >"$FAULTPROXY_LOG"
}

faultproxy_stop() {
  if [[ -n ${FAULTPROXY_PID:-} ]]; then
    _moto_kill "$FAULTPROXY_PID" || return 1
  fi
  if [[ -n ${FAULTPROXY_URL:-} && ${AWS_ENDPOINT_URL:-} == "$FAULTPROXY_URL" && -n ${MOTO_URL:-} ]]; then
    export AWS_ENDPOINT_URL=$MOTO_URL
  fi
  unset FAULTPROXY_PID FAULTPROXY_URL
  return 0
}
