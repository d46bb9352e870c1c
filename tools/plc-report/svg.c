/*
 * SVG charts. Every chart is a <figure> holding an <svg> sized by viewBox
 * (it scales with the page and prints) and an HTML legend; hovering a line
 * or bar shows its <title>, which needs no script.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "html.h"
#include "svg.h"

#define W	760
#define H	340
#define ML	78
#define MR	40	/* room for the last x tick, 99.999% */
#define MT	14
#define MB	50
#define PW	(W - ML - MR)
#define PH	(H - MT - MB)
#define MAXPX	1200	/* points per line, at most: about one per pixel */

static const char *const palette[] = {
	"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
	"#e377c2", "#17becf", "#7f7f7f", "#bcbd22"
};

#define NPALETTE	(sizeof(palette) / sizeof(palette[0]))

static const char *const dashes[] = { "", "7 4", "2 3", "9 3 2 3", "4 2 4 6" };

const char *
svg_color(size_t i)
{
	return palette[i % NPALETTE];
}

const char *
svg_dash(size_t i)
{
	return dashes[i / NPALETTE % (sizeof(dashes) / sizeof(dashes[0]))];
}

/* The stroke-dasharray attribute of series i, or nothing. */
static void
dash_attr(FILE *fp, size_t i)
{
	if (*svg_dash(i) != '\0')
		fprintf(fp, " stroke-dasharray=\"%s\"", svg_dash(i));
}

struct axis {
	enum axis_kind	kind;
	double		lo, hi;		/* in axis units (log10 for AXIS_LOG) */
	double		step;
};

static double
axis_value(const struct axis *a, double v)
{
	if (a->kind == AXIS_LOG)
		return v > 0 ? log10(v) : NAN;
	return v;
}

