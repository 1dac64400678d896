/*
 * XLSX export: the worksheet XML is built row by row into one buffer, then xlsx_finish() wraps it
 * with the five other parts of a minimal SpreadsheetML package and writes them as a ZIP archive.
 * The ZIP writer is the smallest one that Excel, LibreOffice and Python's zipfile accept: STORED
 * entries (method 0, no compression library needed; an export is a one-off download, so its
 * size matters less than having no dependency), CRC-32 computed here, no data descriptors, no
 * extra fields, no ZIP64, and a fixed DOS timestamp so that the bytes depend only on the cells.
 *
 * Text goes into inline strings (t="inlineStr"), which spares a sharedStrings part and its hash
 * table. An inline string is never evaluated, so the formula neutralisation that CSV exports need
 * (core/csv.h) has no counterpart here. Two escapings apply to text: XML's (& < > " and the
 * characters XML 1.0 cannot carry at all), and OOXML's own _xHHHH_ notation, which Excel and
 * LibreOffice decode inside any string: a literal "_x0041_" would show as "A" unless its '_' is
 * written _x005F_.
 */
#include "core/xlsx.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/utf8.h"

/* Sizes, offsets and counts equal to all-ones are ZIP64's escape values, which a reader would
 * look up in an extra field we do not write: the largest plain value is one less. */
#define ZIP_MAX_SIZE     0xFFFFFFFEu
#define ZIP_MAX_ENTRIES  0xFFFEu
#define ZIP_VERSION      20u     /* 2.0, what Excel and zipfile write; the host byte 0 is MS-DOS */
#define ZIP_DOS_DATE     0x0021u /* 1980-01-01, the earliest DOS date: (0 << 9) | (1 << 5) | 1 */
#define ZIP_DOS_TIME     0x0000u /* 00:00:00 */
#define ZIP_LOCAL_SIG    0x04034b50u
#define ZIP_CENTRAL_SIG  0x02014b50u
#define ZIP_END_SIG      0x06054b50u
#define ZIP_LOCAL_LEN    30u
#define ZIP_CENTRAL_LEN  46u
#define ZIP_END_LEN      22u
#define XLSX_PARTS       6u                              /* entries of the archive */
#define SHEET_NAME_BYTES (XLSX_MAX_SHEET_NAME * 3u + 2u) /* 3 bytes per unit at most, '_', NUL */
#define WIDTH_MIN        8u  /* column widths, in characters; Excel's default is 8.43 */
#define WIDTH_MAX        60u /* longer text is better read in the cell than in a huge column */

_Static_assert(XLSX_PARTS <= ZIP_MAX_ENTRIES, "a plain ZIP end record counts the entries");

struct xlsx {
    struct buf rows;  /* <row> elements of sheetData, the last one still open */
    uint32_t nrows;   /* rows begun, so the number of the current row */
    uint32_t ncols;   /* columns taken in the current row */
    uint32_t maxcols; /* widest row */
    uint16_t *width;  /* per column: most characters in a cell, capped at WIDTH_MAX */
    uint32_t width_n; /* entries allocated in width */
    int err;          /* first failure, returned by every later call */
    size_t name_len;
    char name[SHEET_NAME_BYTES]; /* sanitised sheet name, UTF-8, NUL-terminated */
};

/* CRC-32 (ISO-HDLC, as in ZIP and zlib): reflected polynomial 0xEDB88320, one table lookup per
 * byte. The table is a constant rather than built at first use so that concurrent exports need no
 * locking; tests/unit/test_xlsx.c checks it against a bitwise computation. */
