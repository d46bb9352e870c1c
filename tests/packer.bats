#!/usr/bin/env bats
# packer/ and the AMI make targets. Packer itself is not run here (no AWS,
# no packer binary needed): the template's provisioned files must exist, the
# install scripts must be shellcheck clean, the tags and name must be what
# Terraform and plc-reap look for; make ami-list/ami-latest/ami-delete run
# against a private moto_server. The provisioner step runs as Packer runs it
# (the template's execute_command rendered as Packer renders it) in the node
# sandbox of user-data.bats (tests/lib/cluster.bash, tests/fixtures/user-data):
# a temporary root with stub dnf, sudo, curl (downloads), Maven, java and
# OMB, each held to what the real one does.

bats_require_minimum_version 1.5.0

load lib/common
load lib/cluster

setup_file() {
  cluster_moto_start
  local base iid n
  base=$(aws ssm get-parameter --name /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64 \
    --query Parameter.Value --output text)
  iid=$(aws ec2 run-instances --image-id "$base" --instance-type t3.small --query 'Instances[0].InstanceId' --output text)
  for n in pulsar-base-3.0.17-20260101000000 pulsar-base-4.0.13-20260201000000 pulsar-base-3.0.17-20260301000000; do
    aws ec2 create-image --instance-id "$iid" --name "$n" \
      --tag-specifications 'ResourceType=image,Tags=[{Key=plc:artifact,Value=ami},{Key=ManagedBy,Value=packer}]' \
      --query ImageId --output text >>"$BATS_FILE_TMPDIR/images"
    sleep 1.1 # distinct creation times
  done
  aws ec2 create-image --instance-id "$iid" --name pulsar-base-3.0.17-29990101000000 \
    --query ImageId --output text >"$BATS_FILE_TMPDIR/untagged"
  aws ec2 terminate-instances --instance-ids "$iid" >/dev/null
}

teardown_file() {
  cluster_moto_stop
}

setup() {
  mapfile -t IMAGES <"$BATS_FILE_TMPDIR/images"
  TEMPLATE=$PLC_ROOT/packer/pulsar-base.pkr.hcl
}

