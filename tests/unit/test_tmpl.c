/* Unit tests of web/tmpl: escaping, filters, sections and the context stack, partials, compile
 * errors with their line numbers, and concurrent rendering of one compiled set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <pthread.h>

#include "core/buf.h"
#include "core/err.h"
#include "web/tmpl.h"

#define NNBSP "\xE2\x80\xAF" /* U+202F, the French digit group separator */

static json_t *parse_json(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &e);
    if (!j)
        fail_msg("bad test JSON: %s: %s", text, e.text);
    return j;
}

static void add_ok(struct tmpl_set *set, const char *name, const char *text)
{
    struct buf err;
    buf_init(&err, 0);
    int rc = tmpl_add(set, name, text, strlen(text), &err);
    if (rc != 0)
        fail_msg("tmpl_add(%s) = %d: %s", name, rc, err.data);
    buf_free(&err);
}

/* Renders name against the JSON text ctx (NULL: no context) and compares with want. */
static void expect_set(const struct tmpl_set *set, const char *name, const char *ctx,
                       const char *want)
{
    json_t *j = ctx ? parse_json(ctx) : NULL;
    struct buf out;
    buf_init(&out, 0);
    int rc = tmpl_render(set, name, j, &out);
    if (rc != 0)
        fail_msg("tmpl_render(%s) = %d", name, rc);
    if (strcmp(out.data, want) != 0)
        fail_msg("template %s with %s\n got: [%s]\nwant: [%s]", name, ctx ? ctx : "NULL", out.data,
                 want);
    buf_free(&out);
    json_decref(j);
}

/* Compiles text alone as template "t" and checks its rendering against ctx. */
static void expect(const char *text, const char *ctx, const char *want)
{
    struct tmpl_set *set = tmpl_set_new();
    assert_non_null(set);
    add_ok(set, "t", text);
    expect_set(set, "t", ctx, want);
    tmpl_set_free(set);
}

/* Compiling text as "t" fails with ERR_INVAL and exactly the message want. */
static void expect_error(const char *text, const char *want)
{
    struct tmpl_set *set = tmpl_set_new();
    assert_non_null(set);
    struct buf err;
    buf_init(&err, 0);
    int rc = tmpl_add(set, "t", text, strlen(text), &err);
    if (rc != ERR_INVAL)
        fail_msg("compiled [%s]: rc %d", text, rc);
    if (strcmp(err.data, want) != 0)
        fail_msg("template [%s]\n got: %s\nwant: %s", text, err.data, want);
    /* the failed template was not added; a NULL err is allowed */
    assert_int_equal(tmpl_add(set, "t", text, strlen(text), NULL), ERR_INVAL);
    struct buf out;
    buf_init(&out, 0);
    assert_int_equal(tmpl_render(set, "t", NULL, &out), ERR_NOTFOUND);
    buf_free(&out);
    buf_free(&err);
    tmpl_set_free(set);
}

static void test_escaping(void **state)
{
    (void)state;
    const char *ctx = "{\"x\": \"<script>\\\"'&</script>\"}";
    expect("<p>{{x}}</p>", ctx, "<p>&lt;script&gt;&quot;&#39;&amp;&lt;/script&gt;</p>");
    expect("<a title=\"{{x|attr}}\">", ctx,
           "<a title=\"&lt;script&gt;&quot;&#39;&amp;&lt;/script&gt;\">");
    expect("{{x|trusted}}", ctx, "<script>\"'&</script>");
    expect("?q={{x|url}}", ctx, "?q=%3Cscript%3E%22%27%26%3C%2Fscript%3E");
    expect("?q={{x|url}}", "{\"x\": \"a b/é~-_.\"}", "?q=a%20b%2F%C3%A9~-_.");
    /* the template's own text is output verbatim, including NUL bytes */
    struct tmpl_set *set = tmpl_set_new();
    assert_non_null(set);
    assert_int_equal(tmpl_add(set, "nul", "a\0b{{x}}", 8, NULL), 0);
    json_t *j = parse_json("{\"x\": \"<\"}");
    struct buf out;
    buf_init(&out, 0);
    assert_int_equal(tmpl_render(set, "nul", j, &out), 0);
    assert_int_equal(out.len, 7);
    assert_memory_equal(out.data, "a\0b&lt;", 7);
    buf_free(&out);
    json_decref(j);
    tmpl_set_free(set);
    /* a string value with a NUL keeps it, escaped context unchanged */
    set = tmpl_set_new();
    assert_non_null(set);
    add_ok(set, "s", "[{{s}}]");
    j = json_pack("{s:s#}", "s", "a\0<", (size_t)3);
    assert_non_null(j);
    buf_init(&out, 0);
    assert_int_equal(tmpl_render(set, "s", j, &out), 0);
    assert_int_equal(out.len, 8);
    assert_memory_equal(out.data, "[a\0&lt;]", 8);
    buf_free(&out);
    json_decref(j);
    tmpl_set_free(set);
}

