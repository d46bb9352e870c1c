#!/bin/bash
# Last step of the image build: what user-data relies on is there.
set -euo pipefail

id pulsar >/dev/null
java -version 2>&1 | grep -q '"17\.'
[[ -x /opt/pulsar/bin/pulsar && -x /opt/pulsar/bin/bookkeeper ]]
[[ $(cat /opt/pulsar/PLC_VERSION) == "$PULSAR_VERSION" ]]
[[ -x /opt/openmessaging-benchmark/bin/benchmark && -x /opt/openmessaging-benchmark/bin/benchmark-worker ]]
[[ $(cat /opt/openmessaging-benchmark/PLC_COMMIT) == "$OMB_COMMIT" ]]
for tool in jq nc aws mkfs.xfs blkid; do command -v "$tool" >/dev/null; done
[[ -d /var/log/pulsar ]]
echo "verify-image: ok"
