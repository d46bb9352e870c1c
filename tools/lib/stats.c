/*
 * Student's t and Welch's test from the regularized incomplete beta
 * function, itself from its continued fraction (DLMF 8.17.22,
 * https://dlmf.nist.gov/8.17, evaluated from the top down by the modified
 * Lentz method). Checked against independent values in
 * tests/unit/test_stats.c.
 */
#include <float.h>
#include <math.h>
#include <stddef.h>

#include "stats.h"

#define CF_EPS		1e-15
#define CF_TINY		1e-300
#define CF_MAX_TERMS	10000	/* converges in O(sqrt(max(a, b))) terms */

/*
 * 1 / (1 + d1 / (1 + d2 / (1 + ...))) with DLMF 8.17.22's d_j, x < (a + 1) /
 * (a + b + 2), where the fraction converges fast; NAN if it did not.
 */
static double
beta_fraction(double a, double b, double x)
{
	double c = 1, d = 0, f = 1, dj, delta;
	int j, m;

	for (j = 1; j <= CF_MAX_TERMS; j++) {
		m = j / 2;
		if (j % 2 == 1)
			dj = -(a + m) * (a + b + m) * x /
			    ((a + 2 * m) * (a + 2 * m + 1));
		else
			dj = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
		/* One more level of the fraction: b_j = 1, a_j = dj. */
		d = 1 + dj * d;
		if (fabs(d) < CF_TINY)
			d = CF_TINY;
		c = 1 + dj / c;
		if (fabs(c) < CF_TINY)
			c = CF_TINY;
		d = 1 / d;
		delta = c * d;
		f *= delta;
		if (fabs(delta - 1) < CF_EPS)
			return 1 / f;
	}
	return NAN;
}

/* I_x(a, b) with y = 1 - x given exactly, so that neither side cancels. */
static double
betainc_xy(double a, double b, double x, double y)
{
	double lfront;

	if (!(a > 0) || !(b > 0) || !(x >= 0) || !(y >= 0) || isinf(a) ||
	    isinf(b))
		return NAN;
	if (x == 0)
		return 0;
	if (y == 0)
		return 1;
	/* log(x^a y^b / B(a, b)) */
	lfront = a * log(x) + b * log(y) + lgamma(a + b) - lgamma(a) -
	    lgamma(b);
	if (x < (a + 1) / (a + b + 2))
		return exp(lfront) / a * beta_fraction(a, b, x);
	/* I_x(a, b) = 1 - I_y(b, a) (DLMF 8.17.4) */
	return 1 - exp(lfront) / b * beta_fraction(b, a, y);
}

double
stats_betainc(double a, double b, double x)
{
	if (!(x >= 0 && x <= 1))
		return NAN;
	return betainc_xy(a, b, x, 1 - x);
}

/* P(T >= |t|) = I_{df/(df+t^2)}(df/2, 1/2) / 2 (DLMF 8.17.iv, 26.5). */
static double
t_tail(double t, double df)
{
	double t2 = t * t;

	if (isnan(t) || !(df > 0))
		return NAN;
	if (isinf(t2))
		return 0;
	return betainc_xy(df / 2, 0.5, df / (df + t2), t2 / (df + t2)) / 2;
}

double
stats_t_cdf(double t, double df)
{
	double tail = t_tail(t, df);

	return t > 0 ? 1 - tail : tail;
}

double
stats_t_two_sided(double t, double df)
{
	return 2 * t_tail(t, df);
}

double
stats_t_quantile(double p, double df)
{
	double q, lo = 0, hi = 1, mid;
	int i;

	if (!(p > 0 && p < 1) || !(df > 0))
		return NAN;
	if (p < 0.5)
		return -stats_t_quantile(1 - p, df);
	/* The upper tail, decreasing in t: bracket q, then halve. */
	q = 1 - p;
	while (t_tail(hi, df) > q) {
		lo = hi;
		if (isinf(hi *= 2))
			return INFINITY;
	}
	for (i = 0; i < 2000 && hi - lo > 4 * DBL_EPSILON * hi; i++) {
		mid = lo + (hi - lo) / 2;
		if (t_tail(mid, df) > q)
			lo = mid;
		else
			hi = mid;
	}
	return lo + (hi - lo) / 2;
}

void
stats_sample(const double *v, size_t n, struct stats_sample *s)
{
	double sum = 0, sq = 0, half;
	size_t i;

	s->n = n;
	s->mean = s->sd = s->ci_low = s->ci_high = NAN;
	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		sum += v[i];
	s->mean = sum / n;
	if (n < 2)
		return;
	for (i = 0; i < n; i++)
		sq += (v[i] - s->mean) * (v[i] - s->mean);
	s->sd = sqrt(sq / (n - 1));
	half = stats_t_quantile(1 - (1 - STATS_CONFIDENCE) / 2, n - 1) *
	    s->sd / sqrt(n);
	s->ci_low = s->mean - half;
	s->ci_high = s->mean + half;
}

int
stats_welch(const struct stats_sample *a, const struct stats_sample *b,
    struct stats_welch *w)
{
	double va, vb, se2, diff;

	if (a->n < 2 || b->n < 2)
		return -1;
	va = a->sd * a->sd / a->n;
	vb = b->sd * b->sd / b->n;
	se2 = va + vb;
	diff = b->mean - a->mean;
	if (se2 == 0) {
		w->t = diff == 0 ? 0 : copysign(INFINITY, diff);
		w->df = NAN;
		w->p = diff == 0 ? 1 : 0;
		return 0;
	}
	w->t = diff / sqrt(se2);
	w->df = se2 * se2 / (va * va / (a->n - 1) + vb * vb / (b->n - 1));
	w->p = stats_t_two_sided(w->t, w->df);
	return 0;
}