static void test_value_types(void **state)
{
    (void)state;
    const char *ctx =
        "{\"s\": \"str\", \"i\": 42, \"n\": -7, \"r\": 1.5, \"big\": 1e6, \"t\": true,"
        " \"f\": false, \"z\": null, \"o\": {\"a\": 1}, \"a\": [1, 2]}";
    expect("{{s}}|{{i}}|{{n}}|{{r}}|{{big}}", ctx, "str|42|-7|1.5|1e+06");
    expect("[{{t}}{{f}}{{z}}{{o}}{{a}}{{missing}}{{o.missing.deeper}}]", ctx, "[]");
    expect("{{big|url}} {{i|url}} {{r|trusted}} {{i|attr}}", ctx, "1e%2B06 42 1.5 42");
    expect("[{{.}}]", "\"root\"", "[root]");
    expect("[{{.}}]", "12", "[12]");
    expect("[{{x}}{{.}}]", NULL, "[]");
    expect("", "{}", "");
    expect("plain text", NULL, "plain text");
}

static void test_filter_int(void **state)
{
    (void)state;
    expect("{{a|int}} {{b|int}} {{c|int}} {{d|int}} {{e|int}} {{f|int}}",
           "{\"a\": 0, \"b\": 999, \"c\": 1000, \"d\": 12345, \"e\": 1234567, \"f\": -1000}",
           "0 999 1" NNBSP "000 12" NNBSP "345 1" NNBSP "234" NNBSP "567 -1" NNBSP "000");
    expect("{{a|int}}", "{\"a\": -9223372036854775808}",
           "-9" NNBSP "223" NNBSP "372" NNBSP "036" NNBSP "854" NNBSP "775" NNBSP "808");
    expect("{{a|int}}", "{\"a\": 9223372036854775807}",
           "9" NNBSP "223" NNBSP "372" NNBSP "036" NNBSP "854" NNBSP "775" NNBSP "807");
    expect("[{{s|int}}{{r|int}}{{t|int}}{{m|int}}]", "{\"s\": \"12345\", \"r\": 1.5, \"t\": true}",
           "[]");
}

static void test_filter_dates(void **state)
{
    (void)state;
    /* 2026-03-29T01:00:00Z, the first instant of summer time */
    expect("{{t|date}} {{t|datetime}}", "{\"t\": 1774746000}", "29/03/2026 29/03/2026 03:00");
    expect("{{t|date}}", "{\"t\": 0}", "01/01/1970");
    expect("[{{s|date}}{{r|datetime}}{{b|date}}{{m|date}}{{huge|datetime}}]",
           "{\"s\": \"2026-03-29\", \"r\": 1774746000.0, \"b\": true,"
           " \"huge\": 9223372036854775807}",
           "[]");
}

