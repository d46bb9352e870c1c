/*
 * Reading AWS answers as plc-aws-sign prints them (XML turned into JSON by
 * the rule of tools/aws/xmljson.h), the one way for every tool: plc-reap and
 * plc-cost, which send through libplcaws, and plc-preflight and plc-model,
 * which read plc-aws-sign's output and link no AWS code.
 */
#ifndef PLC_AWSANSWER_H
#define PLC_AWSANSWER_H

#include <jansson.h>

/*
 * The items of a list in a converted answer, a new reference:
 * - an array is itself (EC2's <item> and the Query protocol's <member>
 *   lists are arrays even of one);
 * - absent or "" is [] (S3 leaves empty lists out; IAM's <Users/> and other
 *   empty wrappers not named *Set are "");
 * - an object is a list of one: a repeated element seen once (S3's
 *   <TagSet><Tag>) is an object, two or more an array.
 * Anything else (text, a number) is not a list: NULL, so that an answer
 * that cannot be read is an error and never an empty result.
 */
json_t	*awsanswer_list(json_t *v);

#endif
