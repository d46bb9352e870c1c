# Every node has a fixed private IP (a host number per role), so each node's
# configuration is known before boot and all nodes launch at once.
locals {
  roles = {
    zookeeper  = var.zookeeper
    bookkeeper = var.bookkeeper
    broker     = var.broker
    client     = var.client
  }
  # First host number of each role inside the subnet (counts are bounded by
  # the variables' validation so the ranges never overlap).
  role_host_base = { zookeeper = 10, bookkeeper = 20, broker = 100, client = 150 }

  ips = { for role, r in local.roles :
    role => [for i in range(r.count) : cidrhost(var.subnet_cidr, local.role_host_base[role] + i)]
  }

  # The monitor node (Prometheus) at host number 200, past the clients'
  # range; it is not a Pulsar role and boots only when monitoring is enabled.
  monitor_ip  = cidrhost(var.subnet_cidr, 200)
  monitor_url = var.monitoring.enabled ? "http://${local.monitor_ip}:9090" : ""
  # Small and burstable: it scrapes, it does not carry the benchmark.
  monitor_type = coalesce(var.monitoring.instance_type, var.architecture == "arm64" ? "t4g.small" : "t3.small")
  monitor_nodes = var.monitoring.enabled ? { "monitor-0" = {
    role          = "monitor"
    index         = 0
    ip            = local.monitor_ip
    instance_type = local.monitor_type
    root_gb       = max(var.monitoring.root_volume_gb, local.ami_root_gb)
  } } : {}

  nodes = merge(merge([for role, r in local.roles : {
    for i in range(r.count) : "${role}-${i}" => {
      role          = role
      index         = i
      ip            = local.ips[role][i]
      instance_type = r.instance_type
      root_gb       = max(r.root_volume_gb, local.ami_root_gb)
    }
  }]...), local.monitor_nodes)

  # What Prometheus scrapes (job names as metrics/queries.json has them):
  # node_exporter on every node, and each Pulsar role's own endpoint, the
  # ports its config opens (broker webServicePort, bookie
  # prometheusStatsHttpPort, ZooKeeper metricsProvider.httpPort).
  metrics_ports = { node = 9100, broker = 8080, bookie = 8000, zookeeper = 8000 }
  role_job      = { broker = "broker", bookkeeper = "bookie", zookeeper = "zookeeper" }
  scrape_targets = flatten([for k, n in local.nodes : concat(
    [{ job = "node", node = k, role = n.role, target = "${n.ip}:${local.metrics_ports.node}" }],
    contains(keys(local.role_job), n.role) ? [{ job = local.role_job[n.role], node = k, role = n.role,
    target = "${n.ip}:${local.metrics_ports[local.role_job[n.role]]}" }] : [],
  )])

  bookie_ebs = var.bookkeeper_storage.instance_store ? {} : {
    journal = merge(var.bookkeeper_storage.journal, { device = "/dev/sdf" })
    ledger  = merge(var.bookkeeper_storage.ledger, { device = "/dev/sdg" })
  }

  service_url = join(",", [for ip in local.ips.broker : "${ip}:6650"])
  http_url    = "http://${local.ips.broker[0]}:8080"
  zk_connect  = join(",", [for ip in local.ips.zookeeper : "${ip}:2181"])

  common_vars = {
    experiment_id   = var.experiment_id
    bucket          = aws_s3_bucket.lab.bucket
    region          = var.region
    ttl_hours       = var.ttl_hours
    pulsar_version  = var.pulsar_version
    pulsar_sha512   = var.pulsar_sha512
    omb_commit      = var.omb_commit
    install_at_boot = local.install_at_boot
    install_scripts = local.install_at_boot ? local.install_scripts : ""
    collect_logs    = file("${path.module}/../user-data/collect-logs.sh")
  }

  install_scripts = join("\n", [for f in ["configure-system.sh", "install-pulsar.sh", "install-omb.sh", "install-monitoring.sh"] :
    "plc_install_${replace(trimsuffix(f, ".sh"), "-", "_")}() {\n(\n${file("${path.module}/../packer/scripts/${f}")}\n)\n}"
  ])

  role_vars = {
    cluster        = var.cluster
    ips            = local.ips
    zk_connect     = local.zk_connect
    service_url    = local.service_url
    http_url       = local.http_url
    omb_command    = var.omb_command
    instance_store = var.bookkeeper_storage.instance_store
    runner         = file("${path.module}/../user-data/runner.sh")
    monitor_url    = local.monitor_url
    scrape_targets = local.scrape_targets
    prom_snapshot  = file("${path.module}/../user-data/prom-snapshot.sh")
    ttl_hours      = var.ttl_hours
  }

  user_data = { for k, n in local.nodes : k => join("\n", [
    templatefile("${path.module}/../user-data/common.sh.tpl", merge(local.common_vars, {
      role      = n.role
      index     = n.index
      ip        = n.ip
      heap_mb   = try(var.cluster[n.role].heap_mb, 0)
      direct_mb = try(var.cluster[n.role].direct_memory_mb, 0)
    })),
    templatefile("${path.module}/../user-data/${n.role}.sh.tpl", merge(local.role_vars, { index = n.index, ip = n.ip })),
  ]) }
}

resource "aws_instance" "node" {
  for_each = local.nodes

  ami                         = local.ami_id
  instance_type               = each.value.instance_type
  subnet_id                   = aws_subnet.lab.id
  private_ip                  = each.value.ip
  vpc_security_group_ids      = each.value.role == "monitor" ? [aws_security_group.monitor[0].id] : [aws_security_group.lab.id]
  iam_instance_profile        = aws_iam_instance_profile.node.name
  key_name                    = var.ssh_key_name
  associate_public_ip_address = true
  user_data_base64            = base64gzip(local.user_data[each.key])
  # The emulator cannot model this; on AWS it makes the TTL shutdown terminate.
  instance_initiated_shutdown_behavior = var.emulator ? null : "terminate"

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }

  root_block_device {
    volume_type           = "gp3"
    volume_size           = each.value.root_gb
    encrypted             = true
    delete_on_termination = true
    tags = merge(local.default_tags, {
      Name  = "plc-${var.experiment_id}-${each.key}-root"
      Role  = each.value.role
      Index = tostring(each.value.index)
    })
  }

  dynamic "ebs_block_device" {
    for_each = each.value.role == "bookkeeper" ? local.bookie_ebs : {}
    content {
      device_name           = ebs_block_device.value.device
      volume_type           = ebs_block_device.value.type
      volume_size           = ebs_block_device.value.size_gb
      iops                  = ebs_block_device.value.iops
      throughput            = var.emulator ? null : ebs_block_device.value.throughput
      encrypted             = true
      delete_on_termination = true
      tags = merge(local.default_tags, {
        Name  = "plc-${var.experiment_id}-${each.key}-${ebs_block_device.key}"
        Role  = each.value.role
        Index = tostring(each.value.index)
        Disk  = ebs_block_device.key
      })
    }
  }

  dynamic "instance_market_options" {
    for_each = var.spot_enabled && !var.emulator ? [1] : []
    content {
      market_type = "spot"
      spot_options {
        instance_interruption_behavior = "terminate"
        spot_instance_type             = "one-time"
        max_price                      = var.spot_max_price
      }
    }
  }

  tags = {
    Name  = "plc-${var.experiment_id}-${each.key}"
    Role  = each.value.role
    Index = tostring(each.value.index)
  }

  depends_on = [
    aws_s3_object.toolkit,
    aws_route_table_association.lab,
    aws_vpc_endpoint.s3,
    aws_iam_role_policy_attachment.bucket_access,
  ]
}
