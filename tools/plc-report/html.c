#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <unistd.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "expdir.h"
#include "html.h"
#include "jsonout.h"

void
html_esc(FILE *fp, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		switch (*s) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&#39;", fp); break;
		default:
			/* Control characters are not allowed in XML. */
			if ((unsigned char)*s < 0x20 && *s != '\n' &&
			    *s != '\t')
				fputc(' ', fp);
			else
				fputc(*s, fp);
		}
}

/* Digits of an integer-valued v with a comma every three. */
static void
group(char *buf, size_t len, double v)
{
	char digits[64], *p = digits;
	size_t n, i, o = 0;

	snprintf(digits, sizeof(digits), "%.0f", fabs(v));
	n = strlen(digits);
	if (v < 0 && o + 1 < len)
		buf[o++] = '-';
	for (i = 0; i < n && o + 1 < len; i++) {
		if (i > 0 && (n - i) % 3 == 0 && o + 2 < len)
			buf[o++] = ',';
		buf[o++] = p[i];
	}
	buf[o] = '\0';
}

void
fmt_human(char *buf, size_t len, double v)
{
	double a = fabs(v);

	if (isnan(v) || isinf(v))
		snprintf(buf, len, "\xe2\x80\x93");
	else if (a >= 1000)
		group(buf, len, v);
	else if (a >= 100 || v == 0 || v == trunc(v))
		snprintf(buf, len, "%.0f", v);
	else if (a >= 10)
		snprintf(buf, len, "%.1f", v);
	else if (a >= 1)
		snprintf(buf, len, "%.2f", v);
	else
		snprintf(buf, len, "%.3g", v);
}

void
fmt_exact(char *buf, size_t len, double v)
{
	char tmp[JSONOUT_DOUBLE_MAX];

	if (isnan(v) || isinf(v)) {
		snprintf(buf, len, "%s", "");
		return;
	}
	jsonout_fmt_double(tmp, v);
	snprintf(buf, len, "%s", tmp);
}

/*
 * Every output is written under a temporary name beside its final one and
 * renamed when complete, so that a file's presence means it is whole. The
 * temporary file being written is removed at exit and on a fatal signal.
 */
static char out_tmp[PATH_MAX];
static volatile sig_atomic_t out_tmp_set;

static void
out_tmp_remove(void)
{
	if (out_tmp_set)
		unlink(out_tmp);
	out_tmp_set = 0;
}

static void
out_on_signal(int sig)
{
	if (out_tmp_set)
		unlink(out_tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
tmp_name(char *buf, size_t len, const char *dir, const char *name)
{
	snprintf(buf, len, "%s/.%s.%ld.tmp", dir, name, (long)getpid());
}

FILE *
out_open(const char *dir, const char *name)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGXFSZ };
	static int once;
	FILE *fp;
	size_t i;
	int fd;

	if (!once) {
		once = 1;
		atexit(out_tmp_remove);
		for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
			if (signal(sigs[i], out_on_signal) == SIG_IGN)
				signal(sigs[i], SIG_IGN);
	}
	out_tmp_set = 0;
	tmp_name(out_tmp, sizeof(out_tmp), dir, name);
	(void)unlink(out_tmp);	/* left by a process of the same ID */
	if ((fd = open(out_tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0666)) == -1 || (fp = fdopen(fd, "w")) == NULL)
		err(EXIT_RUNTIME, "%s/%s", dir, name);
	out_tmp_set = 1;
	return fp;
}

void
out_close(FILE *fp, const char *dir, const char *name)
{
	char path[PATH_MAX];
	int bad = fflush(fp) == EOF || ferror(fp);

	if (fclose(fp) == EOF || bad)
		err(EXIT_RUNTIME, "%s/%s", dir, name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (rename(out_tmp, path) == -1)
		err(EXIT_RUNTIME, "%s", path);
	out_tmp_set = 0;
}

void
out_mkdir(const char *path)
{
	if (mkdir(path, 0777) == -1 && errno != EEXIST)
		err(EXIT_RUNTIME, "%s", path);
}

void
html_num_cell(FILE *fp, double v, const char *prefix, const char *key)
{
	char h[64], e[64];

	fmt_human(h, sizeof(h), v);
	fputs("<td class=\"num\"", fp);
	if (key != NULL) {
		fmt_exact(e, sizeof(e), v);
		fprintf(fp, " data-k=\"%s\" data-v=\"%s\"", key, e);
	}
	fprintf(fp, ">%s%s</td>", prefix != NULL && !isnan(v) ? prefix : "",
	    h);
}
