// Peer benchmark: Hyperscan counting every literal match, line by line, no folding.
// Build: cc -O2 -o hs_count hs_count.c -lhs   (Debian: libhyperscan-dev)
// Usage: hs_count WORDS CORPUS          literals, every match, no folding
//        hs_count --regex FILE CORPUS    regexes (UTF8|UCP), (regex, line) pairs
// Prints MiB/s (best of 3), lines with a match, and matches or pairs.
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *slurp(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    *size = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buffer = malloc(*size + 1);
    if (fread(buffer, 1, *size, f) != *size) { perror(path); exit(2); }
    buffer[*size] = 0;
    fclose(f);
    return buffer;
}

static int on_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags, void *ctx) {
    (void)id; (void)from; (void)to; (void)flags;
    ++*(unsigned long long *)ctx;
    return 0;
}

int main(int argc, char **argv) {
    int regex = argc == 4 && strcmp(argv[1], "--regex") == 0;
    if (argc != 3 && !regex) { fprintf(stderr, "usage: %s [--regex] WORDS CORPUS\n", argv[0]); return 2; }
    if (regex) { argv++; }
    size_t wsize, csize;
    char *words = slurp(argv[1], &wsize);
    char *corpus = slurp(argv[2], &csize);
    size_t n = 0, cap = 1024;
    const char **exprs = malloc(cap * sizeof *exprs);
    size_t *lens = malloc(cap * sizeof *lens);
    for (char *line = strtok(words, "\n"); line; line = strtok(NULL, "\n")) {
        size_t len = strlen(line);
        if (len && line[len - 1] == '\r') line[--len] = 0;
        if (!len || (regex && line[0] == '#')) continue;
        if (n == cap) { cap *= 2; exprs = realloc(exprs, cap * sizeof *exprs); lens = realloc(lens, cap * sizeof *lens); }
        exprs[n] = line; lens[n] = len; n++;
    }
    unsigned *flags = calloc(n, sizeof *flags), *ids = malloc(n * sizeof *ids);
    for (size_t i = 0; i < n; i++) ids[i] = (unsigned)i;
    hs_database_t *db; hs_compile_error_t *err;
    hs_error_t rc;
    if (regex) {
        for (size_t i = 0; i < n; i++) flags[i] = HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_SINGLEMATCH;
        rc = hs_compile_multi(exprs, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &db, &err);
    } else {
        rc = hs_compile_lit_multi(exprs, flags, ids, lens, (unsigned)n, HS_MODE_BLOCK, NULL, &db, &err);
    }
    if (rc != HS_SUCCESS) { fprintf(stderr, "compile: %s\n", err->message); return 1; }
    hs_scratch_t *scratch = NULL;
    hs_alloc_scratch(db, &scratch);
    double best = 1e9;
    unsigned long long matches = 0, lines = 0;
    for (int run = 0; run < 3; run++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        matches = 0; lines = 0;
        const char *p = corpus, *end = corpus + csize;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
            unsigned long long before = matches;
            hs_scan(db, p, (unsigned)len, 0, scratch, on_match, &matches);
            if (matches > before) lines++;
            p += len + 1;
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
        if (s < best) best = s;
    }
    printf("hyperscan: %zu %s; %.1f MiB in %.3f s = %.1f MiB/s (best of 3); %llu lines with a match, %llu %s\n",
           n, regex ? "regexes" : "words", csize / 1048576.0, best, csize / 1048576.0 / best, lines, matches,
           regex ? "(regex, line) pairs" : "matches");
    return 0;
}
