/*
 * Reading and writing the placement JSON contract (placement_json.h). The reader is a
 * recursive-descent parser specialised to the instance's shape: strings without escapes are
 * used in place, students are kept as spans until every place is known (the two arrays may come
 * in either order), and a value of an unknown field is skipped with an explicit stack.
 */
#include "engine/placement_json.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/utf8.h"

#define MAX_DEPTH 512

struct span {
    const char *s;
    size_t len;
};

struct student_rec {
    struct span id, site, discipline;
    int32_t priority;
    enum pl_degree degree;
    size_t wish_start, wish_count;
    unsigned good; /* the F_* fields present and well typed */
    bool ok;       /* all of them, and a unique id */
};

struct decoded { /* strings with escapes, decoded; freed with the parser */
    struct decoded *next;
    char data[];
};

/* The ids seen so far in one array, valid or not, so that a duplicate is reported even when
 * the first one was refused for another field, and a wish can point to the refused place. */
struct id_entry {
    struct span key;
    uint64_t hash;
    size_t index; /* position in the array, + 1 (0: empty slot) */
};

struct idset {
    struct id_entry *slots;
    size_t cap, n;
};

struct parser {
    const char *start, *p, *end;
    struct buf *errors;
    size_t n_messages, n_more;
    bool fatal;
    int nomem;
    struct decoded *decoded;
    struct student_rec *students;
    size_t n_students, students_cap;
    struct span *wishes;
    size_t n_wishes, wishes_cap;
    struct idset place_ids, student_ids;
};

static uint64_t span_hash(struct span s)
{
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a 64 */
    for (size_t i = 0; i < s.len; i++) {
        h ^= (unsigned char)s.s[i];
        h *= 0x100000001b3u;
    }
    return h;
}

/* Index + 1 of key in the set, or 0. */
static size_t idset_find(const struct idset *set, struct span key)
{
    if (set->cap == 0)
        return 0;
    uint64_t h = span_hash(key);
    for (size_t i = (size_t)h & (set->cap - 1);; i = (i + 1) & (set->cap - 1)) {
        const struct id_entry *e = &set->slots[i];
        if (e->index == 0)
            return 0;
        if (e->hash == h && e->key.len == key.len && memcmp(e->key.s, key.s, key.len) == 0)
            return e->index;
    }
}

/* Adds key (not in the set) for array position index. */
static int idset_add(struct idset *set, struct span key, size_t index)
{
    if ((set->n + 1) * 2 > set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 256;
        struct id_entry *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return ERR_NOMEM;
        for (size_t i = 0; i < set->cap; i++) {
            struct id_entry e = set->slots[i];
            if (e.index == 0)
                continue;
            size_t j = (size_t)e.hash & (cap - 1);
            while (slots[j].index != 0)
                j = (j + 1) & (cap - 1);
            slots[j] = e;
        }
        free(set->slots);
        set->slots = slots;
        set->cap = cap;
    }
    uint64_t h = span_hash(key);
    size_t i = (size_t)h & (set->cap - 1);
    while (set->slots[i].index != 0)
        i = (i + 1) & (set->cap - 1);
    set->slots[i] = (struct id_entry){key, h, index + 1};
    set->n++;
    return 0;
}

/* ---- Messages ---------------------------------------------------------------------------- */

