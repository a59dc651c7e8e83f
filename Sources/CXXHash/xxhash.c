/* xxHash 0.8.1, unchanged from the official source (github.com/Cyan4973/xxHash, as Debian's
 * libxxhash-dev 0.8.1-1 ships it; BSD 2-Clause, see LICENSE): include/xxhash.h holds the whole
 * implementation, which this file compiles once, as the official xxhash.c does. */
#define XXH_STATIC_LINKING_ONLY
#define XXH_IMPLEMENTATION
#include "xxhash.h"
