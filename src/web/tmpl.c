/*
 * The template engine of tmpl.h. tmpl_add compiles a template into a flat array of nodes (text,
 * value, section, inverted section, partial) whose strings are (offset, length) pairs into the
 * template's own copy of its text; a section node records the index just past its body, so
 * rendering walks index ranges and recursion follows only the nesting of sections (bounded by
 * TMPL_MAX_SECTION_DEPTH) and of partials (bounded by TMPL_MAX_PARTIAL_DEPTH). Compiling uses an
 * explicit stack of open sections. Rendering never writes to the set: the context stack lives in
 * the C stack frames of the renderer and the @index/@first/@last values are computed, not
 * allocated, so concurrent renders share nothing but read-only memory. Every value goes out
 * through one function, emit(), which applies the escaping of the tag's filter: that is the one
 * place to review for "nothing unescaped without |trusted".
 */
#include "web/tmpl.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/timeutil.h"

/* A quoted name in an error message is cut to this many bytes. */
#define MSG_NAME_MAX 40

enum node_kind { NODE_TEXT, NODE_VAR, NODE_SECTION, NODE_INVERTED, NODE_PARTIAL };

enum filter {
    FILTER_HTML,
    FILTER_ATTR,
    FILTER_URL,
    FILTER_TRUSTED,
    FILTER_DATE,
    FILTER_DATETIME,
    FILTER_INT,
};

enum path_kind { PATH_KEYS, PATH_DOT, PATH_INDEX, PATH_FIRST, PATH_LAST };

struct node {
    enum node_kind kind;
    enum filter filter;       /* NODE_VAR */
    enum path_kind path_kind; /* NODE_VAR, NODE_SECTION, NODE_INVERTED */
    size_t off, len;          /* text, path or partial name: bytes of tmpl.text */
    size_t end;               /* sections: index of the first node after the body */
    size_t line;              /* where the tag starts, for tmpl_check */
};

struct tmpl {
    char *name;
    size_t name_len;
    char *text;
    struct node *nodes;
    size_t count, cap;
};

struct tmpl_set {
    struct tmpl **items;
    size_t count, cap;
};

static const struct {
    const char *name;
    enum filter filter;
} filters[] = {
    {"attr", FILTER_ATTR}, {"url", FILTER_URL},           {"trusted", FILTER_TRUSTED},
    {"date", FILTER_DATE}, {"datetime", FILTER_DATETIME}, {"int", FILTER_INT},
};

/* ---- the set ---- */

static void tmpl_free(struct tmpl *t)
{
    if (!t)
        return;
    free(t->name);
    free(t->text);
    free(t->nodes);
    free(t);
}

struct tmpl_set *tmpl_set_new(void)
{
    return calloc(1, sizeof(struct tmpl_set));
}

void tmpl_set_free(struct tmpl_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->count; i++)
        tmpl_free(set->items[i]);
    free(set->items);
    free(set);
}

/* Linear: a set holds a few dozen templates and a lookup costs less than rendering one tag. */
static const struct tmpl *find_tmpl(const struct tmpl_set *set, const char *name, size_t len)
{
    for (size_t i = 0; i < set->count; i++) {
        const struct tmpl *t = set->items[i];
        if (t->name_len == len && memcmp(t->name, name, len) == 0)
            return t;
    }
    return NULL;
}

/* ---- compiling ---- */

struct compiler {
    struct tmpl *t;
    struct buf *err;
    size_t open[TMPL_MAX_SECTION_DEPTH]; /* node indices of the open sections */
    size_t depth;
};