static const uint32_t crc_table[256] = {
    0x00000000u, 0x77073096u, 0xee0e612cu, 0x990951bau, 0x076dc419u, 0x706af48fu, 0xe963a535u,
    0x9e6495a3u, 0x0edb8832u, 0x79dcb8a4u, 0xe0d5e91eu, 0x97d2d988u, 0x09b64c2bu, 0x7eb17cbdu,
    0xe7b82d07u, 0x90bf1d91u, 0x1db71064u, 0x6ab020f2u, 0xf3b97148u, 0x84be41deu, 0x1adad47du,
    0x6ddde4ebu, 0xf4d4b551u, 0x83d385c7u, 0x136c9856u, 0x646ba8c0u, 0xfd62f97au, 0x8a65c9ecu,
    0x14015c4fu, 0x63066cd9u, 0xfa0f3d63u, 0x8d080df5u, 0x3b6e20c8u, 0x4c69105eu, 0xd56041e4u,
    0xa2677172u, 0x3c03e4d1u, 0x4b04d447u, 0xd20d85fdu, 0xa50ab56bu, 0x35b5a8fau, 0x42b2986cu,
    0xdbbbc9d6u, 0xacbcf940u, 0x32d86ce3u, 0x45df5c75u, 0xdcd60dcfu, 0xabd13d59u, 0x26d930acu,
    0x51de003au, 0xc8d75180u, 0xbfd06116u, 0x21b4f4b5u, 0x56b3c423u, 0xcfba9599u, 0xb8bda50fu,
    0x2802b89eu, 0x5f058808u, 0xc60cd9b2u, 0xb10be924u, 0x2f6f7c87u, 0x58684c11u, 0xc1611dabu,
    0xb6662d3du, 0x76dc4190u, 0x01db7106u, 0x98d220bcu, 0xefd5102au, 0x71b18589u, 0x06b6b51fu,
    0x9fbfe4a5u, 0xe8b8d433u, 0x7807c9a2u, 0x0f00f934u, 0x9609a88eu, 0xe10e9818u, 0x7f6a0dbbu,
    0x086d3d2du, 0x91646c97u, 0xe6635c01u, 0x6b6b51f4u, 0x1c6c6162u, 0x856530d8u, 0xf262004eu,
    0x6c0695edu, 0x1b01a57bu, 0x8208f4c1u, 0xf50fc457u, 0x65b0d9c6u, 0x12b7e950u, 0x8bbeb8eau,
    0xfcb9887cu, 0x62dd1ddfu, 0x15da2d49u, 0x8cd37cf3u, 0xfbd44c65u, 0x4db26158u, 0x3ab551ceu,
    0xa3bc0074u, 0xd4bb30e2u, 0x4adfa541u, 0x3dd895d7u, 0xa4d1c46du, 0xd3d6f4fbu, 0x4369e96au,
    0x346ed9fcu, 0xad678846u, 0xda60b8d0u, 0x44042d73u, 0x33031de5u, 0xaa0a4c5fu, 0xdd0d7cc9u,
    0x5005713cu, 0x270241aau, 0xbe0b1010u, 0xc90c2086u, 0x5768b525u, 0x206f85b3u, 0xb966d409u,
    0xce61e49fu, 0x5edef90eu, 0x29d9c998u, 0xb0d09822u, 0xc7d7a8b4u, 0x59b33d17u, 0x2eb40d81u,
    0xb7bd5c3bu, 0xc0ba6cadu, 0xedb88320u, 0x9abfb3b6u, 0x03b6e20cu, 0x74b1d29au, 0xead54739u,
    0x9dd277afu, 0x04db2615u, 0x73dc1683u, 0xe3630b12u, 0x94643b84u, 0x0d6d6a3eu, 0x7a6a5aa8u,
    0xe40ecf0bu, 0x9309ff9du, 0x0a00ae27u, 0x7d079eb1u, 0xf00f9344u, 0x8708a3d2u, 0x1e01f268u,
    0x6906c2feu, 0xf762575du, 0x806567cbu, 0x196c3671u, 0x6e6b06e7u, 0xfed41b76u, 0x89d32be0u,
    0x10da7a5au, 0x67dd4accu, 0xf9b9df6fu, 0x8ebeeff9u, 0x17b7be43u, 0x60b08ed5u, 0xd6d6a3e8u,
    0xa1d1937eu, 0x38d8c2c4u, 0x4fdff252u, 0xd1bb67f1u, 0xa6bc5767u, 0x3fb506ddu, 0x48b2364bu,
    0xd80d2bdau, 0xaf0a1b4cu, 0x36034af6u, 0x41047a60u, 0xdf60efc3u, 0xa867df55u, 0x316e8eefu,
    0x4669be79u, 0xcb61b38cu, 0xbc66831au, 0x256fd2a0u, 0x5268e236u, 0xcc0c7795u, 0xbb0b4703u,
    0x220216b9u, 0x5505262fu, 0xc5ba3bbeu, 0xb2bd0b28u, 0x2bb45a92u, 0x5cb36a04u, 0xc2d7ffa7u,
    0xb5d0cf31u, 0x2cd99e8bu, 0x5bdeae1du, 0x9b64c2b0u, 0xec63f226u, 0x756aa39cu, 0x026d930au,
    0x9c0906a9u, 0xeb0e363fu, 0x72076785u, 0x05005713u, 0x95bf4a82u, 0xe2b87a14u, 0x7bb12baeu,
    0x0cb61b38u, 0x92d28e9bu, 0xe5d5be0du, 0x7cdcefb7u, 0x0bdbdf21u, 0x86d3d2d4u, 0xf1d4e242u,
    0x68ddb3f8u, 0x1fda836eu, 0x81be16cdu, 0xf6b9265bu, 0x6fb077e1u, 0x18b74777u, 0x88085ae6u,
    0xff0f6a70u, 0x66063bcau, 0x11010b5cu, 0x8f659effu, 0xf862ae69u, 0x616bffd3u, 0x166ccf45u,
    0xa00ae278u, 0xd70dd2eeu, 0x4e048354u, 0x3903b3c2u, 0xa7672661u, 0xd06016f7u, 0x4969474du,
    0x3e6e77dbu, 0xaed16a4au, 0xd9d65adcu, 0x40df0b66u, 0x37d83bf0u, 0xa9bcae53u, 0xdebb9ec5u,
    0x47b2cf7fu, 0x30b5ffe9u, 0xbdbdf21cu, 0xcabac28au, 0x53b39330u, 0x24b4a3a6u, 0xbad03605u,
    0xcdd70693u, 0x54de5729u, 0x23d967bfu, 0xb3667a2eu, 0xc4614ab8u, 0x5d681b02u, 0x2a6f2b94u,
    0xb40bbe37u, 0xc30c8ea1u, 0x5a05df1bu, 0x2d02ef8du,
};

