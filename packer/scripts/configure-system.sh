#!/bin/bash
# Base system for every plc node: packages, Corretto 17, the pulsar user,
# directories, sysctl and limits. Run by Packer for the AMI, and at boot by
# user-data on the stock Amazon Linux path. Idempotent. PLC_ROOT_DIR is empty
# on a machine; the tests run the script inside a temporary root.
set -euo pipefail
sysroot=${PLC_ROOT_DIR:-}

dnf install -y -q java-17-amazon-corretto-headless jq nmap-ncat xfsprogs nvme-cli \
  tar gzip unzip awscli-2 procps-ng util-linux

if ! id pulsar >/dev/null 2>&1; then
  useradd --system --home-dir /opt/pulsar --no-create-home --shell /sbin/nologin pulsar
fi

install -d -m 755 "$sysroot/var/log/pulsar" "$sysroot/var/lib/plc" "$sysroot/var/lib/zookeeper" "$sysroot/etc/plc" "$sysroot/opt/pulsar" \
  "$sysroot/etc/sysctl.d" "$sysroot/etc/security/limits.d"
chown pulsar:pulsar "$sysroot/var/log/pulsar" "$sysroot/var/lib/plc" "$sysroot/var/lib/zookeeper"

cat >"$sysroot/etc/sysctl.d/90-plc.conf" <<'SYSCTL'
net.core.somaxconn = 32768
net.ipv4.tcp_max_syn_backlog = 8192
net.ipv4.ip_local_port_range = 10000 65535
net.ipv4.tcp_tw_reuse = 1
vm.max_map_count = 262144
vm.swappiness = 1
fs.file-max = 2097152
SYSCTL
sysctl --system >/dev/null

cat >"$sysroot/etc/security/limits.d/90-plc.conf" <<'LIMITS'
pulsar soft nofile 1048576
pulsar hard nofile 1048576
pulsar soft nproc 1048576
pulsar hard nproc 1048576
LIMITS