static void problem(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(struct parser *ps, const char *fmt, ...)
{
    if (ps->n_messages >= PL_JSON_MAX_MESSAGES) {
        ps->n_more++;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(ps->errors, fmt, ap);
    va_end(ap);
    buf_putc(ps->errors, '\n');
    ps->n_messages++;
}

/* Line and column (in characters, from 1) of a position, for syntax errors. */
static void position(const struct parser *ps, const char *at, size_t *line, size_t *col)
{
    *line = 1;
    *col = 1;
    for (const char *c = ps->start; c < at; c++) {
        if (*c == '\n') {
            ++*line;
            *col = 1;
        } else if (((unsigned char)*c & 0xC0) != 0x80) {
            ++*col;
        }
    }
}

static void syntax(struct parser *ps, const char *at, const char *what)
{
    if (ps->fatal)
        return;
    size_t line, col;
    position(ps, at, &line, &col);
    problem(ps, "ligne %zu, colonne %zu : JSON invalide : %s", line, col, what);
    ps->fatal = true;
}

/* A quoted string for messages: at most 60 bytes, cut on a character boundary. */
static void quote(struct buf *b, struct span s)
{
    size_t n = s.len;
    if (n > 60) {
        n = 60;
        while (n > 0 && ((unsigned char)s.s[n] & 0xC0) == 0x80)
            n--;
    }
    buf_append(b, s.s, n);
    if (n < s.len)
        buf_puts(b, "…");
}

/* Appends "path : " for students[i] / places[i] with an optional field. */
struct path {
    const char *array; /* "places" or "students" */
    size_t index;
};

static void problem_at(struct parser *ps, struct path at, const char *field, const char *what,
                       const struct span *value)
{
    if (ps->n_messages >= PL_JSON_MAX_MESSAGES) {
        ps->n_more++;
        return;
    }
    struct buf *b = ps->errors;
    buf_printf(b, "%s[%zu]", at.array, at.index);
    if (field)
        buf_printf(b, ".%s", field);
    buf_printf(b, " : %s", what);
    if (value) {
        buf_puts(b, " « ");
        quote(b, *value);
        buf_puts(b, " »");
    }
    buf_putc(b, '\n');
    ps->n_messages++;
}

/* ---- Lexing ------------------------------------------------------------------------------ */

static void skip_ws(struct parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t'))
        ps->p++;
}

/* Consumes c after blanks, or reports a syntax error naming what was expected. */
static bool expect(struct parser *ps, char c, const char *what)
{
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == c) {
        ps->p++;
        return true;
    }
    syntax(ps, ps->p, what);
    return false;
}

static int hex4(const char *s)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/*
 * Reads a string at ps->p (the opening quote) into *out: in place when it has no escape,
 * else decoded into memory the parser owns. The input was checked to be UTF-8 beforehand.
 */
static bool read_string(struct parser *ps, struct span *out)
{
    const char *q = ps->p + 1;
    bool escaped = false;
    while (q < ps->end && *q != '"') {
        unsigned char c = (unsigned char)*q;
        if (c < 0x20) {
            syntax(ps, q, "caractère de contrôle dans une chaîne");
            return false;
        }
        if (c == '\\') {
            escaped = true;
            q++;
            if (q >= ps->end)
                break;
        }
        q++;
    }
    if (q >= ps->end) {
        syntax(ps, ps->p, "chaîne non terminée");
        return false;
    }
    if (!escaped) {
        *out = (struct span){ps->p + 1, (size_t)(q - ps->p - 1)};
        ps->p = q + 1;
        return true;
    }
    /* Decoding never makes a string longer. */
    size_t raw = (size_t)(q - ps->p - 1);
    struct decoded *d = malloc(sizeof *d + raw + 1);
    if (!d) {
        ps->nomem = ERR_NOMEM;
        ps->fatal = true;
        return false;
    }
    d->next = ps->decoded;
    ps->decoded = d;
    char *w = d->data;
    for (const char *r = ps->p + 1; r < q;) {
        if (*r != '\\') {
            *w++ = *r++;
            continue;
        }
        const char *esc = r;
        r++;
        char c = *r++;
        switch (c) {
        case '"':
            *w++ = '"';
            break;
        case '\\':
            *w++ = '\\';
            break;
        case '/':
            *w++ = '/';
            break;
        case 'b':
            *w++ = '\b';
            break;
        case 'f':
            *w++ = '\f';
            break;
        case 'n':
            *w++ = '\n';
            break;
        case 'r':
            *w++ = '\r';
            break;
        case 't':
            *w++ = '\t';
            break;
        case 'u': {
            int hi = q - r >= 4 ? hex4(r) : -1;
            if (hi < 0) {
                syntax(ps, esc, "séquence \\u invalide");
                return false;
            }
            r += 4;
            uint32_t cp = (uint32_t)hi;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                int lo = q - r >= 6 && r[0] == '\\' && r[1] == 'u' ? hex4(r + 2) : -1;
                if (lo < 0xDC00 || lo > 0xDFFF) {
                    syntax(ps, esc, "demi-caractère UTF-16 isolé");
                    return false;
                }
                r += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                syntax(ps, esc, "demi-caractère UTF-16 isolé");
                return false;
            } else if (cp == 0) {
                syntax(ps, esc, "caractère nul dans une chaîne");
                return false;
            }
            char enc[4];
            size_t n = utf8_put(cp, enc);
            memcpy(w, enc, n);
            w += n;
            break;
        }
        default:
            syntax(ps, esc, "échappement inconnu dans une chaîne");
            return false;
        }
    }
    *w = '\0';
    *out = (struct span){d->data, (size_t)(w - d->data)};
    ps->p = q + 1;
    return true;
}

enum number_kind { NUM_INT, NUM_OTHER }; /* NUM_OTHER: fraction, exponent, sign or too big */