/* 1, 2 or 5 times a power of ten, about span / 5. */
static double
nice_step(double span)
{
	double raw = span / 5, mag = pow(10, floor(log10(raw))), f = raw / mag;

	return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

static void
axis_fit(struct axis *a, double lo, double hi)
{
	if (a->kind == AXIS_NINES) {
		a->lo = 0;
		a->hi = fmax(1, fmin(5, ceil(hi - 1e-9)));
		a->step = 1;
		return;
	}
	if (a->kind == AXIS_LOG) {
		a->lo = floor(lo);
		a->hi = ceil(hi);
		if (a->hi <= a->lo)
			a->hi = a->lo + 1;
		a->step = 1;
		return;
	}
	if (lo > 0)
		lo = 0;
	if (hi <= lo)
		hi = lo + 1;
	a->step = nice_step(hi - lo);
	a->lo = floor(lo / a->step) * a->step;
	a->hi = ceil(hi * 1.05 / a->step) * a->step;
}

static void
tick_label(char *buf, size_t len, const struct axis *a, double t)
{
	char num[64];

	switch (a->kind) {
	case AXIS_NINES:
		/* 100 - 100 / 10^x: 0, 90, 99, 99.9 ... */
		snprintf(buf, len, "%.*f%%", t > 2 ? (int)t - 2 : 0,
		    100 - 100 / pow(10, t));
		break;
	case AXIS_LOG:
		fmt_human(num, sizeof(num), pow(10, t));
		snprintf(buf, len, "%s", num);
		break;
	default:
		/* One format per axis: 2.5, 3.0, 3.5; never 2.50, 3, 3.50. */
		if (a->step >= 1 || fabs(t) >= 1000)
			fmt_human(num, sizeof(num), round(t));
		else
			snprintf(num, sizeof(num), "%.*f",
			    (int)ceil(-log10(a->step) - 1e-9), t);
		snprintf(buf, len, "%s", num);
	}
}

static double
px_x(const struct axis *a, double v)
{
	return ML + (v - a->lo) / (a->hi - a->lo) * PW;
}

static double
px_y(const struct axis *a, double v)
{
	return MT + PH - (v - a->lo) / (a->hi - a->lo) * PH;
}

static void
figure_open(FILE *fp, const char *id, const char *title)
{
	fputs("<figure class=\"chart\" id=\"", fp);
	html_esc(fp, id);
	fputs("\"><figcaption>", fp);
	html_esc(fp, title);
	fputs("</figcaption>\n", fp);
}

static void
missing(FILE *fp, const char *note, int info)
{
	fprintf(fp, "<p class=\"missing%s\">", info ? " info" : "");
	html_esc(fp, note);
	fputs("</p></figure>\n", fp);
}

/* frame's flags: x ticks drawn; x labels slanted below the axis. */
#define FRAME_XTICKS	0x1
#define FRAME_SLANTED	0x2

static void
frame(FILE *fp, const struct chart *c, const struct axis *x,
    const struct axis *y, int flags)
{
	int xticks = flags & FRAME_XTICKS;

	char lab[64];
	double t;

	fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", W, H);
	html_esc(fp, c->title);
	fputs("\">\n", fp);
	fprintf(fp, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
	    "fill=\"#fff\" stroke=\"#999\"/>\n", ML, MT, PW, PH);
	for (t = y->lo; t <= y->hi + y->step / 2; t += y->step) {
		tick_label(lab, sizeof(lab), y, t);
		fprintf(fp, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" "
		    "stroke=\"#e4e4e4\"/><text x=\"%d\" y=\"%.1f\" "
		    "text-anchor=\"end\" class=\"tick\">%s</text>\n", ML,
		    ML + PW, px_y(y, t), px_y(y, t), ML - 5, px_y(y, t) + 4,
		    lab);
	}
	for (t = x->lo; xticks && t <= x->hi + x->step / 2; t += x->step) {
		tick_label(lab, sizeof(lab), x, t);
		fprintf(fp, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" "
		    "stroke=\"#e4e4e4\"/><text x=\"%.1f\" y=\"%d\" "
		    "text-anchor=\"middle\" class=\"tick\">%s</text>\n",
		    px_x(x, t), px_x(x, t), MT, MT + PH, px_x(x, t),
		    MT + PH + 16, lab);
	}
	/*
	 * Slanted labels hang down and left from their category: the x title
	 * goes right of the last one, where none reaches.
	 */
	if (flags & FRAME_SLANTED)
		fprintf(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
		    "class=\"axis\">", W - 4, H - 8);
	else
		fprintf(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
		    "class=\"axis\">", ML + PW / 2, H - 8);
	html_esc(fp, c->xlabel);
	fprintf(fp, "</text><text transform=\"translate(14 %d) rotate(-90)\" "
	    "text-anchor=\"middle\" class=\"axis\">", MT + PH / 2);
	html_esc(fp, c->ylabel);
	fputs("</text>\n", fp);
}

static void
legend(FILE *fp, const char *const *labels, size_t n)
{
	size_t i;

	fputs("<ul class=\"legend\">", fp);
	for (i = 0; i < n; i++) {
		fprintf(fp, "<li><svg class=\"sw\" xmlns=\"http://www.w3.org/"
		    "2000/svg\" width=\"28\" height=\"8\" aria-hidden=\"true\">"
		    "<line x1=\"0\" x2=\"28\" y1=\"4\" y2=\"4\" stroke=\"%s\" "
		    "stroke-width=\"3\"", svg_color(i));
		dash_attr(fp, i);
		fputs("/></svg>", fp);
		html_esc(fp, labels[i]);
		fputs("</li>", fp);
	}
	fputs("</ul>\n", fp);
}

/* Ends a polyline with its series' name, shown on hover. */
static void
line_close(FILE *fp, const char *label)
{
	fputs("\"><title>", fp);
	html_esc(fp, label);
	fputs("</title></polyline>\n", fp);
}

/* A lone point, which a polyline would not show. */
static void
dot(FILE *fp, size_t i, double px, double py, const char *label)
{
	fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\">"
	    "<title>", px, py, svg_color(i));
	html_esc(fp, label);
	fputs("</title></circle>\n", fp);
}

void
svg_lines(FILE *fp, const struct chart *c, const struct series *s,
    size_t ns, const char *note)
{
	svg_lines_upto(fp, c, s, ns, note, 0);
}

