/*
 * Role credentials from the EC2 instance metadata service: IMDSv2 (a
 * session token first), falling back to IMDSv1 only where the SDKs do.
 */
#ifndef PLC_IMDS_H
#define PLC_IMDS_H

#include <stddef.h>

#include "awscreds.h"

/* The SDKs' wait for a metadata answer: off EC2 nothing answers at all. */
#define IMDS_TIMEOUT_MS	1000L

/*
 * endpoint is like "http://169.254.169.254" (no path). Returns 0 and fills
 * out, or 1 with why set when the service gave no credentials; why never
 * holds a token or a secret.
 */
int	 imds_credentials(const char *endpoint, int v1_disabled,
	    struct aws_credentials *out, char *why, size_t whylen);

#endif