/* Reads a JSON number at ps->p; *value is set for NUM_INT (0..2147483647). */
static bool read_number(struct parser *ps, enum number_kind *kind, int32_t *value)
{
    const char *q = ps->p;
    bool negative = false, fraction = false;
    if (q < ps->end && *q == '-') {
        negative = true;
        q++;
    }
    const char *digits = q;
    if (q < ps->end && *q == '0') {
        q++;
    } else if (q < ps->end && *q >= '1' && *q <= '9') {
        while (q < ps->end && *q >= '0' && *q <= '9')
            q++;
    } else {
        syntax(ps, ps->p, "nombre mal formé");
        return false;
    }
    size_t n_digits = (size_t)(q - digits);
    if (q < ps->end && *q == '.') {
        fraction = true;
        q++;
        if (q >= ps->end || *q < '0' || *q > '9') {
            syntax(ps, ps->p, "nombre mal formé");
            return false;
        }
        while (q < ps->end && *q >= '0' && *q <= '9')
            q++;
    }
    if (q < ps->end && (*q == 'e' || *q == 'E')) {
        fraction = true;
        q++;
        if (q < ps->end && (*q == '+' || *q == '-'))
            q++;
        if (q >= ps->end || *q < '0' || *q > '9') {
            syntax(ps, ps->p, "nombre mal formé");
            return false;
        }
        while (q < ps->end && *q >= '0' && *q <= '9')
            q++;
    }
    *kind = NUM_OTHER;
    if (!negative && !fraction && n_digits <= 10) {
        int64_t v = 0;
        for (const char *c = digits; c < digits + n_digits; c++)
            v = v * 10 + (*c - '0');
        if (v <= INT32_MAX) {
            *kind = NUM_INT;
            *value = (int32_t)v;
        }
    }
    ps->p = q;
    return true;
}

static bool match_word(struct parser *ps, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) >= n && memcmp(ps->p, word, n) == 0) {
        ps->p += n;
        return true;
    }
    syntax(ps, ps->p, "valeur inattendue");
    return false;
}

/* Skips any value; an explicit stack bounds the depth instead of the C stack. */
static bool skip_value(struct parser *ps)
{
    char stack[MAX_DEPTH];
    size_t depth = 0;
    for (;;) {
        skip_ws(ps);
        if (ps->p >= ps->end) {
            syntax(ps, ps->p, "fin de fichier inattendue");
            return false;
        }
        char c = *ps->p;
        struct span s;
        enum number_kind k;
        int32_t v;
        if (c == '{' || c == '[') {
            if (depth == MAX_DEPTH) {
                syntax(ps, ps->p, "imbrication trop profonde");
                return false;
            }
            stack[depth++] = c == '{' ? '}' : ']';
            ps->p++;
            skip_ws(ps);
            if (ps->p < ps->end && *ps->p == stack[depth - 1]) {
                ps->p++;
                depth--;
                goto after_value;
            }
            if (c == '{')
                goto key;
            continue;
        }
        if (c == '"') {
            if (!read_string(ps, &s))
                return false;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            if (!read_number(ps, &k, &v))
                return false;
        } else if (c == 't') {
            if (!match_word(ps, "true"))
                return false;
        } else if (c == 'f') {
            if (!match_word(ps, "false"))
                return false;
        } else if (c == 'n') {
            if (!match_word(ps, "null"))
                return false;
        } else {
            syntax(ps, ps->p, "valeur attendue");
            return false;
        }
    after_value:
        for (;;) {
            if (depth == 0)
                return true;
            skip_ws(ps);
            if (ps->p < ps->end && *ps->p == stack[depth - 1]) {
                ps->p++;
                depth--;
                continue;
            }
            if (ps->p < ps->end && *ps->p == ',') {
                ps->p++;
                if (stack[depth - 1] == '}')
                    goto key;
                break;
            }
            syntax(ps, ps->p,
                   stack[depth - 1] == '}' ? "« , » ou « } » attendu" : "« , » ou « ] » attendu");
            return false;
        }
        continue;
    key:
        skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != '"') {
            syntax(ps, ps->p, "nom de champ attendu");
            return false;
        }
        if (!read_string(ps, &s) || !expect(ps, ':', "« : » attendu"))
            return false;
    }
}

/* ---- Structure --------------------------------------------------------------------------- */

static bool span_eq(struct span a, struct span b)
{
    return a.len == b.len && memcmp(a.s, b.s, a.len) == 0;
}

static bool span_is(struct span s, const char *lit)
{
    return s.len == strlen(lit) && memcmp(s.s, lit, s.len) == 0;
}

/*
 * Iterates over the members of an object: call with *first = true; returns true with the key in
 * *key and ps->p on the value, false at the closing brace or on a syntax error (ps->fatal).
 */
