#ifndef KEPU_CVIPS_SHIM_H
#define KEPU_CVIPS_SHIM_H

/* Plain C entry points over libvips for Swift, which cannot call libvips' variadic
 * operations or the VIPS_INIT macro. Only KepuPhotos/Vips.swift calls these.
 * Every function returns 0 on success and -1 on failure, with a message copied into
 * `error` (at most `error_size` bytes, NUL-terminated) and libvips' error buffer cleared. */

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Starts libvips once per process; `concurrency` threads per pipeline (0 = libvips default).
 * Turns the operation cache off: every photo is processed once, so caching only costs memory. */
int kepu_vips_init(const char *argv0, int concurrency, char *error, size_t error_size);

/* Decodes an encoded image held in memory (JPEG, PNG, WebP, TIFF, HEIF, ...), shrinking on load,
 * to fit within max_size x max_size (never upscaled), upright (EXIF orientation applied), in sRGB,
 * alpha flattened onto white, and writes it to `out_path` as a progressive JPEG of `quality` with
 * all metadata stripped. The size written goes to *out_width and *out_height. */
int kepu_vips_thumbnail(const void *bytes, size_t length, const char *out_path, int max_size, int quality,
                        int *out_width, int *out_height, char *error, size_t error_size);

/* Writes `width` x `height` 8-bit RGB pixels (row-major, 3 bytes a pixel) as a baseline JPEG,
 * keeping no metadata. For tests and tools that need an image to work on. */
int kepu_vips_write_rgb_jpeg(const unsigned char *pixels, int width, int height, int quality,
                             const char *out_path, char *error, size_t error_size);

/* SHA-256 of `length` bytes as 64 lowercase hex digits and a NUL into `hex` (65 bytes), through
 * GLib, which libvips already links. Returns 0, or -1 if GLib could not hash. */
int kepu_sha256_hex(const void *bytes, size_t length, char *hex);

/* The libvips version in use, e.g. "8.14.1". */
const char *kepu_vips_version(void);

#ifdef __cplusplus
}
#endif

#endif
