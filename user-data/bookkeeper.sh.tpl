# --- bookkeeper ---------------------------------------------------------
# Disks: EBS volumes attached at launch (/dev/sdf journal, /dev/sdg ledger)
# or the NVMe instance store. Formatted only when they hold no filesystem.

# ebs_disk NAME: the block device EC2 attached as /dev/NAME. On Nitro it is
# an NVMe namespace whose controller carries the requested name (udev links
# /dev/NAME on Amazon Linux; ebsnvme-id reads it otherwise) and whose serial
# is the volume ID.
ebs_disk() {
  local name=$1 sys dev
  if [[ -e $R/dev/$name ]]; then
    readlink -f "$R/dev/$name"
    return
  fi
  for sys in "$R"/sys/block/nvme*n1; do
    [[ -e $sys ]] || continue
    dev=$R/dev/$${sys##*/}
    if [[ $(ebsnvme-id -b "$dev" 2>/dev/null) == @(/dev/|)"$name" ]]; then
      printf '%s\n' "$dev"
      return
    fi
  done
  return 1
}

instance_store_disks() {
  local sys
  for sys in "$R"/sys/block/nvme*n1; do
    [[ -e $sys/device/model ]] || continue
    if grep -q 'Instance Storage' "$sys/device/model"; then
      printf '%s\n' "$R/dev/$${sys##*/}"
    fi
  done
}

volume_id() {
  local serial=$R/sys/block/$${1##*/}/device/serial
  if [[ -r $serial ]]; then tr -d ' ' <"$serial" | sed 's/^vol\([^-]\)/vol-\1/'; else echo unknown; fi
}

# mount_disk DEVICE DIR LABEL
mount_disk() {
  local dev=$1 dir=$2 label=$3 uuid
  if [[ -z $(blkid -o value -s TYPE "$dev" || true) ]]; then
    log "formatting $dev ($label)"
    mkfs.xfs -q -L "$label" "$dev"
  else
    log "$dev already has a filesystem; kept"
  fi
  uuid=$(blkid -o value -s UUID "$dev")
  mkdir -p "$R$dir"
  if ! grep -q "^UUID=$uuid " "$R/etc/fstab" 2>/dev/null; then
    printf 'UUID=%s %s xfs defaults,noatime,nofail 0 2\n' "$uuid" "$dir" >>"$R/etc/fstab"
  fi
  mountpoint -q "$R$dir" || mount "$R$dir"
}

# Journal and ledgers always go to the data disks, never to the root volume:
# the journal on the first disk, ledgers on each other one; with one disk
# (i3en.large, i3en.xlarge) both are directories of its filesystem.
# BookKeeper reads both keys as comma-separated lists of directories
# (apache/bookkeeper conf/bk_server.conf:312-316 and 424-432 at 9590a97f67).
%{ if instance_store ~}
mapfile -t disks < <(instance_store_disks)
if (($${#disks[@]} == 0)); then
  log "no NVMe instance store found"
  false
fi
%{ else ~}
wait_for "journal volume /dev/sdf" 300 ebs_disk sdf
wait_for "ledger volume /dev/sdg" 300 ebs_disk sdg
disks=("$(ebs_disk sdf)" "$(ebs_disk sdg)")
log "journal $${disks[0]} ($(volume_id "$${disks[0]}")), ledger $${disks[1]} ($(volume_id "$${disks[1]}"))"
%{ endif ~}
if (($${#disks[@]} == 1)) || [[ $${disks[1]} == "$${disks[0]}" ]]; then
  mount_disk "$${disks[0]}" /mnt/data bk-data
  journal_dirs=/mnt/data/journal ledger_dirs=/mnt/data/ledgers
else
  mount_disk "$${disks[0]}" /mnt/journal bk-journal
  journal_dirs=/mnt/journal/bookkeeper ledger_dirs=
  for ((i = 1; i < $${#disks[@]}; i++)); do
    suffix=$i
    ((i > 1)) || suffix=
    dir=/mnt/ledgers$suffix
    mount_disk "$${disks[i]}" "$dir" "bk-ledgers$suffix"
    ledger_dirs+=$${ledger_dirs:+,}$dir/bookkeeper
  done
fi
log "journal in $journal_dirs, ledgers in $ledger_dirs"
for dir in $${journal_dirs//,/ } $${ledger_dirs//,/ }; do
  mkdir -p "$R$dir"
  chown pulsar:pulsar "$R$dir"
done

{
  cat <<'CONF'
metadataServiceUri=zk+hierarchical://${replace(zk_connect, ",", ";")}/ledgers
zkTimeout=${cluster.broker.zookeeper_session_timeout_ms}
bookiePort=3181
advertisedAddress=${ip}
CONF
  printf 'journalDirectories=%s\nledgerDirectories=%s\n' "$journal_dirs" "$ledger_dirs"
  cat <<'CONF'
ledgerStorageClass=org.apache.bookkeeper.bookie.storage.ldb.DbLedgerStorage
journalSyncData=${cluster.bookkeeper.journal_sync_data}
journalMaxGroupWaitMSec=${cluster.bookkeeper.journal_max_group_wait_ms}
journalWriteBufferSizeKB=${cluster.bookkeeper.journal_write_buffer_kb}
dbStorage_writeCacheMaxSizeMb=${cluster.bookkeeper.write_cache_mb}
dbStorage_readAheadCacheMaxSizeMb=${cluster.bookkeeper.read_ahead_cache_mb}
numAddWorkerThreads=${cluster.bookkeeper.add_worker_threads}
numReadWorkerThreads=${cluster.bookkeeper.read_worker_threads}
prometheusStatsHttpPort=8000
CONF
} | write_conf "$PULSAR_HOME/conf/bookkeeper.conf"

wait_for "ZooKeeper quorum" 900 zk_quorum ${join(" ", ips.zookeeper)}

# BookKeeper metadata: formatted once, by bookie 0, and never with -force:
# without it metaformat refuses to touch existing metadata.
if ((INDEX == 0)) && ! marker_exists bookkeeper-metaformat; then
  if pulsar_cli bookkeeper shell metaformat -nonInteractive; then
    log "BookKeeper metadata formatted"
  else
    log "BookKeeper metadata exists already; left as it is"
  fi
  marker_put bookkeeper-metaformat
fi
wait_for "BookKeeper metadata" 900 marker_exists bookkeeper-metaformat

write_unit bookkeeper /opt/pulsar "/opt/pulsar/bin/pulsar bookie" \
  "PULSAR_MEM=$(jvm_mem)" "BOOKIE_MEM=$(jvm_mem)" "PULSAR_LOG_DIR=/var/log/pulsar" "BOOKIE_LOG_DIR=/var/log/pulsar"
start_unit bookkeeper

wait_for "bookie registered" 900 bookies_registered ${zk_connect} ${ip}
status ready
log "bookie ${index} ready"
