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

static void
usage(FILE *f)
{
	fprintf(f, "usage: plc-aws-sign [-prv] [-s | -P seconds] [-t time] [file]\n");
}

static void
help(void)
{
	usage(stdout);
	printf("\n"
	    "Signs AWS requests (SigV4) read as JSON, one per line, from file or\n"
	    "standard input, and prints one JSON line per request.\n\n"
	    "  -s, --send            perform each request; print {status, headers, body}\n"
	    "  -p, --paginate        with --send, follow next-page tokens: one line per page\n"
	    "  -r, --raw             with --send, keep XML bodies as strings\n"
	    "  -P, --presign SECONDS print a presigned URL valid that long instead\n"
	    "  -t, --time ISO8601    sign as of that time (e.g. 2026-11-24T12:00:00Z)\n"
	    "  -v, --verbose         one line per HTTP attempt on standard error\n"
	    "  -h, --help            this text\n"
	    "      --version         the version\n\n"
	    "Request forms (each needs \"service\"):\n"
	    "  raw    {\"service\",\"region\",\"method\",\"url\",\"headers\",\"body\"}\n"
	    "  query  {\"service\":\"ec2\",\"action\":\"DescribeInstances\",\"params\":{...}}\n"
	    "  json   {\"service\":\"ce\",\"target\":\"AWSInsightsIndexService.GetCostAndUsage\",\"json\":{...}}\n"
	    "  s3     {\"service\":\"s3\",\"method\":\"PUT\",\"bucket\",\"key\",\"body\" or \"body_file\"}\n\n"
	    "Exit status: 0 ok, 1 an AWS error or failure (its answer is printed),\n"
	    "2 usage, 3 malformed request (with its line number). See plc-aws-sign(1).\n");
}

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
		err(1, "stdout");
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "send", no_argument, NULL, 's' },
		{ "paginate", no_argument, NULL, 'p' },
		{ "raw", no_argument, NULL, 'r' },
		{ "presign", required_argument, NULL, 'P' },
		{ "time", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct aws_client_options opt = { 0 };
	struct aws_client *client;
	const char *path = "<stdin>";
	int send = 0, paginate = 0, ch, status = 0;
	long presign = 0, lineno = 0;
	char *line = NULL, *end, errbuf[2048];
	size_t cap = 0;
	ssize_t len;
	FILE *in = stdin;

	opterr = 0;	/* cli_option_error names the program */
	while ((ch = getopt_long(argc, argv, ":spP:rt:vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			send = 1;
			break;
		case 'p':
			paginate = 1;
			break;
		case 'r':
			opt.raw = 1;
			break;
		case 'P':
			errno = 0;
			presign = strtol(optarg, &end, 10);
			if (errno || *end || presign < 1 || presign > 604800)
				errx(2, "--presign: expected seconds from 1 to "
				    "604800, found \"%s\"", optarg);
			break;
		case 't':
			if (parse_time(optarg, &opt.when) != 0)
				errx(2, "--time: expected an ISO 8601 UTC time "
				    "such as 2026-11-24T12:00:00Z, found \"%s\"",
				    optarg);
			break;
		case 'v':
			opt.verbose = 1;
			break;
		case 'h':
			help();
			return cli_stdout_done();
		case 'V':
			printf("plc-aws-sign %s\n", PLC_VERSION);
			return cli_stdout_done();
		default:
			cli_option_error(argv, ch);
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1 || (paginate && !send) || (send && presign) ||
	    (opt.raw && !send)) {
		if (paginate && !send)
			warnx("--paginate needs --send");
		if (send && presign)
			warnx("--send and --presign exclude each other");
		if (opt.raw && !send)
			warnx("--raw needs --send");
		usage(stderr);
		return 2;
	}
	if (argc == 1 && strcmp(argv[0], "-") != 0) {
		path = argv[0];
		if ((in = fopen(path, "r")) == NULL)
			err(1, "\"%s\"", path);
	}

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if ((client = aws_client_new(&opt, errbuf, sizeof(errbuf))) == NULL)
		errx(1, "%s", errbuf);

	while ((len = getline(&line, &cap, in)) != -1) {
		json_error_t jerr;
		json_t *req, *out = NULL;
		int rc;

		lineno++;
		if (strspn(line, " \t\r\n") == (size_t)len)
			continue;
		if ((req = json_loadb(line, (size_t)len, 0, &jerr)) == NULL)
			errx(3, "%s:%ld:%d: %s", path, lineno, jerr.column,
			    jerr.text);
		errbuf[0] = '\0';
		if (send)
			rc = aws_client_send(client, req, paginate, print_line,
			    NULL, errbuf, sizeof(errbuf));
		else if ((rc = aws_client_sign(client, req, presign, &out,
		    errbuf, sizeof(errbuf))) == AWS_OK)
			print_line(NULL, out);
		json_decref(out);
		json_decref(req);
		switch (rc) {
		case AWS_OK:
			break;
		case AWS_ERR_INPUT:
			errx(3, "%s:%ld: %s", path, lineno, errbuf);
		case AWS_ERR_AWS:
			status = 1;
			break;
		default:
			warnx("%s:%ld: %s", path, lineno, errbuf);
			status = 1;
			if (strncmp(errbuf, "no credentials", 14) == 0 ||
			    strncmp(errbuf, "no region", 9) == 0)
				goto done;
		}
	}
	if (ferror(in))
		err(1, "\"%s\"", path);
done:
	free(line);
	aws_client_free(client);
	curl_global_cleanup();
	if (in != stdin)
		fclose(in);
	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "stdout");
	return status;
}
