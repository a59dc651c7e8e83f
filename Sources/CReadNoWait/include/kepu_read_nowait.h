#ifndef KEPU_READ_NOWAIT_H
#define KEPU_READ_NOWAIT_H

#include <stddef.h>
#include <sys/types.h>

/* read(2) that never waits for the disk: preadv2 with RWF_NOWAIT at `offset`. Returns the bytes read, or -1 with
 * errno EAGAIN when the bytes are not in memory (the caller then reads as usual), or -1 with another errno when
 * the system cannot say (an old kernel, another system, a file system without it). Swift cannot see preadv2
 * (it needs _GNU_SOURCE), hence this file. */
ssize_t kepu_read_nowait(int fd, void *buffer, size_t count, off_t offset);

#endif
