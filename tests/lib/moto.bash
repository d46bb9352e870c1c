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
#       INITIAL_NO_AUTH_ACTION_COUNT=6, and those 6 unchecked requests create
#       IAM user plc-test with an inline policy allowing every action on
#       every resource and its access key, role plc-test-role (MOTO_ROLE_ARN;
#       trusts plc-test, same policy) and a 12-hour session of that role.
#       From then on every request must be signed with one of those keys:
#       wrong secret -> SignatureDoesNotMatch (EC2: AuthFailure), unknown key
#       id -> InvalidClientTokenId (EC2: AuthFailure), wrong session token ->
#       InvalidClientTokenId. Because moto's own instance metadata hands out
#       fixed keys that are not valid then, a faultproxy.py --imds in front
#       of moto (MOTO_IMDS_URL, MOTO_IMDS_PID) serves the role session as
#       IMDSv2 credentials (role plc-test-role, region us-west-2).
#   moto_env
#       Export AWS_ENDPOINT_URL (the fault proxy's URL while one runs, else
#       moto's), AWS_REGION and AWS_DEFAULT_REGION (us-west-2; the aws CLI v1
#       reads only the latter), AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,
#       AWS_EC2_METADATA_SERVICE_ENDPOINT; unset AWS_SESSION_TOKEN and
#       AWS_PROFILE. Also MOTO_ACCESS_KEY_ID and MOTO_SECRET_ACCESS_KEY (the
#       same key) and, with --auth, MOTO_SESSION_ACCESS_KEY_ID,
#       MOTO_SESSION_SECRET_ACCESS_KEY, MOTO_SESSION_TOKEN (the role session)
#       and MOTO_ROLE_ARN. Without --auth the key is a throwaway one and the
#       metadata endpoint is moto's own: PUT /latest/api/token, GET
#       /latest/meta-data/iam/security-credentials/ -> "default-role" ->
#       {"AccessKeyId":"test-key","SecretAccessKey":"test-secret-key",
#       "Token":"test-session-token","Expiration":...} (no "Code" field),
#       placement/region -> us-east-1; moto does not require the token.
#   moto_reset
#       POST /moto-api/reset: wipe every resource. With --auth, re-create the
#       IAM user, role and keys (new keys; moto_env exports them, and later
#       moto_env calls in other tests read them from $MOTO_DIR/credentials).
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
#       With moto --auth it also serves the role session as instance metadata
#       (--imds): set AWS_EC2_METADATA_SERVICE_ENDPOINT=$FAULTPROXY_URL to
#       inject faults into metadata requests.
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
# CreateAccessKey, CreateRole, PutRolePolicy, AssumeRole.
MOTO_AUTH_SETUP_CALLS=6
MOTO_ROLE_ARN=arn:aws:iam::123456789012:role/plc-test-role

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
    if ((i == 50)); then kill -KILL "$pid" 2>/dev/null || true; fi
    sleep 0.1
  done
  wait "$pid" 2>/dev/null || true
  if moto_pid_running "$pid"; then
    _moto_err "process $pid did not stop"
    return 1
  fi
  return 0
}

# A Query request (IAM or STS) that moto accepts while it does not check
# signatures: the Authorization header only has to carry the credential scope
# moto routes by. Prints the body, a newline and the HTTP status; fails
# unless the status is 200.
_moto_query() {
  local service=$1 params=$2 version=2010-05-08 out
  [[ $service == sts ]] && version=2011-06-15
  out=$(curl -sS --max-time 10 -w '\n%{http_code}' \
    -H "Authorization: AWS4-HMAC-SHA256 Credential=AKIAPLCSETUP/20260101/us-east-1/$service/aws4_request, SignedHeaders=host, Signature=0" \
    -H 'Content-Type: application/x-www-form-urlencoded; charset=utf-8' \
    --data "Version=$version&$params" "$MOTO_URL/") || { _moto_err "${params%%&*}: $out"; return 1; }
  [[ $out == *$'\n'200 ]] || { _moto_err "${params%%&*} failed: $out"; return 1; }
  printf '%s\n' "$out"
}

# The text of <TAG>...</TAG> in XML on stdin.
_moto_xml() { sed -n "s|.*<$1>\([^<]*\)</$1>.*|\1|p"; }

