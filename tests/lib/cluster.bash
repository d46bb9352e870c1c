# Helpers of the cluster suites (terraform.bats, user-data.bats,
# runner.bats): a private moto_server on a free loopback port, and a copy of
# the Terraform module initialised from the local provider mirror.
# shellcheck shell=bash

# cluster_moto_start: start moto_server on 127.0.0.1, export the AWS
# environment pointing at it. Its PID is kept in $BATS_FILE_TMPDIR/moto.pid.
# shellcheck source=tests/lib/moto.bash
source "$(dirname "${BASH_SOURCE[0]}")/moto.bash"

# The suite's own moto (tests/lib/moto.bash), with a clean AWS environment.
cluster_moto_start() {
  # shellcheck disable=SC2119 # no signature checking: terraform's calls are not under test
  moto_start && plc_isolate_aws_env && moto_env
}

cluster_moto_stop() { moto_stop; }

# cluster_tf_setup: copy terraform/, user-data/ and packer/ into
# $BATS_FILE_TMPDIR/src and terraform-init it from the provider mirror (no
# download). Sets TF_DIR. Returns 1 when there is no mirror.
cluster_tf_setup() {
  local mirror
  mirror=$("$PLC_ROOT/scripts/tf-provider-mirror") || return 1
  mkdir -p "$BATS_FILE_TMPDIR/src"
  cp -R "$PLC_ROOT/terraform" "$PLC_ROOT/user-data" "$PLC_ROOT/packer" "$BATS_FILE_TMPDIR/src/"
  rm -rf "$BATS_FILE_TMPDIR/src/terraform/.terraform" "$BATS_FILE_TMPDIR/src/terraform/.terraform.lock.hcl"
  cat >"$BATS_FILE_TMPDIR/terraformrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
}
RC
  export TF_CLI_CONFIG_FILE=$BATS_FILE_TMPDIR/terraformrc
  export TF_DATA_DIR=$BATS_FILE_TMPDIR/tfdata
  export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
  TF_DIR=$BATS_FILE_TMPDIR/src/terraform
  export TF_DIR
  terraform -chdir="$TF_DIR" init -input=false -no-color \
    -backend-config="path=$BATS_FILE_TMPDIR/experiment.tfstate" >"$BATS_FILE_TMPDIR/init.log" 2>&1
}

tf() { terraform -chdir="$TF_DIR" "$@"; }
