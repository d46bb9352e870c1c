/*
 * AWS Signature Version 4, on OpenSSL. Header signing (Authorization) and
 * query signing (presigned URLs), checked byte for byte against the SigV4
 * test suite in tests/fixtures/sigv4.
 */
#ifndef PLC_SIGV4_H
#define PLC_SIGV4_H

#include <stddef.h>
#include <time.h>

#include "awscreds.h"
#include "buf.h"

struct sigv4_header {
	const char	*name;
	const char	*value;
};

struct sigv4_request {
	const char	*method;
	const char	*path;		/* as sent: URI-encoded once */
	const char	*query;		/* without '?'; NULL or "" for none */
	const struct sigv4_header *headers;	/* must include Host */
	size_t		 nheaders;
	const void	*body;
	size_t		 body_len;
	const char	*payload_hash;	/* NULL: SHA-256 of body */
};

struct sigv4_options {
	const char	*region;
	const char	*service;	/* signing name: ec2, s3, tagging, ce ... */
	time_t		 when;
	int		 double_encode;	/* encode the path again: all but S3 */
	int		 normalize_path;	/* remove dot segments: all but S3 */
	int		 sign_body;	/* add and sign x-amz-content-sha256 (S3) */
	int		 omit_session_token; /* add the token after signing */
	long		 presign_expires; /* > 0: query signing for that long */
};

struct sigv4_signed {
	char	*canonical_request;
	char	*string_to_sign;
	char	 signature[65];
	/* Header signing: headers to add, in this order. */
	struct sigv4_header added[4];
	size_t	 nadded;
	/* Query signing: the complete query string to send. */
	char	*query;
};

int	 sigv4_sign(const struct sigv4_request *, const struct aws_credentials *,
	    const struct sigv4_options *, struct sigv4_signed *);
void	 sigv4_signed_free(struct sigv4_signed *);

/* RFC 3986 encoding as SigV4 wants it; keep_slash for paths. */
void	 sigv4_uri_encode(struct buf *, const char *, size_t, int keep_slash);
/* Lower-case hex SHA-256 of data into out[65]. */
void	 sigv4_sha256_hex(const void *, size_t, char out[65]);

#endif
