# Inputs of the experiment module. plc-tfvars writes terraform.tfvars.json
# with these names; once published, names are only ever added, never changed.

variable "experiment_id" {
  description = "Unique experiment ID (lower-case letters, digits, hyphens; 3-46 chars). Tags every resource and names the bucket."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,44}[a-z0-9]$", var.experiment_id))
    error_message = "experiment_id must be 3-46 characters of a-z, 0-9 and '-', starting and ending with a letter or digit."
  }
}

variable "experiment_name" {
  description = "Human-readable experiment name (tag Experiment); empty means the experiment ID."
  type        = string
  default     = ""

  validation {
    condition     = length(var.experiment_name) <= 128 && can(regex("^[A-Za-z0-9 _.:/=+@-]*$", var.experiment_name))
    error_message = "experiment_name must be at most 128 characters of letters, digits, spaces and _.:/=+@-."
  }
}

variable "region" {
  description = "AWS region of the experiment, e.g. us-west-2 (no default: the plan says where)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must look like an AWS region name, e.g. us-west-2."
  }
}

variable "availability_zone" {
  description = "Availability zone of the subnet; null picks the region's first available zone."
  type        = string
  default     = null

  validation {
    condition     = var.availability_zone == null || can(regex("^${var.region}[a-z]$", var.availability_zone))
    error_message = "availability_zone must be a zone of the region, e.g. us-west-2a."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR of the experiment VPC."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 24
    error_message = "vpc_cidr must be an IPv4 CIDR with a prefix length between /16 and /24."
  }
}

variable "subnet_cidr" {
  description = "IPv4 CIDR of the one subnet, inside vpc_cidr and at least a /24 (nodes get fixed host numbers 10-249)."
  type        = string
  default     = "10.0.1.0/24"

  validation {
    condition     = can(cidrhost(var.subnet_cidr, 0)) && tonumber(split("/", var.subnet_cidr)[1]) <= 24 && tonumber(split("/", var.subnet_cidr)[1]) >= 16
    error_message = "subnet_cidr must be an IPv4 CIDR with a prefix length between /16 and /24."
  }
}

variable "tags" {
  description = "Extra tags for every resource; they cannot override Project, ExperimentID, Experiment or ManagedBy."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([for k, v in var.tags :
      length(k) >= 1 && length(k) <= 128 && length(v) <= 256 && !startswith(lower(k), "aws:")
      && !contains(["Project", "ExperimentID", "Experiment", "ManagedBy", "Name", "Role", "Index"], k)
    ])
    error_message = "tags: keys 1-128 chars, values at most 256, no 'aws:' prefix, and not one of Project, ExperimentID, Experiment, ManagedBy, Name, Role, Index."
  }
}

variable "allowed_ssh_cidrs" {
  description = "CIDRs allowed to reach port 22; empty (the default) opens no SSH at all. 0.0.0.0/0 is refused."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.allowed_ssh_cidrs : can(cidrhost(c, 0)) && !endswith(c, "/0")])
    error_message = "allowed_ssh_cidrs must be valid CIDRs, none of them /0 (the whole internet)."
  }
}

variable "ssh_key_name" {
  description = "Name of an existing EC2 key pair for SSH; null launches without one."
  type        = string
  default     = null

  validation {
    condition     = var.ssh_key_name == null || length(coalesce(var.ssh_key_name, "x")) <= 255
    error_message = "ssh_key_name must be at most 255 characters."
  }
}

variable "ami" {
  description = "\"auto\": newest pulsar-base-<pulsar_version>-* AMI owned by this account; \"stock\": newest Amazon Linux 2023 (installs at boot); or an AMI ID."
  type        = string
  default     = "auto"

  validation {
    condition     = contains(["auto", "stock"], var.ami) || can(regex("^ami-[0-9a-f]{8,17}$", var.ami))
    error_message = "ami must be \"auto\", \"stock\" or an AMI ID like ami-0123456789abcdef0."
  }
}