static bool next_member(struct parser *ps, bool *first, struct span *key)
{
    skip_ws(ps);
    if (*first) {
        *first = false;
        if (ps->p < ps->end && *ps->p == '}') {
            ps->p++;
            return false;
        }
    } else {
        if (ps->p < ps->end && *ps->p == '}') {
            ps->p++;
            return false;
        }
        if (!expect(ps, ',', "« , » ou « } » attendu"))
            return false;
        skip_ws(ps);
    }
    if (ps->p >= ps->end || *ps->p != '"') {
        syntax(ps, ps->p, "nom de champ attendu");
        return false;
    }
    if (!read_string(ps, key) || !expect(ps, ':', "« : » attendu"))
        return false;
    skip_ws(ps);
    if (ps->p >= ps->end) {
        syntax(ps, ps->p, "fin de fichier inattendue");
        return false;
    }
    return true;
}

/* Same for the elements of an array (ps->p after '['). */
static bool next_element(struct parser *ps, bool *first)
{
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == ']') {
        ps->p++;
        return false;
    }
    if (!*first && !expect(ps, ',', "« , » ou « ] » attendu"))
        return false;
    *first = false;
    skip_ws(ps);
    if (ps->p >= ps->end) {
        syntax(ps, ps->p, "fin de fichier inattendue");
        return false;
    }
    return true;
}

/* Field parsers: on a type error they report it, skip the value and return false. */
static bool field_text(struct parser *ps, struct path at, const char *name, struct span *out)
{
    if (*ps->p == '"') {
        if (!read_string(ps, out))
            return false;
        if (out->len > 0)
            return true;
        problem_at(ps, at, name, "chaîne vide", NULL);
        return false;
    }
    problem_at(ps, at, name, "chaîne non vide attendue", NULL);
    skip_value(ps);
    return false;
}

static bool field_int(struct parser *ps, struct path at, const char *name, int32_t *out)
{
    char c = *ps->p;
    if (c == '-' || (c >= '0' && c <= '9')) {
        enum number_kind kind;
        if (!read_number(ps, &kind, out))
            return false;
        if (kind == NUM_INT)
            return true;
    } else {
        skip_value(ps);
    }
    if (!ps->fatal)
        problem_at(ps, at, name, "nombre entier de 0 à 2147483647 attendu", NULL);
    return false;
}

static bool field_degree(struct parser *ps, struct path at, enum pl_degree *out)
{
    struct span s;
    if (*ps->p == '"') {
        if (!read_string(ps, &s))
            return false;
        if (span_is(s, "1D") || span_is(s, "2D")) {
            *out = s.s[0] == '1' ? PL_1D : PL_2D;
            return true;
        }
        problem_at(ps, at, "degree", "« 1D » ou « 2D » attendu, pas", &s);
        return false;
    }
    skip_value(ps);
    if (!ps->fatal)
        problem_at(ps, at, "degree", "« 1D » ou « 2D » attendu", NULL);
    return false;
}

enum {
    F_ID = 1,
    F_CAPACITY = 2,
    F_DEGREE = 4,
    F_SITE = 8,
    F_DISCIPLINE = 16,
    F_PRIORITY = 32,
    F_WISHES = 64
};

static const struct {
    unsigned flag;
    const char *name;
} field_names[] = {{F_ID, "id"},        {F_CAPACITY, "capacity"},     {F_DEGREE, "degree"},
                   {F_SITE, "site"},    {F_DISCIPLINE, "discipline"}, {F_PRIORITY, "priority"},
                   {F_WISHES, "wishes"}};

static unsigned field_flag(struct span key)
{
    for (size_t i = 0; i < sizeof field_names / sizeof field_names[0]; i++)
        if (span_is(key, field_names[i].name))
            return field_names[i].flag;
    return 0;
}

/* Reports a repeated field (then skips it) and returns true; false for a new one. */
static bool repeated(struct parser *ps, struct path at, unsigned *seen, unsigned flag,
                     struct span key)
{
    if (!(*seen & flag)) {
        *seen |= flag;
        return false;
    }
    problem_at(ps, at, NULL, "champ en double", &key);
    skip_value(ps);
    return true;
}

static bool missing(struct parser *ps, struct path at, unsigned seen, unsigned required)
{
    bool ok = true;
    for (size_t i = 0; i < sizeof field_names / sizeof field_names[0]; i++)
        if ((required & field_names[i].flag) && !(seen & field_names[i].flag)) {
            struct span name = {field_names[i].name, strlen(field_names[i].name)};
            problem_at(ps, at, NULL, "champ manquant", &name);
            ok = false;
        }
    return ok;
}

