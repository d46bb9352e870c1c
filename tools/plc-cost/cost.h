/*
 * plc-cost's model: the resources of an experiment with their lifetimes,
 * the run windows, and the price table they are priced with.
 */
#ifndef PLC_COST_H
#define PLC_COST_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

/* Exit statuses, as every plc tool. */
#define EX_COST_OK	0
#define EX_COST_FAIL	1
#define EX_COST_USAGE	2
#define EX_COST_INPUT	3

#define COST_MIN_BILLED_S	60	/* EC2 and EBS per-second minimum */

struct spot_price {
	time_t	 when;
	double	 usd_per_hour;
};

enum res_kind { RES_INSTANCE, RES_VOLUME, RES_IPV4 };

struct resource {
	enum res_kind	 kind;
	char		*id;
	char		*role;		/* "" when unknown */
	char		*type;		/* instance type or volume type */
	char		*az;		/* "" when unknown */
	char		*instance_id;	/* volumes, addresses: of, or NULL */
	int		 spot;
	time_t		 start, end;
	int		 running;	/* end is the as-of time */
	int		 unlisted;	/* kept from --previous */
	const char	*end_source;	/* unlisted: whence its end */
	double		 size_gb, iops, throughput_mb_per_s;
	struct spot_price *spot_prices;	/* spot: by time, ascending */
	size_t		 nspot_prices;
	/* Filled by the estimate. */
	int		 priced;
	double		 usd_per_hour;	/* on-demand or volume rate */
	double		 cost_usd;
	long		 billed_s;
	char		*unpriced_reason;
};

struct run_window {
	char	*name;
	time_t	 start, end;
	double	 messages;	/* -1: unknown */
	double	 measured_s;	/* OMB's measured period of those messages */
};

struct experiment {
	char		*experiment_id;	/* may be NULL */
	char		*region;
	time_t		 as_of;
	struct resource	*res;
	size_t		 nres;
	struct run_window *runs;
	size_t		 nruns;
	json_t		*assumptions;	/* array of strings */
};

/* time.c */
char	*cost_format_time(time_t, char *, size_t);	/* ISO 8601 UTC */

/* prices.c */
json_t	*prices_load(const char *path, char *err, size_t errlen);
json_t	*prices_region(json_t *table, const char *region);
int	 prices_instance(json_t *region, const char *type, double *usd_per_hour);
int	 prices_ipv4(json_t *region, double *usd_per_hour);
int	 prices_volume(json_t *table, json_t *region, const struct resource *,
	    double *usd_per_hour);
int	 prices_refresh(json_t *table, json_t **out, char *err, size_t errlen);

/* input.c */
void	 experiment_init(struct experiment *);
void	 experiment_free(struct experiment *);
struct resource *experiment_add(struct experiment *, enum res_kind);
struct run_window *experiment_add_run(struct experiment *);
void	 experiment_add_ipv4(struct experiment *, size_t instance);
int	 input_read(struct experiment *, json_t *doc, char *err, size_t errlen);
int	 metrics_read(struct experiment *, const char *path, char *err,
	    size_t errlen);
/* runs_read_windows, plan_read: 0; -1 bad input; -2 a file that could not
 * be opened (err says which). */
int	 runs_read_windows(struct experiment *, const char *path, char *err,
	    size_t errlen);

/* estimate.c */
json_t	*estimate(struct experiment *, json_t *prices, int *unpriced);

/* discover.c (needs the network) */
struct aws_client;
int	 discover(struct aws_client *, struct experiment *, char *err,
	    size_t errlen);
json_t	*actuals(struct aws_client *, const struct experiment *, char *err,
	    size_t errlen);

/* previous.c */
int	 previous_read(struct experiment *, const char *path, time_t gone_by,
	    char *err, size_t errlen);

/* plan.c */
int	 plan_read(struct experiment *, const char *tfvars, const char *runs,
	    long overhead_s, char *err, size_t errlen);

#endif
