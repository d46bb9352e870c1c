/*
 * awsanswer_list: the one reading of a converted answer's lists, for the
 * tools that send (plc-reap, plc-cost) and those that read plc-aws-sign's
 * output (plc-preflight). Issue 17: plc-cost refused a single-object list
 * that plc-reap read as one item, and both read text as an empty list.
 */
#include <jansson.h>

#include "awsanswer.h"
#include "xmljson.h"
#include "unit.h"

/* The list at root.set of the XML xml, as xml_to_json converts it. */
static json_t *
list_of(const char *xml, const char *root, const char *set)
{
	char err[256];
	json_t *doc = xml_to_json(xml, strlen(xml), err, sizeof(err)), *l;

	l = awsanswer_list(json_object_get(json_object_get(doc, root), set));
	json_decref(doc);
	return l;
}

int
main(void)
{
	json_t *l, *tagset, *one = json_integer(1);

	l = list_of("<R><reservationSet><item><id>a</id></item></reservationSet>"
	    "</R>", "R", "reservationSet");
	CHECK(json_array_size(l) == 1, "an EC2 set of one item is one item");
	json_decref(l);
	l = list_of("<R><reservationSet/></R>", "R", "reservationSet");
	CHECK(json_is_array(l) && json_array_size(l) == 0,
	    "an empty EC2 set is empty");
	json_decref(l);
	l = list_of("<R><Users/></R>", "R", "Users");
	CHECK(json_is_array(l) && json_array_size(l) == 0,
	    "IAM's empty wrapper (\"\") is empty");
	json_decref(l);
	l = list_of("<R></R>", "R", "Contents");
	CHECK(json_is_array(l) && json_array_size(l) == 0,
	    "S3's absent list is empty");
	json_decref(l);
	tagset = list_of("<T><TagSet><Tag><Key>k</Key></Tag></TagSet></T>",
	    "T", "TagSet");
	l = awsanswer_list(json_object_get(json_array_get(tagset, 0), "Tag"));
	json_decref(tagset);
	CHECK(json_array_size(l) == 1 && json_is_object(json_array_get(l, 0)),
	    "a repeated element seen once (an object) is a list of one");
	json_decref(l);
	l = list_of("<R><reservationSet>oops</reservationSet></R>", "R",
	    "reservationSet");
	CHECK(l == NULL, "text where a list belongs is not a list, not empty");
	CHECK(awsanswer_list(one) == NULL, "a number is not a list");
	json_decref(one);
	return unit_done();
}