/* Records a well-formed id; reports it and returns false when an earlier element has it. */
static bool unique_id(struct parser *ps, struct idset *set, struct path at, struct span id)
{
    size_t first = idset_find(set, id);
    if (first != 0) {
        char what[96];
        snprintf(what, sizeof what, "identifiant déjà pris par %s[%zu] :", at.array, first - 1);
        problem_at(ps, at, "id", what, &id);
        return false;
    }
    if (idset_add(set, id, at.index) != 0) {
        ps->nomem = ERR_NOMEM;
        ps->fatal = true;
        return false;
    }
    return true;
}

static void parse_place(struct parser *ps, struct pl_instance *in, size_t index)
{
    struct path at = {"places", index};
    if (*ps->p != '{') {
        problem_at(ps, at, NULL, "objet attendu", NULL);
        skip_value(ps);
        return;
    }
    ps->p++;
    struct span id = {0}, site = {0}, discipline = {0}, key;
    int32_t capacity = 0;
    enum pl_degree degree = PL_1D;
    unsigned seen = 0, good = 0;
    bool first = true;
    while (!ps->fatal && next_member(ps, &first, &key)) {
        unsigned f = field_flag(key);
        if (f == 0 || !(f & (F_ID | F_CAPACITY | F_DEGREE | F_SITE | F_DISCIPLINE))) {
            skip_value(ps);
            continue;
        }
        if (repeated(ps, at, &seen, f, key))
            continue;
        bool ok = f == F_ID         ? field_text(ps, at, "id", &id)
                  : f == F_CAPACITY ? field_int(ps, at, "capacity", &capacity)
                  : f == F_DEGREE   ? field_degree(ps, at, &degree)
                  : f == F_SITE     ? field_text(ps, at, "site", &site)
                                    : field_text(ps, at, "discipline", &discipline);
        if (ok)
            good |= f;
    }
    if (ps->fatal)
        return;
    unsigned all = F_ID | F_CAPACITY | F_DEGREE | F_SITE | F_DISCIPLINE;
    bool unique = (good & F_ID) && unique_id(ps, &ps->place_ids, at, id);
    if (!missing(ps, at, seen, all) || good != all || !unique)
        return;
    int rc = pl_place_add(in, id.s, id.len, capacity, degree, site.s, site.len, discipline.s,
                          discipline.len);
    if (rc == ERR_INVAL)
        problem_at(ps, at, NULL, "caractère nul interdit", NULL);
    else if (rc != 0)
        ps->nomem = rc;
}

static bool parse_wishes(struct parser *ps, struct path at, struct student_rec *rec)
{
    if (*ps->p != '[') {
        problem_at(ps, at, "wishes", "liste de lieux attendue", NULL);
        skip_value(ps);
        return false;
    }
    ps->p++;
    rec->wish_start = ps->n_wishes;
    bool ok = true, first = true;
    size_t k = 0;
    while (!ps->fatal && next_element(ps, &first)) {
        struct span s = {0};
        if (*ps->p == '"') {
            if (!read_string(ps, &s))
                break;
        } else {
            skip_value(ps);
        }
        if (s.len == 0) {
            if (ps->fatal)
                break;
            char field[48];
            snprintf(field, sizeof field, "wishes[%zu]", k++);
            problem_at(ps, at, field, "identifiant de lieu attendu (chaîne non vide)", NULL);
            ok = false;
            continue;
        }
        if (ps->n_wishes == ps->wishes_cap) {
            size_t cap = ps->wishes_cap ? ps->wishes_cap * 2 : 1024;
            struct span *grown = realloc(ps->wishes, cap * sizeof *grown);
            if (!grown) {
                ps->nomem = ERR_NOMEM;
                ps->fatal = true;
                return false;
            }
            ps->wishes = grown;
            ps->wishes_cap = cap;
        }
        ps->wishes[ps->n_wishes++] = s;
        k++;
    }
    rec->wish_count = ps->n_wishes - rec->wish_start;
    return ok && !ps->fatal;
}

