/*
 * Schema of the SQLite store. The SQL keeps to a subset PostgreSQL also speaks (INTEGER
 * keys, TEXT, CHECK constraints, Unix times as INTEGER); what is SQLite-only (FTS5 virtual
 * tables, PRAGMAs) stays here and gets its own equivalent in a PostgreSQL back-end.
 */
#include "store/migrations.h"

const char *const store_migrations[] = {
    /* 1: référentiels, accounts, audit, the map of trainers' competences. */
    "CREATE TABLE institution ("
    " id INTEGER PRIMARY KEY,"
    " code TEXT NOT NULL UNIQUE,"
    " name TEXT NOT NULL,"
    " kind TEXT NOT NULL CHECK (kind IN ('inspe','universite','rectorat','recherche')));"

    "CREATE TABLE discipline ("
    " code TEXT PRIMARY KEY,"
    " name TEXT NOT NULL);"

    "CREATE TABLE circonscription ("
    " id INTEGER PRIMARY KEY,"
    " code TEXT NOT NULL UNIQUE,"
    " name TEXT NOT NULL,"
    " departement TEXT NOT NULL);"

    "CREATE TABLE establishment ("
    " id INTEGER PRIMARY KEY,"
    " uai TEXT NOT NULL UNIQUE,"
    " name TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " commune TEXT NOT NULL,"
    " departement TEXT NOT NULL,"
    " circonscription_id INTEGER REFERENCES circonscription(id));"

    "CREATE TABLE trainer ("
    " id INTEGER PRIMARY KEY,"
    " last_name TEXT NOT NULL,"
    " first_name TEXT NOT NULL,"
    " email TEXT NOT NULL DEFAULT '',"
    " institution_id INTEGER NOT NULL REFERENCES institution(id),"
    " corps TEXT NOT NULL,"
    " degree TEXT NOT NULL CHECK (degree IN ('1D','2D','SUP')),"
    " discipline TEXT NOT NULL REFERENCES discipline(code),"
    " site TEXT NOT NULL,"
    " weekdays INTEGER NOT NULL DEFAULT 0,"
    " hours_quota INTEGER NOT NULL DEFAULT 0,"
    " bio TEXT NOT NULL DEFAULT '',"
    " updated_at INTEGER NOT NULL,"
    /* Name order for lists: the folded "last first" and an integer key in that order, which
     * is also the trainer's rowid in trainer_fts (see store_sqlite.c, "Name order"). */
    " sort_name TEXT NOT NULL DEFAULT '',"
    " sort_key INTEGER UNIQUE);"
    "CREATE INDEX trainer_sort_name ON trainer(sort_name, id);"
    "CREATE INDEX trainer_degree ON trainer(degree);"
    "CREATE INDEX trainer_discipline ON trainer(discipline);"
    "CREATE INDEX trainer_site ON trainer(site);"
    "CREATE INDEX trainer_institution ON trainer(institution_id);"

    "CREATE TABLE competence ("
    " id INTEGER PRIMARY KEY,"
    " code TEXT NOT NULL UNIQUE,"
    " label TEXT NOT NULL,"
    " kind TEXT NOT NULL CHECK (kind IN ('disciplinaire','transversal')),"
    " parent_id INTEGER REFERENCES competence(id));"

    "CREATE TABLE app_user ("
    " id INTEGER PRIMARY KEY,"
    " login TEXT NOT NULL UNIQUE,"
    " display_name TEXT NOT NULL,"
    " role TEXT NOT NULL,"
    " scope_kind TEXT NOT NULL DEFAULT 'none',"
    " scope_value TEXT NOT NULL DEFAULT '',"
    " password_hash TEXT NOT NULL,"
    " trainer_id INTEGER REFERENCES trainer(id),"
    " disabled INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL);"

    "CREATE TABLE trainer_competence ("
    " trainer_id INTEGER NOT NULL REFERENCES trainer(id) ON DELETE CASCADE,"
    " competence_id INTEGER NOT NULL REFERENCES competence(id),"
    " level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),"
    " state TEXT NOT NULL CHECK (state IN ('declared','validated','refused')),"
    " reason TEXT NOT NULL DEFAULT '',"
    " declared_at INTEGER NOT NULL,"
    " decided_by INTEGER REFERENCES app_user(id),"
    " decided_at INTEGER,"
    " PRIMARY KEY (trainer_id, competence_id));"
    "CREATE INDEX trainer_competence_state ON trainer_competence(state, declared_at);"
    "CREATE INDEX trainer_competence_competence ON trainer_competence(competence_id);"

    "CREATE TABLE experience ("
    " id INTEGER PRIMARY KEY,"
    " trainer_id INTEGER NOT NULL REFERENCES trainer(id) ON DELETE CASCADE,"
    " kind TEXT NOT NULL CHECK (kind IN ('FI','FC','projet')),"
    " title TEXT NOT NULL,"
    " year INTEGER NOT NULL,"
    " hours INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX experience_trainer ON experience(trainer_id);"

    "CREATE TABLE research_partner ("
    " id INTEGER PRIMARY KEY,"
    " code TEXT NOT NULL UNIQUE,"
    " name TEXT NOT NULL,"
    " fields TEXT NOT NULL DEFAULT '');"

    /* Pre-analysed search terms (core/text.c): every term of the profile, and the terms of
     * validated competences only, for the "validated only" filter. */
    "CREATE VIRTUAL TABLE trainer_fts USING fts5(terms, vterms, detail=column);"

    /* Bumped by every change to the search index, so that each process knows when its
     * in-memory index (engine/search_index.c) is stale. */
    "CREATE TABLE search_state ("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " generation INTEGER NOT NULL);"
    "INSERT INTO search_state (id, generation) VALUES (1, 0);"

    "CREATE TABLE session ("
    " token_hash TEXT PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,"
    " csrf TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " expires_at INTEGER NOT NULL);"
    "CREATE INDEX session_expires ON session(expires_at);"

    "CREATE TABLE api_token ("
    " token_hash TEXT PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,"
    " created_at INTEGER NOT NULL);"

    "CREATE TABLE login_throttle ("
    " key TEXT PRIMARY KEY,"
    " failures INTEGER NOT NULL,"
    " last_at INTEGER NOT NULL);"

    "CREATE TABLE audit_log ("
    " id INTEGER PRIMARY KEY,"
    " at INTEGER NOT NULL,"
    " actor_id INTEGER,"
    " actor_login TEXT NOT NULL,"
    " action TEXT NOT NULL,"
    " entity TEXT NOT NULL,"
    " entity_id INTEGER NOT NULL,"
    " before_json TEXT,"
    " after_json TEXT,"
    " ip TEXT);"
    "CREATE INDEX audit_entity ON audit_log(entity, entity_id);",
};

const int store_migration_count = (int)(sizeof store_migrations / sizeof store_migrations[0]);
