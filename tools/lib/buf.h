/* Growable byte buffers and allocation that cannot fail silently. */
#ifndef PLC_BUF_H
#define PLC_BUF_H

#include <stdarg.h>
#include <stddef.h>

/* Always NUL-terminated after any buf_add*; data is NULL until first use. */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);

void	 buf_add(struct buf *, const void *, size_t);
void	 buf_adds(struct buf *, const char *);
void	 buf_addc(struct buf *, char);
void	 buf_addf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_reset(struct buf *);
char	*buf_detach(struct buf *);	/* caller frees; buffer is emptied */
void	 buf_free(struct buf *);

/* An error message formatted into err (errlen bytes); returns -1, so that
 * a reader can `return errmsg(err, errlen, "...", ...);`. */
int	 errmsg(char *err, size_t errlen, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#endif
