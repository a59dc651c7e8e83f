#ifndef KEPU_ARENA_H
#define KEPU_ARENA_H

/* A bump allocator, one per thread, for cmark (see KepuMarkdown/Markdown.swift). cmark allocates every
 * node, buffer and string of a body separately and frees them one by one; with these three functions as
 * its cmark_mem, a body's allocations come from a few reused blocks and are dropped together by
 * kepu_arena_reset. malloc and free had been a fifth of the loader's time.
 *
 * The signatures are cmark_mem's, so this target needs no cmark header. Like cmark's own allocator, an
 * allocation that cannot be made aborts. */

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Zeroed memory for `count` items of `size` bytes each, aligned for any type. */
void *kepu_arena_calloc(size_t count, size_t size);

/* Grows or shrinks an allocation of this thread's arena (NULL: a new one); the old one stays valid until
 * the reset, as nothing is freed before it. */
void *kepu_arena_realloc(void *pointer, size_t size);

/* Nothing: everything goes at kepu_arena_reset. */
void kepu_arena_free(void *pointer);

/* Whether `pointer` came from this thread's arena since its last reset: cmark versions differ in whether
 * their HTML renderer allocates with the document's allocator or with malloc. */
int kepu_arena_owns(const void *pointer);

/* Makes every allocation of this thread's arena since the last reset invalid, keeping up to 1 MiB of blocks
 * for the next body. */
void kepu_arena_reset(void);

#ifdef __cplusplus
}
#endif

#endif
