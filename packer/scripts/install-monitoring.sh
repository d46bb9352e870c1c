#!/bin/bash
# Install the pinned Prometheus and node_exporter release builds into
# /usr/local/bin (prometheus, promtool, node_exporter), each tarball checked
# against its SHA-256 before it is unpacked. Every node runs node_exporter;
# the monitor node runs Prometheus (user-data). Idempotent. PLC_ROOT_DIR is
# empty on a machine; the tests run the script inside a temporary root.
#
# The one place the versions and checksums live. The values are those of the
# sha256sums.txt each project publishes beside its tarballs:
#   https://github.com/prometheus/prometheus/releases/download/v3.5.2/sha256sums.txt
#   https://github.com/prometheus/node_exporter/releases/download/v1.10.2/sha256sums.txt
# (not downloadable where this was written; the same values are pinned by
# openstack/kolla kolla/common/sources.py, prometheus-server at 12730dd6b and
# prometheus-node-exporter at 5d77668da, and by other public build files).
# PROMETHEUS_SHA256 / NODE_EXPORTER_SHA256 override them (tests only).
set -euo pipefail
sysroot=${PLC_ROOT_DIR:-}

prometheus_version=3.5.2
node_exporter_version=1.10.2
case ${PLC_ARCH:-$(uname -m)} in
  x86_64 | amd64)
    arch=amd64
    prometheus_sha256=552c6d701e27d3c77983bb8a76e61953cb60021f6e10f17a929546a6dedc436a
    node_exporter_sha256=c46e5b6f53948477ff3a19d97c58307394a29fe64a01905646f026ddc32cb65b
    ;;
  aarch64 | arm64)
    arch=arm64
    prometheus_sha256=06a77b3f580b0db0f41e1c52274503b609db58660e44577facb0ee53e4ff8b27
    node_exporter_sha256=de69ec8341c8068b7c8e4cfe3eb85065d24d984a3b33007f575d307d13eb89a6
    ;;
  *) echo "install-monitoring: no pinned build for architecture '${PLC_ARCH:-$(uname -m)}'" >&2; exit 1 ;;
esac
prometheus_sha256=${PROMETHEUS_SHA256:-$prometheus_sha256}
node_exporter_sha256=${NODE_EXPORTER_SHA256:-$node_exporter_sha256}
github=${PROMETHEUS_MIRROR:-https://github.com/prometheus}
bin=$sysroot/usr/local/bin
stamp=$sysroot/usr/local/lib/plc-monitoring/VERSIONS
want="prometheus $prometheus_version node_exporter $node_exporter_version $arch"

if [[ -x $bin/prometheus && -x $bin/node_exporter && -f $stamp && $(cat "$stamp") == "$want" ]]; then
  echo "install-monitoring: $want already installed"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# fetch PROJECT VERSION SHA256: the release tarball, checked, unpacked in
# $work/PROJECT.
fetch() {
  local project=$1 version=$2 sum=$3 name actual
  name=$project-$version.linux-$arch.tar.gz
  curl -fsSL --retry 5 -o "$work/$name" "$github/$project/releases/download/v$version/$name"
  actual=$(sha256sum "$work/$name" | awk '{print $1}')
  if [[ $actual != "$sum" ]]; then
    echo "install-monitoring: SHA-256 mismatch for $name: got $actual" >&2
    exit 1
  fi
  mkdir "$work/$project"
  tar -xzf "$work/$name" -C "$work/$project" --strip-components=1 --no-same-owner
}
fetch prometheus "$prometheus_version" "$prometheus_sha256"
fetch node_exporter "$node_exporter_version" "$node_exporter_sha256"

install -d -m 755 "$bin" "${stamp%/*}"
install -m 755 "$work/prometheus/prometheus" "$work/prometheus/promtool" "$work/node_exporter/node_exporter" "$bin/"
if ! id prometheus >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/prometheus --no-create-home --shell /sbin/nologin prometheus
fi
printf '%s\n' "$want" >"$stamp"
echo "install-monitoring: installed $want"