static void parse_student(struct parser *ps, size_t index)
{
    struct path at = {"students", index};
    if (ps->n_students == ps->students_cap) {
        size_t cap = ps->students_cap ? ps->students_cap * 2 : 256;
        struct student_rec *grown = realloc(ps->students, cap * sizeof *grown);
        if (!grown) {
            ps->nomem = ERR_NOMEM;
            ps->fatal = true;
            return;
        }
        ps->students = grown;
        ps->students_cap = cap;
    }
    struct student_rec *rec = &ps->students[ps->n_students++];
    memset(rec, 0, sizeof *rec);
    rec->degree = PL_1D;
    if (*ps->p != '{') {
        problem_at(ps, at, NULL, "objet attendu", NULL);
        skip_value(ps);
        return;
    }
    ps->p++;
    struct span key;
    unsigned seen = 0, good = 0;
    bool first = true;
    while (!ps->fatal && next_member(ps, &first, &key)) {
        unsigned f = field_flag(key);
        if (f == 0 || f == F_CAPACITY) {
            skip_value(ps);
            continue;
        }
        if (repeated(ps, at, &seen, f, key))
            continue;
        bool ok = f == F_ID           ? field_text(ps, at, "id", &rec->id)
                  : f == F_DEGREE     ? field_degree(ps, at, &rec->degree)
                  : f == F_SITE       ? field_text(ps, at, "site", &rec->site)
                  : f == F_DISCIPLINE ? field_text(ps, at, "discipline", &rec->discipline)
                  : f == F_PRIORITY   ? field_int(ps, at, "priority", &rec->priority)
                                      : parse_wishes(ps, at, rec);
        if (ok)
            good |= f;
    }
    if (ps->fatal)
        return;
    unsigned all = F_ID | F_DEGREE | F_SITE | F_DISCIPLINE | F_PRIORITY | F_WISHES;
    bool unique = (good & F_ID) && unique_id(ps, &ps->student_ids, at, rec->id);
    rec->good = good;
    rec->ok = missing(ps, at, seen, all) && good == all && unique;
}

/* A problem of wish k (the field name is formatted only when there is a problem: a million
 * wishes go through here). */
static void wish_problem(struct parser *ps, struct path at, size_t k, const char *what,
                         const struct span *w)
{
    char field[48];
    snprintf(field, sizeof field, "wishes[%zu]", k);
    problem_at(ps, at, field, what, w);
}

/* Resolves the wishes of every well-formed student and adds them, once all places are known. */
static void add_students(struct parser *ps, struct pl_instance *in)
{
    size_t most = 0;
    for (size_t i = 0; i < ps->n_students; i++)
        if ((ps->students[i].good & F_WISHES) && ps->students[i].wish_count > most)
            most = ps->students[i].wish_count;
    uint32_t *wishes = malloc((most ? most : 1) * sizeof *wishes);
    if (!wishes) {
        ps->nomem = ERR_NOMEM;
        return;
    }
    for (size_t i = 0; i < ps->n_students && !ps->nomem; i++) {
        struct student_rec *rec = &ps->students[i];
        if (!(rec->good & F_WISHES))
            continue;
        struct path at = {"students", i};
        bool ok = true,
             typed = (rec->good & (F_DEGREE | F_DISCIPLINE)) == (F_DEGREE | F_DISCIPLINE);
        uint32_t disc = typed ? pl_name_find(in, rec->discipline.s, rec->discipline.len) : PL_NONE;
        for (size_t k = 0; k < rec->wish_count; k++) {
            struct span w = ps->wishes[rec->wish_start + k];
            size_t twin = 0;
            while (twin < k && !span_eq(ps->wishes[rec->wish_start + twin], w))
                twin++;
            if (twin < k) {
                char what[64];
                snprintf(what, sizeof what, "vœu en double (déjà wishes[%zu]) :", twin);
                wish_problem(ps, at, k, what, &w);
                ok = false;
                continue;
            }
            wishes[k] = pl_place_find(in, w.s, w.len);
            if (wishes[k] == PL_NONE) {
                size_t refused = idset_find(&ps->place_ids, w);
                char what[64];
                if (refused)
                    snprintf(what, sizeof what,
                             "lieu refusé plus haut (places[%zu]) :", refused - 1);
                wish_problem(ps, at, k, refused ? what : "lieu inconnu", &w);
                ok = false;
                continue;
            }
            if (typed && pl_wish_check(in, rec->degree, disc, wishes, k) != PL_WISH_OK) {
                const struct pl_place *p = &in->places[wishes[k]];
                struct span d = {pl_name(in, p->discipline), strlen(pl_name(in, p->discipline))};
                char what[160];
                snprintf(what, sizeof what,
                         "lieu d'un autre degré ou d'une autre discipline (%s, %.*s ; "
                         "l'étudiant : %s, %.*s) :",
                         p->degree == PL_1D ? "1D" : "2D", (int)(d.len > 40 ? 40 : d.len), d.s,
                         rec->degree == PL_1D ? "1D" : "2D",
                         (int)(rec->discipline.len > 40 ? 40 : rec->discipline.len),
                         rec->discipline.s);
                wish_problem(ps, at, k, what, &w);
                ok = false;
            }
        }
        if (!ok || !rec->ok)
            continue;
        int rc = pl_student_add(in, rec->id.s, rec->id.len, rec->priority, rec->degree, rec->site.s,
                                rec->site.len, rec->discipline.s, rec->discipline.len, wishes,
                                rec->wish_count);
        if (rc == ERR_INVAL)
            problem_at(ps, at, NULL, "caractère nul interdit", NULL);
        else if (rc != 0)
            ps->nomem = rc;
    }
    free(wishes);
}

