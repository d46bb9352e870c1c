/*
 * Inline SVG charts, drawn from numbers (no script): line charts with a
 * linear, logarithmic or "nines" axis, grouped bars and a phase timeline.
 */
#ifndef PLC_REPORT_SVG_H
#define PLC_REPORT_SVG_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

enum axis_kind {
	AXIS_LINEAR,
	AXIS_LOG,	/* decades; values <= 0 are left out */
	AXIS_NINES	/* x = log10(100 / (100 - percentile)): 90%, 99%, ... */
};

struct series {
	const char	*label;
	const double	*x, *y;	/* NAN points are gaps */
	size_t		 n;
};

struct chart {
	const char	*id;
	const char	*title;
	const char	*xlabel, *ylabel;
	enum axis_kind	 xaxis, yaxis;
	int		 note_is_info;	/* the missing note is no fault */
};

/* The colour of series i, shared by the legend and the table. */
const char *svg_color(size_t);
/* Its dash pattern: the palette's ten colours, then again dashed, dotted... */
const char *svg_dash(size_t);

/* A <figure> with the chart, or with a note when no series has a point. */
void	 svg_lines(FILE *, const struct chart *, const struct series *,
	    size_t nseries, const char *missing_note);
/* The same with a linear x axis from 0 to at least xmax, so that charts
 * of the same window share their time axis. */
void	 svg_lines_upto(FILE *, const struct chart *, const struct series *,
	    size_t nseries, const char *missing_note, double xmax);
/*
 * Grouped vertical bars: ncat categories, ngroups values each
 * (values[g * ncat + c]); NAN bars are not drawn. A category may be marked
 * (marked[c] != 0) with a dashed line, e.g. the knee of a ramp.
 */
void	 svg_bars(FILE *, const struct chart *, const char *const *cats,
	    size_t ncat, const char *const *groups, size_t ngroups,
	    const double *values, const int *marked, const char *missing_note);

struct span {
	const char	*label;
	time_t		 start, end;	/* end -1: still open */
	int		 is_run;
};
void	 svg_timeline(FILE *, const char *id, const char *title,
	    const struct span *, size_t, time_t now, const char *missing_note);

#endif