/* crc is the running value with its bits inverted: start from 0xFFFFFFFF, invert at the end. */
static uint32_t crc_update(uint32_t crc, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++)
        crc = crc_table[(crc ^ p[i]) & 0xFFu] ^ (crc >> 8);
    return crc;
}

/* ---- ZIP container ---- */

struct zip_piece {
    const char *data;
    size_t len;
};

struct zip_entry {
    const char *name; /* a string literal */
    uint32_t crc;
    uint32_t size;
    uint32_t offset; /* of the local header, from the start of the archive */
};

struct zip {
    struct buf *out;
    size_t base; /* out->len where the archive starts: ZIP offsets are relative to it */
    size_t n;
    struct zip_entry entry[XLSX_PARTS];
};

static void put16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v & 0xFFu);
    p[1] = (unsigned char)((v >> 8) & 0xFFu);
}

static void put32(unsigned char *p, uint32_t v)
{
    put16(p, v & 0xFFFFu);
    put16(p + 2, v >> 16);
}

/* Appends one STORED entry whose content is the concatenation of the pieces. */
static int zip_add(struct zip *z, const char *name, const struct zip_piece *pc, size_t npc)
{
    size_t offset = z->out->len - z->base;
    size_t name_len = strlen(name);
    size_t size = 0;
    uint32_t crc = 0xFFFFFFFFu;
    if (z->n >= XLSX_PARTS || offset > ZIP_MAX_SIZE)
        return ERR_TOOBIG;
    for (size_t i = 0; i < npc; i++) {
        if (pc[i].len > ZIP_MAX_SIZE - size)
            return ERR_TOOBIG;
        size += pc[i].len;
        crc = crc_update(crc, pc[i].data, pc[i].len);
    }
    struct zip_entry *e = &z->entry[z->n++];
    e->name = name;
    e->crc = crc ^ 0xFFFFFFFFu;
    e->size = (uint32_t)size;
    e->offset = (uint32_t)offset;

    unsigned char h[ZIP_LOCAL_LEN];
    put32(h, ZIP_LOCAL_SIG);
    put16(h + 4, ZIP_VERSION); /* version needed to extract */
    put16(h + 6, 0);           /* flags: names are ASCII, sizes are known up front */
    put16(h + 8, 0);           /* method: stored */
    put16(h + 10, ZIP_DOS_TIME);
    put16(h + 12, ZIP_DOS_DATE);
    put32(h + 14, e->crc);
    put32(h + 18, e->size); /* compressed size */
    put32(h + 22, e->size); /* uncompressed size */
    put16(h + 26, (uint32_t)name_len);
    put16(h + 28, 0); /* extra field length */
    buf_append(z->out, h, sizeof h);
    buf_append(z->out, name, name_len);
    for (size_t i = 0; i < npc; i++)
        buf_append(z->out, pc[i].data, pc[i].len);
    return z->out->err;
}

