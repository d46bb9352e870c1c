/*
 * plc-reap: find everything an experiment left in a region and delete it in
 * dependency order, in passes, confirming each resource with a Describe call.
 */
#ifndef PLC_REAP_H
#define PLC_REAP_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "awsclient.h"
#include "cli.h"
#include "project.h"

#define REAP_SCHEMA		"plc-reap/1"
#define REAP_EXIT_REMAINS	EXIT_VERDICT	/* something to delete is left */
#define REAP_KEEP_KEY		"plc:keep-until"
#define REAP_ARTIFACT_KEY	"plc:artifact"
#define REAP_CREATED_KEY	"plc:created-at"

/* Resource types, in deletion order. */
enum reap_kind {
	RK_SPOT_REQUEST,
	RK_INSTANCE,
	RK_VOLUME,
	RK_ADDRESS,
	RK_NAT_GATEWAY,
	RK_NETWORK_INTERFACE,
	RK_VPC_ENDPOINT,
	RK_KEY_PAIR,
	RK_LAUNCH_TEMPLATE,
	RK_SECURITY_GROUP,
	RK_ROUTE_TABLE,
	RK_SUBNET,
	RK_INTERNET_GATEWAY,
	RK_VPC,
	RK_INSTANCE_PROFILE,
	RK_IAM_POLICY,
	RK_IAM_ROLE,
	RK_BUCKET,
	RK_NKINDS
};

enum reap_action { RA_DELETE, RA_KEEP };

/* How a candidate was found: the records' "found". */
enum reap_found {
	RF_TAGS,	/* by the project's and the experiment's tags */
	RF_INSIDE,	/* untagged, inside a VPC (or on an instance) to delete */
	RF_NAME		/* untagged, by the name Terraform gives it (adopted) */
};

enum reap_outcome {
	RO_PENDING,	/* not tried yet, or to try again */
	RO_DONE,	/* the delete call succeeded */
	RO_GONE,	/* NotFound: already gone */
	RO_RETRY,	/* in use or a dependency remains: next pass */
	RO_FAILED	/* another error */
};

struct reap_item {
	enum reap_kind	 kind;
	char		*id;
	char		*arn;
	char		*experiment_id;	/* NULL when untagged (found in a VPC) */
	json_t		*tags;		/* {"Key":"Value"} */
	json_t		*info;		/* what deletion needs: associations... */
	time_t		 created;	/* 0: unknown */
	enum reap_action action;
	const char	*reason;	/* why kept */
	enum reap_found	 found;
	enum reap_outcome outcome;
	char		*err_code;
	char		*err_msg;
};

struct reap_list {
	struct reap_item **v;
	size_t		 n, cap;
	json_t		*seen;	/* {"kind/id":true}: what Describe answered */
};

struct reap {
	struct aws_client *client;
	const char	*region;
	const char	*experiment_id;	/* NULL: --older-than sweep */
	long		 older_than_s;	/* 0: not a sweep */
	long		 time_limit_s;
	int		 execute;
	int		 verbose;
	int		 bucket_by_name; /* look the experiment's bucket up by name */
	time_t		 now;
	time_t		 deadline;
	char		 account[32];
	char		 call[104];	/* the call being read: "ec2 DescribeVpcs" */
	char		 err[2048];
};

/* Calls that let go of what holds an item, one per entry of a list. */
struct reap_unhook {
	const char	*action;	/* NULL: none */
	const char	*list;		/* the item's list, NULL: the item */
	const char	*member;	/* each entry's value to pass (NULL:
					 * the entry, a string)... */
	const char	*param;		/* ...as this parameter */
	const char	*id_param;	/* the item's ID too, or NULL */
};

/* A value in an EC2 entry: its member, or each entry's of its list. */
struct reap_path {
	const char	*list;		/* NULL: the entry itself */
	const char	*member;
};

#define REAP_WAIT		0x1	/* wait until the deleted are gone */
#define REAP_WITH_INSTANCE	0x2	/* may have gone with its instance */

