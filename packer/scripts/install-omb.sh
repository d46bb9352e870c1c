#!/bin/bash
# Build OpenMessaging Benchmark at the pinned commit OMB_COMMIT into
# /opt/openmessaging-benchmark (bin/benchmark runs from that root).
set -euo pipefail

commit=${OMB_COMMIT:?OMB_COMMIT is not set}
dest=/opt/openmessaging-benchmark
repo=${OMB_REPOSITORY:-https://github.com/openmessaging/benchmark.git}

if [[ -f $dest/PLC_COMMIT && $(cat "$dest/PLC_COMMIT") == "$commit" && -x $dest/bin/benchmark ]]; then
  echo "install-omb: OMB $commit already built"
  exit 0
fi

dnf install -y -q git maven java-17-amazon-corretto-devel
rm -rf "$dest"
git init -q "$dest"
git -C "$dest" fetch -q --depth 1 "$repo" "$commit"
git -C "$dest" checkout -q FETCH_HEAD
(cd "$dest" && mvn -B -q -DskipTests -Dspotless.check.skip=true -Dlicense.skip=true \
  -pl benchmark-framework -am install)
[[ -x $dest/bin/benchmark && -x $dest/bin/benchmark-worker ]]
printf '%s\n' "$commit" >"$dest/PLC_COMMIT"
rm -rf /root/.m2/repository
chown -R pulsar:pulsar "$dest"
echo "install-omb: built OMB $commit"