void
svg_lines_upto(FILE *fp, const struct chart *c, const struct series *s,
    size_t ns, const char *note, double xmax)
{
	struct axis x = { c->xaxis, 0, 0, 1 }, y = { c->yaxis, 0, 0, 1 };
	double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
	double vx, vy, px, lastpx;
	const char *labels[64];
	size_t i, j, npts = 0;
	int open, inrun = 0;
	double px0 = 0, py0 = 0;

	for (i = 0; i < ns; i++)
		for (j = 0; j < s[i].n; j++) {
			vx = axis_value(&x, s[i].x[j]);
			vy = axis_value(&y, s[i].y[j]);
			if (isnan(vx) || isnan(vy) || isinf(vx) || isinf(vy))
				continue;
			xlo = fmin(xlo, vx), xhi = fmax(xhi, vx);
			ylo = fmin(ylo, vy), yhi = fmax(yhi, vy);
			npts++;
		}
	figure_open(fp, c->id, c->title);
	if (npts == 0) {
		missing(fp, note, c->note_is_info);
		return;
	}
	if (xmax > 0 && c->xaxis == AXIS_LINEAR)
		xlo = fmin(xlo, 0), xhi = fmax(xhi, xmax);
	axis_fit(&x, xlo, xhi);
	axis_fit(&y, ylo, yhi);
	frame(fp, c, &x, &y, FRAME_XTICKS);
	for (i = 0; i < ns; i++) {
		open = 0;
		lastpx = -1;
		for (j = 0; j < s[i].n; j++) {
			vx = axis_value(&x, s[i].x[j]);
			vy = axis_value(&y, s[i].y[j]);
			if (isnan(vx) || isnan(vy) || isinf(vx) || isinf(vy) ||
			    vx > x.hi) {
				if (open)
					line_close(fp, s[i].label);
				if (open && inrun == 1)
					dot(fp, i, px0, py0, s[i].label);
				open = 0;
				continue;
			}
			px = px_x(&x, vx);
			/* Thousands of quantiles: one point per half pixel. */
			if (open && px - lastpx < 0.5 && j + 1 < s[i].n)
				continue;
			if (!open) {
				inrun = 0;
				fprintf(fp, "<polyline fill=\"none\" stroke=\"%s\" "
				    "stroke-width=\"1.6\" class=\"s%zu\"",
				    svg_color(i), i);
				dash_attr(fp, i);
				fputs(" points=\"", fp);
				open = 1;
			}
			fprintf(fp, "%.1f,%.1f ", px, px_y(&y, vy));
			lastpx = px;
			inrun = inrun + 1 > 2 ? 2 : inrun + 1;
			px0 = px, py0 = px_y(&y, vy);
		}
		if (open)
			line_close(fp, s[i].label);
		if (open && inrun == 1)
			dot(fp, i, px0, py0, s[i].label);
	}
	fputs("</svg>\n", fp);
	for (i = 0; i < ns && i < 64; i++)
		labels[i] = s[i].label;
	legend(fp, labels, i);
	fputs("</figure>\n", fp);
}

/* Bar charts of more categories than this slant their labels. */
#define SLANT_OVER	6

/*
 * At most max bytes of s, not cutting a UTF-8 sequence; when cut, its
 * start and its end around a "…": names of one family differ at the end
 * (scale-to-failure-step-1 ... -step-10), so the end is kept longer.
 */
static void
short_label(FILE *fp, const char *s, size_t max)
{
	char buf[128];
	size_t n = strlen(s), head = max * 2 / 5, tail;

	if (n <= max || max >= sizeof(buf)) {
		html_esc(fp, s);
		return;
	}
	while (head > 0 && ((unsigned char)s[head] & 0xc0) == 0x80)
		head--;
	tail = n - (max - head);
	while (tail < n && ((unsigned char)s[tail] & 0xc0) == 0x80)
		tail++;
	memcpy(buf, s, head);
	buf[head] = '\0';
	html_esc(fp, buf);
	fputs("\xe2\x80\xa6", fp);
	html_esc(fp, s + tail);
}