/* Appends the central directory and the end record. */
static int zip_end(struct zip *z)
{
    size_t cd_offset = z->out->len - z->base;
    if (cd_offset > ZIP_MAX_SIZE || z->n > ZIP_MAX_ENTRIES)
        return ERR_TOOBIG;
    for (size_t i = 0; i < z->n; i++) {
        const struct zip_entry *e = &z->entry[i];
        size_t name_len = strlen(e->name);
        unsigned char h[ZIP_CENTRAL_LEN];
        put32(h, ZIP_CENTRAL_SIG);
        put16(h + 4, ZIP_VERSION); /* version made by */
        put16(h + 6, ZIP_VERSION); /* version needed to extract */
        put16(h + 8, 0);           /* flags */
        put16(h + 10, 0);          /* method: stored */
        put16(h + 12, ZIP_DOS_TIME);
        put16(h + 14, ZIP_DOS_DATE);
        put32(h + 16, e->crc);
        put32(h + 20, e->size);
        put32(h + 24, e->size);
        put16(h + 28, (uint32_t)name_len);
        put16(h + 30, 0); /* extra field length */
        put16(h + 32, 0); /* comment length */
        put16(h + 34, 0); /* disk number */
        put16(h + 36, 0); /* internal attributes */
        put32(h + 38, 0); /* external attributes */
        put32(h + 42, e->offset);
        buf_append(z->out, h, sizeof h);
        buf_append(z->out, e->name, name_len);
    }
    if (z->out->err)
        return z->out->err;
    size_t cd_size = z->out->len - z->base - cd_offset;
    if (cd_size > ZIP_MAX_SIZE)
        return ERR_TOOBIG;
    unsigned char h[ZIP_END_LEN];
    put32(h, ZIP_END_SIG);
    put16(h + 4, 0); /* this disk */
    put16(h + 6, 0); /* disk of the central directory */
    put16(h + 8, (uint32_t)z->n);
    put16(h + 10, (uint32_t)z->n);
    put32(h + 12, (uint32_t)cd_size);
    put32(h + 16, (uint32_t)cd_offset);
    put16(h + 20, 0); /* comment length */
    return buf_append(z->out, h, sizeof h);
}

/* ---- XML text ---- */

/* Writes v in decimal to dst, returns the number of digits (1..20). */
static size_t u64_dec(uint64_t v, char dst[20])
{
    char tmp[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        dst[i] = tmp[n - 1 - i];
    return n;
}

static int put_u64(struct buf *b, uint64_t v)
{
    char d[20];
    return buf_append(b, d, u64_dec(v, d));
}

/* Appends a cell reference such as "A1", "AA12" or "XFD1048576"; col counts from 0, row from 1.
 * Column names are bijective base 26: A..Z, AA..ZZ, AAA..XFD. */
static int put_ref(struct buf *b, uint32_t col, uint32_t row)
{
    char name[3];
    size_t n = 0;
    uint32_t c = col + 1;
    while (c) {
        c--;
        name[sizeof name - 1 - n++] = (char)('A' + c % 26);
        c /= 26;
    }
    buf_append(b, name + sizeof name - n, n);
    return put_u64(b, row);
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* True when s[i..] reads _xHHHH_, which OOXML readers decode as one character. Only a lowercase
 * x counts, as in LibreOffice's decoder (oox AttributeConversion::decodeXString) and in the
 * writers that escape these (XlsxWriter, ClosedXML); a '_' is escaped only when it must be, since
 * some Excel versions are said to dislike needless _x005F_. */
static bool is_ooxml_escape(const char *s, size_t len, size_t i)
{
    if (len - i < 7 || s[i + 1] != 'x' || s[i + 6] != '_')
        return false;
    return is_hex(s[i + 2]) && is_hex(s[i + 3]) && is_hex(s[i + 4]) && is_hex(s[i + 5]);
}

/* Code points that XML 1.0 cannot carry (valid UTF-8 never decodes to a surrogate). */
static bool xml_forbidden(uint32_t cp)
{
    return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFEu || cp == 0xFFFFu;
}

/* Decodes the character at s[i..]: its code point (U+FFFD for an invalid sequence) and the number
 * of bytes it takes. */
static size_t next_char(const char *s, size_t len, size_t i, uint32_t *cp)
{
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    return utf8_decode(s + i, len - i, cp);
}

/* True when nothing of s[0..len) would be written by put_xml_text(). */
static bool xml_text_empty(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += next_char(s, len, i, &cp);
        if (!xml_forbidden(cp))
            return false;
    }
    return true;
}

/*
 * Appends s[0..len) escaped for XML text and double-quoted attributes, and for OOXML's _xHHHH_
 * when ooxml is true, dropping what XML 1.0 forbids, stopping before max_units UTF-16 code units.
 * CR is written &#13; because an XML parser turns a literal CR (or CRLF) into LF. Returns the
 * number of characters written, the display width of the text. Runs of plain bytes are copied in
 * one append.
 */
static size_t put_xml_text(struct buf *b, const char *s, size_t len, size_t max_units, bool ooxml)
{
    size_t units = 0, chars = 0, run = 0, i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = next_char(s, len, i, &cp);
        const char *rep = NULL;
        switch (cp) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\r':
            rep = "&#13;";
            break;
        case '_':
            if (ooxml && is_ooxml_escape(s, len, i))
                rep = "_x005F_";
            break;
        case UTF8_REPLACEMENT:
            if (n == 1)
                rep = "\xEF\xBF\xBD"; /* an invalid byte: the replacement character itself */
            break;
        default:
            if (xml_forbidden(cp))
                rep = "";
            break;
        }
        size_t u = 0; /* UTF-16 units: none for a dropped character, two above the BMP */
        if (!rep || *rep)
            u = cp > 0xFFFFu ? 2 : 1;
        if (units + u > max_units)
            break;
        units += u;
        chars += u ? 1 : 0;
        if (rep) {
            buf_append(b, s + run, i - run);
            buf_puts(b, rep);
            run = i + n;
        }
        i += n;
    }
    buf_append(b, s + run, i - run);
    return chars;
}

