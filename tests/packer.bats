#!/usr/bin/env bats
# packer/ and the AMI make targets. Packer itself is not run here (no AWS,
# no packer binary needed): the template's provisioned files must exist, the
# install scripts must be shellcheck clean, the tags and name must be what
# Terraform and plc-reap look for; make ami-list/ami-latest/ami-delete run
# against a private moto_server.

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
scripts/verify-image.sh"
  for f in $files; do
    assert_file_executable "$PLC_ROOT/packer/$f"
  done
}

@test "the stock path boots with the same install scripts the AMI runs" {
  run grep -o 'for f in \[[^]]*\]' "$PLC_ROOT/terraform/cluster.tf"
  assert_output 'for f in ["configure-system.sh", "install-pulsar.sh", "install-omb.sh"]'
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
  run --separate-stderr env -u AWS_DEFAULT_REGION AWS_REGION="$AWS_DEFAULT_REGION" AWS_CONFIG_FILE=/dev/null \
    make -s -C "$PLC_ROOT" ami-list
  assert_success
  assert_equal "$(wc -l <<<"$output")" 3
}

@test "make ami without packer says how to get it" {
  run --separate-stderr make -s -C "$PLC_ROOT" ami PACKER=/nonexistent/packer
  assert_failure
  assert_output ""
  assert_equal "${stderr%%$'\n'*}" "ami: packer not found: install Packer >= 1.9 from HashiCorp (https://developer.hashicorp.com/packer/install), or PACKER=/path/to/packer"
}
