data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

resource "aws_s3_bucket" "lab" {
  # Globally unique and known at plan time, so user-data can name it.
  bucket        = "plc-${data.aws_caller_identity.current.account_id}-${var.experiment_id}"
  force_destroy = true

  tags = { Name = "plc-${var.experiment_id}" }
}

# What client 0's runner needs from the repo to answer the queries after
# each run, fetched at boot (user-data is at most 16 KB): prom-export and
# the one file of queries.
resource "aws_s3_object" "toolkit" {
  for_each = var.monitoring.enabled ? {
    "toolkit/prom-export"  = "${path.module}/../scripts/prom-export"
    "toolkit/queries.json" = "${path.module}/../metrics/queries.json"
  } : {}

  bucket = aws_s3_bucket.lab.id
  key    = each.key
  source = each.value
  etag   = filemd5(each.value)
}

resource "aws_s3_bucket_public_access_block" "lab" {
  bucket                  = aws_s3_bucket.lab.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "lab" {
  bucket = aws_s3_bucket.lab.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "lab" {
  bucket = aws_s3_bucket.lab.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# Against the emulator the provider polls this configuration for about a
# minute before it accepts moto's answer; local mode goes without it.
resource "aws_s3_bucket_lifecycle_configuration" "lab" {
  count  = var.emulator ? 0 : 1
  bucket = aws_s3_bucket.lab.id
  rule {
    id     = "expire"
    status = "Enabled"
    filter {}
    expiration {
      days = var.results_expiry_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

data "aws_iam_policy_document" "bucket_tls_only" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.lab.arn,
      "${aws_s3_bucket.lab.arn}/*",
    ]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

# The emulator serves plain HTTP and enforces this policy, so in local mode
# it would refuse every request: TLS is what it cannot model.
resource "aws_s3_bucket_policy" "lab" {
  count      = var.emulator ? 0 : 1
  bucket     = aws_s3_bucket.lab.id
  policy     = data.aws_iam_policy_document.bucket_tls_only.json
  depends_on = [aws_s3_bucket_public_access_block.lab]
}