static void test_sections(void **state)
{
    (void)state;
    const char *ctx = "{\"items\": [{\"name\": \"a\"}, {\"name\": \"<b>\"}], \"title\": \"T\","
                      " \"user\": {\"name\": \"Ana\", \"org\": {\"name\": \"INSPE\"}},"
                      " \"t\": true, \"f\": false, \"z\": null, \"s\": \"str\", \"e\": \"\","
                      " \"zero\": 0, \"one\": 1, \"rzero\": 0.0, \"half\": 0.5, \"none\": [],"
                      " \"empty\": {}}";
    expect("{{#items}}<li>{{name}}</li>{{/items}}", ctx, "<li>a</li><li>&lt;b&gt;</li>");
    /* outer keys are found by walking the stack */
    expect("{{#items}}{{title}}-{{name}};{{/items}}", ctx, "T-a;T-&lt;b&gt;;");
    expect("{{#user}}{{name}}@{{org.name}}/{{title}}{{/user}}", ctx, "Ana@INSPE/T");
    expect("{{user.org.name}} {{#user.org}}{{name}}{{/user.org}}", ctx, "INSPE INSPE");
    /* each kind of value, shown and inverted */
    expect("{{#t}}T{{/t}}{{#f}}F{{/f}}{{#z}}Z{{/z}}{{#missing}}M{{/missing}}", ctx, "T");
    expect("{{#s}}[{{.}}]{{/s}}{{#e}}E{{/e}}{{#zero}}0{{/zero}}{{#one}}<{{.}}>{{/one}}", ctx,
           "[str]<1>");
    expect("{{#rzero}}R{{/rzero}}{{#half}}{{.}}{{/half}}{{#none}}N{{/none}}{{#empty}}O{{/empty}}",
           ctx, "0.5O");
    expect("{{^t}}T{{/t}}{{^f}}F{{/f}}{{^z}}Z{{/z}}{{^missing}}M{{/missing}}{{^s}}S{{/s}}"
           "{{^e}}E{{/e}}{{^zero}}0{{/zero}}{{^one}}1{{/one}}{{^none}}N{{/none}}"
           "{{^items}}I{{/items}}{{^empty}}O{{/empty}}{{^rzero}}R{{/rzero}}",
           ctx, "FZME0NR");
    /* an inverted section pushes nothing */
    expect("{{^f}}{{title}}{{/f}}", ctx, "T");
    /* the innermost value wins */
    expect("{{#user}}{{#org}}{{name}}{{/org}}{{name}}{{/user}}{{name}}",
           "{\"name\": \"root\","
           " \"user\": {\"name\": \"Ana\", \"org\": {\"name\": \"INSPE\"}}}",
           "INSPEAnaroot");
}

static void test_nested_and_dotted(void **state)
{
    (void)state;
    /* arrays of arrays, "." at each level */
    expect("{{#m}}({{#.}}{{.}}{{/.}}){{/m}}", "{\"m\": [[1, 2], [], [3]]}", "(12)()(3)");
    /* a dotted path only walks the stack for its first key (Mustache) */
    expect("{{#a}}[{{b.c}}]{{/a}}", "{\"a\": {\"b\": {}}, \"b\": {\"c\": \"outer\"}}", "[]");
    expect("{{#a}}[{{b.c}}]{{/a}}", "{\"a\": {\"x\": 1}, \"b\": {\"c\": \"outer\"}}", "[outer]");
    /* a key through a non-object is missing */
    /* Keys are not properties of strings; a key of digits indexes an array. */
    expect("[{{s.length}}{{a.0}}{{a.1}}]", "{\"s\": \"abc\", \"a\": [1]}", "[1]");
    /* keys may have digits, '_' and '-' */
    expect("{{a_b-1.c2}}", "{\"a_b-1\": {\"c2\": \"ok\"}}", "ok");
    /* three levels of arrays, each element looks outward */
    expect("{{#groups}}{{g}}:{{#members}}{{g}}{{m}}{{#tags}}{{m}}{{.}}{{/tags}},{{/members}};"
           "{{/groups}}",
           "{\"groups\": [{\"g\": \"A\", \"members\": [{\"m\": \"x\", \"tags\": [\"1\", \"2\"]},"
           " {\"m\": \"y\", \"tags\": []}]}, {\"g\": \"B\", \"members\": []}]}",
           "A:Axx1x2,Ay,;B:;");
}

static void test_loop_variables(void **state)
{
    (void)state;
    const char *ctx = "{\"l\": [\"a\", \"b\", \"c\"], \"one\": [\"x\"]}";
    expect("{{#l}}{{@index}}={{.}}{{^@last}}, {{/@last}}{{/l}}", ctx, "0=a, 1=b, 2=c");
    expect("{{#l}}{{#@first}}<{{/@first}}{{.}}{{#@last}}>{{/@last}}{{/l}}", ctx, "<abc>");
    expect("{{#one}}{{#@first}}F{{/@first}}{{#@last}}L{{/@last}}{{@index}}{{/one}}", ctx, "FL0");
    /* @index is truthy from 1 on, and prints through filters */
    expect("{{#l}}{{#@index}}+{{/@index}}{{@index|int}}{{/l}}", ctx, "0+1+2");
    /* outside an array section they are missing; inside an object section, the outer loop's */
    expect("[{{@index}}{{#@first}}F{{/@first}}{{^@last}}L{{/@last}}]", ctx, "[L]");
    expect("{{#l}}{{#o}}{{@index}}{{/o}}{{/l}}", "{\"l\": [1, 2], \"o\": {\"k\": 1}}", "01");
    /* nested loops: the innermost one */
    expect("{{#m}}{{#.}}{{@index}}{{/.}}|{{@index}};{{/m}}", "{\"m\": [[7, 8], [9]]}", "01|0;0|1;");
}

