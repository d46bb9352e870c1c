/*
 * The project's names, one spelling each for the C side: the tags plc sets
 * on everything, the IAM path, and the names Terraform gives an
 * experiment's bucket and IAM items (terraform/locals.tf, iam.tf,
 * bucket.tf). tests/plc-reap.bats checks that Terraform, Packer and the IAM
 * policy spell them the same, and that plc-reap finds what those names
 * name.
 */
#ifndef PLC_PROJECT_H
#define PLC_PROJECT_H

#define PLC_PROJECT_KEY		"Project"
#define PLC_PROJECT		"pulsar-aws-lab"
#define PLC_EXPERIMENT_KEY	"ExperimentID"

/* IAM roles, policies and instance profiles live under this path. */
#define PLC_IAM_PATH		"/" PLC_PROJECT "/"

/*
 * printf formats of an experiment's names: the bucket takes the account
 * and the experiment ID, the others the experiment ID.
 */
#define PLC_BUCKET_NAME		"plc-%s-%s"
#define PLC_NODE_ROLE_NAME	"plc-%s-node"	/* and its instance profile */
#define PLC_BUCKET_POLICY_NAME	"plc-%s-bucket"

#endif