variable "architecture" {
  description = "CPU architecture of every node and of the AMI looked up: x86_64 or arm64."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be x86_64 or arm64."
  }
}

variable "pulsar_version" {
  description = "Apache Pulsar version (x.y.z): selects the AMI (auto) or the tarball installed at boot (stock)."
  type        = string
  default     = "3.0.17"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.pulsar_version))
    error_message = "pulsar_version must be x.y.z, e.g. 3.0.17."
  }
}

variable "pulsar_sha512" {
  description = "Expected SHA-512 of apache-pulsar-<version>-bin.tar.gz for the stock path; empty means the .sha512 file published beside the tarball."
  type        = string
  default     = ""

  validation {
    condition     = var.pulsar_sha512 == "" || can(regex("^[0-9a-f]{128}$", var.pulsar_sha512))
    error_message = "pulsar_sha512 must be empty or 128 lower-case hex digits."
  }
}

variable "omb_commit" {
  description = "openmessaging/benchmark commit built on the stock path (the AMI has its own, baked in)."
  type        = string
  default     = "85599891321cafa2fb7065a63f009b4bb5374288"

  validation {
    condition     = can(regex("^[0-9a-f]{40}$", var.omb_commit))
    error_message = "omb_commit must be a full 40-hex-digit commit ID."
  }
}

variable "ttl_hours" {
  description = "Hours after boot at which every instance shuts itself down (and so terminates): the cost bound if the operator disappears."
  type        = number
  default     = 8

  validation {
    condition     = var.ttl_hours >= 1 && var.ttl_hours <= 168 && floor(var.ttl_hours) == var.ttl_hours
    error_message = "ttl_hours must be a whole number between 1 and 168."
  }
}

variable "spot_enabled" {
  description = "Launch every node as a one-time spot instance (ignored in emulator mode)."
  type        = bool
  default     = false
}

variable "spot_max_price" {
  description = "Maximum spot price in USD per hour as a decimal string; null caps at the on-demand price."
  type        = string
  default     = null

  validation {
    condition     = var.spot_max_price == null || can(regex("^[0-9]+(\\.[0-9]+)?$", coalesce(var.spot_max_price, "0")))
    error_message = "spot_max_price must be null or a decimal number such as \"0.25\"."
  }
}

variable "zookeeper" {
  description = "ZooKeeper nodes: count (odd, 1-9), instance_type, root_volume_gb (raised to the AMI snapshot size when smaller)."
  type = object({
    count          = number
    instance_type  = string
    root_volume_gb = optional(number, 30)
  })
  default = { count = 3, instance_type = "t3.small" }

  validation {
    condition     = contains([1, 3, 5, 7, 9], var.zookeeper.count)
    error_message = "zookeeper.count must be odd, between 1 and 9."
  }
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.zookeeper.instance_type)) && var.zookeeper.root_volume_gb >= 8 && var.zookeeper.root_volume_gb <= 16384
    error_message = "zookeeper.instance_type must look like t3.small and root_volume_gb be 8-16384."
  }
}

variable "bookkeeper" {
  description = "BookKeeper nodes (bookies): count (1-80), instance_type, root_volume_gb."
  type = object({
    count          = number
    instance_type  = string
    root_volume_gb = optional(number, 30)
  })
  default = { count = 3, instance_type = "t3.medium" }

  validation {
    condition     = var.bookkeeper.count >= 1 && var.bookkeeper.count <= 80 && floor(var.bookkeeper.count) == var.bookkeeper.count
    error_message = "bookkeeper.count must be a whole number between 1 and 80."
  }
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.bookkeeper.instance_type)) && var.bookkeeper.root_volume_gb >= 8 && var.bookkeeper.root_volume_gb <= 16384
    error_message = "bookkeeper.instance_type must look like i3en.large and root_volume_gb be 8-16384."
  }
}