/* ---- The workbook ---- */

/* Sanitises a sheet name as xlsx.h says into dst; returns its length in bytes. */
static size_t sheet_name(const char *s, char dst[SHEET_NAME_BYTES])
{
    size_t len = s ? strlen(s) : 0;
    size_t n = 0, units = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += next_char(s, len, i, &cp);
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || xml_forbidden(cp))
            continue;
        if (cp < 0x80 && strchr("[]:*?/\\", (int)cp))
            cp = '_';
        size_t u = cp > 0xFFFFu ? 2 : 1;
        if (units + u > XLSX_MAX_SHEET_NAME)
            break;
        units += u;
        char enc[4];
        size_t k = utf8_put(cp, enc);
        memcpy(dst + n, enc, k);
        n += k;
    }
    if (n == 0) {
        memcpy(dst, "Feuil1", 6);
        n = 6;
    }
    /* Excel refuses a name that starts or ends with an apostrophe, and "History", which it keeps
     * for its change tracking. */
    if (dst[0] == '\'')
        dst[0] = '_';
    if (dst[n - 1] == '\'')
        dst[n - 1] = '_';
    if (n == 7 && strncasecmp(dst, "History", 7) == 0)
        dst[n++] = '_';
    dst[n] = '\0';
    return n;
}

struct xlsx *xlsx_new(const char *sheet_name_utf8)
{
    struct xlsx *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    buf_init(&x->rows, XLSX_MAX_SHEET_XML);
    x->name_len = sheet_name(sheet_name_utf8, x->name);
    return x;
}

void xlsx_free(struct xlsx *x)
{
    if (!x)
        return;
    buf_free(&x->rows);
    free(x->width);
    free(x);
}

static int fail(struct xlsx *x, int rc)
{
    if (!x->err)
        x->err = rc;
    return x->err;
}

int xlsx_row_begin(struct xlsx *x)
{
    if (x->err)
        return x->err;
    if (x->nrows >= XLSX_MAX_ROWS)
        return fail(x, ERR_TOOBIG);
    if (x->nrows)
        buf_puts(&x->rows, "</row>");
    x->nrows++;
    x->ncols = 0;
    buf_puts(&x->rows, "<row r=\"");
    put_u64(&x->rows, x->nrows);
    buf_puts(&x->rows, "\">");
    return fail(x, x->rows.err);
}

