#!/bin/bash
# Last step of the image build: what user-data relies on is there, and the
# image runs a benchmark. The smoke test starts Pulsar standalone on the build
# instance and runs OMB from /opt/openmessaging-benchmark as the pulsar user,
# with the image's own Pulsar driver file (set for one standalone bookie); the
# build fails, and no image is registered, unless OMB writes a result with a
# non-zero publish rate. OMB's durations are whole minutes and 0 means
# forever (Workload.testDurationMinutes, WorkloadGenerator.printAndCollectStats),
# so one minute is the shortest run. PLC_ROOT_DIR is empty on a machine; the
# tests run the script inside a temporary root.
set -euo pipefail
sysroot=${PLC_ROOT_DIR:-}
omb=$sysroot/opt/openmessaging-benchmark

fail() {
  echo "verify-image: $*" >&2
  exit 1
}

id pulsar >/dev/null
java -version 2>&1 | grep -q '"17\.' || fail "no Java 17"
[[ -x $sysroot/opt/pulsar/bin/pulsar && -x $sysroot/opt/pulsar/bin/bookkeeper ]] || fail "no Pulsar in /opt/pulsar"
[[ $(cat "$sysroot/opt/pulsar/PLC_VERSION") == "$PULSAR_VERSION" ]] || fail "/opt/pulsar is not Pulsar $PULSAR_VERSION"
for d in bin lib payload workloads; do
  [[ -d $omb/$d ]] || fail "OMB has no $d/ (not its binary package)"
done
[[ -x $omb/bin/benchmark && -x $omb/bin/benchmark-worker ]] || fail "OMB's bin/ scripts are not executable"
[[ $(cat "$omb/PLC_COMMIT") == "$OMB_COMMIT" ]] || fail "OMB is not commit $OMB_COMMIT"
for tool in jq nc aws mkfs.xfs blkid runuser; do command -v "$tool" >/dev/null || fail "no $tool"; done
[[ -d $sysroot/var/log/pulsar ]] || fail "no /var/log/pulsar"
for tool in prometheus promtool node_exporter; do
  [[ -x $sysroot/usr/local/bin/$tool ]] || fail "no /usr/local/bin/$tool (install-monitoring.sh)"
done

smoke=$(mktemp -d)
standalone=
cleanup() {
  if [[ -n $standalone ]]; then
    kill "$standalone" 2>/dev/null || true
    wait "$standalone" 2>/dev/null || true
  fi
  rm -rf "$smoke"
}
trap cleanup EXIT
smoke_failed() {
  echo "verify-image: smoke test failed: $*" >&2
  tail -n 40 "$smoke/omb.log" "$smoke/standalone.log" >&2 2>/dev/null || true
  exit 1
}
chmod 755 "$smoke"
chown pulsar:pulsar "$smoke"

# Standalone keeps its data under its working directory, which goes away.
(cd "$smoke" && exec runuser -u pulsar -- env PULSAR_MEM="-Xms1g -Xmx1g -XX:MaxDirectMemorySize=1g" \
  PULSAR_LOG_DIR="$smoke" "$sysroot/opt/pulsar/bin/pulsar" standalone --no-functions-worker --no-stream-storage) \
  >"$smoke/standalone.log" 2>&1 &
standalone=$!
for ((waited = 0; ; waited += 2)); do
  [[ $(curl -fsS -m 5 http://127.0.0.1:8080/admin/v2/brokers/health 2>/dev/null) == ok ]] && break
  kill -0 "$standalone" 2>/dev/null || smoke_failed "Pulsar standalone exited"
  ((waited < 300)) || smoke_failed "Pulsar standalone not healthy after 300 s"
  sleep 2
done

sed -e 's/^\(  clusterName:\).*/\1 standalone/' -e 's/^\(    ensembleSize:\).*/\1 1/' \
  -e 's/^\(    writeQuorum:\).*/\1 1/' -e 's/^\(    ackQuorum:\).*/\1 1/' \
  "$omb/driver-pulsar/pulsar.yaml" >"$smoke/driver.yaml"
cat >"$smoke/workload.yaml" <<'YAML'
name: plc-image-smoke
topics: 1
partitionsPerTopic: 1
messageSize: 1024
payloadFile: payload/payload-1Kb.data
subscriptionsPerTopic: 1
consumerPerSubscription: 1
producersPerTopic: 1
producerRate: 1000
consumerBacklogSizeGB: 0
testDurationMinutes: 1
warmupDurationMinutes: 0
YAML
chmod 644 "$smoke/driver.yaml" "$smoke/workload.yaml"
rc=0
(cd "$omb" && exec runuser -u pulsar -- env HEAP_OPTS="-Xms512m -Xmx512m" bin/benchmark \
  --drivers "$smoke/driver.yaml" -o "$smoke/result.json" "$smoke/workload.yaml") >"$smoke/omb.log" 2>&1 || rc=$?
((rc == 0)) || smoke_failed "bin/benchmark exited with status $rc"
[[ -s $smoke/result.json ]] || smoke_failed "OMB wrote no result file"
summary=$(jq -r 'select((.publishRate | type) == "array" and (.publishRate | length) > 0 and (.publishRate | add) > 0) |
  "publish rate \(.publishRate | add / length | floor) msg/s over \(.publishRate | length) periods, p99 publish latency \(.aggregatedPublishLatency99pct // "-") ms"' \
  "$smoke/result.json" 2>/dev/null) || true
[[ -n $summary ]] || smoke_failed "the result has no non-zero publish rate"
echo "verify-image: smoke: OMB ${OMB_COMMIT:0:12} against Pulsar $PULSAR_VERSION standalone, 1 min at 1000 msg/s: $summary"
echo "verify-image: ok"