/* Appends "name:line: message" (or "name: message" when line is 0) to err, if any. */
static void vreport(struct buf *err, const char *name, size_t line, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

static void vreport(struct buf *err, const char *name, size_t line, const char *fmt, va_list ap)
{
    if (!err)
        return;
    if (line)
        buf_printf(err, "%s:%zu: ", name, line);
    else
        buf_printf(err, "%s: ", name);
    buf_vprintf(err, fmt, ap);
}

static void report(struct buf *err, const char *name, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void report(struct buf *err, const char *name, size_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(err, name, line, fmt, ap);
    va_end(ap);
}

/* Reports a syntax error of the template being compiled; returns ERR_INVAL. */
static int syntax_error(struct compiler *c, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int syntax_error(struct compiler *c, size_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(c->err, c->t->name, line, fmt, ap);
    va_end(ap);
    return ERR_INVAL;
}

/* How many bytes of a name to quote in a message: "%.*s" wants an int. */
static int shown(size_t len)
{
    return (int)(len > MSG_NAME_MAX ? MSG_NAME_MAX : len);
}

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static bool is_key_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '-';
}

/* Index of the first "xy" at or after from in s[0..len), or len if none. */
static size_t find2(const char *s, size_t len, size_t from, char x, char y)
{
    for (size_t i = from; i + 1 < len; i++)
        if (s[i] == x && s[i + 1] == y)
            return i;
    return len;
}

static size_t count_lines(const char *s, size_t from, size_t to)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++)
        n += s[i] == '\n';
    return n;
}

/* Narrows [*off, *off + *len) of s to drop surrounding whitespace. */
static void trim(const char *s, size_t *off, size_t *len)
{
    while (*len > 0 && is_space(s[*off])) {
        (*off)++;
        (*len)--;
    }
    while (*len > 0 && is_space(s[*off + *len - 1]))
        (*len)--;
}

static bool same(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && memcmp(s, word, len) == 0;
}

static bool parse_path(const char *s, size_t len, enum path_kind *kind)
{
    if (same(s, len, ".")) {
        *kind = PATH_DOT;
        return true;
    }
    if (same(s, len, "@index") || same(s, len, "@first") || same(s, len, "@last")) {
        *kind = s[1] == 'i' ? PATH_INDEX : s[1] == 'f' ? PATH_FIRST : PATH_LAST;
        return true;
    }
    size_t seg = 0; /* length of the current key */
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.') {
            if (seg == 0)
                return false;
            seg = 0;
        } else if (is_key_char(s[i])) {
            seg++;
        } else {
            return false;
        }
    }
    *kind = PATH_KEYS;
    return seg > 0;
}

static int add_node(struct compiler *c, struct node n)
{
    struct tmpl *t = c->t;
    if (t->count == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        struct node *p = realloc(t->nodes, cap * sizeof *p);
        if (!p)
            return ERR_NOMEM;
        t->nodes = p;
        t->cap = cap;
    }
    t->nodes[t->count++] = n;
    return 0;
}

static int compile_var(struct compiler *c, size_t off, size_t len, size_t line)
{
    const char *s = c->t->text;
    struct node n = {.kind = NODE_VAR, .filter = FILTER_HTML, .off = off, .len = len, .line = line};
    const char *bar = memchr(s + off, '|', len);
    if (bar) {
        size_t foff = (size_t)(bar - s) + 1;
        size_t flen = off + len - foff;
        n.len = (size_t)(bar - s) - off;
        trim(s, &n.off, &n.len);
        trim(s, &foff, &flen);
        size_t i = 0;
        while (i < sizeof filters / sizeof filters[0] && !same(s + foff, flen, filters[i].name))
            i++;
        if (i == sizeof filters / sizeof filters[0])
            return syntax_error(c, line, "unknown filter '%.*s'", shown(flen), s + foff);
        n.filter = filters[i].filter;
    }
    if (!parse_path(s + n.off, n.len, &n.path_kind))
        return syntax_error(c, line, "invalid name '%.*s'", shown(n.len), s + n.off);
    return add_node(c, n);
}

