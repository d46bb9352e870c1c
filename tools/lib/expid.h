/*
 * The experiment-ID rule, one for every tool; scripts/lab-lib.bash and
 * terraform/variables.tf say the same (tests/cli.bats checks that they do).
 *
 * An ID is 3 to EXPID_MAX characters of a-z, 0-9 and '-', starting and
 * ending with a letter or digit. The longest AWS name built from it bounds
 * EXPID_MAX: the bucket "plc-<account>-<id>" (terraform/bucket.tf) must fit
 * S3's 63 characters, and 63 - 4 ("plc-") - 12 (the account) - 1 ("-")
 * leaves 46. The other names are shorter: the IAM role and instance
 * profile "plc-<id>-node" need 9 of IAM's 64, the security group
 * "plc-<id>" 4 of 255. Lower case only, because bucket names are.
 */
#ifndef PLC_EXPID_H
#define PLC_EXPID_H

#define EXPID_MIN	3
#define EXPID_MAX	46

/* What the rule expects, for error messages ("expected " EXPID_RULE). */
#define EXPID_RULE	"3 to 46 characters of a-z, 0-9 and '-', " \
			"starting and ending with a letter or digit"

/* 1 when id follows the rule, else 0. */
int	expid_valid(const char *id);

#endif
