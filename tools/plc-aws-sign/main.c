/*
 * plc-aws-sign: sign AWS requests described as JSON, one per line, and with
 * --send perform them, printing each answer as one JSON line.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "awsclient.h"
#include "buf.h"
#include "cli.h"
#include "rfc3339.h"

static const struct option longopts[] = {
	{ "send", no_argument, NULL, 's' },
	{ "paginate", no_argument, NULL, 'p' },
	{ "raw", no_argument, NULL, 'r' },
	{ "presign", required_argument, NULL, 'P' },
	{ "time", required_argument, NULL, 't' },
	{ "verbose", no_argument, NULL, 'v' },
	{ NULL, 0, NULL, 0 }
};

static const struct cli_tool tool = {
	"plc-aws-sign",
	"usage: plc-aws-sign [-prv] [-s | -P seconds] [-t time] [file]\n",
	"Signs AWS requests (SigV4) read as JSON, one per line, from file or\n"
	"standard input, and prints one JSON line per request.",
	"  -s, --send            perform each request; print {status, headers, body}\n"
	"  -p, --paginate        with --send, follow next-page tokens: one line per page\n"
	"  -r, --raw             with --send, keep XML bodies as strings\n"
	"  -P, --presign SECONDS print a presigned URL valid that long instead\n"
	"  -t, --time ISO8601    sign as of that time (e.g. 2026-11-24T12:00:00Z)\n"
	"  -v, --verbose         one line per HTTP attempt on standard error\n",
	"Request forms (each needs \"service\"):\n"
	"  raw    {\"service\",\"region\",\"method\",\"url\",\"headers\",\"body\"}\n"
	"  query  {\"service\":\"ec2\",\"action\":\"DescribeInstances\",\"params\":{...}}\n"
	"  json   {\"service\":\"ce\",\"target\":\"AWSInsightsIndexService.GetCostAndUsage\",\"json\":{...}}\n"
	"  s3     {\"service\":\"s3\",\"method\":\"PUT\",\"bucket\",\"key\",\"body\" or \"body_file\"}\n",
	"0 ok, 1 an AWS error or failure (its answer is printed),\n"
	"2 usage, 3 malformed request (with its line number).",
	"spP:rt:v", longopts
};

/* What the command line asks for. */
struct args {
	struct aws_client_options opt;
	int		 send, paginate;
	long		 presign;
	const char	*path;		/* "<stdin>" or the file */
	int		 from_file;
};

/* RFC 3339, or the X-Amz-Date form 20261124T120000Z. */
static int
parse_time(const char *s, time_t *t)
{
	struct tm tm = { 0 };
	const char *end;

	if (rfc3339_parse(s, t) == 0)
		return 0;
	if ((end = strptime(s, "%Y%m%dT%H%M%S", &tm)) == NULL ||
	    strcmp(end, "Z") != 0)
		return -1;
	*t = timegm(&tm);
	return 0;
}

static int
print_line(void *arg, json_t *v)
{
	(void)arg;
	if (json_dumpf(v, stdout, JSON_COMPACT) != 0 || putchar('\n') == EOF ||
	    fflush(stdout) == EOF)
		err(EXIT_RUNTIME, "stdout");
	return 0;
}

static void
parse_args(struct args *a, int argc, char *argv[])
{
	char *end;
	int ch;

	a->path = "<stdin>";
	while ((ch = cli_getopt(&tool, argc, argv)) != -1) {
		switch (ch) {
		case 's':
			a->send = 1;
			break;
		case 'p':
			a->paginate = 1;
			break;
		case 'r':
			a->opt.raw = 1;
			break;
		case 'P':
			errno = 0;
			a->presign = strtol(optarg, &end, 10);
			if (errno || *end || a->presign < 1 ||
			    a->presign > 604800)
				cli_bad_value("--presign", optarg,
				    "seconds from 1 to 604800");
			break;
		case 't':
			if (parse_time(optarg, &a->opt.when) != 0)
				cli_bad_value("--time", optarg, "an ISO 8601 "
				    "UTC time such as 2026-11-24T12:00:00Z");
			break;
		default:	/* -v */
			a->opt.verbose = 1;
		}
	}
	argc -= optind;
	argv += optind;
	if (a->paginate && !a->send)
		cli_usage_error(&tool, "--paginate needs --send");
	if (a->send && a->presign)
		cli_usage_error(&tool, "--send and --presign exclude each "
		    "other");
	if (a->opt.raw && !a->send)
		cli_usage_error(&tool, "--raw needs --send");
	if (argc > 1)
		cli_usage_error(&tool, NULL);
	if (argc == 1 && strcmp(argv[0], "-") != 0) {
		a->path = argv[0];
		a->from_file = 1;
	}
}

/*
 * Signs or sends one request line. Returns the exit status so far's
 * contribution: EXIT_OK, or EXIT_RUNTIME; -1 when nothing further can
 * succeed (no credentials, no region). Ends the program on a malformed
 * request.
 */
static int
one_request(struct aws_client *client, const struct args *a, json_t *req,
    long lineno)
{
	char errbuf[2048] = "";
	json_t *out = NULL;
	int rc;

	if (a->send)
		rc = aws_client_send(client, req, a->paginate, print_line,
		    NULL, errbuf, sizeof(errbuf));
	else if ((rc = aws_client_sign(client, req, a->presign, &out,
	    errbuf, sizeof(errbuf))) == AWS_OK)
		print_line(NULL, out);
	json_decref(out);
	switch (rc) {
	case AWS_OK:
		return EXIT_OK;
	case AWS_ERR_INPUT:
		errx(EXIT_INPUT, "%s:%ld: %s", a->path, lineno, errbuf);
	case AWS_ERR_AWS:
		return EXIT_RUNTIME;	/* the answer says why */
	default:
		warnx("%s:%ld: %s", a->path, lineno, errbuf);
		return rc == AWS_ERR_NO_CREDENTIALS || rc == AWS_ERR_NO_REGION ?
		    -1 : EXIT_RUNTIME;
	}
}

/* Every request line of in, in order; the exit status. */
static int
all_requests(struct aws_client *client, const struct args *a, FILE *in)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	int status = EXIT_OK, rc = EXIT_OK;

	while (rc != -1 && (len = getline(&line, &cap, in)) != -1) {
		json_error_t jerr;
		json_t *req;

		lineno++;
		if (strspn(line, " \t\r\n") == (size_t)len)
			continue;
		if ((req = json_loadb(line, (size_t)len, 0, &jerr)) == NULL)
			errx(EXIT_INPUT, "%s:%ld:%d: %s", a->path, lineno,
			    jerr.column, jerr.text);
		rc = one_request(client, a, req, lineno);
		json_decref(req);
		if (rc != EXIT_OK)
			status = EXIT_RUNTIME;
	}
	if (rc != -1 && ferror(in))
		err(EXIT_RUNTIME, "\"%s\"", a->path);
	free(line);
	return status;
}

int
main(int argc, char *argv[])
{
	struct args a = { 0 };
	struct aws_client *client;
	char errbuf[2048];
	FILE *in = stdin;
	int status;

	parse_args(&a, argc, argv);
	if (a.from_file && (in = fopen(a.path, "r")) == NULL)
		err(EXIT_RUNTIME, "\"%s\"", a.path);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if ((client = aws_client_new(&a.opt, errbuf, sizeof(errbuf))) == NULL)
		errx(EXIT_RUNTIME, "%s", errbuf);
	status = all_requests(client, &a, in);
	aws_client_free(client);
	curl_global_cleanup();
	if (in != stdin)
		fclose(in);
	cli_stdout_flush();
	return status;
}