# With signature checking on, the first MOTO_AUTH_SETUP_CALLS requests are
# not checked. They create IAM user plc-test with an inline policy allowing
# everything and its access key, role plc-test-role (trusting that user, same
# policy) and a 12-hour session of that role (AssumeRole). The keys go to
# $MOTO_DIR/credentials (NAME=VALUE lines, read by moto_env) and the session
# to $MOTO_DIR/imds.json (served as instance metadata by faultproxy --imds).
_moto_auth_setup() {
  local out allow trust ak sk sak ssk stoken sexp
  allow=$(jq -rn '{Version: "2012-10-17", Statement: [{Effect: "Allow", Action: "*", Resource: "*"}]} | tojson | @uri')
  trust=$(jq -rn '{Version: "2012-10-17", Statement: [{Effect: "Allow",
    Principal: {AWS: "arn:aws:iam::123456789012:user/plc-test"}, Action: "sts:AssumeRole"}]} | tojson | @uri')
  _moto_query iam 'Action=CreateUser&UserName=plc-test' >/dev/null || return 1
  _moto_query iam "Action=PutUserPolicy&UserName=plc-test&PolicyName=allow-all&PolicyDocument=$allow" >/dev/null ||
    return 1
  out=$(_moto_query iam 'Action=CreateAccessKey&UserName=plc-test') || return 1
  ak=$(_moto_xml AccessKeyId <<<"$out")
  sk=$(_moto_xml SecretAccessKey <<<"$out")
  _moto_query iam "Action=CreateRole&RoleName=plc-test-role&AssumeRolePolicyDocument=$trust" >/dev/null ||
    return 1
  _moto_query iam "Action=PutRolePolicy&RoleName=plc-test-role&PolicyName=allow-all&PolicyDocument=$allow" \
    >/dev/null || return 1
  out=$(_moto_query sts "Action=AssumeRole&RoleArn=$MOTO_ROLE_ARN&RoleSessionName=plc-test-session&DurationSeconds=43200") ||
    return 1
  sak=$(_moto_xml AccessKeyId <<<"$out")
  ssk=$(_moto_xml SecretAccessKey <<<"$out")
  stoken=$(_moto_xml SessionToken <<<"$out")
  sexp=$(_moto_xml Expiration <<<"$out")
  if [[ -z $ak || -z $sk || -z $sak || -z $ssk || -z $stoken || -z $sexp ]]; then
    _moto_err "auth set-up: a key is missing in moto's answers"
    return 1
  fi
  printf '%s\n' "MOTO_ACCESS_KEY_ID=$ak" "MOTO_SECRET_ACCESS_KEY=$sk" "MOTO_SESSION_ACCESS_KEY_ID=$sak" \
    "MOTO_SESSION_SECRET_ACCESS_KEY=$ssk" "MOTO_SESSION_TOKEN=$stoken" >"$MOTO_DIR/credentials.tmp"
  mv "$MOTO_DIR/credentials.tmp" "$MOTO_DIR/credentials"
  jq -n --arg ak "$sak" --arg sk "$ssk" --arg t "$stoken" --arg e "${sexp%%.*}Z" --arg r "$MOTO_REGION" \
    '{role: "plc-test-role", AccessKeyId: $ak, SecretAccessKey: $sk, Token: $t, Expiration: $e, region: $r}' \
    >"$MOTO_DIR/imds.json.tmp"
  mv "$MOTO_DIR/imds.json.tmp" "$MOTO_DIR/imds.json"
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
  unset MOTO_IMDS_PID MOTO_IMDS_URL
  if ((auth)); then
    _moto_auth_setup || { moto_stop; return 1; }
    # moto's own metadata credentials are not valid keys: serve the role
    # session instead, from a faultproxy that forwards everything else.
    _faultproxy_launch "$MOTO_DIR" imds "$MOTO_URL" --imds "$MOTO_DIR/imds.json" || { moto_stop; return 1; }
    MOTO_IMDS_PID=$_fp_pid MOTO_IMDS_URL=http://127.0.0.1:$_fp_port
    export MOTO_IMDS_PID MOTO_IMDS_URL
  fi
  moto_env
}