@test "install scripts are shellcheck clean" {
  run --separate-stderr shellcheck "$PLC_ROOT"/packer/scripts/*.sh "$PLC_ROOT/packer/plc-ami"
  assert_success
  assert_output ""
}

@test "every file the template provisions exists" {
  local files f
  # Paths in the build block: scripts = [...], script = ..., source = ...
  files=$(sed -n '/^build {$/,$ { s/^ *"\(scripts\/[^"]*\)",\{0,1\}$/\1/p; s/^ *\(script\|source\) *= *"\([^"]*\)"$/\2/p; }' "$TEMPLATE")
  assert_equal "$files" "scripts/configure-system.sh
scripts/install-pulsar.sh
scripts/install-omb.sh
scripts/install-monitoring.sh
scripts/verify-image.sh"
  for f in $files; do
    assert_file_executable "$PLC_ROOT/packer/$f"
  done
}

@test "the stock path boots with the same install scripts the AMI runs" {
  run grep -o 'for f in \[[^]]*\]' "$PLC_ROOT/terraform/cluster.tf"
  assert_output 'for f in ["configure-system.sh", "install-pulsar.sh", "install-omb.sh", "install-monitoring.sh"]'
  # Every node installs Prometheus and node_exporter there when they are missing.
  run grep -c '^\[\[ -x $R/usr/local/bin/node_exporter \]\] || plc_install_install_monitoring$' "$PLC_ROOT/user-data/common.sh.tpl"
  assert_output 1
}

@test "the image name is what ami=auto looks for; its tags carry no ExperimentID" {
  run grep -c '^  ami_name      = "pulsar-base-${var.pulsar_version}-${local.stamp}"$' "$TEMPLATE"
  assert_output 1
  run grep -c 'values = \[var.ami == "auto" ? "pulsar-base-${var.pulsar_version}-\*"' "$PLC_ROOT/terraform/ami.tf"
  assert_output 1
  run sed -n '/^  tags = {$/,/^  }$/p' "$TEMPLATE"
  assert_output '  tags = {
    Name           = local.ami_name
    Project        = "pulsar-aws-lab"
    PulsarVersion  = var.pulsar_version
    OmbCommit      = var.omb_commit
    Architecture   = var.architecture
    ManagedBy      = "packer"
    "plc:artifact" = "ami"
  }'
}

@test "the Pulsar tarball is checked against a SHA-512 before it is unpacked" {
  run grep -nE 'sha512sum|tar -xzf' "$PLC_ROOT/packer/scripts/install-pulsar.sh"
  assert_line --index 0 --regexp 'sha512sum'
  assert_line --index 1 --regexp 'tar -xzf'
}

@test "make ami-list lists the plc images, oldest first" {
  run --separate-stderr make -s -C "$PLC_ROOT" ami-list
  assert_success
  run cut -f1,2,3,4 <<<"$output"
  assert_output "$(printf '%s\tpulsar-base-3.0.17-20260101000000\tx86_64\tavailable\n%s\tpulsar-base-4.0.13-20260201000000\tx86_64\tavailable\n%s\tpulsar-base-3.0.17-20260301000000\tx86_64\tavailable' "${IMAGES[@]}")"
}

@test "make ami-latest prints only the newest ID, per version or of any" {
  run --separate-stderr make -s -C "$PLC_ROOT" ami-latest PULSAR_VERSION=4.0.13
  assert_success
  assert_output "${IMAGES[1]}"
  run --separate-stderr make -s -C "$PLC_ROOT" ami-latest
  assert_output "${IMAGES[2]}"
  run --separate-stderr "$PLC_ROOT/packer/plc-ami" latest 9.9.9
  assert_failure 1
  assert_output ""
  assert_equal "$stderr" "plc-ami: no available pulsar-base-9.9.9 image; build one with 'make ami'"
}

@test "make ami-delete removes the image and its snapshots, and only plc images" {
  local snap
  snap=$(aws ec2 describe-images --image-ids "${IMAGES[0]}" --query 'Images[0].BlockDeviceMappings[0].Ebs.SnapshotId' --output text)
  run --separate-stderr make -s -C "$PLC_ROOT" ami-delete "AMI=${IMAGES[0]}"
  assert_success
  assert_output "deregistered ${IMAGES[0]}
deleted $snap"
  run aws ec2 describe-images --owners self --filters "Name=image-id,Values=${IMAGES[0]}" --query 'length(Images)'
  assert_output 0
  run aws ec2 describe-snapshots --filters "Name=snapshot-id,Values=$snap" --query 'length(Snapshots)'
  assert_output 0
  run --separate-stderr "$PLC_ROOT/packer/plc-ami" delete "$(cat "$BATS_FILE_TMPDIR/untagged")"
  assert_failure 1
  assert_equal "$stderr" "plc-ami: '$(cat "$BATS_FILE_TMPDIR/untagged")' is not a plc image (no plc:artifact=ami tag); not deleted"
  run --separate-stderr make -s -C "$PLC_ROOT" ami-delete
  assert_failure 2
  assert_equal "${stderr%%$'\n'*}" "usage: make ami-delete AMI=ami-..."
}

@test "make ami-list reads the region from AWS_REGION alone, as every plc command does" {
  local expected
  expected=$(make -s -C "$PLC_ROOT" ami-list)
  [[ -n $expected ]] || fail "no image listed with AWS_DEFAULT_REGION"
  run --separate-stderr env -u AWS_DEFAULT_REGION AWS_REGION="$AWS_DEFAULT_REGION" AWS_CONFIG_FILE=/dev/null \
    make -s -C "$PLC_ROOT" ami-list
  assert_success
  assert_output "$expected"
}

@test "make ami without packer says how to get it" {
  run --separate-stderr make -s -C "$PLC_ROOT" ami PACKER=/nonexistent/packer
  assert_failure
  assert_output ""
  assert_equal "${stderr%%$'\n'*}" "ami: packer not found: install Packer >= 1.9 from HashiCorp (https://developer.hashicorp.com/packer/install), or PACKER=/path/to/packer"
}

# --- the provisioner step, as Packer runs it ------------------------------

# The build's shell provisioner with environment_vars (the second one).
provisioner_block() {
  awk '/^  provisioner "shell" \{$/ { b = ""; inb = 1 }
    inb { b = b $0 "\n" }
    inb && /^  \}$/ { inb = 0; if (b ~ /environment_vars/) printf "%s", b }' "$TEMPLATE"
}

# packer_vars NAME=VALUE...: the template's environment_vars with ${var.x}
# resolved from the arguments (as `packer build -var` gives them), one
# KEY=VALUE a line.
packer_vars() {
  local line kv name
  declare -A var=()
  for kv in "$@"; do var[${kv%%=*}]=${kv#*=}; done
  provisioner_block | sed -n '/environment_vars = \[/,/\]/ s/^ *"\(.*\)",\{0,1\}$/\1/p' |
    while IFS= read -r line; do
      while [[ $line =~ \$\{var\.([a-z0-9_]+)\} ]]; do
        name=${BASH_REMATCH[1]}
        [[ -n ${var[$name]+set} ]] || { echo "no value for var.$name" >&2; return 1; }
        line=${line//"\${var.$name}"/${var[$name]}}
      done
      printf '%s\n' "$line"
    done
}

# packer_command REMOTE_PATH KEY=VALUE...: the template's execute_command as
# Packer renders it (hashicorp/packer provisioner/shell/provisioner.go at
# 856572ec: {{.Vars}} is every environment_vars pair plus PACKER_BUILD_NAME
# and PACKER_BUILDER_TYPE, sorted by key (:450-469), each as "KEY='value' "
# with ' written '"'"' (:100-101, :454, :485-492); {{.Path}} is the remote
# path (:129-138, :310); the command is rendered by interpolate.Render (:313)).
packer_command() {
  local path=$1 cmd kv k v vars=""
  shift
  cmd=$(provisioner_block | sed -n 's/^ *execute_command *= *"\(.*\)"$/\1/p')
  [[ -n $cmd ]] || cmd='chmod +x {{.Path}}; {{.Vars}} {{.Path}}' # Packer's default (:108-109)
  cmd=${cmd//\\\"/\"}
  while IFS= read -r kv; do
    k=${kv%%=*} v=${kv#*=}
    vars+="$k='${v//\'/\'\"\'\"\'}' "
  done < <(printf '%s\n' "$@" PACKER_BUILD_NAME=pulsar_base PACKER_BUILDER_TYPE=amazon-ebs | LC_ALL=C sort -t= -k1,1)
  cmd=$(sed -e "s|{{ *\.Vars *}}|$(printf '%s' "$vars" | sed 's/[&|\\]/\\&/g')|g" -e "s|{{ *\.Path *}}|$path|g" <<<"$cmd")
  [[ $cmd != *'{{'* ]] || { echo "unrendered template field in: $cmd" >&2; return 1; }
  printf '%s\n' "$cmd"
}

# packer_sandbox: an empty Amazon Linux root (R) for the build instance, with
# what it downloads in SANDBOX_DOWNLOADS (a Pulsar 3.0.17 tarball whose
# bin/ are the node sandbox's stubs, the Maven 3.9.9 stand-in) and the OMB
# source stand-in's repository (OMB_REPOSITORY, its commit in OMB_TEST_COMMIT).
packer_sandbox() {
  SANDBOX=$BATS_TEST_TMPDIR/sandbox
  R=$SANDBOX/root
  export SANDBOX SANDBOX_BIN=$FIXTURES/user-data/bin PLC_ROOT_DIR=$R SANDBOX_DOWNLOADS=$SANDBOX/downloads
  mkdir -p "$R/tmp" "$SANDBOX_DOWNLOADS" "$SANDBOX/home/ec2-user" "$SANDBOX/pulsar/apache-pulsar-3.0.17/bin" \
    "$SANDBOX/pulsar/apache-pulsar-3.0.17/conf"
  : >"$SANDBOX/calls"
  cp "$SANDBOX_BIN/pulsar" "$SANDBOX_BIN/bookkeeper" "$SANDBOX/pulsar/apache-pulsar-3.0.17/bin/"
  printf 'clusterName=\n' >"$SANDBOX/pulsar/apache-pulsar-3.0.17/conf/broker.conf"
  tar -czf "$SANDBOX_DOWNLOADS/apache-pulsar-3.0.17-bin.tar.gz" -C "$SANDBOX/pulsar" apache-pulsar-3.0.17
  PULSAR_TEST_SHA512=$(sha512sum "$SANDBOX_DOWNLOADS/apache-pulsar-3.0.17-bin.tar.gz" | cut -d' ' -f1)
  sandbox_maven_tarball "$SANDBOX_DOWNLOADS" 3.9.9
  MAVEN_TEST_SHA512=$(sha512sum "$SANDBOX_DOWNLOADS/apache-maven-3.9.9-bin.tar.gz" | cut -d' ' -f1)
  OMB_TEST_COMMIT=$(sandbox_omb_repo "$SANDBOX/omb.git")
  export OMB_REPOSITORY=file://$SANDBOX/omb.git
  # Stand-ins of the Prometheus and node_exporter release tarballs, with the
  # releases' layout (a top directory NAME-VERSION.linux-ARCH/ holding the
  # binaries); their own checksums, not the published ones.
  local line b rel
  for line in "prometheus-3.5.2 prometheus promtool" "node_exporter-1.10.2 node_exporter"; do
    read -ra rel <<<"$line"
    mkdir -p "$SANDBOX/rel/${rel[0]}.linux-amd64"
    for b in "${rel[@]:1}"; do
      printf '#!/bin/bash\necho "%s stand-in"\n' "$b" >"$SANDBOX/rel/${rel[0]}.linux-amd64/$b"
      chmod 755 "$SANDBOX/rel/${rel[0]}.linux-amd64/$b"
    done
    tar -czf "$SANDBOX_DOWNLOADS/${rel[0]}.linux-amd64.tar.gz" -C "$SANDBOX/rel" "${rel[0]}.linux-amd64"
  done
  PROMETHEUS_TEST_SHA256=$(sha256sum "$SANDBOX_DOWNLOADS/prometheus-3.5.2.linux-amd64.tar.gz" | cut -d' ' -f1)
  NODE_EXPORTER_TEST_SHA256=$(sha256sum "$SANDBOX_DOWNLOADS/node_exporter-1.10.2.linux-amd64.tar.gz" | cut -d' ' -f1)
}

# provision SCRIPT...: each script as Packer's shell provisioner runs it on
# the build instance: uploaded to /tmp/script_NNNN.sh (:334-341), then the
# rendered execute_command run by the ec2-user's shell (:347-349), with
# nothing of the operator's environment; the first failure ends the build.
# The environment_vars get var.pulsar_version's default, the stand-in Pulsar
# tarball's SHA-512 and the stand-in OMB commit, as `-var` would give them.
# MAVEN_SHA512 (the stand-in's checksum) passes sudo like an env_keep.
provision() {
  local script remote cmd version
  version=$(sed -n '/^variable "pulsar_version" {$/,/^}$/ s/^  default *= *"\(.*\)"$/\1/p' "$TEMPLATE")
  mapfile -t PACKER_ENV < <(packer_vars pulsar_version="$version" pulsar_sha512="$PULSAR_TEST_SHA512" omb_commit="$OMB_TEST_COMMIT")
  for script in "$@"; do
    remote=$R/tmp/script_$((RANDOM % 9999)).sh
    cp "$PLC_ROOT/packer/$script" "$remote"
    chmod 0755 "$remote"
    cmd=$(packer_command "$remote" "${PACKER_ENV[@]}")
    env -i PATH="$R/usr/bin:$SANDBOX_BIN:$PATH" HOME="$SANDBOX/home/ec2-user" \
      SANDBOX="$SANDBOX" SANDBOX_BIN="$SANDBOX_BIN" PLC_ROOT_DIR="$R" SANDBOX_DOWNLOADS="$SANDBOX_DOWNLOADS" \
      OMB_REPOSITORY="$OMB_REPOSITORY" MAVEN_SHA512="${MAVEN_SHA512-$MAVEN_TEST_SHA512}" \
      PROMETHEUS_SHA256="${PROMETHEUS_SHA256-$PROMETHEUS_TEST_SHA256}" NODE_EXPORTER_SHA256="${NODE_EXPORTER_SHA256-$NODE_EXPORTER_TEST_SHA256}" \
      PLC_ARCH=x86_64 \
      SANDBOX_OMB_PUBLISH_RATE="${SANDBOX_OMB_PUBLISH_RATE:-1000}" \
      SANDBOX_SUDO_KEEP="SANDBOX_DOWNLOADS OMB_REPOSITORY MAVEN_SHA512 PROMETHEUS_SHA256 NODE_EXPORTER_SHA256 PLC_ARCH SANDBOX_OMB_PUBLISH_RATE" \
      bash -c "$cmd" || return
  done
}

# assert_provisioned: the provision run succeeded; its stderr is shown when not.
assert_provisioned() {
  assert_success || { printf 'stderr: %s\n' "$stderr"; return 1; }
}

SCRIPTS=(scripts/configure-system.sh scripts/install-pulsar.sh scripts/install-omb.sh scripts/install-monitoring.sh scripts/verify-image.sh)

@test "Packer's rendering of the template's execute_command hands every environment_vars value to the script" {
  # Packer hands environment_vars to the script only through {{.Vars}}
  # (hashicorp/packer provisioner/shell/provisioner.go:294-313 at 856572ec).
  packer_sandbox
  run packer_vars pulsar_version=3.0.17 pulsar_sha512=x omb_commit=y
  assert_output "PULSAR_VERSION=3.0.17
PULSAR_SHA512=x
OMB_COMMIT=y"
  printf '#!/bin/bash\nprintf "%%s|" "$PULSAR_VERSION" "$PULSAR_SHA512" "$OMB_COMMIT"\n' >"$R/tmp/probe.sh"
  run --separate-stderr env -i PATH="$SANDBOX_BIN:/usr/bin:/bin" SANDBOX="$SANDBOX" SANDBOX_BIN="$SANDBOX_BIN" \
    bash -c "$(packer_command "$R/tmp/probe.sh" "PULSAR_VERSION=3.0.17" "PULSAR_SHA512=it's a \"value\"" "OMB_COMMIT=\$HOME")"
  assert_success
  assert_output "3.0.17|it's a \"value\"|\$HOME|"
  run grep -c '^sudo ' "$SANDBOX/calls"
  assert_output 1
}

@test "the provisioner leaves the layout the units expect: Pulsar, OMB's package, a Maven OMB accepts, readable by pulsar" {
  local provisioned
  packer_sandbox
  run --separate-stderr provision "${SCRIPTS[@]}"
  assert_provisioned
  provisioned=$output
  assert_file_executable "$R/opt/pulsar/bin/pulsar"
  assert_equal "$(cat "$R/opt/pulsar/PLC_VERSION")" 3.0.17
  # OMB's binary package (openmessaging/benchmark package/src/assemble/bin.xml
  # at 85599891: bin/ mode 755, lib/, payload/, workloads/, driver-*/*.yaml).
  run bash -c "cd '$R/opt/openmessaging-benchmark' && find . -maxdepth 1 | LC_ALL=C sort"
  assert_output ".
