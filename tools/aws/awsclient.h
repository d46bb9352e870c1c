/*
 * The AWS client every networked plc tool uses: requests described as JSON
 * (the input forms of plc-aws-sign(1)), signed with SigV4, sent with libcurl
 * with the SDKs' standard retries, answers returned as JSON.
 */
#ifndef PLC_AWSCLIENT_H
#define PLC_AWSCLIENT_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "awscreds.h"

struct aws_client_options {
	time_t	 when;		/* sign as of this time; 0: now */
	int	 raw;		/* keep XML bodies as strings */
	int	 verbose;	/* one line per attempt on stderr */
};

struct aws_client_stats {
	unsigned long	 requests;	/* logical requests (pages count each) */
	unsigned long	 attempts;	/* HTTP attempts, retries included */
	unsigned long	 retries;
};

struct aws_client;

/* Loads settings (not yet credentials). NULL with err set on bad config. */
struct aws_client *aws_client_new(const struct aws_client_options *,
	    char *err, size_t errlen);
void	 aws_client_free(struct aws_client *);
const struct aws_config *aws_client_config(const struct aws_client *);
const struct aws_client_stats *aws_client_stats(const struct aws_client *);

/*
 * For the fuzzing harnesses (tests/fuzz/): every request is answered by fn
 * (HTTP status returned, body set) instead of over HTTP, after signing, so
 * that the whole reading of answers runs on any bytes.
 */
typedef long aws_answer_fn(void *arg, const char **body, size_t *len);
void	 aws_client_set_answer(struct aws_client *, aws_answer_fn *, void *);

/*
 * What the calls below return: the client's own results, not exit
 * statuses (a tool's main decides what each means to its caller). Negative,
 * so that none reads as an exit status by accident.
 */
enum aws_err {
	AWS_OK = 0,		/* done; for sends, every answer was 2xx */
	AWS_ERR_AWS = -1,	/* an answer was not 2xx after retries */
	AWS_ERR_SYSTEM = -2,	/* transport failure, I/O */
	AWS_ERR_INPUT = -3,	/* the request description is malformed */
	AWS_ERR_NO_CREDENTIALS = -4, /* no source has credentials: every
				 * further request fails the same way */
	AWS_ERR_NO_REGION = -5	/* neither the request nor the settings
				 * name a region */
};

/* The signed request, or with presign_s > 0 a presigned URL, as JSON. */
int	 aws_client_sign(struct aws_client *, json_t *req, long presign_s,
	    json_t **out, char *err, size_t errlen);

typedef int aws_page_fn(void *arg, json_t *response);

/*
 * Sends req; calls fn with each answer ({"status","headers","body"}, plus
 * "error":{"code","message"} when not 2xx). With paginate, follows the
 * answer's next-page token and calls fn once per page. A non-zero return
 * from fn stops and is returned.
 */
int	 aws_client_send(struct aws_client *, json_t *req, int paginate,
	    aws_page_fn *fn, void *arg, char *err, size_t errlen);

#endif
