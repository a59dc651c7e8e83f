#define _GNU_SOURCE
#include <errno.h>
#include <sys/uio.h>
#include "kepu_read_nowait.h"

ssize_t kepu_read_nowait(int fd, void *buffer, size_t count, off_t offset) {
#if defined(__linux__) && defined(RWF_NOWAIT)
    struct iovec v = { buffer, count };
    ssize_t n;
    do { n = preadv2(fd, &v, 1, offset, RWF_NOWAIT); } while (n < 0 && errno == EINTR);
    return n;
#else
    (void)fd; (void)buffer; (void)count; (void)offset;
    errno = ENOSYS;
    return -1;
#endif
}