./LICENSE
./PLC_COMMIT
./README.md
./bin
./driver-pulsar
./lib
./payload
./workloads"
  assert_file_executable "$R/opt/openmessaging-benchmark/bin/benchmark"
  run printf '%s\n' "$provisioned"
  assert_line "install-pulsar: installed Pulsar 3.0.17"
  assert_line "install-omb: installed OMB $OMB_TEST_COMMIT (3 jars in lib/)"
  assert_line "install-monitoring: installed prometheus 3.5.2 node_exporter 1.10.2 amd64"
  assert_file_executable "$R/usr/local/bin/prometheus"
  assert_file_executable "$R/usr/local/bin/node_exporter"
  assert_file_contains "$SANDBOX/calls" "^useradd --system --home-dir /var/lib/prometheus --no-create-home --shell /sbin/nologin prometheus\$"
  assert_line "verify-image: ok"
  run "$R/usr/local/bin/promtool"
  assert_output "promtool stand-in"
  assert_file_executable "$R/opt/openmessaging-benchmark/bin/benchmark-worker"
  # The pulsar user runs it: owned by pulsar, and readable (directories
  # searchable) by anyone.
  assert_file_contains "$SANDBOX/calls" "^chown -R pulsar:pulsar $R/opt/openmessaging-benchmark\$"
  run find "$R/opt/openmessaging-benchmark" \( -type d ! -perm -o+rx \) -o \( -type f ! -perm -o+r \) -o \( -path '*/bin/*' ! -perm -o+x \)
  assert_output ""
  # A Maven inside OMB's enforcer range (pom.xml:331-333 at 85599891: [3.8.6,)),
  # and the OMB build ran with it, never with dnf's.
  run grep -E '^(mvn|dnf) ' "$SANDBOX/calls"
  assert_output --regexp "^dnf install -y -q java-17-amazon-corretto-headless .*
