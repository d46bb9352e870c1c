/* RFC 3339 times as AWS and plc write them: 2026-11-24T19:52:29Z. */
#ifndef PLC_RFC3339_H
#define PLC_RFC3339_H

#include <time.h>

/*
 * "2026-11-24T21:00:00Z", optional fraction, Z or +hh:mm / -hh:mm, 'T', 't'
 * or ' ' between date and time. Returns 0, or -1 when s (may be NULL) is
 * not one or a field is out of range.
 */
int	 rfc3339_parse(const char *s, time_t *out);

#endif
