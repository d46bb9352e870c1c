#include <jansson.h>

#include "awsanswer.h"

json_t *
awsanswer_list(json_t *v)
{
	json_t *a;

	if (json_is_array(v))
		return json_incref(v);
	if (v == NULL || (json_is_string(v) && json_string_length(v) == 0))
		return json_array();
	if (!json_is_object(v))
		return NULL;
	a = json_array();
	json_array_append(a, v);
	return a;
}