dnf install -y -q git java-17-amazon-corretto-devel tar gzip
mvn -B -q -Dmaven.repo.local=/[^ ]*/m2 -DskipTests -Dspotless.check.skip=true -Dlicense.skip=true -pl package -am install\$"
  run "$R/opt/maven/bin/mvn" --version
  assert_output "Apache Maven 3.9.9"
  assert_equal "$(printf '3.8.6\n3.9.9\n' | sort -V | head -n 1)" 3.8.6
}

@test "the Maven tarball is checked against its published SHA-512 before it is unpacked" {
  packer_sandbox
  run --separate-stderr provision scripts/configure-system.sh
  assert_success
  # The stand-in is not Apache's tarball: without the test's checksum, the
  # published one pinned in install-omb.sh rejects it.
  MAVEN_SHA512="" run --separate-stderr provision scripts/install-omb.sh
  assert_failure 1
  assert_equal "$stderr" "install-omb: SHA-512 mismatch for apache-maven-3.9.9-bin.tar.gz: got $MAVEN_TEST_SHA512"
  assert_file_not_exists "$R/opt/maven/bin/mvn"
  run grep -c '^maven_sha512=${MAVEN_SHA512:-a555254d6b53d267965a3404ecb14e53c3827c09c3b94b5678835887ab404556bfaf78dcfe03ba76fa2508649dca8531c74bca4d5846513522404d48e8c4ac8b}$' \
    "$PLC_ROOT/packer/scripts/install-omb.sh"
  assert_output 1
}

