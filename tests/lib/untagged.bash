# shellcheck shell=bash
# What a create cut short leaves, for plc-reap's and teardown's suites:
# the experiment's bucket and IAM items, named as terraform/*.tf names them,
# untagged. Needs the aws CLI pointed at moto (moto_env).

# tf_name FILE TYPE EXP: the name terraform/FILE gives its resource of TYPE
# for experiment EXP in moto's account.
# shellcheck disable=SC2016 # Terraform's interpolations, literally
tf_name() {
  local n
  n=$(sed -n "/^resource \"$2\" /,/^}/s/^ *\(name\|bucket\) *= *\"\(.*\)\"\$/\2/p" "$PLC_ROOT/terraform/$1")
  n=${n//'${var.experiment_id}'/$3}
  echo "${n//'${data.aws_caller_identity.current.account_id}'/123456789012}"
}

# untagged EXP [TAGS]: EXP's bucket, node role, instance profile and bucket
# policy, named and placed as terraform/*.tf makes them, as a create cut
# short leaves them: S3 and IAM tag what they create in a call of its own.
# TAGS (aws CLI's TagSet=...) go on the bucket.
untagged() {
  local path role profile policy bucket
  path=$(sed -n 's/^ *iam_path *= *"\(.*\)"$/\1/p' "$PLC_ROOT/terraform/locals.tf")
  role=$(tf_name iam.tf aws_iam_role "$1")
  profile=$(tf_name iam.tf aws_iam_instance_profile "$1")
  policy=$(tf_name iam.tf aws_iam_policy "$1")
  bucket=$(tf_name bucket.tf aws_s3_bucket "$1")
  aws s3api create-bucket --bucket "$bucket" --create-bucket-configuration LocationConstraint=us-west-2 >/dev/null
  [[ -z ${2:-} ]] || aws s3api put-bucket-tagging --bucket "$bucket" --tagging "$2"
  aws iam create-role --path "$path" --role-name "$role" \
    --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}' >/dev/null
  aws iam create-instance-profile --path "$path" --instance-profile-name "$profile" >/dev/null
  aws iam add-role-to-instance-profile --instance-profile-name "$profile" --role-name "$role"
  aws iam create-policy --path "$path" --policy-name "$policy" \
    --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}' >/dev/null
  aws iam attach-role-policy --role-name "$role" --policy-arn "arn:aws:iam::123456789012:policy${path}$policy"
}