static int compile_open(struct compiler *c, enum node_kind kind, size_t off, size_t len,
                        size_t line)
{
    const char *s = c->t->text;
    struct node n = {.kind = kind, .off = off, .len = len, .line = line};
    if (memchr(s + off, '|', len))
        return syntax_error(c, line, "filter not allowed on a section tag");
    if (!parse_path(s + off, len, &n.path_kind))
        return syntax_error(c, line, "invalid name '%.*s'", shown(len), s + off);
    if (c->depth == TMPL_MAX_SECTION_DEPTH)
        return syntax_error(c, line, "sections nested deeper than %d", TMPL_MAX_SECTION_DEPTH);
    c->open[c->depth++] = c->t->count;
    return add_node(c, n);
}

static int compile_close(struct compiler *c, size_t off, size_t len, size_t line)
{
    const char *s = c->t->text;
    if (c->depth == 0)
        return syntax_error(c, line, "closing tag '%.*s' without an open section", shown(len),
                            s + off);
    struct node *open = &c->t->nodes[c->open[c->depth - 1]];
    if (open->len != len || memcmp(s + open->off, s + off, len) != 0)
        return syntax_error(c, line, "closing tag '%.*s' does not match '%.*s' opened on line %zu",
                            shown(len), s + off, shown(open->len), s + open->off, open->line);
    open->end = c->t->count;
    c->depth--;
    return 0;
}

static int compile_partial(struct compiler *c, size_t off, size_t len, size_t line)
{
    const char *s = c->t->text;
    if (len == 0)
        return syntax_error(c, line, "partial tag without a template name");
    for (size_t i = off; i < off + len; i++) {
        if (s[i] == '|')
            return syntax_error(c, line, "filter not allowed on a partial tag");
        if (is_space(s[i]) || s[i] == '{' || s[i] == '}')
            return syntax_error(c, line, "invalid partial name '%.*s'", shown(len), s + off);
    }
    return add_node(c, (struct node){.kind = NODE_PARTIAL, .off = off, .len = len, .line = line});
}

/* Compiles the content of one tag, s[off, off + len), which starts on line. */
static int compile_tag(struct compiler *c, size_t off, size_t len, size_t line)
{
    const char *s = c->t->text;
    trim(s, &off, &len);
    if (len == 0)
        return syntax_error(c, line, "empty tag");
    char sigil = s[off];
    size_t roff = off + 1, rlen = len - 1; /* what follows the sigil */
    trim(s, &roff, &rlen);
    switch (sigil) {
    case '!':
        return 0;
    case '#':
        return compile_open(c, NODE_SECTION, roff, rlen, line);
    case '^':
        return compile_open(c, NODE_INVERTED, roff, rlen, line);
    case '/':
        return compile_close(c, roff, rlen, line);
    case '>':
        return compile_partial(c, roff, rlen, line);
    case '{':
    case '&':
        return syntax_error(c, line, "unescaped tag not supported: use {{name|trusted}}");
    case '=':
        return syntax_error(c, line, "delimiter change not supported");
    default:
        return compile_var(c, off, len, line);
    }
}

static int compile(struct compiler *c, size_t len)
{
    const char *s = c->t->text;
    size_t pos = 0, line = 1;
    while (pos < len) {
        size_t open = find2(s, len, pos, '{', '{');
        if (open > pos) {
            int rc = add_node(c, (struct node){.kind = NODE_TEXT, .off = pos, .len = open - pos});
            if (rc)
                return rc;
            line += count_lines(s, pos, open);
        }
        if (open == len)
            break;
        size_t close = find2(s, len, open + 2, '}', '}');
        if (close == len)
            return syntax_error(c, line, "unclosed tag");
        int rc = compile_tag(c, open + 2, close - open - 2, line);
        if (rc)
            return rc;
        line += count_lines(s, open, close);
        pos = close + 2;
    }
    if (c->depth > 0) {
        const struct node *n = &c->t->nodes[c->open[c->depth - 1]];
        return syntax_error(c, n->line, "section '%.*s' is not closed", shown(n->len), s + n->off);
    }
    return 0;
}