@test "Prometheus and node_exporter are checked against the published SHA-256 before they are unpacked" {
  packer_sandbox
  run --separate-stderr provision scripts/configure-system.sh
  assert_success
  # The stand-ins are not the releases: with the pinned sums, the first
  # tarball is refused and nothing is installed.
  PROMETHEUS_SHA256="" NODE_EXPORTER_SHA256="" run --separate-stderr provision scripts/install-monitoring.sh
  assert_failure 1
  assert_equal "$stderr" "install-monitoring: SHA-256 mismatch for prometheus-3.5.2.linux-amd64.tar.gz: got $PROMETHEUS_TEST_SHA256"
  assert_file_not_exists "$R/usr/local/bin/prometheus"
  # node_exporter alone wrong: still nothing installed.
  NODE_EXPORTER_SHA256="" run --separate-stderr provision scripts/install-monitoring.sh
  assert_failure 1
  assert_equal "$stderr" "install-monitoring: SHA-256 mismatch for node_exporter-1.10.2.linux-amd64.tar.gz: got $NODE_EXPORTER_TEST_SHA256"
  assert_file_not_exists "$R/usr/local/bin/prometheus"
  assert_file_not_exists "$R/usr/local/bin/node_exporter"
  # The pinned values: those of the projects' sha256sums.txt for v3.5.2 and
  # v1.10.2, as openstack/kolla kolla/common/sources.py pins them
  # (prometheus-server at 12730dd6b, prometheus-node-exporter at 5d77668da).
  run grep -E '^    (prometheus|node_exporter)_sha256=' "$PLC_ROOT/packer/scripts/install-monitoring.sh"
  assert_output "    prometheus_sha256=552c6d701e27d3c77983bb8a76e61953cb60021f6e10f17a929546a6dedc436a
    node_exporter_sha256=c46e5b6f53948477ff3a19d97c58307394a29fe64a01905646f026ddc32cb65b
    prometheus_sha256=06a77b3f580b0db0f41e1c52274503b609db58660e44577facb0ee53e4ff8b27
    node_exporter_sha256=de69ec8341c8068b7c8e4cfe3eb85065d24d984a3b33007f575d307d13eb89a6"
  # A second run with the right sums installs; a third finds it done.
  run --separate-stderr provision scripts/install-monitoring.sh
  assert_success
  assert_output "install-monitoring: installed prometheus 3.5.2 node_exporter 1.10.2 amd64"
  run --separate-stderr provision scripts/install-monitoring.sh
  assert_output "install-monitoring: prometheus 3.5.2 node_exporter 1.10.2 amd64 already installed"
}

