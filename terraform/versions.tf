# Local state only: the lifecycle passes the experiment's own state path
# (terraform init -backend-config=path=...), so experiments never share one.
terraform {
  required_version = ">= 1.9.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  backend "local" {}
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.default_tags
  }
}