static bool valid_name(const char *name)
{
    if (!*name)
        return false;
    for (const char *p = name; *p; p++)
        if (is_space(*p) || *p == '{' || *p == '}' || *p == '|')
            return false;
    return true;
}

static int set_reserve(struct tmpl_set *set)
{
    if (set->count < set->cap)
        return 0;
    size_t cap = set->cap ? set->cap * 2 : 16;
    struct tmpl **p = realloc(set->items, cap * sizeof *p);
    if (!p)
        return ERR_NOMEM;
    set->items = p;
    set->cap = cap;
    return 0;
}

int tmpl_add(struct tmpl_set *set, const char *name, const char *text, size_t len, struct buf *err)
{
    if (!valid_name(name)) {
        report(err, name, 0, "invalid template name");
        return ERR_INVAL;
    }
    if (find_tmpl(set, name, strlen(name))) {
        report(err, name, 0, "template already defined");
        return ERR_EXISTS;
    }
    int rc = ERR_NOMEM;
    struct tmpl *t = calloc(1, sizeof *t);
    if (!t || set_reserve(set) != 0)
        goto fail;
    t->name_len = strlen(name);
    t->name = strdup(name);
    t->text = malloc(len + 1);
    if (!t->name || !t->text)
        goto fail;
    if (len)
        memcpy(t->text, text, len);
    t->text[len] = '\0';

    struct compiler c = {.t = t, .err = err};
    rc = compile(&c, len);
    if (rc)
        goto fail;
    set->items[set->count++] = t;
    return 0;
fail:
    tmpl_free(t);
    return rc;
}

int tmpl_check(const struct tmpl_set *set, struct buf *err)
{
    int rc = 0;
    for (size_t i = 0; i < set->count; i++) {
        const struct tmpl *t = set->items[i];
        for (size_t j = 0; j < t->count; j++) {
            const struct node *n = &t->nodes[j];
            if (n->kind != NODE_PARTIAL || find_tmpl(set, t->text + n->off, n->len))
                continue;
            if (rc && err)
                buf_putc(err, '\n');
            report(err, t->name, n->line, "unknown partial '%.*s'", shown(n->len),
                   t->text + n->off);
            rc = ERR_NOTFOUND;
        }
    }
    return rc;
}

/* ---- rendering ---- */

/* One level of the context stack; the outermost frame has up == NULL. */
struct frame {
    const json_t *value;
    const struct frame *up;
    size_t index, count; /* count > 0: element index of count, in an array section */
};

struct render {
    const struct tmpl_set *set;
    struct buf *out;
    int partial_depth;
};

/* What a path names: a JSON value (NULL when missing), or the @index of an array section. */
struct value {
    const json_t *json;
    bool is_index;
    json_int_t index;
};

static const struct frame *innermost_loop(const struct frame *top)
{
    while (top && top->count == 0)
        top = top->up;
    return top;
}

/* "items.0": a key made of digits indexes an array (used as "has at least one element"). */
static json_t *array_item(const json_t *arr, const char *key, size_t len)
{
    if (len == 0 || len > 9)
        return NULL;
    size_t i = 0;
    for (size_t k = 0; k < len; k++) {
        if (key[k] < '0' || key[k] > '9')
            return NULL;
        i = i * 10 + (size_t)(key[k] - '0');
    }
    return json_array_get(arr, i);
}