static void test_whitespace_in_tags(void **state)
{
    (void)state;
    expect("{{ a.b }}|{{ a.b | url }}|{{\ta.b|int\n}}|{{# l }}{{ . }}{{/ l }}|{{ ^ l }}-{{ / l }}"
           "|{{ ! comment }}|{{!}}",
           "{\"a\": {\"b\": 1000}, \"l\": [1]}", "1000|1000|1" NNBSP "000|1|||");
}

static void test_comments(void **state)
{
    (void)state;
    expect("a{{! a comment with {braces} and\nnewlines }}b", NULL, "ab");
    expect("a{{!x}}b{{! {{y}} }}c", NULL, "ab }}c");
}

static void test_partials(void **state)
{
    (void)state;
    struct tmpl_set *set = tmpl_set_new();
    assert_non_null(set);
    /* partials may be added after the template that uses them */
    add_ok(set, "page.html", "<h1>{{title}}</h1><ul>{{#items}}{{> item.html}}{{/items}}</ul>");
    add_ok(set, "item.html", "<li>{{name}} ({{title}})</li>");
    add_ok(set, "tree", "{{name}}{{#children}}[{{> tree}}]{{/children}}");
    assert_int_equal(tmpl_check(set, NULL), 0);
    expect_set(set, "page.html",
               "{\"title\": \"T\", \"items\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}",
               "<h1>T</h1><ul><li>a (T)</li><li>b (T)</li></ul>");
    /* recursion over finite data is fine, when every node has its own "children" */
    const char *tree =
        "{\"name\": \"r\", \"children\": [{\"name\": \"a\", \"children\":"
        " [{\"name\": \"b\", \"children\": []}]}, {\"name\": \"c\", \"children\": []}]}";
    expect_set(set, "tree", tree, "r[a[b]][c]");
    /* otherwise the stack walk finds the parent's "children" again: the depth limit stops it */
    json_t *j = parse_json("{\"name\": \"r\", \"children\": [{\"name\": \"leaf\"}]}");
    struct buf out;
    buf_init(&out, 0);
    assert_int_equal(tmpl_render(set, "tree", j, &out), ERR_INVAL);
    assert_int_equal(out.len, 0);
    buf_free(&out);
    json_decref(j);
    tmpl_set_free(set);
}

static void test_unknown_names(void **state)
{
    (void)state;
    struct tmpl_set *set = tmpl_set_new();
    assert_non_null(set);
    add_ok(set, "a", "x{{#s}}{{> missing}}{{/s}}");
    add_ok(set, "b", "{{> a}}\n{{> gone}}");
    struct buf err, out;
    buf_init(&err, 0);
    buf_init(&out, 0);
    assert_int_equal(tmpl_check(set, &err), ERR_NOTFOUND);
    assert_string_equal(err.data, "a:1: unknown partial 'missing'\nb:2: unknown partial 'gone'");
    assert_int_equal(tmpl_check(set, NULL), ERR_NOTFOUND);

    buf_puts(&out, "keep");
    assert_int_equal(tmpl_render(set, "nope", NULL, &out), ERR_NOTFOUND);
    assert_string_equal(out.data, "keep");
    /* the partial is only looked up when its section renders */
    json_t *j = parse_json("{\"s\": false}");
    assert_int_equal(tmpl_render(set, "a", j, &out), 0);
    assert_string_equal(out.data, "keepx");
    json_decref(j);
    j = parse_json("{\"s\": true}");
    assert_int_equal(tmpl_render(set, "a", j, &out), ERR_NOTFOUND);
    assert_string_equal(out.data, "keepx"); /* the failed rendering was cut back */
    json_decref(j);
    buf_free(&out);
    buf_free(&err);
    tmpl_set_free(set);
}

