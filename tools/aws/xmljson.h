/*
 * XML answers of AWS (EC2, S3, STS, IAM) as JSON, by one deterministic rule
 * (documented in plc-aws-sign(1), section XML TO JSON):
 *
 * - the document becomes {"<RootName>": <value of root>};
 * - names lose their namespace prefix (<ns:foo> is "foo"); namespace
 *   declarations and all other attributes, comments and processing
 *   instructions are dropped;
 * - an element with no child element is a string: its text exactly as
 *   written, entities and character references decoded, CDATA kept, leading
 *   and trailing spaces kept ("" when empty);
 * - except: an element whose name ends in "Set" with no child element and
 *   nothing but whitespace inside is [] (an empty EC2 set);
 * - an element whose children are all <item> or all <member> (EC2 sets,
 *   Query-protocol lists) is an array of their values, even of one;
 * - any other element with children is an object, keys in the order of their
 *   first appearance; a child name seen more than once becomes an array of
 *   the values in document order, in the place of the first;
 * - S3's unwrapped lists (<Contents>, <CommonPrefixes>, <Version>,
 *   <DeleteMarker>, <Deleted>, <Upload>, <Part>) are arrays even of one;
 * - mixed content: an element with child elements loses its own text (the
 *   children win), be it whitespace between them or anything else;
 * - text is never converted to numbers or booleans: values stay strings.
 *
 * Consequences a consumer must know:
 * - S3's lists are absent when empty (use jq's '.Contents // []');
 * - an empty list whose wrapper is not named *Set (IAM's <Users/>, EC2's
 *   <blockDeviceMapping/>) is "", not [];
 * - one local name under two prefixes is one key.
 *
 * The input is one whole document: UTF-8 (a byte-order mark and an XML
 * declaration are fine), or UTF-16, ISO-8859-1, US-ASCII as declared.
 */
#ifndef PLC_XMLJSON_H
#define PLC_XMLJSON_H

#include <stddef.h>
#include <jansson.h>

/* AWS answers nest about a dozen deep; anything deeper is refused. */
#define XMLJSON_MAX_DEPTH	256

/*
 * Returns a new reference, or NULL with "line L, column C: reason" in err
 * (columns count from 1).  Reasons are expat's messages ("mismatched tag",
 * "no element found", ...), "elements nested deeper than 256", and "document
 * type declarations are not accepted": AWS sends none, and refusing them
 * rules out entity expansion.
 */
json_t	*xml_to_json(const char *xml, size_t len, char *err, size_t errlen);

#endif
