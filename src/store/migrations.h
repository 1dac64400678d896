/*
 * The versioned schema, compiled into the binary. Migration N (1-based) is migrations[N-1];
 * each runs once, in a transaction, and bumps schema_version. Never edit a landed migration:
 * add a new one.
 */
#ifndef STORE_MIGRATIONS_H
#define STORE_MIGRATIONS_H

extern const char *const store_migrations[];
extern const int store_migration_count;

#endif