static void test_recursion_limit(void **state)
{
    (void)state;
    struct tmpl_set *set = tmpl_set_new();
    assert_non_null(set);
    add_ok(set, "self", "x{{> self}}");
    add_ok(set, "ping", "<{{> pong}}");
    add_ok(set, "pong", ">{{> ping}}");
    struct buf out;
    buf_init(&out, 0);
    buf_puts(&out, "before");
    assert_int_equal(tmpl_render(set, "self", NULL, &out), ERR_INVAL);
    assert_string_equal(out.data, "before");
    assert_int_equal(tmpl_render(set, "ping", NULL, &out), ERR_INVAL);
    assert_string_equal(out.data, "before");
    buf_free(&out);

    /* a chain of exactly TMPL_MAX_PARTIAL_DEPTH partials renders, one more does not */
    char name[16], text[32];
    for (int i = 0; i <= TMPL_MAX_PARTIAL_DEPTH + 1; i++) {
        snprintf(name, sizeof name, "c%d", i);
        snprintf(text, sizeof text, "%d{{> c%d}}", i, i + 1);
        add_ok(set, name, text);
    }
    snprintf(name, sizeof name, "c%d", TMPL_MAX_PARTIAL_DEPTH);
    struct buf err;
    buf_init(&err, 0);
    assert_int_equal(tmpl_add(set, name, "end", 3, &err), ERR_EXISTS);
    assert_string_equal(err.data, "c16: template already defined");
    buf_free(&err);
    tmpl_set_free(set);

    set = tmpl_set_new();
    assert_non_null(set);
    for (int i = 0; i < TMPL_MAX_PARTIAL_DEPTH; i++) {
        snprintf(name, sizeof name, "c%d", i);
        snprintf(text, sizeof text, "%d{{> c%d}}", i % 10, i + 1);
        add_ok(set, name, text);
    }
    snprintf(name, sizeof name, "c%d", TMPL_MAX_PARTIAL_DEPTH);
    add_ok(set, name, "!");
    expect_set(set, "c0", NULL, "0123456789012345!");
    expect_set(set, "c1", NULL, "123456789012345!");
    tmpl_set_free(set);

    set = tmpl_set_new();
    assert_non_null(set);
    for (int i = 0; i <= TMPL_MAX_PARTIAL_DEPTH; i++) {
        snprintf(name, sizeof name, "c%d", i);
        snprintf(text, sizeof text, "{{> c%d}}", i + 1);
        add_ok(set, name, text);
    }
    snprintf(name, sizeof name, "c%d", TMPL_MAX_PARTIAL_DEPTH + 1);
    add_ok(set, name, "!");
    buf_init(&out, 0);
    assert_int_equal(tmpl_render(set, "c0", NULL, &out), ERR_INVAL);
    assert_int_equal(tmpl_render(set, "c1", NULL, &out), 0);
    assert_string_equal(out.data, "!");
    buf_free(&out);
    tmpl_set_free(set);
}

