/*
 * A process-wide cache of API response bodies, for searches that many clients repeat (the same
 * filters, the next page): the body is kept with the search generation it was computed at
 * (store.h, store_search_generation), and any change to the searchable data, which bumps the
 * generation, empties the cache. Bounded in bytes; when full, it starts over empty (search
 * results are cheap to recompute, so a smarter eviction would not pay for its code).
 * Thread-safe.
 */
#ifndef HTTP_CACHE_H
#define HTTP_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct resp_cache;

/* A cache holding at most max_bytes of keys and bodies; NULL on allocation failure. */
struct resp_cache *resp_cache_new(size_t max_bytes);
void resp_cache_free(struct resp_cache *c);

/* Appends to out the body cached for key at generation gen; false when there is none. */
bool resp_cache_get(struct resp_cache *c, const char *key, int64_t gen, struct buf *out);

/* Keeps a copy of body for key at generation gen (silently skipped if it cannot). */
void resp_cache_put(struct resp_cache *c, const char *key, int64_t gen, const char *body,
                    size_t len);

/* Hits and misses so far, for the logs and the bench. */
void resp_cache_stats(struct resp_cache *c, uint64_t *hits, uint64_t *misses);

#endif