/* Takes the next column of the current row for a cell, into *col. */
static int cell_take(struct xlsx *x, uint32_t *col)
{
    if (x->err)
        return x->err;
    if (x->nrows == 0)
        return fail(x, ERR_INVAL);
    if (x->ncols >= XLSX_MAX_COLS)
        return fail(x, ERR_TOOBIG);
    if (x->ncols >= x->width_n) {
        uint32_t n = x->width_n ? x->width_n * 2 : 16;
        uint16_t *w = realloc(x->width, n * sizeof *w);
        if (!w)
            return fail(x, ERR_NOMEM);
        memset(w + x->width_n, 0, (n - x->width_n) * sizeof *w);
        x->width = w;
        x->width_n = n;
    }
    *col = x->ncols++;
    if (x->ncols > x->maxcols)
        x->maxcols = x->ncols;
    return 0;
}

static void note_width(struct xlsx *x, uint32_t col, size_t chars)
{
    if (chars > WIDTH_MAX)
        chars = WIDTH_MAX;
    if (chars > x->width[col])
        x->width[col] = (uint16_t)chars;
}

/* Opens <c> for a cell of the current row; the header row gets the bold style (cellXfs 1). */
static void cell_open(struct xlsx *x, uint32_t col, const char *type_attr)
{
    buf_puts(&x->rows, "<c r=\"");
    put_ref(&x->rows, col, x->nrows);
    buf_puts(&x->rows, x->nrows == 1 ? "\" s=\"1\"" : "\"");
    buf_puts(&x->rows, type_attr);
    buf_putc(&x->rows, '>');
}

int xlsx_cell_text(struct xlsx *x, const char *s, size_t len)
{
    uint32_t col;
    int rc = cell_take(x, &col);
    if (rc)
        return rc;
    if (xml_text_empty(s, len))
        return 0;
    cell_open(x, col, " t=\"inlineStr\"");
    buf_puts(&x->rows, "<is><t xml:space=\"preserve\">");
    size_t chars = put_xml_text(&x->rows, s, len, XLSX_MAX_TEXT, true);
    buf_puts(&x->rows, "</t></is></c>");
    note_width(x, col, chars);
    return fail(x, x->rows.err);
}

int xlsx_cell_int(struct xlsx *x, int64_t v)
{
    uint32_t col;
    int rc = cell_take(x, &col);
    if (rc)
        return rc;
    /* The magnitude in unsigned arithmetic, which INT64_MIN needs. */
    uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    char d[21];
    size_t n = 0;
    if (v < 0)
        d[n++] = '-';
    n += u64_dec(m, d + n);
    cell_open(x, col, "");
    buf_puts(&x->rows, "<v>");
    buf_append(&x->rows, d, n);
    buf_puts(&x->rows, "</v></c>");
    note_width(x, col, n);
    return fail(x, x->rows.err);
}

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define NS_MAIN  "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL   "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG   "http://schemas.openxmlformats.org/package/2006"
#define CT_OOXML "application/vnd.openxmlformats-officedocument.spreadsheetml"

static const char content_types[] = XML_DECL
    "<Types xmlns=\"" NS_PKG "/content-types\">"
    "<Default Extension=\"rels\" "
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/xl/workbook.xml\" ContentType=\"" CT_OOXML ".sheet.main+xml\"/>"
    "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"" CT_OOXML ".worksheet+xml\"/>"
    "<Override PartName=\"/xl/styles.xml\" ContentType=\"" CT_OOXML ".styles+xml\"/>"
    "</Types>";

static const char root_rels[] = XML_DECL "<Relationships xmlns=\"" NS_PKG "/relationships\">"
                                         "<Relationship Id=\"rId1\" Type=\"" NS_REL
                                         "/officeDocument\" Target=\"xl/workbook.xml\"/>"
                                         "</Relationships>";

static const char workbook_rels[] = XML_DECL
    "<Relationships xmlns=\"" NS_PKG "/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" NS_REL "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" NS_REL "/styles\" Target=\"styles.xml\"/>"
    "</Relationships>";

/* Excel insists on the first two fills being "none" and "gray125"; cellXfs 1 is the header's
 * bold font. */
static const char styles[] = XML_DECL
    "<styleSheet xmlns=\"" NS_MAIN "\">"
    "<fonts count=\"2\">"
    "<font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
    "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
    "</fonts>"
    "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
    "<fill><patternFill patternType=\"gray125\"/></fill></fills>"
    "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/>"
    "</cellStyleXfs>"
    "<cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
    "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
    "</cellXfs>"
    "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
    "</styleSheet>";

static const char sheet_tail_open_row[] = "</row></sheetData></worksheet>";
static const char sheet_tail[] = "</sheetData></worksheet>";

