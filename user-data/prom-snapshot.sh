#!/bin/bash
# plc-prom-snapshot: Prometheus' TSDB snapshot of the whole experiment to the
# bucket, so that nothing is lost that a later question might need. Asks the
# admin API for a snapshot (POST /api/v1/admin/tsdb/snapshot; Prometheus
# runs with --web.enable-admin-api), packs its blocks newest first until
# PLC_SNAPSHOT_CAP_BYTES (default 2 GiB, uncompressed) as one gzip'd tar
# under tsdb/snapshot.tar.gz, then tsdb/snapshot.json (schema 1: request,
# time, name, blocks, blocks_left_out, bytes, cap_bytes, label) last, so its
# presence means the archive is complete. The snapshot itself is removed
# from the data directory afterwards.
#
# usage: plc-prom-snapshot --watch
#   answers the request in control/snapshot once (a timer runs this every
#   30 s on the monitor node; teardown writes the request)
#
# Environment: PLC_BUCKET (required), PLC_PROM_URL (default
# http://127.0.0.1:9090), PLC_PROM_DATA (default /var/lib/prometheus),
# PLC_STATE_DIR, PLC_SNAPSHOT_CAP_BYTES, PLC_SNAPSHOT_LABEL (local mode).
set -euo pipefail

prog=plc-prom-snapshot
bucket=${PLC_BUCKET:?PLC_BUCKET is not set}
url=${PLC_PROM_URL:-http://127.0.0.1:9090}
data=${PLC_PROM_DATA:-/var/lib/prometheus}
state_dir=${PLC_STATE_DIR:-/var/lib/plc}
cap=${PLC_SNAPSHOT_CAP_BYTES:-2147483648}
label=${PLC_SNAPSHOT_LABEL:-}

[[ ${1:-} == --watch && $# == 1 ]] || { echo "usage: $prog --watch" >&2; exit 2; }
etag=$(aws s3api head-object --bucket "$bucket" --key control/snapshot --query ETag --output text 2>/dev/null) ||
  exit 0
[[ $etag != "$(cat "$state_dir/snapshot.answered" 2>/dev/null)" ]] || exit 0
request=$(aws s3 cp --only-show-errors "s3://$bucket/control/snapshot" - | head -c 200 | tr -cd 'A-Za-z0-9._:-')

answer=$(curl -fsS -m 300 -X POST "$url/api/v1/admin/tsdb/snapshot") || {
  echo "$prog: $url refused the snapshot (is --web.enable-admin-api set?)" >&2
  exit 1
}
name=$(jq -r 'select(.status == "success") | .data.name' <<<"$answer")
[[ $name =~ ^[A-Za-z0-9-]+$ && -d $data/snapshots/$name ]] || { echo "$prog: no snapshot in the answer: $answer" >&2; exit 1; }
snap=$data/snapshots/$name
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$snap"' EXIT

# Blocks are named by ULID, which sorts by time: newest first, until the cap.
total=0 blocks=() left=()
while IFS= read -r b; do
  size=$(du -sb "$snap/$b" | cut -f1)
  if ((total + size <= cap)); then
    blocks+=("$b")
    total=$((total + size))
  else
    left+=("$b")
  fi
done < <(find "$snap" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | LC_ALL=C sort -r)
tar -C "$snap" -czf "$tmp/snapshot.tar.gz" "${blocks[@]+"${blocks[@]}"}" --files-from /dev/null
aws s3 cp --only-show-errors "$tmp/snapshot.tar.gz" "s3://$bucket/tsdb/snapshot.tar.gz"
jq -cn --arg req "$request" --arg name "$name" --arg lbl "$label" --arg time "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  --argjson blocks "${#blocks[@]}" --argjson left "${#left[@]}" --argjson cap "$cap" \
  --argjson bytes "$(stat -c %s "$tmp/snapshot.tar.gz")" \
  '{schema: 1, request: $req, time: $time, name: $name, blocks: $blocks, blocks_left_out: $left,
    bytes: $bytes, cap_bytes: $cap, "label": (if $lbl == "" then null else $lbl end)}' |
  aws s3 cp --only-show-errors --content-type application/json - "s3://$bucket/tsdb/snapshot.json"
mkdir -p "$state_dir"
printf '%s\n' "$etag" >"$state_dir/snapshot.answered"
echo "$prog: ${#blocks[@]} block(s), ${#left[@]} left out by the cap, $(stat -c %s "$tmp/snapshot.tar.gz") bytes compressed, to s3://$bucket/tsdb/" >&2
