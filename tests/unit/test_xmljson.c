/*
 * xml_to_json: AWS answers from tests/fixtures/xmljson (each NAME.xml with
 * the exact compact JSON expected in NAME.json), then the corners of the
 * rule, malformed input, deep nesting and a 2 MB DescribeInstances.
 * Run from the top of the tree (tests/run and make memcheck do).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "unit.h"
#include "xmljson.h"

#define FIXTURES "tests/fixtures/xmljson/"
/* The 257th start tag of <a><a>... begins at offset 256 * 3. */
#define TOO_DEEP \
    "error: line 1, column 769: elements nested deeper than 256"

/* The conversion as one string: the JSON, or "error: <err>". */
static char *
convert(const char *xml, size_t len)
{
	char err[256], *s;
	json_t *j;
	struct buf b = { 0 };

	memset(err, 'X', sizeof(err));
	if ((j = xml_to_json(xml, len, err, sizeof(err))) == NULL) {
		buf_addf(&b, "error: %s", err);
		return buf_detach(&b);
	}
	s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	return s;
}

static void
check(const char *xml, const char *want, const char *what)
{
	char *got = convert(xml, strlen(xml));

	CHECK_STR(got, want, what);
	free(got);
}

static int
slurp(const char *path, struct buf *b)
{
	char chunk[8192];
	size_t n;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(b, chunk, n);
	fclose(fp);
	if (b->data == NULL)
		buf_add(b, "", 0);
	return 0;
}

static void
check_fixture(const char *name)
{
	struct buf path = { 0 }, xml = { 0 }, want = { 0 };
	char *got = NULL;

	buf_addf(&path, FIXTURES "%s.xml", name);
	if (slurp(path.data, &xml) == 0) {
		buf_reset(&path);
		buf_addf(&path, FIXTURES "%s.json", name);
		if (slurp(path.data, &want) == 0) {
			while (want.len > 0 && want.data[want.len - 1] == '\n')
				want.data[--want.len] = '\0';
			got = convert(xml.data, xml.len);
		}
	}
	CHECK_STR(got, want.data, name);
	free(got);
	buf_free(&path);
	buf_free(&xml);
	buf_free(&want);
}

