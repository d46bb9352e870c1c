/* Writing HTML: escaping, numbers for people, and checked output files. */
#ifndef PLC_REPORT_HTML_H
#define PLC_REPORT_HTML_H

#include <stdio.h>

/* Text and attribute values: & < > " ' escaped. NULL prints nothing. */
void	 html_esc(FILE *, const char *);
/* A number for people: thousands grouped, 3-4 significant digits; "–" for NAN. */
void	 fmt_human(char *, size_t, double);
/* The shortest form that reads back exactly (data-v attributes, CSV, JSON). */
void	 fmt_exact(char *, size_t, double);
/*
 * A table cell of a number for people: prefix (such as "$", none when NULL)
 * before it unless it is NAN; with key, data-k="key" and data-v, the exact
 * value, for machines.
 */
void	 html_num_cell(FILE *, double, const char *prefix, const char *key);

/*
 * A new file dir/name, written under a temporary name (err(1) on failure);
 * out_close checks every write and renames it to dir/name.
 * One output file is open at a time.
 */
FILE	*out_open(const char *dir, const char *name);
void	 out_close(FILE *, const char *dir, const char *name);

/* mkdir -p of one level; err(1) on failure. */
void	 out_mkdir(const char *);

#endif
