/*
 * The SLO's bounds, one table for every tool: plc-tfvars validates a
 * plan's slo: against it and carries what it names into the run lines,
 * plc-search judges each step by it (tests/plc-search.bats checks that
 * what one accepts the other judges).
 *
 * SLO_BOUNDS(X) calls X(key, figure, is_min, unit, lo, hi) once per bound,
 * in the order a verdict names them: key is the plan's (slo: key), figure
 * the step's figure it bounds (plc-search(1)), is_min 1 for a floor rather
 * than a ceiling, unit as a verdict prints it after a number, lo and hi the
 * values a plan may give.
 */
#ifndef PLC_SLO_H
#define PLC_SLO_H

#define SLO_BOUNDS(X)							\
	X("publish_p99_ms", "publish_p99_ms", 0, " ms", 0.001, 3600000)	\
	X("end_to_end_p99_ms", "end_to_end_p99_ms", 0, " ms",		\
	    0.001, 3600000)						\
	X("max_error_rate_percent", "error_rate_percent", 0, "%", 0, 100) \
	X("min_achieved_percent", "achieved_percent", 1, "%", 0, 100)

#endif
