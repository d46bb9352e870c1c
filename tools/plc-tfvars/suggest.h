/* Did-you-mean: the candidate nearest to a misspelt word. */
#ifndef PLC_TFVARS_SUGGEST_H
#define PLC_TFVARS_SUGGEST_H

/* names is NULL-terminated; NULL when nothing is near enough. */
const char	*suggest(const char *word, const char *const *names);

#endif
