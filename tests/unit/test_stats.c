/*
 * stats: Student's t, its quantiles, the incomplete beta function and
 * Welch's test, against values computed independently:
 *  - "mpmath": mpmath 1.3.0 at 40 digits, betainc(a, b, 0, x,
 *    regularized=True) (a hypergeometric series, not a continued fraction),
 *    the t quantile by findroot on that CDF;
 *  - "table": the NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.6.7.2
 *    "Critical values of the Student's t distribution", 0.975 column
 *    (https://www.itl.nist.gov/div898/handbook/eda/section3/eda3672.htm),
 *    three decimals;
 *  - closed forms: t with 1 degree of freedom is Cauchy's, 1/2 + atan(t)/pi;
 *    with 2, 1/2 + t / (2 sqrt(2 + t^2)); I_x(a, 1) = x^a;
 *    I_x(1/2, 1/2) = 2 asin(sqrt(x)) / pi (DLMF 8.17.2, 8.17.6);
 *  - Wikipedia's "Welch's t-test", example 1 (t -2.46, df 25.0, p 0.021),
 *    to its digits, and to all digits by mpmath.
 */
#include <math.h>
#include <stdio.h>

#include "stats.h"
#include "unit.h"

static int
close_to(double got, double want, double rel)
{
	int ok = fabs(got - want) <= rel * fabs(want);

	if (!ok)
		printf("#   got %.17g, want %.17g\n", got, want);
	return ok;
}