moto_env() {
  if [[ -z ${MOTO_URL:-} ]]; then
    _moto_err "moto_env: no moto started (MOTO_URL is unset)"
    return 1
  fi
  local line
  if [[ ${MOTO_AUTH:-0} == 1 ]]; then
    [[ -s $MOTO_DIR/credentials ]] || { _moto_err "moto_env: no credentials in $MOTO_DIR"; return 1; }
    while IFS= read -r line; do
      case ${line%%=*} in
        MOTO_ACCESS_KEY_ID | MOTO_SECRET_ACCESS_KEY | MOTO_SESSION_ACCESS_KEY_ID | \
          MOTO_SESSION_SECRET_ACCESS_KEY | MOTO_SESSION_TOKEN)
          export "${line%%=*}=${line#*=}" ;;
      esac
    done <"$MOTO_DIR/credentials"
    export MOTO_ROLE_ARN
  else
    export MOTO_ACCESS_KEY_ID=$MOTO_TEST_ACCESS_KEY_ID
    export MOTO_SECRET_ACCESS_KEY=$MOTO_TEST_SECRET_ACCESS_KEY
  fi
  export AWS_ACCESS_KEY_ID=$MOTO_ACCESS_KEY_ID
  export AWS_SECRET_ACCESS_KEY=$MOTO_SECRET_ACCESS_KEY
  export AWS_ENDPOINT_URL=${FAULTPROXY_URL:-$MOTO_URL}
  export AWS_REGION=$MOTO_REGION AWS_DEFAULT_REGION=$MOTO_REGION
  export AWS_EC2_METADATA_SERVICE_ENDPOINT=${MOTO_IMDS_URL:-$MOTO_URL}
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
    # The IAM user and role are gone too: leave the next requests unchecked
    # again and create them anew.
    if ! out=$(curl -sS --max-time 10 -H "Content-Type: text/plain" --data "$MOTO_AUTH_SETUP_CALLS" -w '\n%{http_code}' \
      "$MOTO_URL/moto-api/reset-auth") || [[ $out != *$'\n'200 ]]; then
      _moto_err "moto_reset: reset-auth failed: $out"; return 1
    fi
    _moto_auth_setup || return 1
    moto_env
  fi
}

moto_stop() {
  if [[ -n ${MOTO_IMDS_PID:-} ]]; then
    _moto_kill "$MOTO_IMDS_PID" || return 1
  fi
  if [[ -n ${MOTO_PID:-} ]]; then
    _moto_kill "$MOTO_PID" || return 1
  fi
  if [[ -n ${MOTO_DIR:-} && -z ${BATS_FILE_TMPDIR:-} && $MOTO_DIR == */plc-moto.* ]]; then
    rm -rf "$MOTO_DIR"
  fi
  unset MOTO_PID MOTO_IMDS_PID
  return 0
}

# _faultproxy_launch DIR NAME UPSTREAM [options...]: start faultproxy.py with
# its port in DIR/NAME.port, its log in DIR/NAME.log, its output in
# DIR/NAME.out; set _fp_pid and _fp_port.
_faultproxy_launch() {
  local dir=$1 name=$2 upstream=$3 i
  shift 3
  rm -f "$dir/$name.port"
  : >"$dir/$name.log"
  python3 "$MOTO_LIB_DIR/faultproxy.py" --listen 127.0.0.1:0 --upstream "$upstream" \
    --port-file "$dir/$name.port" --log "$dir/$name.log" "$@" \
    </dev/null >"$dir/$name.out" 2>&1 3>&- &
  _fp_pid=$!
  for ((i = 0; i < 200; i++)); do
    [[ -s $dir/$name.port ]] && break
    moto_pid_running "$_fp_pid" || break
    sleep 0.05
  done
  if ! [[ -s $dir/$name.port ]]; then
    _moto_kill "$_fp_pid"
    _moto_err "faultproxy did not start; its output:"
    cat "$dir/$name.out" >&2
    return 1
  fi
  read -r _fp_port <"$dir/$name.port"
}

faultproxy_start() {
  local upstream=${FAULTPROXY_UPSTREAM:-${MOTO_URL:-}} dir imds=()
  [[ -n $upstream ]] || { _moto_err "faultproxy_start: no moto started (MOTO_URL unset)"; return 1; }
  if [[ -n ${FAULTPROXY_PID:-} ]] && moto_pid_running "$FAULTPROXY_PID"; then
    _moto_err "faultproxy already runs here (pid $FAULTPROXY_PID)"
    return 1
  fi
  dir=${MOTO_DIR:-}
  [[ -n $dir ]] || dir=$(mktemp -d "${BATS_FILE_TMPDIR:-${TMPDIR:-/tmp}}/faultproxy.XXXXXX") || return 1
  [[ ${MOTO_AUTH:-0} == 1 && -s $dir/imds.json ]] && imds=(--imds "$dir/imds.json")
  _faultproxy_launch "$dir" faultproxy "$upstream" "${imds[@]}" "$@" || return 1
  FAULTPROXY_PORT=$_fp_port FAULTPROXY_PID=$_fp_pid FAULTPROXY_URL=http://127.0.0.1:$_fp_port
  FAULTPROXY_LOG=$dir/faultproxy.log
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
