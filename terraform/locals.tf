locals {
  experiment_name = var.experiment_name == "" ? var.experiment_id : var.experiment_name
  # On every resource (provider default_tags) and, explicitly, on the volumes
  # created with the instances, which default_tags do not reach.
  default_tags = merge(var.tags, {
    Project      = "pulsar-aws-lab"
    ExperimentID = var.experiment_id
    Experiment   = local.experiment_name
    ManagedBy    = "terraform"
  })
}