/* Offset of the first byte that is not strict UTF-8, or len. NUL bytes are left to the parser. */
static size_t first_invalid_utf8(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (cp == UTF8_REPLACEMENT && n == 1)
            return i;
        i += n;
    }
    return len;
}

static void parse_root(struct parser *ps, struct pl_instance *in)
{
    size_t bad = first_invalid_utf8(ps->start, (size_t)(ps->end - ps->start));
    if (bad < (size_t)(ps->end - ps->start)) {
        size_t line, col;
        position(ps, ps->start + bad, &line, &col);
        problem(ps, "ligne %zu, colonne %zu : le texte n'est pas en UTF-8 valide", line, col);
        ps->fatal = true;
        return;
    }
    if (ps->end - ps->p >= 3 && memcmp(ps->p, "\xEF\xBB\xBF", 3) == 0)
        ps->p += 3;
    skip_ws(ps);
    if (ps->p >= ps->end) {
        problem(ps, "le fichier est vide : un objet {\"places\": […], \"students\": […]} est "
                    "attendu");
        ps->fatal = true;
        return;
    }
    if (*ps->p != '{') {
        syntax(ps, ps->p, "un objet « { » est attendu à la racine");
        return;
    }
    ps->p++;
    struct span key;
    bool first = true, have_places = false, have_students = false;
    while (!ps->fatal && next_member(ps, &first, &key)) {
        bool is_places = span_is(key, "places"), is_students = span_is(key, "students");
        if (!is_places && !is_students) {
            skip_value(ps);
            continue;
        }
        if ((is_places && have_places) || (is_students && have_students)) {
            problem(ps, "champ « %s » en double à la racine", is_places ? "places" : "students");
            skip_value(ps);
            continue;
        }
        (is_places ? &have_places : &have_students)[0] = true;
        if (*ps->p != '[') {
            problem(ps, "%s : liste attendue", is_places ? "places" : "students");
            skip_value(ps);
            continue;
        }
        ps->p++;
        bool first_el = true;
        for (size_t i = 0; !ps->fatal && next_element(ps, &first_el); i++) {
            if (is_places)
                parse_place(ps, in, i);
            else
                parse_student(ps, i);
        }
    }
    if (ps->fatal)
        return;
    skip_ws(ps);
    if (ps->p < ps->end) {
        syntax(ps, ps->p, "texte après la fin de l'objet");
        return;
    }
    if (!have_places)
        problem(ps, "champ « places » manquant à la racine");
    if (!have_students)
        problem(ps, "champ « students » manquant à la racine");
    add_students(ps, in);
}

int pl_json_parse(const char *data, size_t len, struct pl_instance **out, struct buf *errors)
{
    *out = NULL;
    struct parser ps = {.start = data, .p = data, .end = data + len, .errors = errors};
    struct pl_instance *in = pl_instance_new();
    if (!in)
        return ERR_NOMEM;
    parse_root(&ps, in);
    if (ps.n_more > 0) {
        buf_printf(errors, "… et %zu autre%s problème%s\n", ps.n_more, ps.n_more > 1 ? "s" : "",
                   ps.n_more > 1 ? "s" : "");
    }
    for (struct decoded *d = ps.decoded, *next; d; d = next) {
        next = d->next;
        free(d);
    }
    free(ps.students);
    free(ps.wishes);
    free(ps.place_ids.slots);
    free(ps.student_ids.slots);
    int rc = ps.nomem ? ps.nomem : ps.n_messages > 0 ? ERR_INVAL : 0;
    if (rc != 0) {
        pl_instance_free(in);
        return rc;
    }
    *out = in;
    return 0;
}

/* ---- Writing ----------------------------------------------------------------------------- */

static void put_string(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    buf_putc(b, '"');
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        buf_append(b, run, (size_t)(s - run));
        char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        if (c == '"' || c == '\\') {
            esc[1] = (char)c;
            buf_append(b, esc, 2);
        } else {
            buf_append(b, esc, 6);
        }
        run = s + 1;
    }
    buf_append(b, run, (size_t)(s - run));
    buf_putc(b, '"');
}

