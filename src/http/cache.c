/*
 * The response cache of cache.h: a chained hash table (FNV-1a) under one mutex. Entries are
 * only ever added or all dropped at once, so there is no per-entry bookkeeping beyond the
 * chain link.
 */
#include "http/cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define BUCKETS 1024

struct entry {
    struct entry *next;
    size_t key_len;
    size_t len;
    char *body; /* points after the key inside the same allocation */
    char key[];
};

struct resp_cache {
    pthread_mutex_t lock;
    struct entry *buckets[BUCKETS];
    int64_t gen;
    size_t bytes, max_bytes;
    uint64_t hits, misses;
};

static uint32_t hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

struct resp_cache *resp_cache_new(size_t max_bytes)
{
    struct resp_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    pthread_mutex_init(&c->lock, NULL);
    c->max_bytes = max_bytes;
    c->gen = -1;
    return c;
}

/* Drops every entry; the caller holds the lock. */
static void clear(struct resp_cache *c)
{
    for (size_t i = 0; i < BUCKETS; i++) {
        struct entry *e = c->buckets[i];
        while (e) {
            struct entry *next = e->next;
            free(e);
            e = next;
        }
        c->buckets[i] = NULL;
    }
    c->bytes = 0;
}

void resp_cache_free(struct resp_cache *c)
{
    if (!c)
        return;
    clear(c);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

bool resp_cache_get(struct resp_cache *c, const char *key, int64_t gen, struct buf *out)
{
    size_t n = strlen(key);
    bool hit = false;
    pthread_mutex_lock(&c->lock);
    if (c->gen == gen) {
        for (struct entry *e = c->buckets[hash(key, n) % BUCKETS]; e; e = e->next) {
            if (e->key_len == n && memcmp(e->key, key, n) == 0) {
                hit = buf_append(out, e->body, e->len) == 0;
                break;
            }
        }
    }
    if (hit)
        c->hits++;
    else
        c->misses++;
    pthread_mutex_unlock(&c->lock);
    return hit;
}

void resp_cache_put(struct resp_cache *c, const char *key, int64_t gen, const char *body,
                    size_t len)
{
    size_t n = strlen(key);
    size_t size = sizeof(struct entry) + n + 1 + len;
    if (size > c->max_bytes / 4)
        return; /* one huge body must not push everything else out */
    struct entry *e = malloc(size);
    if (!e)
        return;
    e->key_len = n;
    e->len = len;
    memcpy(e->key, key, n + 1);
    e->body = e->key + n + 1;
    memcpy(e->body, body, len);
    uint32_t b = hash(key, n) % BUCKETS;
    pthread_mutex_lock(&c->lock);
    if (gen != c->gen) {
        if (gen < c->gen) { /* computed before a newer change: already stale */
            pthread_mutex_unlock(&c->lock);
            free(e);
            return;
        }
        clear(c);
        c->gen = gen;
    }
    if (c->bytes + size > c->max_bytes)
        clear(c);
    for (struct entry *x = c->buckets[b]; x; x = x->next) {
        if (x->key_len == n && memcmp(x->key, key, n) == 0) {
            pthread_mutex_unlock(&c->lock);
            free(e); /* another thread computed it meanwhile */
            return;
        }
    }
    e->next = c->buckets[b];
    c->buckets[b] = e;
    c->bytes += size;
    pthread_mutex_unlock(&c->lock);
}

void resp_cache_stats(struct resp_cache *c, uint64_t *hits, uint64_t *misses)
{
    pthread_mutex_lock(&c->lock);
    *hits = c->hits;
    *misses = c->misses;
    pthread_mutex_unlock(&c->lock);
}
