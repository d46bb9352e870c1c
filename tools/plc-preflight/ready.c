/*
 * After apply: how far the nodes are. Each node writes its state into
 * status/<node>.json in the lab's bucket (user-data); the lifecycle fetches
 * them into one folder, and this reads them: how many are ready, which
 * failed, how many per role, and which still wait and why.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "preflight.h"

/* A node's state: its status file's "state", or why there is none. */
static const char *
node_state(const char *dir, const char *node, json_t **doc)
{
	struct buf path = { 0 };
	struct stat st;
	const char *s;

	*doc = NULL;
	buf_addf(&path, "%s/%s.json", dir, node);
	if (stat(path.data, &st) != 0 || st.st_size == 0) {
		buf_free(&path);
		return "no status yet";
	}
	if (st.st_size <= PREFLIGHT_MAX_STATUS_BYTES)
		*doc = json_load_file(path.data, 0, NULL);
	buf_free(&path);
	s = json_string_value(json_object_get(*doc, "state"));
	return s != NULL ? s : "unreadable";
}

/* "bookkeeper-2" is of role "bookkeeper": the name without "-<index>". */
static json_t *
node_role(const char *node)
{
	const char *dash = strrchr(node, '-'), *p;

	if (dash == NULL || dash[1] == '\0')
		return json_string(node);
	for (p = dash + 1; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return json_string(node);
	return json_stringn(node, (size_t)(dash - node));
}

json_t *
preflight_ready(const char *dir, char *const nodes[], size_t n)
{
	json_t *failed = json_array(), *waiting = json_array();
	json_t *roles = json_object(), *by_role = json_array(), *r, *doc;
	const char *state, *name;
	size_t i, ready = 0;

	for (i = 0; i < n; i++) {
		json_t *role = node_role(nodes[i]);

		state = node_state(dir, nodes[i], &doc);
		if ((r = json_object_get(roles, json_string_value(role))) ==
		    NULL) {
			r = json_pack("{s:O,s:i,s:i}", "role", role, "ready", 0,
			    "nodes", 0);
			json_object_set_new(roles, json_string_value(role), r);
		}
		json_object_set_new(r, "nodes", json_integer(
		    json_integer_value(json_object_get(r, "nodes")) + 1));
		if (strcmp(state, "ready") == 0) {
			ready++;
			json_object_set_new(r, "ready", json_integer(
			    json_integer_value(json_object_get(r, "ready")) + 1));
		} else
			json_array_append_new(waiting, json_pack("{s:s,s:s}",
			    "node", nodes[i], "state", state));
		if (strcmp(state, "failed") == 0)
			json_array_append_new(failed, json_string(nodes[i]));
		json_decref(doc);
		json_decref(role);
	}
	/* roles by name: jansson's objects keep insertion order */
	for (;;) {
		const char *least = NULL;

		json_object_foreach(roles, name, r)
			if (least == NULL || strcmp(name, least) < 0)
				least = name;
		if (least == NULL)
			break;
		json_array_append(by_role, json_object_get(roles, least));
		json_object_del(roles, least);
	}
	json_decref(roles);
	return json_pack("{s:I,s:I,s:o,s:o,s:o}", "nodes", (json_int_t)n,
	    "ready", (json_int_t)ready, "failed", failed, "by_role", by_role,
	    "waiting", waiting);
}