static struct value lookup(const char *path, size_t len, enum path_kind kind,
                           const struct frame *top)
{
    struct value v = {NULL, false, 0};
    const struct frame *loop;
    switch (kind) {
    case PATH_DOT:
        v.json = top ? top->value : NULL;
        return v;
    case PATH_INDEX:
    case PATH_FIRST:
    case PATH_LAST:
        loop = innermost_loop(top);
        if (!loop)
            return v;
        if (kind == PATH_INDEX) {
            v.is_index = true;
            v.index = (json_int_t)loop->index;
        } else {
            bool b = kind == PATH_FIRST ? loop->index == 0 : loop->index + 1 == loop->count;
            v.json = b ? json_true() : json_false();
        }
        return v;
    case PATH_KEYS:
        break;
    }
    const char *dot = memchr(path, '.', len);
    size_t seg = dot ? (size_t)(dot - path) : len;
    for (; top; top = top->up) {
        v.json = json_object_getn(top->value, path, seg); /* NULL for a non-object */
        if (v.json)
            break;
    }
    /* Mustache: only the first key walks the stack; the others must follow from it. */
    while (v.json && seg < len) {
        path += seg + 1;
        len -= seg + 1;
        dot = memchr(path, '.', len);
        seg = dot ? (size_t)(dot - path) : len;
        v.json = json_is_array(v.json) ? array_item(v.json, path, seg)
                                       : json_object_getn(v.json, path, seg);
    }
    return v;
}

static bool truthy(struct value v)
{
    if (v.is_index)
        return v.index != 0;
    switch (json_typeof(v.json ? v.json : json_null())) {
    case JSON_OBJECT:
    case JSON_TRUE:
        return true;
    case JSON_ARRAY:
        return json_array_size(v.json) > 0;
    case JSON_STRING:
        return json_string_length(v.json) > 0;
    case JSON_INTEGER:
        return json_integer_value(v.json) != 0;
    case JSON_REAL:
        return json_real_value(v.json) != 0.0;
    case JSON_FALSE:
    case JSON_NULL:
        return false;
    }
    return false;
}

/* The only way bytes of a value reach the output: escaped as the filter says. */
static int emit(struct buf *out, enum filter filter, const char *s, size_t len)
{
    switch (filter) {
    case FILTER_HTML:
    case FILTER_ATTR:
        return buf_html(out, s, len);
    case FILTER_URL:
        return buf_url(out, s, len);
    case FILTER_TRUSTED:
        return buf_append(out, s, len);
    case FILTER_DATE:
    case FILTER_DATETIME:
    case FILTER_INT:
        break;
    }
    return 0; /* typed filters print nothing for a string */
}

/* Appends v with French digit groups separated by U+202F NARROW NO-BREAK SPACE. */
static int put_grouped(struct buf *out, json_int_t v)
{
    char digits[32];
    unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    int n = snprintf(digits, sizeof digits, "%llu", mag);
    if (n <= 0 || (size_t)n >= sizeof digits)
        return ERR_INVAL;
    size_t len = (size_t)n;
    size_t first = len % 3 ? len % 3 : 3;
    if (v < 0)
        buf_putc(out, '-');
    buf_append(out, digits, first);
    for (size_t i = first; i < len; i += 3) {
        buf_append(out, "\xE2\x80\xAF", 3);
        buf_append(out, digits + i, 3);
    }
    return out->err;
}

static int render_integer(struct buf *out, enum filter filter, json_int_t v)
{
    int rc;
    char num[32];
    int n;
    switch (filter) {
    case FILTER_DATE:
    case FILTER_DATETIME:
        rc = filter == FILTER_DATE ? time_format_date((int64_t)v, out)
                                   : time_format_datetime((int64_t)v, out);
        return rc == ERR_INVAL ? 0 : rc; /* a year beyond 9999 prints nothing */
    case FILTER_INT:
        return put_grouped(out, v);
    default:
        n = snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, v);
        if (n <= 0 || (size_t)n >= sizeof num)
            return ERR_INVAL;
        return emit(out, filter, num, (size_t)n);
    }
}