@test "the stand-in bin/benchmark runs only from OMB's packaged layout, as the real script does" {
  # openmessaging/benchmark bin/benchmark:16-20 at 85599891: without ./lib the
  # class path is benchmark-framework/target/classpath.txt, jars in the
  # builder's Maven repository, which the image does not keep.
  packer_sandbox
  local src=$SANDBOX/omb-build
  sandbox_maven_tarball "$SANDBOX" 3.9.9
  tar -xzf "$SANDBOX/apache-maven-3.9.9-bin.tar.gz" -C "$SANDBOX"
  cp -R "$FIXTURES/user-data/omb-src" "$src"
  (cd "$src" && "$SANDBOX/apache-maven-3.9.9/bin/mvn" -B -q -Dmaven.repo.local="$SANDBOX/m2" -pl benchmark-framework -am install)
  assert_file_exists "$src/benchmark-framework/target/classpath.txt"
  run --separate-stderr bash -c "cd '$src' && bin/benchmark --drivers driver-pulsar/pulsar.yaml -o r.json workloads/simple-test.yaml"
  assert_failure 1
  assert_equal "$stderr" "Error: Could not find or load main class io.openmessaging.benchmark.Benchmark"
  assert_file_not_exists "$src/r.json"
  sandbox_omb_package "$R"
  run --separate-stderr bash -c "cd '$R/opt/openmessaging-benchmark' && bin/benchmark --drivers driver-pulsar/pulsar.yaml -o '$SANDBOX/r.json' workloads/simple-test.yaml"
  assert_success
  run jq -c .publishRate "$SANDBOX/r.json"
  assert_output "[1000,1000,1000,1000,1000,1000]"
}

