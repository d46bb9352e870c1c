output "experiment_id" {
  description = "The experiment ID every resource is tagged with."
  value       = var.experiment_id
}

output "region" {
  description = "Region of the experiment."
  value       = var.region
}

output "bucket" {
  description = "The experiment bucket: inbox/ (workloads), outbox/ (results), status/ (node status)."
  value       = aws_s3_bucket.lab.bucket
}

output "ami_id" {
  description = "The AMI every node booted."
  value       = local.ami_id
}

output "nodes" {
  description = "Nodes by role: ids, private_ips, instance_types, in index order."
  value = { for role in keys(local.roles) : role => {
    ids            = [for i in range(local.roles[role].count) : aws_instance.node["${role}-${i}"].id]
    private_ips    = local.ips[role]
    instance_types = [for i in range(local.roles[role].count) : aws_instance.node["${role}-${i}"].instance_type]
  } }
}

output "instances" {
  description = "Every instance (id, role, index, instance_type, private_ip, spot) for cost and reaping."
  value = [for k, n in local.nodes : {
    id            = aws_instance.node[k].id
    role          = n.role
    index         = n.index
    instance_type = n.instance_type
    private_ip    = n.ip
    spot          = var.spot_enabled && !var.emulator
  }]
}

output "urls" {
  description = "Service URLs of the cluster as clients see them."
  value = {
    service_url       = "pulsar://${local.service_url}"
    http_url          = local.http_url
    zookeeper_connect = local.zk_connect
  }
}

output "monitor" {
  description = "The monitor node's Prometheus (private IP, URL, instance type), or null when monitoring is off."
  value = var.monitoring.enabled ? {
    private_ip    = local.monitor_ip
    url           = local.monitor_url
    instance_type = local.monitor_type
  } : null
}

output "status_keys" {
  description = "Bucket keys where each node writes its status JSON (booting, ready, failed)."
  value       = [for k, n in local.nodes : "status/${k}.json"]
}
