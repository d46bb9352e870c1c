/*
 * The plan's runs (plc-tfvars --runs: one JSON object per line), and the
 * join of result files to them.
 */
#ifndef OMB_RUNS_H
#define OMB_RUNS_H

#include <stddef.h>

#include <jansson.h>

struct omb_run {
	json_t		*line;		/* the whole runs.ndjson object */
	const char	*workload;	/* its workload.name */
	int		 matched;
	json_t		*executed;	/* its executed.ndjson line, or NULL */
	const char	*result_file;	/* that line's, or NULL */
};

struct omb_runs {
	struct omb_run	*run;
	size_t		 n;
};

enum omb_runs_result {
	OMB_RUNS_OK,
	OMB_RUNS_UNREADABLE,	/* path cannot be read */
	OMB_RUNS_BAD		/* a line is not JSON or lacks a key */
};

/*
 * Reads path. Returns OMB_RUNS_OK, or another result with a message in
 * err ("path:line:col: ..." for OMB_RUNS_BAD).
 */
int	omb_runs_load(const char *path, struct omb_runs *runs, char *err,
	    size_t errlen);
/*
 * Reads an executed.ndjson (plc-executed/1, one line per workload the
 * lifecycle ran): each line's run_line is a run, its result_file (string or
 * null) the result that goes with it. Returns as omb_runs_load does.
 */
int	omb_runs_load_executed(const char *path, struct omb_runs *runs,
	    char *err, size_t errlen);
void	omb_runs_free(struct omb_runs *runs);

/*
 * The first run not yet matched whose workload name is workload (the
 * result's own "workload" field), marked matched; NULL if none.
 */
struct omb_run *omb_runs_match(struct omb_runs *runs, const char *workload);

#endif