/* One resource type: how it is found, named, deleted, and in which step. */
struct reap_type {
	enum reap_kind	 kind;
	const char	*name;		/* the records' "type" */
	int		 order;		/* step of the documented order */
	/* EC2's Describe call; NULL: found another way */
	const char	*describe;
	const char	*list;		/* the answer's list */
	const char	*id;		/* the id in each entry */
	const char	*id_filter;	/* Describe filter by id */
	const char	*vpc_filter;	/* NULL: not looked up inside VPCs */
	const char	*arn_type;	/* ARN resource type */
	const char	*time;		/* creation time field, or NULL */
	int		 max_results;	/* the most it takes; 0: none */
	struct reap_path skip;		/* gone, or the VPC takes it, when... */
	const char *const *skip_values;	/* ...it is one of these */
	struct reap_path owner;		/* its VPC (or instance); none: vpcId */
	/* deleting: one call by ID, or a function of its own */
	const char	*delete, *delete_param;
	const char	*delete_by;	/* info member passed instead of the ID */
	const char	*verb;		/* the records' "action"; NULL: delete */
	struct reap_unhook unhook;	/* before each item's delete */
	void		(*before_all)(struct reap *, struct reap_item *);
	int		(*delete_fn)(struct reap *, struct reap_item *,
			    json_t **error);
	void		(*batch)(struct reap *, struct reap_item **, size_t n,
			    int pass, size_t *deleted);
	unsigned	 flags;
};

/* reap_types.c */
extern const struct reap_type reap_types[RK_NKINDS];
const char	*reap_kind_name(enum reap_kind);
int		 reap_kind_order(enum reap_kind);

/* reap_aws.c: calls, and what their answers mean */
int	 reap_call(struct reap *, json_t *req, int paginate,
	    int (*fn)(struct reap *, json_t *body, void *), void *arg,
	    json_t **error);
int	 reap_error_is_gone(const char *code);
int	 reap_error_is_busy(const char *code);
int	 reap_unreadable(struct reap *, const char *what);
json_t	*reap_want(struct reap *, json_t *body, const char *key);
json_t	*reap_list_in(struct reap *, json_t *, const char *name);
int	 reap_sets_readable(struct reap *, json_t *entry);
json_t	*reap_array(json_t *);		/* a list that may be one object */
const char *reap_str(json_t *, const char *key);
json_t	*reap_tags_object(struct reap *, json_t *list, const char *k,
	    const char *v);
time_t	 reap_parse_time(const char *);
json_t	*reap_ec2(const char *action);
json_t	*reap_iam(const char *action);
json_t	*reap_req(json_t *req, const char *k1, const char *v1,
	    const char *k2, const char *v2);

/* reap_discover.c */
int	 reap_discover(struct reap *, struct reap_list *);
int	 reap_describe_kind(struct reap *, enum reap_kind, json_t *ids,
	    struct reap_list *);
void	 reap_list_free(struct reap_list *);
void	 reap_list_add(struct reap_list *, struct reap_item *);
int	 reap_list_seen(const struct reap_list *, enum reap_kind,
	    const char *id);
struct reap_item *reap_list_find(const struct reap_list *, enum reap_kind,
	    const char *id);
int	 reap_list_match(const struct reap *, json_t *tags);
struct reap_item *reap_item_new(enum reap_kind, const char *id,
	    const char *arn, json_t *tags);
struct reap_item *reap_item_adopt(const struct reap *, enum reap_kind,
	    const char *id, const char *arn, json_t *tags, const char *named);

/* reap_leads.c */
int	 reap_discover_tagging(struct reap *, struct reap_list *);

/* reap_iam.c, reap_s3.c */
int	 reap_discover_iam(struct reap *, struct reap_list *);
int	 reap_delete_iam(struct reap *, struct reap_item *, json_t **error);
int	 reap_confirm_bucket(struct reap *, struct reap_list *,
	    const char *name);
int	 reap_adopt_bucket(struct reap *, struct reap_list *);
int	 reap_delete_bucket(struct reap *, struct reap_item *, json_t **error);
void	 reap_item_free(struct reap_item *);

int	 reap_ec2_alive(struct reap *, enum reap_kind, json_t *ids,
	    json_t **alive);

/* reap_plan.c */
void	 reap_plan_order(struct reap_list *);
void	 reap_plan_mark(struct reap *, struct reap_list *);
void	 reap_print_plan(struct reap *, const struct reap_list *);
void	 reap_print_item(struct reap *, const struct reap_item *,
	    const char *record, const char *action, int pass);
void	 reap_print_summary(struct reap *, const struct reap_list *, int passes,
	    size_t deleted, int status);
size_t	 reap_count_pending(const struct reap_list *);

/* reap_delete.c; the first three are reap_types' own ways */
void	 reap_terminate(struct reap *, struct reap_item **, size_t n,
	    int pass, size_t *deleted);
void	 reap_cancel_spot(struct reap *, struct reap_item **, size_t n,
	    int pass, size_t *deleted);
void	 reap_revoke_group_rules(struct reap *, struct reap_item *);
int	 reap_delete_pass(struct reap *, struct reap_list *, int pass,
	    size_t *deleted);
int	 reap_execute(struct reap *, struct reap_list *);

#endif
