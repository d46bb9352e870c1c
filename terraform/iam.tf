data "aws_iam_policy_document" "assume_ec2" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

# Under the project's path, where plc-reap looks for IAM leftovers.
resource "aws_iam_role" "node" {
  name               = "plc-${var.experiment_id}-node"
  path               = local.iam_path
  assume_role_policy = data.aws_iam_policy_document.assume_ec2.json
}

# The nodes' only permissions: the experiment's own bucket.
data "aws_iam_policy_document" "bucket_access" {
  statement {
    sid       = "ListExperimentBucket"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [aws_s3_bucket.lab.arn]
  }
  statement {
    sid       = "ReadWriteExperimentObjects"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.lab.arn}/*"]
  }
}

resource "aws_iam_policy" "bucket_access" {
  name        = "plc-${var.experiment_id}-bucket"
  path        = local.iam_path
  description = "Nodes of experiment ${var.experiment_id}: its bucket only"
  policy      = data.aws_iam_policy_document.bucket_access.json
}

resource "aws_iam_role_policy_attachment" "bucket_access" {
  role       = aws_iam_role.node.name
  policy_arn = aws_iam_policy.bucket_access.arn
}

resource "aws_iam_instance_profile" "node" {
  name = "plc-${var.experiment_id}-node"
  path = local.iam_path
  role = aws_iam_role.node.name
}
