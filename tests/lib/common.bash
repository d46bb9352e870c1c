# Loaded by every bats suite: assertions, the built tools on PATH, and an
# environment that cannot reach a real AWS account or the real instance
# metadata service by accident.
# shellcheck shell=bash

PLC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export PLC_ROOT
export PATH="$PLC_ROOT/bin:$PATH"

bats_require_minimum_version 1.5.0

bats_lib=${BATS_LIB_PATH:-/usr/lib/bats}
load "$bats_lib/bats-support/load"
load "$bats_lib/bats-assert/load"
load "$bats_lib/bats-file/load"

# Fixtures of a suite: tests/fixtures/<name>.
FIXTURES="$PLC_ROOT/tests/fixtures"
export FIXTURES

# Forget the caller's AWS settings: tests say exactly what they use.
plc_isolate_aws_env() {
  local v
  for v in $(compgen -e | grep -E '^AWS_' || true); do unset "$v"; done
  export HOME="$BATS_TEST_TMPDIR/home"
  mkdir -p "$HOME"
  # Port 9 (discard) on loopback: nothing listens, so IMDS lookups fail fast
  # instead of going to 169.254.169.254.
  export AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:9
}
