#ifndef KEPU_MALLOC_CONF_H
#define KEPU_MALLOC_CONF_H

/* jemalloc's options for kepu and kepu-bench, read once when the allocator starts (see malloc_conf.c).
 * Nothing calls it: jemalloc finds the definition by name. MALLOC_CONF in the environment still overrides. */
extern const char *malloc_conf;

#endif