@test "make ami's smoke test: Pulsar standalone and OMB as pulsar print the result; no publish rate, no image" {
  packer_sandbox
  run --separate-stderr provision "${SCRIPTS[@]}"
  assert_provisioned
  assert_line "verify-image: smoke: OMB ${OMB_TEST_COMMIT:0:12} against Pulsar 3.0.17 standalone, 1 min at 1000 msg/s: publish rate 1000 msg/s over 6 periods, p99 publish latency 4.5 ms"
  run grep -E '^(runuser|pulsar|benchmark) ' "$SANDBOX/calls"
  assert_output --regexp "^runuser -u pulsar -- env PULSAR_MEM=[^
]* $R/opt/pulsar/bin/pulsar standalone --no-functions-worker --no-stream-storage
pulsar standalone --no-functions-worker --no-stream-storage
runuser -u pulsar -- env HEAP_OPTS=-Xms512m -Xmx512m bin/benchmark --drivers /[^ ]*/driver.yaml -o /[^ ]*/result.json /[^ ]*/workload.yaml
benchmark --drivers [^
]*\$"
  # No publish rate: the last script fails, so Packer registers no image.
  rm -rf "$SANDBOX" && packer_sandbox
  SANDBOX_OMB_PUBLISH_RATE=0 run --separate-stderr provision "${SCRIPTS[@]}"
  assert_failure 1
  assert_equal "${stderr%%$'\n'*}" "verify-image: smoke test failed: the result has no non-zero publish rate"
  refute_line "verify-image: ok"
}
