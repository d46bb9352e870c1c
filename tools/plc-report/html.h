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

/* fopen for writing, err(1) on failure; close checks every write. */
FILE	*out_open(const char *dir, const char *name);
void	 out_close(FILE *, const char *dir, const char *name);

/* mkdir -p of one level; err(1) on failure. */
void	 out_mkdir(const char *);

#endif
