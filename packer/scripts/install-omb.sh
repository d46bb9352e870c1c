#!/bin/bash
# Build OpenMessaging Benchmark at the pinned commit OMB_COMMIT and install
# its binary package into /opt/openmessaging-benchmark (bin/, lib/, payload/,
# workloads/, driver-*/), as OMB's own image does (docker/Dockerfile.build:
# mvn install, then unpack package/target/openmessaging-benchmark-*-bin.tar.gz).
# bin/benchmark puts lib/* on the class path only when ./lib exists; without
# it, it falls back to benchmark-framework/target/classpath.txt, jars in the
# builder's Maven repository (OMB bin/benchmark:16-20). Idempotent.
# PLC_ROOT_DIR is empty on a machine; the tests run the script inside a
# temporary root.
set -euo pipefail
sysroot=${PLC_ROOT_DIR:-}

commit=${OMB_COMMIT:?OMB_COMMIT is not set}
dest=$sysroot/opt/openmessaging-benchmark
repo=${OMB_REPOSITORY:-https://github.com/openmessaging/benchmark.git}
# OMB's pom.xml has maven-enforcer require Maven [3.8.6,); Amazon Linux 2023's
# dnf maven is 3.8.4. Apache Maven 3.9.9, the version of OMB's build image;
# its SHA-512 as published in
# https://archive.apache.org/dist/maven/maven-3/3.9.9/binaries/apache-maven-3.9.9-bin.tar.gz.sha512
maven_version=3.9.9
maven_sha512=${MAVEN_SHA512:-a555254d6b53d267965a3404ecb14e53c3827c09c3b94b5678835887ab404556bfaf78dcfe03ba76fa2508649dca8531c74bca4d5846513522404d48e8c4ac8b}
maven_url=${MAVEN_MIRROR:-https://archive.apache.org/dist/maven/maven-3}/$maven_version/binaries/apache-maven-$maven_version-bin.tar.gz
maven_home=$sysroot/opt/maven

if [[ -f $dest/PLC_COMMIT && $(cat "$dest/PLC_COMMIT") == "$commit" && -x $dest/bin/benchmark && -d $dest/lib ]]; then
  echo "install-omb: OMB $commit already installed"
  exit 0
fi

dnf install -y -q git java-17-amazon-corretto-devel tar gzip
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [[ ! -x $maven_home/bin/mvn || $(cat "$maven_home/PLC_VERSION" 2>/dev/null) != "$maven_version" ]]; then
  curl -fsSL --retry 5 -o "$work/maven.tar.gz" "$maven_url"
  actual=$(sha512sum "$work/maven.tar.gz" | awk '{print $1}')
  if [[ $actual != "$maven_sha512" ]]; then
    echo "install-omb: SHA-512 mismatch for ${maven_url##*/}: got $actual" >&2
    exit 1
  fi
  rm -rf "$maven_home"
  install -d -m 755 "$maven_home"
  tar -xzf "$work/maven.tar.gz" -C "$maven_home" --strip-components=1 --no-same-owner
  printf '%s\n' "$maven_version" >"$maven_home/PLC_VERSION"
fi

git init -q "$work/src"
git -C "$work/src" fetch -q --depth 1 "$repo" "$commit"
git -C "$work/src" checkout -q FETCH_HEAD
# The package module and what it needs (-am): every driver and the framework.
(cd "$work/src" && "$maven_home/bin/mvn" -B -q -Dmaven.repo.local="$work/m2" -DskipTests \
  -Dspotless.check.skip=true -Dlicense.skip=true -pl package -am install)
shopt -s nullglob
tarballs=("$work"/src/package/target/openmessaging-benchmark-*-bin.tar.gz)
if ((${#tarballs[@]} != 1)); then
  echo "install-omb: expected one package/target/openmessaging-benchmark-*-bin.tar.gz, found ${#tarballs[@]}" >&2
  exit 1
fi
rm -rf "$dest.new"
install -d -m 755 "$dest.new"
tar -xzf "${tarballs[0]}" -C "$dest.new" --strip-components=1 --no-same-owner
for d in bin lib payload workloads; do
  [[ -d $dest.new/$d ]] || { echo "install-omb: the package has no $d/" >&2; exit 1; }
done
[[ -x $dest.new/bin/benchmark && -x $dest.new/bin/benchmark-worker ]]
printf '%s\n' "$commit" >"$dest.new/PLC_COMMIT"
chmod -R a+rX "$dest.new"
rm -rf "$dest"
mv "$dest.new" "$dest"
chown -R pulsar:pulsar "$dest"
echo "install-omb: installed OMB $commit ($(find "$dest/lib" -name '*.jar' | wc -l) jars in lib/)"
