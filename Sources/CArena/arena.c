#include "kepu_arena.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each allocation is preceded by its size, so realloc knows how much to copy; 16 bytes keep the
 * allocation itself aligned as malloc's is. */
#define HEADER 16
#define ALIGN 16
#define BLOCK_SIZE (64 * 1024)
#define KEPT_BYTES (1024 * 1024)

typedef struct block {
    struct block *next;
    size_t size; /* usable bytes in data */
    size_t used;
    _Alignas(16) unsigned char data[];
} block;

/* `current` is the block being filled; `used` lists the blocks filled since the reset, `spare` the ones
 * kept for reuse. */
static __thread block *current;
static __thread block *used;
static __thread block *spare;

/* The blocks go with their thread: dispatch's worker threads come and go under `kepu serve`. */
static pthread_key_t owner_key;
static pthread_once_t owner_once = PTHREAD_ONCE_INIT;

static void free_list(block *b) {
    while (b) {
        block *next = b->next;
        free(b);
        b = next;
    }
}

static void thread_ended(void *unused) {
    (void)unused;
    if (current) free(current);
    free_list(used);
    free_list(spare);
    current = used = spare = NULL;
}

static void make_owner_key(void) { pthread_key_create(&owner_key, thread_ended); }

static void out_of_memory(void) {
    fprintf(stderr, "[kepu] cannot allocate memory for cmark, aborting\n");
    abort();
}

static size_t round_up(size_t n) {
    if (n > SIZE_MAX - (ALIGN - 1)) out_of_memory();
    return (n + (ALIGN - 1)) & ~(size_t)(ALIGN - 1);
}

static block *new_block(size_t least) {
    if (spare && spare->size >= least) {
        block *b = spare;
        spare = b->next;
        b->used = 0;
        return b;
    }
    if (!current && !used && !spare) {
        pthread_once(&owner_once, make_owner_key);
        pthread_setspecific(owner_key, (void *)1);
    }
    size_t size = least > BLOCK_SIZE ? least : BLOCK_SIZE;
    if (size > SIZE_MAX - sizeof(block)) out_of_memory();
    block *b = malloc(sizeof(block) + size);
    if (!b) out_of_memory();
    b->size = size;
    b->used = 0;
    return b;
}

static unsigned char *take(size_t size) {
    size_t need = round_up(size);
    if (need > SIZE_MAX - HEADER) out_of_memory();
    need += HEADER;
    if (!current || current->size - current->used < need) {
        if (current) {
            current->next = used;
            used = current;
        }
        current = new_block(need);
    }
    unsigned char *at = current->data + current->used;
    current->used += need;
    *(size_t *)at = size;
    return at + HEADER;
}

void *kepu_arena_calloc(size_t count, size_t size) {
    if (size != 0 && count > SIZE_MAX / size) out_of_memory();
    unsigned char *p = take(count * size);
    memset(p, 0, count * size);
    return p;
}

void *kepu_arena_realloc(void *pointer, size_t size) {
    if (!pointer) return take(size);
    unsigned char *p = pointer;
    size_t old = *(size_t *)(p - HEADER);
    /* The newest allocation (a buffer being appended to) grows in place when its block has room. */
    if (current && p + round_up(old) == current->data + current->used) {
        size_t start = (size_t)(p - current->data);
        if (round_up(size) <= current->size - start) {
            current->used = start + round_up(size);
            *(size_t *)(p - HEADER) = size;
            return p;
        }
    }
    unsigned char *q = take(size);
    memcpy(q, p, old < size ? old : size);
    return q;
}

void kepu_arena_free(void *pointer) { (void)pointer; }

int kepu_arena_owns(const void *pointer) {
    const unsigned char *p = pointer;
    for (block *b = current; b; b = (b == current ? used : b->next)) {
        if (p >= b->data && p < b->data + b->used) return 1;
    }
    return 0;
}

void kepu_arena_reset(void) {
    if (current) {
        current->next = used;
        used = current;
        current = NULL;
    }
    size_t kept = 0;
    for (block *b = spare; b; b = b->next) kept += b->size;
    while (used) {
        block *b = used;
        used = b->next;
        if (kept + b->size <= KEPT_BYTES) {
            kept += b->size;
            b->next = spare;
            spare = b;
        } else {
            free(b);
        }
    }
}