int
main(void)
{
	/* t(0.975, df): mpmath, and the table to its three decimals. */
	static const struct { double df, mp, table; } q[] = {
		{ 1, 12.706204736174704646, 12.706 },
		{ 2, 4.3026527297494638523, 4.303 },
		{ 3, 3.1824463052837095927, 3.182 },
		{ 4, 2.7764451051977943578, 2.776 },
		{ 5, 2.5705818356363155147, 2.571 },
		{ 9, 2.2621571627982055426, 2.262 },
		{ 10, 2.2281388519862747484, 2.228 },
		{ 29, 2.0452296421327042982, 2.045 },
		{ 30, 2.04227245630123831, 2.042 },
		{ 120, 1.9799304050824408467, 1.980 },
	};
	static const double A1[] = { 27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9,
	    20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4 };
	static const double A2[] = { 27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8,
	    22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4 };
	static const double B1[] = { 100, 102, 98 }, B2[] = { 110, 111, 109.5 };
	static const double same[] = { 5, 5, 5 }, other[] = { 6, 6 };
	struct stats_sample a, b;
	struct stats_welch w;
	char what[96];
	double t;
	size_t i;

	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		t = stats_t_quantile(0.975, q[i].df);
		snprintf(what, sizeof(what), "t(0.975, %g) as mpmath", q[i].df);
		CHECK(close_to(t, q[i].mp, 1e-12), what);
		snprintf(what, sizeof(what), "t(0.975, %g) as the table", q[i].df);
		CHECK(fabs(t - q[i].table) <= 0.0005, what);
		snprintf(what, sizeof(what), "t(0.025, %g) is -t(0.975)", q[i].df);
		CHECK(stats_t_quantile(0.025, q[i].df) == -t, what);
	}
	CHECK(close_to(stats_t_quantile(0.975, 2.5), 3.5746548420036832185,
	    1e-12), "t(0.975, 2.5): real degrees of freedom (mpmath)");
	CHECK(close_to(stats_t_quantile(0.975, 7.3), 2.345066736547703644,
	    1e-12), "t(0.975, 7.3) (mpmath)");
	CHECK(close_to(stats_t_quantile(0.975, 1e6), 1.959966, 1e-6),
	    "t(0.975) tends to the normal's 1.959964 (table: infinity 1.960)");
	CHECK(stats_t_quantile(0.5, 4) == 0, "the median is 0");
	CHECK(isnan(stats_t_quantile(1, 4)) && isnan(stats_t_quantile(0, 4)) &&
	    isnan(stats_t_quantile(0.9, 0)), "quantile outside (0, 1) or df <= 0");

	/* Closed forms of the CDF. */
	for (t = -30; t <= 30; t += 1.25) {
		snprintf(what, sizeof(what), "t CDF, 1 df, at %g: Cauchy", t);
		CHECK(close_to(stats_t_cdf(t, 1), 0.5 + atan(t) / M_PI, 1e-13),
		    what);
		snprintf(what, sizeof(what), "t CDF, 2 df, at %g", t);
		CHECK(close_to(stats_t_cdf(t, 2), 0.5 + t / (2 * sqrt(2 +
		    t * t)), 1e-13), what);
	}
	CHECK(close_to(stats_t_cdf(2.0, 5), 0.94903026058507082188, 1e-13),
	    "t CDF at 2, 5 df (mpmath)");
	CHECK(close_to(stats_t_cdf(-1.5, 3.7), 0.1067990846010067653, 1e-13),
	    "t CDF at -1.5, 3.7 df (mpmath)");
	CHECK(close_to(stats_t_cdf(0.1, 100), 0.53972773445207438392, 1e-13),
	    "t CDF at 0.1, 100 df (mpmath)");
	CHECK(close_to(stats_t_two_sided(10, 2.2), 0.0071044637102584415537,
	    1e-12), "two-sided p at 10, 2.2 df (mpmath)");
	CHECK(close_to(stats_t_two_sided(-2.0, 5), 0.10193947882985835625,
	    1e-12), "two-sided p at -2, 5 df (mpmath)");
	CHECK(stats_t_cdf(INFINITY, 3) == 1 && stats_t_cdf(-INFINITY, 3) == 0,
	    "the CDF at infinity");
	CHECK(stats_t_cdf(0, 7) == 0.5 && stats_t_two_sided(0, 7) == 1,
	    "at 0: half, and p 1");
	CHECK(isnan(stats_t_cdf(NAN, 3)) && isnan(stats_t_cdf(1, -1)),
	    "NAN in, or df <= 0: NAN");

	/* The incomplete beta function itself. */
	CHECK(close_to(stats_betainc(2.5, 0.5, 0.3), 0.018927124071945651653,
	    1e-13), "I_0.3(2.5, 0.5) (mpmath)");
	CHECK(close_to(stats_betainc(10, 0.5, 0.9), 0.15164090963470996856,
	    1e-13), "I_0.9(10, 0.5) (mpmath)");
	CHECK(close_to(stats_betainc(0.5, 3.5, 0.2), 0.77254718194023689262,
	    1e-13), "I_0.2(0.5, 3.5) (mpmath)");
	CHECK(close_to(stats_betainc(30, 40, 0.45), 0.64474800855856811281,
	    1e-12), "I_0.45(30, 40) (mpmath)");
	CHECK(close_to(stats_betainc(100, 0.5, 0.999), 0.65504351632442958775,
	    1e-12), "I_0.999(100, 0.5) (mpmath)");
	CHECK(close_to(stats_betainc(3.7, 1, 0.42), pow(0.42, 3.7), 1e-13),
	    "I_x(a, 1) = x^a");
	CHECK(close_to(stats_betainc(0.5, 0.5, 0.8), 2 * asin(sqrt(0.8)) /
	    M_PI, 1e-13), "I_x(1/2, 1/2) = 2 asin(sqrt x) / pi");
	CHECK(stats_betainc(2, 3, 0) == 0 && stats_betainc(2, 3, 1) == 1,
	    "I_0 = 0, I_1 = 1");
	CHECK(isnan(stats_betainc(2, 3, 1.5)) && isnan(stats_betainc(0, 3,
	    0.5)) && isnan(stats_betainc(2, -1, 0.5)),
	    "outside the domain: NAN");

	/* A sample: mean, sample deviation, the interval (mpmath). */
	stats_sample(A1, 15, &a);
	CHECK(a.n == 15 && close_to(a.mean, 20.82, 1e-14) &&
	    close_to(a.sd, 2.8048936827317664713, 1e-13),
	    "mean and sample standard deviation (n - 1)");
	CHECK(close_to(a.ci_low, 19.266701652451242847, 1e-13) &&
	    close_to(a.ci_high, 22.373298347548757153, 1e-13),
	    "the 95 % interval, t(0.975, 14)");
	stats_sample(A1, 1, &b);
	CHECK(b.n == 1 && b.mean == 27.5 && isnan(b.sd) && isnan(b.ci_low) &&
	    isnan(b.ci_high), "one value: a mean, no interval");
	stats_sample(A1, 0, &b);
	CHECK(b.n == 0 && isnan(b.mean), "no value: nothing");

	/* Welch. */
	stats_sample(A2, 15, &b);
	CHECK(stats_welch(&b, &a, &w) == 0, "Welch: both repeated");
	CHECK(fabs(w.t - -2.46) < 0.005 && fabs(w.df - 25.0) < 0.05 &&
	    fabs(w.p - 0.021) < 0.0005, "Welch: Wikipedia's example 1");
	CHECK(close_to(w.t, -2.4553563982860050625, 1e-13) &&
	    close_to(w.df, 24.988529290231414357, 1e-13) &&
	    close_to(w.p, 0.021378001462867032492, 1e-11),
	    "Welch: t, df and p as mpmath");
	stats_sample(B1, 3, &a);
	stats_sample(B2, 3, &b);
	CHECK(stats_welch(&a, &b, &w) == 0 &&
	    close_to(w.t, 8.2252383220515534522, 1e-13) &&
	    close_to(w.df, 2.5711857203569910752, 1e-13) &&
	    close_to(w.p, 0.0065092059948666915829, 1e-11),
	    "Welch: three against three (mpmath)");
	stats_sample(B1, 1, &b);
	CHECK(stats_welch(&a, &b, &w) == -1 && stats_welch(&b, &a, &w) == -1,
	    "Welch needs two values on each side");
	stats_sample(same, 3, &a);
	stats_sample(same, 2, &b);
	CHECK(stats_welch(&a, &b, &w) == 0 && w.t == 0 && w.p == 1 &&
	    isnan(w.df), "no spread, same means: p 1");
	stats_sample(other, 2, &b);
	CHECK(stats_welch(&a, &b, &w) == 0 && w.t == INFINITY && w.p == 0,
	    "no spread, different means: p 0");
	return unit_done();
}
