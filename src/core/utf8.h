/*
 * Strict UTF-8 (RFC 3629): validation, decoding, encoding and counting of code points. "Strict"
 * means overlong forms, UTF-16 surrogates (U+D800..U+DFFF), code points above U+10FFFF and
 * truncated sequences are all invalid. Text input never legitimately contains NUL, so
 * utf8_valid() rejects U+0000 as well; utf8_decode() itself decodes it (one byte, cp 0).
 */
#ifndef CORE_UTF8_H
#define CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define UTF8_REPLACEMENT 0xFFFDu /* what utf8_decode() yields for an invalid sequence */
#define UTF8_MAX_CP      0x10FFFFu

/* True when s[0..len) is strict UTF-8 without NUL bytes; true for len 0. */
bool utf8_valid(const char *s, size_t len);

/*
 * Decodes the code point at the start of s[0..len) into *cp and returns the number of bytes it
 * takes (1..4). Returns 0 when len is 0 (then *cp is left alone). On an invalid or truncated
 * sequence stores UTF8_REPLACEMENT in *cp and returns 1, so a caller can skip one byte and carry
 * on. A NUL byte decodes to cp 0 and returns 1.
 */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/*
 * Writes the 1 to 4 byte encoding of cp to dst and returns its length, or 0 (dst untouched) when
 * cp is a surrogate or above UTF8_MAX_CP. For hot loops that should not go through a buf.
 */
size_t utf8_put(uint32_t cp, char dst[4]);

/*
 * Appends the 1 to 4 byte encoding of cp to out. Returns 0, ERR_INVAL when cp is a surrogate or
 * above UTF8_MAX_CP (nothing appended), or the buffer's ERR_NOMEM / ERR_TOOBIG.
 */
int utf8_encode(uint32_t cp, struct buf *out);

/*
 * Number of code points in s[0..len), for the maximum lengths of form fields ("200 caractères
 * au plus"). Each invalid byte counts as one code point, like utf8_decode() steps; validate
 * first with utf8_valid() when that matters.
 */
size_t utf8_length(const char *s, size_t len);

#endif