static void test_compile_errors(void **state)
{
    (void)state;
    expect_error("a\nb {{x", "t:2: unclosed tag");
    expect_error("a\nb {{x}\n}", "t:2: unclosed tag");
    expect_error("{{! never closed", "t:1: unclosed tag");
    expect_error("\n\n{{ }}", "t:3: empty tag");
    expect_error("{{}}", "t:1: empty tag");
    expect_error("{{a b}}", "t:1: invalid name 'a b'");
    expect_error("{{a..b}}", "t:1: invalid name 'a..b'");
    expect_error("{{.a}}", "t:1: invalid name '.a'");
    expect_error("{{a.}}", "t:1: invalid name 'a.'");
    expect_error("{{@foo}}", "t:1: invalid name '@foo'");
    expect_error("{{élève}}", "t:1: invalid name 'élève'");
    expect_error("{{|url}}", "t:1: invalid name ''");
    expect_error("{{#a b}}{{/a b}}", "t:1: invalid name 'a b'");
    expect_error("{{#}}{{/}}", "t:1: invalid name ''");
    expect_error("x\n{{a|upper}}", "t:2: unknown filter 'upper'");
    expect_error("{{a|}}", "t:1: unknown filter ''");
    expect_error("{{a|url|trusted}}", "t:1: unknown filter 'url|trusted'");
    expect_error("{{a|URL}}", "t:1: unknown filter 'URL'");
    expect_error("{{#a|url}}{{/a}}", "t:1: filter not allowed on a section tag");
    expect_error("{{^a | int}}{{/a}}", "t:1: filter not allowed on a section tag");
    expect_error("{{> a|url}}", "t:1: filter not allowed on a partial tag");
    expect_error("{{>}}", "t:1: partial tag without a template name");
    expect_error("{{> a b}}", "t:1: invalid partial name 'a b'");
    expect_error("{{#a}}\n{{#b}}\n{{/a}}{{/b}}",
                 "t:3: closing tag 'a' does not match 'b' opened on line 2");
    expect_error("{{#a}}{{/a.b}}", "t:1: closing tag 'a.b' does not match 'a' opened on line 1");
    expect_error("\n{{/a}}", "t:2: closing tag 'a' without an open section");
    expect_error("{{#a}}{{/a}}{{/a}}", "t:1: closing tag 'a' without an open section");
    expect_error("x\n{{#a}}\n{{^b}}{{/b}}\n", "t:2: section 'a' is not closed");
    expect_error("{{#a}}{{#b}}{{/b}}", "t:1: section 'a' is not closed");
    expect_error("{{{a}}}", "t:1: unescaped tag not supported: use {{name|trusted}}");
    expect_error("{{&a}}", "t:1: unescaped tag not supported: use {{name|trusted}}");
    expect_error("{{=<% %>=}}", "t:1: delimiter change not supported");
    /* newlines inside comments and tags count */
    expect_error("{{! one\ntwo\n}}\n{{ a\n}}{{bad name}}", "t:5: invalid name 'bad name'");
    /* long names are cut in messages */
    expect_error("{{#"
                 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}}",
                 "t:1: section 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' is not closed");

    /* sections nested TMPL_MAX_SECTION_DEPTH deep compile; one more level does not */
    struct buf text, want;
    buf_init(&text, 0);
    buf_init(&want, 0);
    for (int i = 0; i < TMPL_MAX_SECTION_DEPTH; i++)
        buf_puts(&text, "{{#a}}");
    buf_puts(&text, "{{x}}");
    for (int i = 0; i < TMPL_MAX_SECTION_DEPTH; i++)
        buf_puts(&text, "{{/a}}");
    expect(text.data, "{\"a\": true, \"x\": \"deep\"}", "deep");
    buf_reset(&text);
    for (int i = 0; i <= TMPL_MAX_SECTION_DEPTH; i++)
        buf_puts(&text, "{{#a}}\n");
    buf_printf(&want, "t:%d: sections nested deeper than %d", TMPL_MAX_SECTION_DEPTH + 1,
               TMPL_MAX_SECTION_DEPTH);
    expect_error(text.data, want.data);
    buf_free(&text);
    buf_free(&want);
}

static void test_template_names(void **state)
{
    (void)state;
    struct tmpl_set *set = tmpl_set_new();
    assert_non_null(set);
    struct buf err;
    buf_init(&err, 0);
    assert_int_equal(tmpl_add(set, "", "x", 1, &err), ERR_INVAL);
    assert_string_equal(err.data, ": invalid template name");
    buf_reset(&err);
    assert_int_equal(tmpl_add(set, "a b", "x", 1, &err), ERR_INVAL);
    assert_string_equal(err.data, "a b: invalid template name");
    assert_int_equal(tmpl_add(set, "{x}", "x", 1, NULL), ERR_INVAL);
    assert_int_equal(tmpl_add(set, "a|b", "x", 1, NULL), ERR_INVAL);
    assert_int_equal(tmpl_add(set, "a\nb", "x", 1, NULL), ERR_INVAL);
    add_ok(set, "layout.html", "1");
    buf_reset(&err);
    assert_int_equal(tmpl_add(set, "layout.html", "2", 1, &err), ERR_EXISTS);
    assert_string_equal(err.data, "layout.html: template already defined");
    expect_set(set, "layout.html", NULL, "1");
    /* an empty template, from a NULL pointer */
    assert_int_equal(tmpl_add(set, "empty", NULL, 0, NULL), 0);
    expect_set(set, "empty", "{}", "");
    buf_free(&err);
    tmpl_set_free(set);
    tmpl_set_free(NULL);
}