static void
test_fixtures(void)
{
	static const char *names[] = {
		"ec2-describe-instances",
		"ec2-terminate-instances",
		"ec2-error",
		"sts-get-caller-identity",
		"sts-assume-role",
		"sts-error",
		"iam-list-users",
		"iam-list-users-one",
		"s3-list-objects-v2",
		"s3-list-objects-v2-one",
		"s3-list-objects-v2-empty",
		"s3-list-object-versions",
		"s3-error-nosuchkey",
		"moto-iam-list-users-empty",
		"moto-s3-list-objects-v2-one",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		check_fixture(names[i]);
}

static void
test_text(void)
{
	check("<a>&amp; &lt; &gt; &quot; &apos; &#x41;&#66;&#xE9;</a>",
	    "{\"a\":\"& < > \\\" ' AB\xC3\xA9\"}", "entities decoded");
	check("<a><![CDATA[<b>x</b> & y]]></a>",
	    "{\"a\":\"<b>x</b> & y\"}", "CDATA kept as text");
	check("<a>pre <![CDATA[ mid ]]> post</a>",
	    "{\"a\":\"pre  mid  post\"}", "CDATA joins the text around it");
	check("<r><a>  two  words </a><b>\n\t</b><c> </c></r>",
	    "{\"r\":{\"a\":\"  two  words \",\"b\":\"\\n\\t\",\"c\":\" \"}}",
	    "leaf text keeps its spaces");
	check("<a>x\r\ny&#13;&#10;z</a>", "{\"a\":\"x\\ny\\r\\nz\"}",
	    "line ends normalised as XML says, &#13; kept");
	check("<r><!-- note --><a>x<!-- in -->y</a><?pi data?></r>",
	    "{\"r\":{\"a\":\"xy\"}}",
	    "comments and processing instructions dropped");
	check("<a>\"quoted\" \\ back\x01</a>", "error: line 1, column 19: "
	    "not well-formed (invalid token)", "control characters refused");
	check("<a>tab\there</a>", "{\"a\":\"tab\\there\"}",
	    "tab escaped in JSON");
}

static void
test_names(void)
{
	check("<ns:Root xmlns:ns=\"urn:x\" xmlns:o=\"urn:o\">"
	    "<ns:a attr=\"1\">x</ns:a><o:b/></ns:Root>",
	    "{\"Root\":{\"a\":\"x\",\"b\":\"\"}}", "prefixes dropped");
	check("<r xmlns=\"urn:r\" id=\"1\"><a k=\"v\" l='w'/></r>",
	    "{\"r\":{\"a\":\"\"}}", "attributes and xmlns dropped");
	check("<r xmlns:p=\"urn:p\" xmlns:q=\"urn:q\">"
	    "<p:x>1</p:x><q:x>2</q:x></r>", "{\"r\":{\"x\":[\"1\",\"2\"]}}",
	    "one local name under two prefixes is one key");
	/* Expat points at the name in the end tag. */
	check("<r><p:x>1</x></r>",
	    "error: line 1, column 12: mismatched tag",
	    "prefix is part of the tag match");
}

static void
test_shapes(void)
{
	check("<r/>", "{\"r\":\"\"}", "empty root is \"\"");
	check("<r></r>", "{\"r\":\"\"}", "empty root with end tag is \"\"");
	check("<fooSet/>", "{\"fooSet\":[]}", "empty *Set is []");
	check("<fooSet>\n  </fooSet>", "{\"fooSet\":[]}",
	    "*Set with only whitespace is []");
	check("<fooSet> x </fooSet>", "{\"fooSet\":\" x \"}",
	    "*Set with text is a string");
	check("<Set/>", "{\"Set\":[]}", "a name that is just Set");
	check("<reset/>", "{\"reset\":\"\"}", "lower-case set is not a set");
	check("<r><blockDeviceMapping/></r>",
	    "{\"r\":{\"blockDeviceMapping\":\"\"}}",
	    "empty list not named *Set is \"\"");
	check("<r><xSet><item>a</item></xSet></r>",
	    "{\"r\":{\"xSet\":[\"a\"]}}", "a single <item> is an array of one");
	check("<r><Users><member><n>a</n></member></Users></r>",
	    "{\"r\":{\"Users\":[{\"n\":\"a\"}]}}",
	    "a single <member> is an array of one");
	check("<r><item>1</item><item/><item><k>v</k></item></r>",
	    "{\"r\":[\"1\",\"\",{\"k\":\"v\"}]}", "items of any shape");
	check("<r><item><item>a</item></item><item><item/><item/></item></r>",
	    "{\"r\":[[\"a\"],[\"\",\"\"]]}", "lists of lists");
	check("<r>\n <item>1</item>\n <item>2</item>\n</r>",
	    "{\"r\":[\"1\",\"2\"]}", "whitespace between items ignored");
	check("<r><item>1</item><member>2</member></r>",
	    "{\"r\":{\"item\":\"1\",\"member\":\"2\"}}",
	    "item and member mixed: object");
	check("<r><item>1</item><item>2</item><other>x</other>"
	    "<item>3</item></r>",
	    "{\"r\":{\"item\":[\"1\",\"2\",\"3\"],\"other\":\"x\"}}",
	    "items then another name: object, items repeated");
	check("<r><item>1</item><other>x</other><item>2</item></r>",
	    "{\"r\":{\"item\":[\"1\",\"2\"],\"other\":\"x\"}}",
	    "one item then another name then an item");
	check("<r><other>x</other><item>1</item></r>",
	    "{\"r\":{\"other\":\"x\",\"item\":\"1\"}}",
	    "another name then one item");
	check("<r><x>1</x><y>2</y><x>3</x><z/><x>4</x></r>",
	    "{\"r\":{\"x\":[\"1\",\"3\",\"4\"],\"y\":\"2\",\"z\":\"\"}}",
	    "repeated names keep the place of the first");
	check("<r><aSet><item>1</item></aSet><aSet/>"
	    "<aSet><item>2</item><item>3</item></aSet></r>",
	    "{\"r\":{\"aSet\":[[\"1\"],[],[\"2\",\"3\"]]}}",
	    "repeated arrays stay arrays inside the repetition");
	check("<r><x><item>1</item><item>2</item></x><x><item>3</item></x></r>",
	    "{\"r\":{\"x\":[[\"1\",\"2\"],[\"3\"]]}}",
	    "a repeated list is not merged into its neighbour");
	check("<r>text<a>1</a>more<b>2</b>tail</r>",
	    "{\"r\":{\"a\":\"1\",\"b\":\"2\"}}", "mixed content: children win");
	check("<r>  <item>1</item> x </r>", "{\"r\":[\"1\"]}",
	    "mixed content around items: children win");
}

static void
test_encodings(void)
{
	static const char utf16[] = "\xFF\xFE<\0r\0>\0\xE9\0<\0/\0r\0>\0";
	char *got;

	check("\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<r>caf\xC3\xA9</r>\n", "{\"r\":\"caf\xC3\xA9\"}",
	    "byte-order mark and XML declaration");
	check("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r>\xE9</r>",
	    "{\"r\":\"\xC3\xA9\"}", "ISO-8859-1 declared becomes UTF-8");
	got = convert(utf16, sizeof(utf16) - 1);
	CHECK_STR(got, "{\"r\":\"\xC3\xA9\"}",
	    "UTF-16 with BOM (NUL bytes in input)");
	free(got);
	got = convert("<a>x</a>trailing junk", 8);
	CHECK_STR(got, "{\"a\":\"x\"}", "length bounds the input, not a NUL");
	free(got);
	check("<r>\xC3</r>",
	    "error: line 1, column 4: not well-formed (invalid token)",
	    "invalid UTF-8 refused");
}

static void
test_malformed(void)
{
	char err[16];
	json_t *j;

	check("", "error: line 1, column 1: no element found", "empty input");
	check("  \n", "error: line 2, column 1: no element found",
	    "whitespace only");
	check("<r>\n  <a>x</b>\n</r>",
	    "error: line 2, column 9: mismatched tag", "mismatched tag");
	check("<a><b>", "error: line 1, column 7: no element found",
	    "truncated");
	check("<a/><b/>",
	    "error: line 1, column 5: junk after document element",
	    "two roots");
	check("<a>&foo;</a>", "error: line 1, column 4: undefined entity",
	    "undefined entity");
	check("<a>&#0;</a>",
	    "error: line 1, column 4: reference to invalid character number",
	    "NUL character reference");
	check("<a b=\"1\" b=\"2\"/>",
	    "error: line 1, column 10: duplicate attribute",
	    "duplicate attribute is malformed though attributes are dropped");
	/* Expat reports a DTD where it has read enough: at '[' or '>'. */
	check("<!DOCTYPE r [<!ENTITY e \"x\">]><r>&e;</r>",
	    "error: line 1, column 13: "
	    "document type declarations are not accepted",
	    "DTD refused");
	check("<?xml version=\"1.0\"?>\n<!DOCTYPE r SYSTEM \"http://x/\"><r/>",
	    "error: line 2, column 31: "
	    "document type declarations are not accepted",
	    "external DTD refused");

	j = xml_to_json("<a>", 3, NULL, 0);
	CHECK(j == NULL, "no error buffer: still NULL, no crash");
	memset(err, 'X', sizeof(err));
	j = xml_to_json("<a>", 3, err, sizeof(err));
	CHECK(j == NULL && strlen(err) == sizeof(err) - 1,
	    "short error buffer truncates");
	memset(err, 'X', sizeof(err));
	j = xml_to_json("<a/>", 4, err, sizeof(err));
	CHECK(j != NULL && err[0] == '\0', "success clears err");
	json_decref(j);
}

/* jansson allocations fail after a budget, to walk every failure path. */
static long alloc_budget;

static void *
failing_malloc(size_t n)
{
	if (alloc_budget-- <= 0)
		return NULL;
	return malloc(n);
}

static void
test_out_of_memory(void)
{
	static const char xml[] = "<r><a><item>1</item><other/><item>2</item>"
	    "<item>3</item></a><xSet/><x>1</x><y/><x>2</x><x>3</x>"
	    "<z><item/></z><w><member/><p/></w></r>";
	char err[256];
	json_t *j = NULL;
	long budget;
	int oom = 0, bad = 0;
	char *got;

	for (budget = 0; budget < 10000 && j == NULL; budget++) {
		alloc_budget = budget;
		json_set_alloc_funcs(failing_malloc, free);
		j = xml_to_json(xml, sizeof(xml) - 1, err, sizeof(err));
		json_set_alloc_funcs(malloc, free);
		if (j != NULL)
			break;
		if (strstr(err, ": out of memory") != NULL)
			oom++;
		else
			bad++;
	}
	CHECK(oom > 10 && bad == 0,
	    "every failed allocation reported as out of memory");
	got = j != NULL ?
	    json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	CHECK_STR(got,
	    "{\"r\":{\"a\":{\"item\":[\"1\",\"2\",\"3\"],\"other\":\"\"},"
	    "\"xSet\":[],\"x\":[\"1\",\"2\",\"3\"],\"y\":\"\",\"z\":[\"\"],"
	    "\"w\":{\"member\":\"\",\"p\":\"\"}}}",
	    "converts once allocations succeed");
	free(got);
	json_decref(j);
}

static char *
nested(int depth, const char *inner, int closed)
{
	struct buf b = { 0 };
	int i;

	for (i = 0; i < depth; i++)
		buf_adds(&b, "<a>");
	buf_adds(&b, inner);
	for (i = 0; closed && i < depth; i++)
		buf_adds(&b, "</a>");
	return buf_detach(&b);
}

static void
test_depth(void)
{
	char *xml, *got;
	json_t *j, *v;
	int n;

	xml = nested(XMLJSON_MAX_DEPTH, "x", 1);
	j = xml_to_json(xml, strlen(xml), NULL, 0);
	for (n = 0, v = j; json_is_object(v); n++)
		v = json_object_get(v, "a");
	CHECK(j != NULL && n == XMLJSON_MAX_DEPTH &&
	    strcmp(json_string_value(v), "x") == 0, "256 levels accepted");
	json_decref(j);
	free(xml);

	xml = nested(XMLJSON_MAX_DEPTH + 1, "", 1);
	got = convert(xml, strlen(xml));
	CHECK_STR(got, TOO_DEEP,
	    "257 levels refused");
	free(got);
	free(xml);

	/* Expat still reports the end of an empty element stopped at start. */
	xml = nested(XMLJSON_MAX_DEPTH, "<a/>", 1);
	got = convert(xml, strlen(xml));
	CHECK_STR(got, TOO_DEEP,
	    "empty element at level 257 refused");
	free(got);
	free(xml);

	xml = nested(10000, "x", 1);
	got = convert(xml, strlen(xml));
	CHECK_STR(got, TOO_DEEP,
	    "10,000 levels refused");
	free(got);
	free(xml);

	xml = nested(10000, "", 0);
	got = convert(xml, strlen(xml));
	CHECK_STR(got, TOO_DEEP,
	    "10,000 unclosed levels refused");
	free(got);
	free(xml);
}

/*
 * A DescribeInstances page of n reservations of one instance each, from a
 * full-size instance (about 9 KB) with {N} in its IDs replaced by a number.
 */
static char *
describe_instances(int n)
{
	struct buf tmpl = { 0 }, b = { 0 };
	const char *p, *mark;
	int i;

	if (slurp(FIXTURES "ec2-instance-item.xml.in", &tmpl) == -1)
		return NULL;
	buf_adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<DescribeInstancesResponse"
	    " xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">\n"
	    "  <requestId>8f7724cf-496f-496e-8fe3-example</requestId>\n"
	    "  <reservationSet>\n");
	for (i = 0; i < n; i++) {
		p = tmpl.data;
		for (; (mark = strstr(p, "{N}")) != NULL; p = mark + 3) {
			buf_add(&b, p, (size_t)(mark - p));
			buf_addf(&b, "%05d", i);
		}
		buf_adds(&b, p);
	}
	buf_adds(&b, "  </reservationSet>\n  <nextToken/>\n"
	    "</DescribeInstancesResponse>\n");
	buf_free(&tmpl);
	return buf_detach(&b);
}

