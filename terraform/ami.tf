# Which image the nodes boot: the newest baked pulsar-base AMI of this account
# ("auto"), stock Amazon Linux 2023 ("stock", installs at boot), or a given ID.
data "aws_ssm_parameter" "al2023" {
  count = var.ami == "stock" ? 1 : 0
  name  = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${var.architecture}"
}

data "aws_ami" "selected" {
  most_recent = true
  owners      = var.ami == "auto" ? ["self"] : (var.ami == "stock" ? ["amazon"] : null)

  filter {
    name   = var.ami == "auto" ? "name" : "image-id"
    values = [var.ami == "auto" ? "pulsar-base-${var.pulsar_version}-*" : (var.ami == "stock" ? nonsensitive(data.aws_ssm_parameter.al2023[0].value) : var.ami)]
  }
  filter {
    name   = "architecture"
    values = [var.architecture]
  }
  filter {
    name   = "state"
    values = ["available"]
  }
}

locals {
  ami_id = data.aws_ami.selected.id
  # The root volume may never be smaller than the image's root snapshot.
  ami_root_gb = max(0, [for m in data.aws_ami.selected.block_device_mappings :
  try(tonumber(m.ebs.volume_size), 0) if m.device_name == data.aws_ami.selected.root_device_name]...)
  install_at_boot = var.ami == "stock"
}
