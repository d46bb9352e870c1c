# Helpers of the lifecycle suites: `make full` in local mode against the
# suite's own moto_server (PLC_LOCAL_ENDPOINT), with the fake OMB command,
# several at once, and an independent look at what an experiment left.
# shellcheck shell=bash

# shellcheck source=tests/lib/moto.bash disable=SC1091
source "$(dirname "${BASH_SOURCE[0]}")/moto.bash"

# lifecycle_env: what every lifecycle of a suite shares.
lifecycle_env() {
  export PLC_HOME=$BATS_FILE_TMPDIR/plc-home
  export PLC_LOCAL_ENDPOINT=$MOTO_URL
  export PLC_LOCAL_OMB_COMMAND=$FIXTURES/lifecycle/fake-omb
  export PLC_PROGRESS_EVERY=5
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
  echo "lab_wait: $1 still runs after ${2:-600} s" >&2
  return 1
}

# lab_rc NAME: its exit status.
lab_rc() { cat "$BATS_FILE_TMPDIR/$1.rc"; }

# leaks EXP: every resource of the emulator that still belongs to EXP, one
# "type id" line each, found with the aws CLI (not with plc's own tools).
leaks() {
  local f=(--filters "Name=tag:ExperimentID,Values=$1")
  {
    # shellcheck disable=SC2016 # a JMESPath literal
    aws ec2 describe-instances "${f[@]}" --query 'Reservations[].Instances[?State.Name!=`terminated`].InstanceId' --output text | sed 's/^/instance /'
    aws ec2 describe-volumes "${f[@]}" --query 'Volumes[].VolumeId' --output text | sed 's/^/volume /'
    aws ec2 describe-vpcs "${f[@]}" --query 'Vpcs[].VpcId' --output text | sed 's/^/vpc /'
    aws ec2 describe-subnets "${f[@]}" --query 'Subnets[].SubnetId' --output text | sed 's/^/subnet /'
    aws ec2 describe-security-groups "${f[@]}" --query 'SecurityGroups[].GroupId' --output text | sed 's/^/security-group /'
    aws ec2 describe-internet-gateways "${f[@]}" --query 'InternetGateways[].InternetGatewayId' --output text | sed 's/^/internet-gateway /'
    aws s3api list-buckets --query 'Buckets[].Name' --output text | tr '\t' '\n' | grep -e "-$1\$" | sed 's/^/bucket /'
    aws iam list-roles --path-prefix /pulsar-aws-lab/ --query 'Roles[].RoleName' --output text | tr '\t' '\n' | grep -F -- "$1" | sed 's/^/iam-role /'
    aws iam list-instance-profiles --path-prefix /pulsar-aws-lab/ --query 'InstanceProfiles[].InstanceProfileName' --output text | tr '\t' '\n' | grep -F -- "$1" | sed 's/^/instance-profile /'
  } 2>&1 | grep -v -e '^[a-z-]* *$' -e '^[a-z-]* None$' || true
}