variable "broker" {
  description = "Pulsar brokers: count (1-50), instance_type, root_volume_gb."
  type = object({
    count          = number
    instance_type  = string
    root_volume_gb = optional(number, 30)
  })
  default = { count = 2, instance_type = "t3.medium" }

  validation {
    condition     = var.broker.count >= 1 && var.broker.count <= 50 && floor(var.broker.count) == var.broker.count
    error_message = "broker.count must be a whole number between 1 and 50."
  }
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.broker.instance_type)) && var.broker.root_volume_gb >= 8 && var.broker.root_volume_gb <= 16384
    error_message = "broker.instance_type must look like m5.large and root_volume_gb be 8-16384."
  }
}

variable "client" {
  description = "Benchmark clients: count (1-50); client 0 runs the OMB driver and the runner, the others OMB workers."
  type = object({
    count          = number
    instance_type  = string
    root_volume_gb = optional(number, 30)
  })
  default = { count = 1, instance_type = "t3.medium" }

  validation {
    condition     = var.client.count >= 1 && var.client.count <= 50 && floor(var.client.count) == var.client.count
    error_message = "client.count must be a whole number between 1 and 50."
  }
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.client.instance_type)) && var.client.root_volume_gb >= 8 && var.client.root_volume_gb <= 16384
    error_message = "client.instance_type must look like c5.large and root_volume_gb be 8-16384."
  }
}

variable "bookkeeper_storage" {
  description = "Bookie disks: journal and ledger EBS volumes (size_gb, type gp3|gp2|io1|io2|st1, iops, throughput MB/s), or instance_store = true to use the NVMe instance store of i3/i3en/i4i types."
  type = object({
    instance_store = optional(bool, false)
    journal = optional(object({
      size_gb    = optional(number, 20)
      type       = optional(string, "gp3")
      iops       = optional(number)
      throughput = optional(number)
    }), {})
    ledger = optional(object({
      size_gb    = optional(number, 50)
      type       = optional(string, "gp3")
      iops       = optional(number)
      throughput = optional(number)
    }), {})
  })
  default = {}

  validation {
    condition = alltrue([for v in [var.bookkeeper_storage.journal, var.bookkeeper_storage.ledger] :
      contains(["gp3", "gp2", "io1", "io2", "st1"], v.type) && v.size_gb >= 1 && v.size_gb <= 16384
    ])
    error_message = "bookkeeper_storage journal/ledger: type must be gp3, gp2, io1, io2 or st1 and size_gb 1-16384."
  }
  validation {
    condition = alltrue([for v in [var.bookkeeper_storage.journal, var.bookkeeper_storage.ledger] :
      (contains(["io1", "io2"], v.type) ? v.iops != null : (v.type == "gp3" || v.iops == null))
      && (v.type == "gp3" || v.throughput == null)
      && (v.iops == null || try(v.iops >= 3000 && v.iops <= 256000, false))
      && (v.throughput == null || try(v.throughput >= 125 && v.throughput <= 2000, false))
    ])
    error_message = "bookkeeper_storage: iops (3000-256000) is required for io1/io2 and allowed for gp3 only; throughput (125-2000 MB/s) only for gp3."
  }
  validation {
    condition = alltrue([for v in [var.bookkeeper_storage.journal, var.bookkeeper_storage.ledger] :
      (v.type != "st1" || v.size_gb >= 125)
      && (v.type != "gp3" || v.throughput == null || try(v.throughput * 4 <= coalesce(v.iops, 3000), false))
    ])
    error_message = "bookkeeper_storage: an st1 volume is at least 125 GiB; gp3 throughput is at most 0.25 MiB/s per provisioned IOPS (3000 IOPS when iops is not set)."
  }
  validation {
    condition     = !var.bookkeeper_storage.instance_store || can(regex("^(i3|i3en|i4i)\\.", var.bookkeeper.instance_type))
    error_message = "bookkeeper_storage.instance_store needs a bookkeeper instance type with NVMe instance store (i3, i3en, i4i)."
  }
}

