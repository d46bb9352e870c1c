# The plc base AMI: Amazon Linux 2023 with Corretto 17, Apache Pulsar (SHA-512
# checked) in /opt/pulsar, OpenMessaging Benchmark built from a pinned commit
# in /opt/openmessaging-benchmark, the pulsar user, sysctl and limits.
# The same install scripts run at boot on the "stock" AMI path.
#
#   packer init . && packer build -var region=us-west-2 pulsar-base.pkr.hcl
# or `make ami` from the repository root.

packer {
  required_plugins {
    amazon = {
      source  = "github.com/hashicorp/amazon"
      version = "~> 1.3"
    }
  }
}

variable "region" {
  type        = string
  description = "AWS region to build in (defaults to $AWS_REGION)."
  default     = env("AWS_REGION")
  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "Set region (or AWS_REGION), e.g. us-west-2."
  }
}

variable "pulsar_version" {
  type        = string
  description = "Apache Pulsar version to install (x.y.z)."
  default     = "3.0.17"
  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.pulsar_version))
    error_message = "The pulsar_version must be x.y.z."
  }
}

variable "pulsar_sha512" {
  type        = string
  description = "Expected SHA-512 of the Pulsar tarball; empty uses the .sha512 file the ASF publishes."
  default     = ""
}

variable "omb_commit" {
  type        = string
  description = "openmessaging/benchmark commit to build."
  default     = "85599891321cafa2fb7065a63f009b4bb5374288"
  validation {
    condition     = can(regex("^[0-9a-f]{40}$", var.omb_commit))
    error_message = "The omb_commit must be a full commit ID."
  }
}

variable "architecture" {
  type        = string
  description = "x86_64 or arm64."
  default     = "x86_64"
  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "The architecture must be x86_64 or arm64."
  }
}

variable "instance_type" {
  type        = string
  description = "Build instance type; empty picks one for the architecture."
  default     = ""
}

variable "root_volume_gb" {
  type        = number
  description = "Root volume of the image, GB (instances may only be larger)."
  default     = 20
}

locals {
  stamp         = formatdate("YYYYMMDDhhmmss", timestamp())
  ami_name      = "pulsar-base-${var.pulsar_version}-${local.stamp}"
  instance_type = var.instance_type != "" ? var.instance_type : (var.architecture == "arm64" ? "m7g.large" : "m7i.large")
  tags = {
    Name           = local.ami_name
    Project        = "pulsar-aws-lab"
    PulsarVersion  = var.pulsar_version
    OmbCommit      = var.omb_commit
    Architecture   = var.architecture
    ManagedBy      = "packer"
    "plc:artifact" = "ami"
  }
}

data "amazon-parameterstore" "al2023" {
  region = var.region
  name   = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${var.architecture}"
}

source "amazon-ebs" "pulsar_base" {
  region                                    = var.region
  source_ami                                = data.amazon-parameterstore.al2023.value
  instance_type                             = local.instance_type
  ssh_username                              = "ec2-user"
  temporary_security_group_source_public_ip = true
  ami_name                                  = local.ami_name
  ami_description                           = "plc Pulsar ${var.pulsar_version} base image (OMB ${var.omb_commit})"
  imds_support                              = "v2.0"
  tags                                      = local.tags
  snapshot_tags                             = local.tags
  run_tags = {
    Name      = "packer-${local.ami_name}"
    Project   = "pulsar-aws-lab"
    ManagedBy = "packer"
  }

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }

  launch_block_device_mappings {
    device_name           = "/dev/xvda"
    volume_size           = var.root_volume_gb
    volume_type           = "gp3"
    delete_on_termination = true
  }
}

build {
  sources = ["source.amazon-ebs.pulsar_base"]

  provisioner "shell" {
    inline = ["cloud-init status --wait"]
  }

  # Packer passes environment_vars only through {{ .Vars }} (KEY='value'
  # pairs, single quotes escaped); sudo resets the environment, so env sets
  # them for the script. The last script prints the image's smoke result.
  provisioner "shell" {
    execute_command = "sudo env {{ .Vars }} bash '{{ .Path }}'"
    environment_vars = [
      "PULSAR_VERSION=${var.pulsar_version}",
      "PULSAR_SHA512=${var.pulsar_sha512}",
      "OMB_COMMIT=${var.omb_commit}",
    ]
    scripts = [
      "scripts/configure-system.sh",
      "scripts/install-pulsar.sh",
      "scripts/install-omb.sh",
      "scripts/install-monitoring.sh",
      "scripts/verify-image.sh",
    ]
  }

  post-processor "manifest" {
    output     = "packer-manifest.json"
    strip_path = true
  }
}
