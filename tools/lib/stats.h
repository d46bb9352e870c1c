/*
 * The statistics plc-report states a decision on: a mean with its 95 %
 * confidence interval (Student's t), and Welch's t-test of two means. Pure
 * arithmetic on doubles; no allocation, no library beyond libm.
 */
#ifndef PLC_STATS_H
#define PLC_STATS_H

#include <stddef.h>

/* The confidence level of every interval, and the test's significance level. */
#define STATS_CONFIDENCE	0.95
#define STATS_ALPHA		0.05

/*
 * The regularized incomplete beta function I_x(a, b), a > 0, b > 0,
 * 0 <= x <= 1; NAN outside that domain.
 */
double	 stats_betainc(double a, double b, double x);
/* Student's t distribution with df > 0 (real) degrees of freedom: P(T <= t). */
double	 stats_t_cdf(double t, double df);
/* P(|T| >= |t|), computed without the cancellation of 1 - cdf. */
double	 stats_t_two_sided(double t, double df);
/* The t with stats_t_cdf(t, df) = p, 0 < p < 1; NAN outside. */
double	 stats_t_quantile(double p, double df);

struct stats_sample {
	size_t	 n;
	double	 mean;
	double	 sd;		/* sample standard deviation (n - 1); NAN if n < 2 */
	double	 ci_low;	/* mean -+ t(0.975, n - 1) sd / sqrt(n); NAN if n < 2 */
	double	 ci_high;
};
/* The n values v (none NAN) summed up; n may be 0 (all NAN). */
void	 stats_sample(const double *v, size_t n, struct stats_sample *);

struct stats_welch {
	double	 t;		/* (mean b - mean a) / standard error */
	double	 df;		/* Welch-Satterthwaite; NAN when both spreads are 0 */
	double	 p;		/* two-sided */
};
/*
 * Welch's t-test of b's mean against a's: -1 unless both have n >= 2.
 * Both without spread: p is 1 when the means are equal, else 0.
 */
int	 stats_welch(const struct stats_sample *a, const struct stats_sample *b,
	    struct stats_welch *);

#endif
