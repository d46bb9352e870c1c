locals {
  experiment_name = var.experiment_name == "" ? var.experiment_id : var.experiment_name
}