static void put_uint(struct buf *b, uint64_t v)
{
    char tmp[24];
    size_t n = sizeof tmp;
    do {
        tmp[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    buf_append(b, tmp + n, sizeof tmp - n);
}

static void put_int(struct buf *b, int64_t v)
{
    if (v < 0) {
        buf_putc(b, '-');
        put_uint(b, (uint64_t)(-(v + 1)) + 1);
    } else {
        put_uint(b, (uint64_t)v);
    }
}

static void put_why(struct buf *b, const struct pl_instance *in, const struct pl_why *w)
{
    static const char *const kinds[] = {"no_capacity", "full", "trade", "free_seat"};
    buf_puts(b, "{\"place\":");
    put_string(b, in->places[w->place].id);
    buf_puts(b, ",\"rank\":");
    put_uint(b, w->rank);
    buf_puts(b, ",\"reason\":\"");
    buf_puts(b, kinds[w->kind]);
    buf_puts(b, "\",\"capacity\":");
    put_uint(b, (uint64_t)w->capacity);
    if (w->kind == PL_WHY_FULL) {
        buf_puts(b, ",\"cutoff_priority\":");
        put_uint(b, (uint64_t)w->cutoff_priority);
        buf_puts(b, w->tie ? ",\"tie_break\":true" : ",\"tie_break\":false");
    } else if (w->kind == PL_WHY_TRADE) {
        buf_puts(b, ",\"delta_placed\":");
        put_int(b, w->delta_placed);
        buf_puts(b, ",\"delta_rank_sum\":");
        put_int(b, w->delta_rank_sum);
        if (w->displaced != PL_NONE) {
            buf_puts(b, ",\"displaced\":{\"student\":");
            put_string(b, in->students[w->displaced].id);
            buf_puts(b, ",\"from_rank\":");
            put_uint(b, w->displaced_from_rank);
            buf_puts(b, ",\"to_rank\":");
            put_uint(b, w->displaced_to_rank);
            buf_putc(b, '}');
        }
    }
    buf_putc(b, '}');
}

int pl_json_write(const struct pl_instance *in, const struct pl_options *opt,
                  const struct pl_result *r, struct pl_explainer *ex, struct buf *out)
{
    buf_puts(out, r->method == PL_STABLE ? "{\"method\":\"stable\"" : "{\"method\":\"optimal\"");
    if (opt->lottery) {
        buf_puts(out, ",\"lottery\":");
        put_uint(out, opt->seed);
    }
    buf_puts(out, ",\n\"assignments\":[");
    bool first = true;
    for (size_t s = 0; s < in->n_students; s++) {
        if (r->place[s] == PL_NONE)
            continue;
        buf_puts(out, first ? "\n{\"student\":" : ",\n{\"student\":");
        first = false;
        put_string(out, in->students[s].id);
        buf_puts(out, ",\"place\":");
        put_string(out, in->places[r->place[s]].id);
        buf_puts(out, ",\"rank\":");
        put_uint(out, r->rank[s]);
        buf_putc(out, '}');
    }
    buf_puts(out, "],\n\"unassigned\":[");
    first = true;
    for (size_t s = 0; s < in->n_students; s++) {
        if (r->place[s] != PL_NONE)
            continue;
        if (!first)
            buf_putc(out, ',');
        first = false;
        put_string(out, in->students[s].id);
    }
    buf_puts(out, "],\n\"stats\":{\"students\":");
    put_uint(out, in->n_students);
    buf_puts(out, ",\"placed\":");
    put_uint(out, r->placed);
    buf_puts(out, ",\"rank_sum\":");
    put_uint(out, r->rank_sum);
    buf_puts(out, ",\"rank_profile\":[");
    for (uint32_t k = 0; k < r->max_rank; k++) {
        if (k)
            buf_putc(out, ',');
        put_uint(out, r->rank_profile[k]);
    }
    buf_puts(out, "]");
    if (r->method == PL_STABLE) {
        buf_puts(out, ",\"proposals\":");
        put_uint(out, r->proposals);
    }
    buf_puts(out, "}");
    if (ex) {
        buf_puts(out, ",\n\"explanations\":[");
        first = true;
        struct pl_why *why = malloc((r->max_rank ? r->max_rank : 1) * sizeof *why);
        if (!why)
            return ERR_NOMEM;
        for (size_t s = 0; s < in->n_students; s++) {
            if (r->rank[s] == 1 || in->students[s].wish_count == 0)
                continue;
            size_t n = pl_explain(ex, (uint32_t)s, why, r->max_rank);
            buf_puts(out, first ? "\n{\"student\":" : ",\n{\"student\":");
            first = false;
            put_string(out, in->students[s].id);
            buf_puts(out, ",\"better_wishes\":[");
            for (size_t k = 0; k < n; k++) {
                if (k)
                    buf_putc(out, ',');
                put_why(out, in, &why[k]);
            }
            buf_puts(out, "]}");
        }
        free(why);
        buf_puts(out, "]");
    }
    buf_puts(out, "}\n");
    return out->err;
}
