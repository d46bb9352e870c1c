/*
 * XML answers of AWS (EC2, S3, STS, IAM) as JSON, by one deterministic rule
 * (documented in plc-aws-sign(1), section XML TO JSON):
 *
 * - the document becomes {"<RootName>": <value of root>};
 * - namespaces and attributes are dropped;
 * - an element with only text (or nothing) is a string ("" when empty);
 * - an element whose children are all <item> or all <member> (EC2 sets,
 *   Query-protocol lists) is an array of their values;
 * - an element whose name ends in "Set" and has no children is [] (an empty
 *   EC2 set);
 * - any other element with children is an object; a child name seen more
 *   than once becomes an array of the values in document order;
 * - text is never converted to numbers or booleans: values stay strings.
 */
#ifndef PLC_XMLJSON_H
#define PLC_XMLJSON_H

#include <stddef.h>
#include <jansson.h>

/* Returns a new reference, or NULL with "line L: reason" in err. */
json_t	*xml_to_json(const char *xml, size_t len, char *err, size_t errlen);

#endif
