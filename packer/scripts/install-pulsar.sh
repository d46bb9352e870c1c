#!/bin/bash
# Install the Apache Pulsar binary tarball PULSAR_VERSION into /opt/pulsar,
# checked against PULSAR_SHA512, or when that is empty against the .sha512
# file the ASF publishes beside the tarball. Idempotent. PLC_ROOT_DIR is empty
# on a machine; the tests run the script inside a temporary root.
set -euo pipefail
sysroot=${PLC_ROOT_DIR:-}

version=${PULSAR_VERSION:?PULSAR_VERSION is not set}
expected=${PULSAR_SHA512:-}
name=apache-pulsar-$version-bin.tar.gz
base=${PULSAR_MIRROR:-https://archive.apache.org/dist/pulsar}/pulsar-$version

if [[ -x $sysroot/opt/pulsar/bin/pulsar && -f $sysroot/opt/pulsar/PLC_VERSION && $(cat "$sysroot/opt/pulsar/PLC_VERSION") == "$version" ]]; then
  echo "install-pulsar: Pulsar $version already installed"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
curl -fsSL --retry 5 -o "$work/$name" "$base/$name"
if [[ -z $expected ]]; then
  curl -fsSL --retry 5 -o "$work/$name.sha512" "$base/$name.sha512"
  expected=$(awk '{print tolower($1); exit}' "$work/$name.sha512")
fi
if [[ ! $expected =~ ^[0-9a-f]{128}$ ]]; then
  echo "install-pulsar: no usable SHA-512 for $name" >&2
  exit 1
fi
actual=$(sha512sum "$work/$name" | awk '{print $1}')
if [[ $actual != "$expected" ]]; then
  echo "install-pulsar: SHA-512 mismatch for $name: got $actual" >&2
  exit 1
fi

install -d -m 755 "$sysroot/opt/pulsar"
tar -xzf "$work/$name" -C "$sysroot/opt/pulsar" --strip-components=1 --no-same-owner
printf '%s\n' "$version" >"$sysroot/opt/pulsar/PLC_VERSION"
# Configs are rewritten at boot from the shipped files kept as *.dist.
install -d -m 755 "$sysroot/opt/pulsar/logs" "$sysroot/opt/pulsar/data"
chown -R pulsar:pulsar "$sysroot/opt/pulsar/conf" "$sysroot/opt/pulsar/logs" "$sysroot/opt/pulsar/data"
echo "install-pulsar: installed Pulsar $version"