static void test_buffer_limits(void **state)
{
    (void)state;
    struct tmpl_set *set = tmpl_set_new();
    assert_non_null(set);
    add_ok(set, "t", "{{#l}}{{.}}{{/l}}");
    json_t *j = parse_json("{\"l\": [\"0123456789\", \"0123456789\", \"0123456789\"]}");
    struct buf out;
    buf_init(&out, 25);
    buf_puts(&out, "ab");
    assert_int_equal(tmpl_render(set, "t", j, &out), ERR_TOOBIG);
    assert_string_equal(out.data, "ab");
    assert_true(buf_failed(&out));
    /* a buffer that has already failed is refused at once */
    assert_int_equal(tmpl_render(set, "t", j, &out), ERR_TOOBIG);
    buf_free(&out);
    buf_init(&out, 32);
    assert_int_equal(tmpl_render(set, "t", j, &out), 0);
    assert_int_equal(out.len, 30);
    buf_free(&out);
    json_decref(j);
    tmpl_set_free(set);
}

/* ---- many threads rendering one compiled set ---- */

#define THREADS 8
#define ROUNDS  300

struct worker {
    const struct tmpl_set *set;
    const json_t *ctx;
    const char *want;
    int failures;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    struct buf out;
    buf_init(&out, 0);
    for (int i = 0; i < ROUNDS; i++) {
        buf_reset(&out);
        if (tmpl_render(w->set, "page", w->ctx, &out) != 0 || strcmp(out.data, w->want) != 0)
            w->failures++;
    }
    buf_free(&out);
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    struct tmpl_set *set = tmpl_set_new();
    assert_non_null(set);
    add_ok(set, "page", "<h1>{{title}}</h1>{{#rows}}{{> row}}{{/rows}}{{^rows}}vide{{/rows}}");
    add_ok(set, "row",
           "<tr><td>{{@index}}</td><td>{{name}}</td><td>{{n|int}}</td>"
           "<td>{{t|datetime}}</td><td><a href=\"?q={{name|url}}\">{{title}}</a></td>"
           "</tr>{{^@last}}\n{{/@last}}");
    json_t *ctx[2];
    struct buf want[2];
    ctx[0] = json_pack("{s:s, s:[]}", "title", "Aucun", "rows");
    ctx[1] =
        json_pack("{s:s, s:[{s:s, s:I, s:I}, {s:s, s:I, s:I}]}", "title", "L'école & co", "rows",
                  "name", "<Zoé>", "n", (json_int_t)1234567, "t", (json_int_t)1792890000, "name",
                  "Léo Dupont", "n", (json_int_t)-5, "t", (json_int_t)0);
    for (int k = 0; k < 2; k++) {
        assert_non_null(ctx[k]);
        buf_init(&want[k], 0);
        assert_int_equal(tmpl_render(set, "page", ctx[k], &want[k]), 0);
    }
    assert_string_equal(want[0].data, "<h1>Aucun</h1>vide");
    assert_string_equal(
        want[1].data,
        "<h1>L&#39;école &amp; co</h1>"
        "<tr><td>0</td><td>&lt;Zoé&gt;</td><td>1" NNBSP "234" NNBSP "567</td>"
        "<td>25/10/2026 02:00</td><td><a href=\"?q=%3CZo%C3%A9%3E\">L&#39;école &amp; co</a></td>"
        "</tr>\n"
        "<tr><td>1</td><td>Léo Dupont</td><td>-5</td><td>01/01/1970 01:00</td>"
        "<td><a href=\"?q=L%C3%A9o%20Dupont\">L&#39;école &amp; co</a></td></tr>");

    pthread_t tids[THREADS];
    struct worker workers[THREADS];
    for (int i = 0; i < THREADS; i++) {
        workers[i] = (struct worker){set, ctx[i % 2], want[i % 2].data, 0};
        assert_int_equal(pthread_create(&tids[i], NULL, work, &workers[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(tids[i], NULL), 0);
        assert_int_equal(workers[i].failures, 0);
    }
    for (int k = 0; k < 2; k++) {
        buf_free(&want[k]);
        json_decref(ctx[k]);
    }
    tmpl_set_free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escaping),       cmocka_unit_test(test_value_types),
        cmocka_unit_test(test_filter_int),     cmocka_unit_test(test_filter_dates),
        cmocka_unit_test(test_sections),       cmocka_unit_test(test_nested_and_dotted),
        cmocka_unit_test(test_loop_variables), cmocka_unit_test(test_whitespace_in_tags),
        cmocka_unit_test(test_comments),       cmocka_unit_test(test_partials),
        cmocka_unit_test(test_unknown_names),  cmocka_unit_test(test_recursion_limit),
        cmocka_unit_test(test_compile_errors), cmocka_unit_test(test_template_names),
        cmocka_unit_test(test_buffer_limits),  cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
