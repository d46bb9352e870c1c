data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  availability_zone = coalesce(var.availability_zone, data.aws_availability_zones.available.names[0])
}

resource "aws_vpc" "lab" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = { Name = "plc-${var.experiment_id}" }
}

resource "aws_subnet" "lab" {
  vpc_id            = aws_vpc.lab.id
  cidr_block        = var.subnet_cidr
  availability_zone = local.availability_zone
  # Outbound only (packages on the stock path); nothing inbound from the
  # internet is allowed by the security group.
  map_public_ip_on_launch = true

  tags = { Name = "plc-${var.experiment_id}" }
}

resource "aws_internet_gateway" "lab" {
  vpc_id = aws_vpc.lab.id

  tags = { Name = "plc-${var.experiment_id}" }
}

resource "aws_route_table" "lab" {
  vpc_id = aws_vpc.lab.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.lab.id
  }

  tags = { Name = "plc-${var.experiment_id}" }
}

resource "aws_route_table_association" "lab" {
  subnet_id      = aws_subnet.lab.id
  route_table_id = aws_route_table.lab.id
}

# Bucket traffic (status, workloads, results) stays inside the VPC.
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.lab.id
  service_name      = "com.amazonaws.${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.lab.id]

  tags = { Name = "plc-${var.experiment_id}-s3" }
}

resource "aws_security_group" "lab" {
  name        = "plc-${var.experiment_id}"
  description = "Pulsar lab ${var.experiment_id}: cluster members only"
  vpc_id      = aws_vpc.lab.id

  tags = { Name = "plc-${var.experiment_id}" }
}

locals {
  # Ports open between members of the security group, and nowhere else.
  member_ports = {
    zookeeper-client   = 2181
    zookeeper-peer     = 2888
    zookeeper-election = 3888
    bookie             = 3181
    broker-binary      = 6650
    broker-http        = 8080
    omb-worker-http    = 8081
  }
  # Metrics ports (local.metrics_ports), open to the monitor node only.
  monitor_ports = var.monitoring.enabled ? {
    node-exporter     = local.metrics_ports.node
    broker-metrics    = local.metrics_ports.broker
    bookie-zk-metrics = local.metrics_ports.bookie
  } : {}
}

resource "aws_vpc_security_group_ingress_rule" "member" {
  for_each = local.member_ports

  security_group_id            = aws_security_group.lab.id
  referenced_security_group_id = aws_security_group.lab.id
  ip_protocol                  = "tcp"
  from_port                    = each.value
  to_port                      = each.value
  description                  = each.key

  tags = { Name = "plc-${var.experiment_id}-${each.key}" }
}

resource "aws_vpc_security_group_ingress_rule" "ssh" {
  for_each = toset(var.allowed_ssh_cidrs)

  security_group_id = aws_security_group.lab.id
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  description       = "ssh"

  tags = { Name = "plc-${var.experiment_id}-ssh" }
}

resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.lab.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
  description       = "outbound"

  tags = { Name = "plc-${var.experiment_id}-egress" }
}

# The monitor node: its own group, so that it reaches the members' metrics
# ports and nothing else, and only the runner on client 0 (a member) reaches
# its Prometheus.
resource "aws_security_group" "monitor" {
  count = var.monitoring.enabled ? 1 : 0

  name        = "plc-${var.experiment_id}-monitor"
  description = "Pulsar lab ${var.experiment_id}: monitor node"
  vpc_id      = aws_vpc.lab.id

  tags = { Name = "plc-${var.experiment_id}-monitor" }
}

resource "aws_vpc_security_group_ingress_rule" "metrics" {
  for_each = local.monitor_ports

  security_group_id            = aws_security_group.lab.id
  referenced_security_group_id = aws_security_group.monitor[0].id
  ip_protocol                  = "tcp"
  from_port                    = each.value
  to_port                      = each.value
  description                  = each.key

  tags = { Name = "plc-${var.experiment_id}-${each.key}" }
}

resource "aws_vpc_security_group_ingress_rule" "prometheus" {
  count = var.monitoring.enabled ? 1 : 0

  security_group_id            = aws_security_group.monitor[0].id
  referenced_security_group_id = aws_security_group.lab.id
  ip_protocol                  = "tcp"
  from_port                    = 9090
  to_port                      = 9090
  description                  = "prometheus"

  tags = { Name = "plc-${var.experiment_id}-prometheus" }
}

resource "aws_vpc_security_group_ingress_rule" "monitor_ssh" {
  for_each = var.monitoring.enabled ? toset(var.allowed_ssh_cidrs) : toset([])

  security_group_id = aws_security_group.monitor[0].id
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  description       = "ssh"

  tags = { Name = "plc-${var.experiment_id}-monitor-ssh" }
}

resource "aws_vpc_security_group_egress_rule" "monitor" {
  count = var.monitoring.enabled ? 1 : 0

  security_group_id = aws_security_group.monitor[0].id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
  description       = "outbound"

  tags = { Name = "plc-${var.experiment_id}-monitor-egress" }
}