void
svg_bars(FILE *fp, const struct chart *c, const char *const *cats,
    size_t ncat, const char *const *groups, size_t ng, const double *v,
    const int *marked, const char *note)
{
	struct axis x = { AXIS_LINEAR, 0, 1, 1 }, y = { AXIS_LINEAR, 0, 0, 1 };
	double hi = -INFINITY, cw, bw, bx, num;
	char h[64];
	size_t i, g;

	for (i = 0; i < ncat * ng; i++)
		if (!isnan(v[i]))
			hi = fmax(hi, v[i]);
	figure_open(fp, c->id, c->title);
	if (ncat == 0 || isinf(hi)) {
		missing(fp, note, c->note_is_info);
		return;
	}
	axis_fit(&y, 0, hi);
	frame(fp, c, &x, &y, ncat > SLANT_OVER ? FRAME_SLANTED : 0);
	cw = (double)PW / ncat;
	bw = cw * 0.8 / ng;
	for (i = 0; i < ncat; i++) {
		for (g = 0; g < ng; g++) {
			num = v[g * ncat + i];
			if (isnan(num))
				continue;
			bx = ML + i * cw + cw * 0.1 + g * bw;
			fmt_human(h, sizeof(h), num);
			fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			    "height=\"%.1f\" fill=\"%s\"><title>", bx,
			    px_y(&y, num), bw, MT + PH - px_y(&y, num),
			    svg_color(g));
			html_esc(fp, cats[i]);
			fputs(" \xe2\x80\x94 ", fp);
			html_esc(fp, groups[g]);
			fprintf(fp, ": %s</title></rect>\n", h);
		}
		if (marked != NULL && marked[i])
			fprintf(fp, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" "
			    "y2=\"%d\" stroke=\"#000\" stroke-dasharray=\"4 3\""
			    "/><text x=\"%.1f\" y=\"%d\" class=\"tick\">knee"
			    "</text>\n", ML + (i + 1) * cw, ML + (i + 1) * cw,
			    MT, MT + PH, ML + (i + 1) * cw + 3, MT + 12);
		/* Many categories: every k-th label, slanted, never a smear. */
		if (ncat <= SLANT_OVER) {
			fprintf(fp, "<text x=\"%.1f\" y=\"%d\" "
			    "text-anchor=\"middle\" class=\"tick\">",
			    ML + i * cw + cw / 2, MT + PH + 16);
			short_label(fp, cats[i], 24);
			fputs("</text>\n", fp);
		} else if (i % ((ncat + 23) / 24) == 0) {
			fprintf(fp, "<text x=\"%.1f\" y=\"%d\" "
			    "text-anchor=\"end\" class=\"tick\" "
			    "transform=\"rotate(-30 %.1f %d)\">",
			    ML + i * cw + cw / 2, MT + PH + 12,
			    ML + i * cw + cw / 2, MT + PH + 12);
			short_label(fp, cats[i], 12);
			fputs("</text>\n", fp);
		}
	}
	fputs("</svg>\n", fp);
	legend(fp, groups, ng);
	fputs("</figure>\n", fp);
}

void
svg_timeline(FILE *fp, const char *id, const char *title,
    const struct span *sp, size_t n, time_t now, const char *note)
{
	const int lw = 220, rh = 22, top = 8;
	time_t t0, t1;
	double span, step, t, x0, x1;
	char lab[64];
	size_t i;
	int h;

	figure_open(fp, id, title);
	if (n == 0) {
		missing(fp, note, 0);
		return;
	}
	t0 = t1 = sp[0].start;
	for (i = 0; i < n; i++) {
		time_t end = sp[i].end == (time_t)-1 ? now : sp[i].end;

		if (sp[i].start < t0)
			t0 = sp[i].start;
		if (end > t1)
			t1 = end;
		if (sp[i].start > t1)
			t1 = sp[i].start;
	}
	if (t1 <= t0)
		t1 = t0 + 1;
	span = difftime(t1, t0);
	h = top + (int)n * rh + 36;
	fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", W, h);
	html_esc(fp, title);
	fputs("\">\n", fp);
	step = nice_step(span / 60) * 60;
	if (step < 60)
		step = 60;
	for (t = 0; t <= span + 1e-9; t += step) {
		x0 = lw + t / span * (W - lw - MR);
		fprintf(fp, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" "
		    "stroke=\"#e4e4e4\"/><text x=\"%.1f\" y=\"%d\" "
		    "text-anchor=\"middle\" class=\"tick\">%.0f min</text>\n",
		    x0, x0, top, top + (int)n * rh, x0, top + (int)n * rh + 16,
		    t / 60);
	}
	for (i = 0; i < n; i++) {
		time_t end = sp[i].end == (time_t)-1 ? now : sp[i].end;

		x0 = lw + difftime(sp[i].start, t0) / span * (W - lw - MR);
		x1 = lw + difftime(end, t0) / span * (W - lw - MR);
		if (x1 - x0 < 2)
			x1 = x0 + 2;
		fprintf(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
		    "class=\"tick\">", lw - 6, top + (int)i * rh + 15);
		/* 24 characters fit the label column at a phone's text size. */
		short_label(fp, sp[i].label, 24);
		fmt_human(lab, sizeof(lab), difftime(end, sp[i].start));
		fprintf(fp, "</text><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
		    "height=\"%d\" fill=\"%s\"%s><title>", x0,
		    top + (int)i * rh + 3, x1 - x0, rh - 6,
		    sp[i].is_run ? "#1f77b4" : "#7f7f7f",
		    sp[i].end == (time_t)-1 ? " opacity=\"0.5\"" : "");
		html_esc(fp, sp[i].label);
		fprintf(fp, ": %s s%s</title></rect>\n", lab,
		    sp[i].end == (time_t)-1 ? " so far (under way)" : "");
	}
	fputs("</svg></figure>\n", fp);
}
