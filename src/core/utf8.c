/*
 * UTF-8 codec. Every other module that looks at characters (text folding, CSV import, form
 * length checks) goes through utf8_decode(), so this is the one place that decides what a valid
 * sequence is: the well-formed byte sequences of Unicode 15 table 3-7, which by construction
 * exclude overlongs (C0, C1, E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and code points above
 * U+10FFFF (F4 90.., F5..FF). The checks run on the second byte's range, so a decoder never
 * needs to build the value first and test it afterwards.
 */
#include "core/utf8.h"

#include "core/err.h"

static bool is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

size_t utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    if (len == 0)
        return 0;
    const unsigned char *p = (const unsigned char *)s;
    unsigned char c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    /* n: length of the sequence; lo..hi: allowed range of the second byte. */
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    uint32_t v;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        v = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        v = c & 0x0Fu;
        if (c == 0xE0)
            lo = 0xA0; /* overlong below U+0800 */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        v = c & 0x07u;
        if (c == 0xF0)
            lo = 0x90; /* overlong below U+10000 */
        else if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        goto invalid; /* stray continuation byte, C0, C1, F5..FF */
    }
    if (len < n || p[1] < lo || p[1] > hi)
        goto invalid;
    for (size_t i = 1; i < n; i++) {
        if (!is_cont(p[i]))
            goto invalid;
        v = (v << 6) | (p[i] & 0x3Fu);
    }
    *cp = v;
    return n;
invalid:
    *cp = UTF8_REPLACEMENT;
    return 1;
}

bool utf8_valid(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x01 && c < 0x80) { /* fast path for ASCII */
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        /* A real U+FFFD is three bytes long; the one-byte "replacement" is an error. */
        if (cp == 0 || (cp == UTF8_REPLACEMENT && n == 1))
            return false;
        i += n;
    }
    return true;
}

size_t utf8_put(uint32_t cp, char dst[4])
{
    if (cp < 0x80) {
        dst[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        dst[0] = (char)(0xC0 | (cp >> 6));
        dst[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            return 0;
        dst[0] = (char)(0xE0 | (cp >> 12));
        dst[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        dst[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp <= UTF8_MAX_CP) {
        dst[0] = (char)(0xF0 | (cp >> 18));
        dst[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        dst[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        dst[3] = (char)(0x80 | (cp & 0x3F));
        return 4;
    }
    return 0;
}

int utf8_encode(uint32_t cp, struct buf *out)
{
    char b[4];
    size_t n = utf8_put(cp, b);
    if (n == 0)
        return ERR_INVAL;
    return buf_append(out, b, n);
}

size_t utf8_length(const char *s, size_t len)
{
    size_t count = 0, i = 0;
    while (i < len) {
        uint32_t cp;
        i += utf8_decode(s + i, len - i, &cp);
        count++;
    }
    return count;
}