static int render_var(struct render *r, const struct tmpl *t, const struct node *n,
                      const struct frame *top)
{
    struct value v = lookup(t->text + n->off, n->len, n->path_kind, top);
    if (v.is_index)
        return render_integer(r->out, n->filter, v.index);
    if (json_is_string(v.json))
        return emit(r->out, n->filter, json_string_value(v.json), json_string_length(v.json));
    if (json_is_integer(v.json))
        return render_integer(r->out, n->filter, json_integer_value(v.json));
    if (json_is_real(v.json) && n->filter != FILTER_DATE && n->filter != FILTER_DATETIME &&
        n->filter != FILTER_INT) {
        char num[64];
        int len = snprintf(num, sizeof num, "%g", json_real_value(v.json));
        if (len <= 0 || (size_t)len >= sizeof num)
            return ERR_INVAL;
        return emit(r->out, n->filter, num, (size_t)len);
    }
    return 0; /* booleans, null, missing, objects, arrays */
}

static int render_range(struct render *r, const struct tmpl *t, size_t from, size_t to,
                        const struct frame *top);

static int render_section(struct render *r, const struct tmpl *t, size_t at,
                          const struct frame *top)
{
    const struct node *n = &t->nodes[at];
    struct value v = lookup(t->text + n->off, n->len, n->path_kind, top);
    bool yes = truthy(v);
    if (n->kind == NODE_INVERTED)
        return yes ? 0 : render_range(r, t, at + 1, n->end, top);
    if (!yes)
        return 0;
    if (v.is_index)
        return render_range(r, t, at + 1, n->end, top);
    if (!json_is_array(v.json)) {
        struct frame f = {v.json, top, 0, 0};
        return render_range(r, t, at + 1, n->end, &f);
    }
    size_t count = json_array_size(v.json);
    for (size_t i = 0; i < count; i++) {
        struct frame f = {json_array_get(v.json, i), top, i, count};
        int rc = render_range(r, t, at + 1, n->end, &f);
        if (rc)
            return rc;
    }
    return 0;
}

static int render_partial(struct render *r, const struct tmpl *t, const struct node *n,
                          const struct frame *top)
{
    const struct tmpl *p = find_tmpl(r->set, t->text + n->off, n->len);
    if (!p)
        return ERR_NOTFOUND;
    if (r->partial_depth == TMPL_MAX_PARTIAL_DEPTH)
        return ERR_INVAL;
    r->partial_depth++;
    int rc = render_range(r, p, 0, p->count, top);
    r->partial_depth--;
    return rc;
}

static int render_range(struct render *r, const struct tmpl *t, size_t from, size_t to,
                        const struct frame *top)
{
    size_t i = from;
    while (i < to) {
        const struct node *n = &t->nodes[i];
        int rc = 0;
        switch (n->kind) {
        case NODE_TEXT:
            rc = buf_append(r->out, t->text + n->off, n->len);
            i++;
            break;
        case NODE_VAR:
            rc = render_var(r, t, n, top);
            i++;
            break;
        case NODE_SECTION:
        case NODE_INVERTED:
            rc = render_section(r, t, i, top);
            i = n->end;
            break;
        case NODE_PARTIAL:
            rc = render_partial(r, t, n, top);
            i++;
            break;
        }
        if (rc)
            return rc;
    }
    return r->out->err;
}

int tmpl_render(const struct tmpl_set *set, const char *name, const json_t *ctx, struct buf *out)
{
    const struct tmpl *t = find_tmpl(set, name, strlen(name));
    if (!t)
        return ERR_NOTFOUND;
    if (buf_failed(out))
        return out->err;
    size_t start = out->len;
    struct render r = {set, out, 0};
    struct frame root = {ctx, NULL, 0, 0};
    int rc = render_range(&r, t, 0, t->count, ctx ? &root : NULL);
    /*
     * Cut a failed rendering back so that no half page is ever sent. This writes buf's fields
     * directly: buf.h documents (data, len) and offers no truncation of its own.
     */
    if (rc && out->cap) {
        out->len = start;
        out->data[start] = '\0';
    }
    return rc;
}