variable "monitoring" {
  description = "The monitor node: Prometheus scraping every node (node_exporter, broker, bookie, ZooKeeper) at a fixed IP; enabled (default true), instance_type (null: t3.small, t4g.small on arm64), root_volume_gb (the TSDB lives there)."
  type = object({
    enabled        = optional(bool, true)
    instance_type  = optional(string)
    root_volume_gb = optional(number, 30)
  })
  default = {}

  validation {
    condition     = (var.monitoring.instance_type == null || can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.monitoring.instance_type))) && var.monitoring.root_volume_gb >= 8 && var.monitoring.root_volume_gb <= 16384
    error_message = "monitoring.instance_type must look like t3.small and root_volume_gb be 8-16384."
  }
}

variable "cluster" {
  description = "Pulsar cluster settings written into the configs by user-data; every attribute is optional. Memory in MB, times in ms unless named otherwise."
  type = object({
    name = optional(string, "pulsar-lab")
    zookeeper = optional(object({
      heap_mb                = optional(number, 512)
      tick_time_ms           = optional(number, 2000)
      init_limit_ticks       = optional(number, 10)
      sync_limit_ticks       = optional(number, 5)
      max_session_timeout_ms = optional(number, 40000)
    }), {})
    bookkeeper = optional(object({
      heap_mb                   = optional(number, 1024)
      direct_memory_mb          = optional(number, 1024)
      journal_sync_data         = optional(bool, true)
      journal_max_group_wait_ms = optional(number, 1)
      journal_write_buffer_kb   = optional(number, 64)
      write_cache_mb            = optional(number, 256)
      read_ahead_cache_mb       = optional(number, 256)
      add_worker_threads        = optional(number, 0)
      read_worker_threads       = optional(number, 8)
    }), {})
    broker = optional(object({
      heap_mb                      = optional(number, 1024)
      direct_memory_mb             = optional(number, 1024)
      managed_ledger_cache_mb      = optional(number, 256)
      ensemble_size                = optional(number, 3)
      write_quorum                 = optional(number, 3)
      ack_quorum                   = optional(number, 2)
      retention_time_minutes       = optional(number, 0)
      retention_size_mb            = optional(number, 0)
      deduplication_enabled        = optional(bool, false)
      default_partitions           = optional(number, 1)
      zookeeper_session_timeout_ms = optional(number, 30000)
    }), {})
    client = optional(object({
      heap_mb                       = optional(number, 1024)
      namespace_prefix              = optional(string, "benchmark/ns")
      topic_type                    = optional(string, "persistent")
      io_threads                    = optional(number, 8)
      connections_per_broker        = optional(number, 8)
      batching_enabled              = optional(bool, true)
      batching_max_publish_delay_ms = optional(number, 1)
      batching_max_bytes            = optional(number, 131072)
      block_if_queue_full           = optional(bool, true)
      pending_queue_size            = optional(number, 0)
      receiver_queue_size           = optional(number, 10000)
      subscription_type             = optional(string, "Failover")
    }), {})
  })
  default = {}

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9_-]{0,62}$", var.cluster.name))
    error_message = "cluster.name must start with a letter and hold only letters, digits, '_' and '-' (max 63)."
  }
  validation {
    condition = alltrue([for m in [var.cluster.zookeeper.heap_mb, var.cluster.bookkeeper.heap_mb, var.cluster.bookkeeper.direct_memory_mb,
      var.cluster.broker.heap_mb, var.cluster.broker.direct_memory_mb, var.cluster.client.heap_mb] :
    m >= 128 && m <= 1048576 && floor(m) == m])
    error_message = "cluster: every heap_mb and direct_memory_mb must be a whole number of MB between 128 and 1048576."
  }
  validation {
    condition = (var.cluster.broker.ack_quorum >= 1
      && var.cluster.broker.ack_quorum <= var.cluster.broker.write_quorum
      && var.cluster.broker.write_quorum <= var.cluster.broker.ensemble_size
    && var.cluster.broker.ensemble_size <= var.bookkeeper.count)
    error_message = "cluster.broker quorums must satisfy 1 <= ack_quorum <= write_quorum <= ensemble_size <= bookkeeper.count."
  }
  validation {
    condition     = var.cluster.broker.managed_ledger_cache_mb >= 0 && var.cluster.broker.managed_ledger_cache_mb < var.cluster.broker.direct_memory_mb
    error_message = "cluster.broker.managed_ledger_cache_mb must be below the broker's direct_memory_mb."
  }
  validation {
    condition     = var.cluster.bookkeeper.write_cache_mb + var.cluster.bookkeeper.read_ahead_cache_mb < var.cluster.bookkeeper.direct_memory_mb
    error_message = "cluster.bookkeeper write_cache_mb + read_ahead_cache_mb must be below the bookie's direct_memory_mb."
  }
  validation {
    condition = (var.cluster.zookeeper.tick_time_ms >= 100 && var.cluster.zookeeper.init_limit_ticks >= 1
      && var.cluster.zookeeper.sync_limit_ticks >= 1
      && var.cluster.zookeeper.max_session_timeout_ms >= 2 * var.cluster.zookeeper.tick_time_ms
    && var.cluster.broker.zookeeper_session_timeout_ms <= var.cluster.zookeeper.max_session_timeout_ms)
    error_message = "cluster.zookeeper timing: tick_time_ms >= 100, limits >= 1 tick, max_session_timeout_ms >= 2 ticks and >= broker.zookeeper_session_timeout_ms."
  }
  validation {
    condition = (can(regex("^[a-zA-Z0-9_-]+/[a-zA-Z0-9_.-]+$", var.cluster.client.namespace_prefix))
      && contains(["persistent", "non_persistent"], var.cluster.client.topic_type)
      && contains(["Exclusive", "Shared", "Failover", "Key_Shared"], var.cluster.client.subscription_type)
      && var.cluster.client.io_threads >= 1 && var.cluster.client.connections_per_broker >= 1
      && var.cluster.client.batching_max_publish_delay_ms >= 0 && var.cluster.client.batching_max_bytes >= 1
    && var.cluster.client.pending_queue_size >= 0 && var.cluster.client.receiver_queue_size >= 0)
    error_message = "cluster.client (the OMB driver): namespace_prefix tenant/namespace, topic_type persistent|non_persistent, subscription_type Exclusive|Shared|Failover|Key_Shared, counts and sizes >= 0 (threads, connections >= 1)."
  }
  validation {
    condition = (var.cluster.broker.retention_time_minutes >= -1 && var.cluster.broker.retention_size_mb >= -1
      && var.cluster.broker.default_partitions >= 1 && var.cluster.bookkeeper.journal_max_group_wait_ms >= 0
      && var.cluster.bookkeeper.journal_write_buffer_kb >= 1 && var.cluster.bookkeeper.add_worker_threads >= 0
    && var.cluster.bookkeeper.read_worker_threads >= 1)
    error_message = "cluster: retention values >= -1 (-1 = unlimited), default_partitions >= 1, bookkeeper add_worker_threads >= 0 (0: on Netty's threads), read_worker_threads >= 1."
  }
}

variable "omb_command" {
  description = "Benchmark command the client runner starts from the OMB root, followed by --drivers FILE [--workers LIST] -o RESULT WORKLOAD; local mode replaces it with a fake."
  type        = string
  default     = "bin/benchmark"

  validation {
    condition     = length(trimspace(var.omb_command)) > 0 && !strcontains(var.omb_command, "'")
    error_message = "omb_command must be non-empty and contain no single quote."
  }
}

variable "results_expiry_days" {
  description = "Days after which objects in the experiment bucket expire (the bucket itself is destroyed with the experiment)."
  type        = number
  default     = 14

  validation {
    condition     = var.results_expiry_days >= 1 && var.results_expiry_days <= 3650 && floor(var.results_expiry_days) == var.results_expiry_days
    error_message = "results_expiry_days must be a whole number between 1 and 3650."
  }
}

variable "emulator" {
  description = "Set only by local mode (moto): turns off exactly what the emulator cannot model (shutdown behaviour, gp3 throughput, spot, AWS-managed policies, the bucket's lifecycle rule and TLS-only policy)."
  type        = bool
  default     = false
}
