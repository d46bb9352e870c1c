locals {
  experiment_name = var.experiment_name == "" ? var.experiment_id : var.experiment_name
  # plc-reap(1) finds IAM roles, policies and instance profiles under this path.
  iam_path = "/pulsar-aws-lab/"
  # On every resource (provider default_tags) and, explicitly, on the volumes
  # created with the instances, which default_tags do not reach.
  default_tags = merge(var.tags, {
    Project      = "pulsar-aws-lab"
    ExperimentID = var.experiment_id
    Experiment   = local.experiment_name
    ManagedBy    = "terraform"
  })
}