/* Appends xl/workbook.xml. */
static int put_workbook(const struct xlsx *x, struct buf *b)
{
    buf_puts(b, XML_DECL "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\">"
                         "<bookViews><workbookView/></bookViews><sheets><sheet name=\"");
    /* No _xHHHH_ escaping here: whether readers decode it in sheet names is unclear (LibreOffice
     * does not), and names are chosen by the code rather than typed by users. */
    put_xml_text(b, x->name, x->name_len, SIZE_MAX, false);
    buf_puts(b, "\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
    return b->err;
}

/* Width of column c, in characters: its longest cell plus a margin. */
static uint32_t col_width(const struct xlsx *x, uint32_t c)
{
    uint32_t w = x->width[c] + 2u;
    return w < WIDTH_MIN ? WIDTH_MIN : w;
}

/* Appends what comes before the rows in xl/worksheets/sheet1.xml: the used range, the frozen
 * header and the column widths. */
static int put_sheet_head(const struct xlsx *x, struct buf *b)
{
    buf_puts(b, XML_DECL "<worksheet xmlns=\"" NS_MAIN "\"><dimension ref=\"A1");
    if (x->nrows) {
        buf_putc(b, ':');
        put_ref(b, x->maxcols ? x->maxcols - 1 : 0, x->nrows);
    }
    buf_puts(b, "\"/><sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" "
                "topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
                "</sheetView></sheetViews>");
    if (x->maxcols) {
        /* One <col> per run of columns of the same width. */
        buf_puts(b, "<cols>");
        for (uint32_t c = 0; c < x->maxcols;) {
            uint32_t w = col_width(x, c), end = c + 1;
            while (end < x->maxcols && col_width(x, end) == w)
                end++;
            buf_puts(b, "<col min=\"");
            put_u64(b, c + 1);
            buf_puts(b, "\" max=\"");
            put_u64(b, end);
            buf_puts(b, "\" width=\"");
            put_u64(b, w);
            buf_puts(b, "\" customWidth=\"1\"/>");
            c = end;
        }
        buf_puts(b, "</cols>");
    }
    buf_puts(b, "<sheetData>");
    return b->err;
}

#define PIECE(s)                                                                                   \
    {                                                                                              \
        (s), sizeof(s) - 1                                                                         \
    }

/* Appends the archive, given the variable parts: the head of the sheet and the workbook. */
static int put_archive(const struct xlsx *x, const struct buf *head, const struct buf *workbook,
                       struct buf *out)
{
    struct zip_piece tail = x->nrows ? (struct zip_piece)PIECE(sheet_tail_open_row)
                                     : (struct zip_piece)PIECE(sheet_tail);
    const struct {
        const char *name;
        struct zip_piece pc[3];
        size_t npc;
    } parts[XLSX_PARTS] = {
        /* [Content_Types].xml first, as Office writes it: some tools sniff the first entry. */
        {"[Content_Types].xml", {PIECE(content_types)}, 1},
        {"_rels/.rels", {PIECE(root_rels)}, 1},
        {"xl/workbook.xml", {{workbook->data, workbook->len}}, 1},
        {"xl/_rels/workbook.xml.rels", {PIECE(workbook_rels)}, 1},
        {"xl/styles.xml", {PIECE(styles)}, 1},
        {"xl/worksheets/sheet1.xml",
         {{head->data, head->len}, {x->rows.data, x->rows.len}, tail},
         3},
    };
    struct zip z = {.out = out, .base = out->len};
    for (size_t i = 0; i < XLSX_PARTS; i++) {
        int rc = zip_add(&z, parts[i].name, parts[i].pc, parts[i].npc);
        if (rc)
            return rc;
    }
    return zip_end(&z);
}

int xlsx_finish(const struct xlsx *x, struct buf *out)
{
    if (x->err)
        return x->err;
    struct buf head, workbook;
    buf_init(&head, 0);
    buf_init(&workbook, 0);
    size_t base = out->len;
    int rc = put_sheet_head(x, &head);
    if (rc)
        goto fail;
    rc = put_workbook(x, &workbook);
    if (rc)
        goto fail;
    rc = put_archive(x, &head, &workbook, out);
fail:
    if (rc && out->len > base) {
        /* Cut the partial archive; out's bytes before base belong to the caller. */
        out->len = base;
        out->data[base] = '\0';
    }
    buf_free(&head);
    buf_free(&workbook);
    return rc;
}
