/*
 * Runs a libFuzzer target without a fuzzing engine, so `meson test` exercises it with gcc:
 * every file of the corpus directory given as argv[1], then a bounded number of deterministic
 * mutations of them (byte flips, truncations, splices, inserted special bytes). A crash or a
 * sanitizer report fails the test. With clang, build the same target with -fsanitize=fuzzer for
 * real coverage-guided fuzzing.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLAY_MAX_INPUT (1 << 16)
#define MUTATIONS        4000

struct input {
    uint8_t *data;
    size_t size;
};

static uint64_t state = 0x9e3779b97f4a7c15u;

static uint64_t next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static int load(const char *path, struct input *in)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    in->data = malloc(REPLAY_MAX_INPUT);
    if (!in->data) {
        fclose(f);
        return -1;
    }
    in->size = fread(in->data, 1, REPLAY_MAX_INPUT, f);
    fclose(f);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    struct input corpus[256];
    size_t n = 0;
    DIR *d = opendir(argv[1]);
    if (!d) {
        fprintf(stderr, "cannot open %s\n", argv[1]);
        return 1;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 256) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
        if (load(path, &corpus[n]) == 0)
            n++;
    }
    closedir(d);
    if (n == 0) {
        fprintf(stderr, "empty corpus %s\n", argv[1]);
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        LLVMFuzzerTestOneInput(corpus[i].data, corpus[i].size);
    static const uint8_t special[] = {0,   '"', ';', '\n', '\r', '{',  '}',  '#',  '^',
                                      '/', '|', '*', '\'', 0xc3, 0xa9, 0xff, 0xe2, 0x80};
    uint8_t *buf = malloc(2 * REPLAY_MAX_INPUT);
    for (int m = 0; m < MUTATIONS && buf; m++) {
        const struct input *a = &corpus[next() % n];
        const struct input *b = &corpus[next() % n];
        size_t len = a->size;
        memcpy(buf, a->data, len);
        int ops = 1 + (int)(next() % 4);
        for (int k = 0; k < ops; k++) {
            switch (next() % 5) {
            case 0: /* flip a byte */
                if (len)
                    buf[next() % len] ^= (uint8_t)(1u << (next() % 8));
                break;
            case 1: /* truncate */
                if (len)
                    len = next() % len;
                break;
            case 2: /* insert a special byte */
                if (len < REPLAY_MAX_INPUT) {
                    size_t at = len ? next() % len : 0;
                    memmove(buf + at + 1, buf + at, len - at);
                    buf[at] = special[next() % sizeof special];
                    len++;
                }
                break;
            case 3: /* splice the tail of another input */
                if (b->size) {
                    size_t from = next() % b->size;
                    size_t take = b->size - from;
                    if (len + take <= REPLAY_MAX_INPUT) {
                        memcpy(buf + len, b->data + from, take);
                        len += take;
                    }
                }
                break;
            default: /* duplicate a slice */
                if (len && len * 2 <= REPLAY_MAX_INPUT) {
                    size_t at = next() % len;
                    memcpy(buf + len, buf + at, len - at);
                    len += len - at;
                }
                break;
            }
        }
        LLVMFuzzerTestOneInput(buf, len);
    }
    free(buf);
    for (size_t i = 0; i < n; i++)
        free(corpus[i].data);
    printf("replayed %zu corpus inputs and %d mutations\n", n, MUTATIONS);
    return 0;
}
