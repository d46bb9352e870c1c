/*
 * A request described in one of plc-aws-sign's input forms (raw, Query
 * protocol, JSON 1.1 protocol, S3), made into the HTTP request to sign.
 */
#ifndef PLC_AWSREQUEST_H
#define PLC_AWSREQUEST_H

#include <stddef.h>

#include <jansson.h>

#include "awsconfig.h"
#include "awsservice.h"
#include "buf.h"

struct aws_kv {
	char	*name;
	char	*value;
};

/* The largest body_file read (256 MiB); a larger one is refused. */
#define AWS_BODY_FILE_MAX	(256 * 1024 * 1024)

enum aws_request_form { FORM_RAW, FORM_QUERY, FORM_JSON, FORM_S3 };

struct aws_request {
	/* The largest body_file read (256 MiB); a larger one is refused. */
#define AWS_BODY_FILE_MAX	(256 * 1024 * 1024)

enum aws_request_form form;
	struct aws_service svc;
	char		*region;	/* the region signed for */
	char		*method;
	char		*base;		/* scheme://host[:port] */
	char		*host;		/* Host header: host[:port] */
	char		*path;		/* as sent: encoded once */
	char		*query;		/* as sent, without '?'; NULL: none */
	struct aws_kv	*headers;
	size_t		 nheaders;
	struct buf	 body;
	int		 s3;		/* S3 signing rules */
	int		 object_read;	/* S3 object GET: keep the body as is */
	char		*output_file;	/* write the answer's body here */
};

/* Returns 0, or an AWS_ERR_* code of awsclient.h with err set. */
int	 aws_request_build(const struct aws_config *, json_t *in,
	    struct aws_request *, char *err, size_t errlen);
void	 aws_request_free(struct aws_request *);

#endif