static const char *
path_string(json_t *j, const char *path)
{
	char key[64];
	size_t n;

	while (*path != '\0' && j != NULL) {
		n = strcspn(path, "/");
		snprintf(key, sizeof(key), "%.*s", (int)n, path);
		if (json_is_array(j))
			j = json_array_get(j, strtoul(key, NULL, 10));
		else
			j = json_object_get(j, key);
		path += n + (path[n] == '/');
	}
	return json_string_value(j);
}

static void
test_large(void)
{
	char *xml, err[256] = "";
	json_t *j, *rs, *inst;
	size_t len;

	xml = describe_instances(200);
	len = xml != NULL ? strlen(xml) : 0;
	CHECK(len > 1800000 && len < 2200000, "200 instances make about 2 MB");
	j = xml_to_json(xml != NULL ? xml : "", len, err, sizeof(err));
	CHECK_STR(err, "", "2 MB DescribeInstances converts");
	rs = json_object_get(json_object_get(j, "DescribeInstancesResponse"),
	    "reservationSet");
	CHECK(json_array_size(rs) == 200, "200 reservations");
	inst = json_array_get(json_object_get(json_array_get(rs, 199),
	    "instancesSet"), 0);
	CHECK_STR(path_string(inst, "instanceId"), "i-0598c7d356eb00199",
	    "last instance id");
	CHECK_STR(path_string(inst, "blockDeviceMapping/2/ebs/volumeId"),
	    "vol-0c1b2c3d4e5f00199", "third block device");
	CHECK_STR(path_string(inst,
	    "networkInterfaceSet/1/attachment/deviceIndex"), "1",
	    "second interface");
	CHECK(json_array_size(json_object_get(inst, "tagSet")) == 8, "8 tags");
	CHECK_STR(path_string(inst, "tagSet/6/value"), "streaming & messaging",
	    "tag value with an entity");
	CHECK_STR(path_string(inst, "tagSet/0/value"),
	    "exp-20261124-195200-bookkeeper-00199", "first tag of the last");
	CHECK_STR(path_string(j, "DescribeInstancesResponse/nextToken"), "",
	    "empty nextToken is \"\"");
	json_decref(j);
	free(xml);
}

int
main(void)
{
	test_fixtures();
	test_text();
	test_names();
	test_shapes();
	test_encodings();
	test_malformed();
	test_out_of_memory();
	test_depth();
	test_large();
	return unit_done();
}
