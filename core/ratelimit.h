/* core/ratelimit.h: token buckets by key (a client address, an address and
 * a name) in a fixed table: PER_MINUTE tokens at most, refilled at that
 * rate; a request takes one. A new key takes a free entry or the one idle
 * longest, so the table never grows. Pure: the caller gives the time
 * (monotonic seconds) and holds its own lock. The district's door
 * (sync/server.c, enrolment requests) and the web interface's sign-in
 * (server/ui.c) both count with it. */
#ifndef POSYANDU_CORE_RATELIMIT_H
#define POSYANDU_CORE_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>

struct rate_bucket {
	char key[96];
	double tokens, last;       /* LAST: the time of the last take; 0 = a free entry */
};

/* Take a token from the bucket of KEY in TAB (N entries) at NOW: false
 * when it is empty. */
bool rate_take(struct rate_bucket *tab, size_t n, const char *key, double per_minute, double now);

#endif
