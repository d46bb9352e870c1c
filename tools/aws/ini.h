/*
 * The INI dialect of the AWS shared config and credentials files, as the
 * SDKs read it: [section] lines, "key = value" properties, whole-line
 * comments with # or ;, inline comments only after whitespace, indented
 * lines continuing a value or, under a property with an empty value,
 * forming its sub-properties ("s3 =" then "  endpoint_url = ..."). Keys are
 * case-insensitive and kept lower-cased. Sections and keys are kept in file
 * order, duplicates included: the last definition wins at lookup.
 */
#ifndef PLC_INI_H
#define PLC_INI_H

#include <stddef.h>

struct ini_prop {
	char		*key;		/* lower-cased */
	char		*value;		/* trimmed; continuation lines joined by \n */
	struct ini_prop	*sub;		/* sub-properties, in order */
	int		 line;
	struct ini_prop	*next;
};

struct ini_section {
	char			*name;	/* text between the brackets, trimmed */
	struct ini_prop		*props;
	int			 line;
	struct ini_section	*next;
};

struct ini_file {
	char			*path;
	struct ini_section	*sections;
};

/*
 * Parses text (len bytes, need not be NUL-terminated). Returns 0, or -1 with
 * "path:line: what was expected" in err; f is then empty but must still be
 * freed.
 */
int	 ini_parse(struct ini_file *f, const char *path, const char *text,
	    size_t len, char *err, size_t errlen);

/*
 * Reads and parses path. A file that does not exist is not an error: it
 * parses as empty and *missing is set to 1.
 */
int	 ini_load(struct ini_file *f, const char *path, int *missing,
	    char *err, size_t errlen);
void	 ini_free(struct ini_file *f);

/* Last property key in prop list p, or NULL. */
const struct ini_prop *ini_prop_find(const struct ini_prop *p, const char *key);

#endif
