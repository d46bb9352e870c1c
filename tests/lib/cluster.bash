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
  cp -R "$PLC_ROOT/terraform" "$PLC_ROOT/user-data" "$PLC_ROOT/packer" "$PLC_ROOT/metrics" "$BATS_FILE_TMPDIR/src/"
  mkdir -p "$BATS_FILE_TMPDIR/src/scripts"
  cp "$PLC_ROOT/scripts/prom-export" "$BATS_FILE_TMPDIR/src/scripts/"
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

# The node sandbox's stand-ins for what the image build downloads and builds
# (tests/fixtures/user-data: bin/ the stub commands, pkg/ what the stub dnf
# installs, omb-src/ the OMB source stand-in).

# sandbox_maven_tarball DIR VERSION: DIR/apache-maven-VERSION-bin.tar.gz, a
# Maven stand-in (pkg/mvn) whose version is its maven-core jar's.
sandbox_maven_tarball() {
  local d=$1/maven-src/apache-maven-$2
  mkdir -p "$d/bin" "$d/lib" "$d/conf"
  cp "$FIXTURES/user-data/pkg/mvn" "$d/bin/mvn"
  : >"$d/lib/maven-core-$2.jar"
  tar -czf "$1/apache-maven-$2-bin.tar.gz" -C "$1/maven-src" "apache-maven-$2"
  rm -rf "$1/maven-src"
}

# sandbox_omb_repo DIR: a git repository of the OMB source stand-in in DIR
# that serves any commit by ID (as GitHub does); prints the commit.
sandbox_omb_repo() {
  mkdir -p "$1"
  cp -R "$FIXTURES/user-data/omb-src/." "$1/"
  git -C "$1" init -q
  git -C "$1" config uploadpack.allowAnySHA1InWant true
  git -C "$1" add -A
  git -C "$1" -c user.name=plc -c user.email=plc@localhost commit -q -m omb
  git -C "$1" rev-parse HEAD
}

# sandbox_omb_package ROOT: OMB's binary package as the image holds it in
# ROOT/opt/openmessaging-benchmark, built by the Maven stand-in from the
# source stand-in (Maven 3.9.9, `-pl package -am install`).
sandbox_omb_package() {
  local work
  work=$(mktemp -d)
  sandbox_maven_tarball "$work" 3.9.9
  tar -xzf "$work/apache-maven-3.9.9-bin.tar.gz" -C "$work"
  cp -R "$FIXTURES/user-data/omb-src" "$work/src"
  (cd "$work/src" && SANDBOX="" "$work/apache-maven-3.9.9/bin/mvn" -B -q -Dmaven.repo.local="$work/m2" -pl package -am install)
  mkdir -p "$1/opt/openmessaging-benchmark"
  tar -xzf "$work"/src/package/target/openmessaging-benchmark-*-bin.tar.gz -C "$1/opt/openmessaging-benchmark" --strip-components=1
  rm -rf "$work"
}
