#!/bin/bash
# plc-collect-logs: a node's logs to the experiment bucket. The service logs
# and GC logs of /var/log/pulsar (boot.log among them) and the kernel's last
# messages (dmesg), each file cut to its last PLC_LOGS_FILE_CAP_BYTES and the
# whole to PLC_LOGS_TOTAL_CAP_BYTES (newest files first), as one gzip'd tar
# under logs/nodes/<node>/logs.tar.gz, then logs/nodes/<node>/collected.json
# (schema 1: node, reason, request, time, files, bytes, label) last, so its
# presence means the archive is complete.
#
# usage: plc-collect-logs --reason REASON | --watch
#   --reason  collect now (the boot script on failure: "failed")
#   --watch   collect when control/collect holds a request this node has not
#             answered yet (a timer runs this every 30 s; teardown and
#             `make logs` write the marker)
#
# Environment: PLC_BUCKET, PLC_NODE (required), PLC_LOG_DIR, PLC_STATE_DIR,
# PLC_LOGS_LABEL (said in collected.json: local mode labels its logs).
set -euo pipefail

prog=plc-collect-logs
bucket=${PLC_BUCKET:?PLC_BUCKET is not set}
node=${PLC_NODE:?PLC_NODE is not set}
log_dir=${PLC_LOG_DIR:-/var/log/pulsar}
state_dir=${PLC_STATE_DIR:-/var/lib/plc}
label=${PLC_LOGS_LABEL:-}
file_cap=${PLC_LOGS_FILE_CAP_BYTES:-16777216}
total_cap=${PLC_LOGS_TOTAL_CAP_BYTES:-67108864}
request='' etag='' reason=''

case ${1:-} in
  --reason) [[ -n ${2:-} ]] || { echo "usage: $prog --reason REASON | --watch" >&2; exit 2; }; reason=$2 ;;
  --watch)
    etag=$(aws s3api head-object --bucket "$bucket" --key control/collect --query ETag --output text 2>/dev/null) ||
      exit 0
    [[ $etag != "$(cat "$state_dir/collect.answered" 2>/dev/null)" ]] || exit 0
    request=$(aws s3 cp --only-show-errors "s3://$bucket/control/collect" - | head -c 200 | tr -cd 'A-Za-z0-9._:-')
    reason=requested
    ;;
  *) echo "usage: $prog --reason REASON | --watch" >&2; exit 2 ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/$node"
total=0 files=0
# Newest first: when the cap is reached, the old rotated GC logs are left.
while IFS= read -r f; do
  [[ -f $f ]] || continue
  ((total < total_cap)) || { printf '%s\n' "${f##*/}" >>"$tmp/$node/LEFT-OUT-size-cap"; continue; }
  tail -c "$((file_cap < total_cap - total ? file_cap : total_cap - total))" "$f" >"$tmp/$node/${f##*/}"
  total=$((total + $(stat -c %s "$tmp/$node/${f##*/}")))
  files=$((files + 1))
done < <(find "$log_dir" -maxdepth 1 -type f -printf '%T@ %p\n' 2>/dev/null | sort -rn | cut -d' ' -f2-)
{ dmesg -T 2>/dev/null || dmesg 2>/dev/null || echo "$prog: dmesg not readable here"; } | tail -n 1000 >"$tmp/$node/dmesg-tail.txt"
tar -C "$tmp" -czf "$tmp/logs.tar.gz" "$node"
aws s3 cp --only-show-errors "$tmp/logs.tar.gz" "s3://$bucket/logs/nodes/$node/logs.tar.gz"
jq -cn --arg node "$node" --arg reason "$reason" --arg req "$request" --arg lbl "$label" \
  --arg time "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --argjson files "$files" --argjson bytes "$(stat -c %s "$tmp/logs.tar.gz")" \
  '{schema: 1, node: $node, reason: $reason, request: (if $req == "" then null else $req end), time: $time,
    files: $files, bytes: $bytes, "label": (if $lbl == "" then null else $lbl end)}' |
  aws s3 cp --only-show-errors --content-type application/json - "s3://$bucket/logs/nodes/$node/collected.json"
if [[ -n $etag ]]; then
  mkdir -p "$state_dir"
  printf '%s\n' "$etag" >"$state_dir/collect.answered"
fi
echo "$prog: $files file(s), $(stat -c %s "$tmp/logs.tar.gz") bytes compressed, to s3://$bucket/logs/nodes/$node/ ($reason)" >&2
