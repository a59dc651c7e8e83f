#ifndef KEPU_NATIVE_H
#define KEPU_NATIVE_H

/* Plain C entry points over libvips (photos) and librsvg with cairo (LED slides), for Swift, which
 * cannot call libvips' variadic operations or its VIPS_INIT macro. Only KepuPhotos/Vips.swift and
 * KepuLED/Rasterizer.swift call these.
 *
 * The libraries are opened with dlopen on first use, not linked: libvips and librsvg bring about 100
 * shared libraries, and mapping them at every start was most of the time `kepu check` or a small
 * site's build took (35 of 55 ms). A missing library is reported by the call that needed it.
 *
 * Every function returns 0 on success and -1 on failure, with a message copied into `error` (at
 * most `error_size` bytes, NUL-terminated) and libvips' error buffer cleared. */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Starts libvips once per process; `concurrency` threads per pipeline (0 = libvips default).
 * Turns the operation cache off: every photo is processed once, so caching only costs memory. */
int kepu_vips_init(const char *argv0, int concurrency, char *error, size_t error_size);

/* Decodes an encoded image held in memory (JPEG, PNG, WebP, TIFF, HEIF, ...) once, shrinking on
 * load, and writes two copies: one within large_size x large_size to `large_path` and one within
 * small_size x small_size (made from the first) to `small_path`. Both are upright (EXIF orientation
 * applied), sRGB, alpha flattened onto white, never enlarged, progressive JPEG of `quality` with all
 * metadata stripped. sizes receives large width, large height, small width, small height. */
int kepu_vips_thumbnails(const void *bytes, size_t length,
                         const char *large_path, int large_size, const char *small_path, int small_size,
                         int quality, int sizes[4], char *error, size_t error_size);

/* Writes `width` x `height` 8-bit RGB pixels (row-major, 3 bytes a pixel) as a baseline JPEG,
 * keeping no metadata. For tests and tools that need an image to work on. */
int kepu_vips_write_rgb_jpeg(const unsigned char *pixels, int width, int height, int quality,
                             const char *out_path, char *error, size_t error_size);

/* The mean of all bands over a rectangle of the image file at `path`, into *mean. For tests that
 * look at what a visitor would see. */
int kepu_vips_region_mean(const char *path, int left, int top, int width, int height, double *mean,
                          char *error, size_t error_size);

/* The libvips version in use, e.g. "8.14.1"; "" when libvips cannot be opened. */
const char *kepu_vips_version(void);

/* Draws an SVG document (UTF-8, `length` bytes; photos as data: URIs of any size) onto an opaque
 * `width` x `height` RGB surface and encodes it as PNG into *png (malloc'd, *png_length bytes; the
 * caller frees it with free()). */
int kepu_svg_png(const char *svg, size_t length, int width, int height, unsigned char **png, size_t *png_length,
                 char *error, size_t error_size);
/* The same, with every pixel then set to the nearest of `palette` (0xRRGGBB, `count` colours): a one- or
 * two-colour LED panel lights only those, and an antialiased edge in between would smear. */
int kepu_svg_png_palette(const char *svg, size_t length, int width, int height, const uint32_t *palette, int count,
                         unsigned char **png, size_t *png_length, char *error, size_t error_size);

/* Decodes a PNG into 0xRRGGBB pixels, row by row, into *pixels (malloc'd, width x height; the caller
 * frees it with free()). For checks of what a slide shows. */
int kepu_png_pixels(const unsigned char *png, size_t length, int *width, int *height, uint32_t **pixels,
                    char *error, size_t error_size);

/* The librsvg version in use, e.g. "2.54.7"; "" when librsvg cannot be opened. */
const char *kepu_rsvg_version(void);

/* The installed library file, as "real path:size:modification time", without loading it: part of
 * the photo and slide cache keys (a new library may encode or draw other bytes), so that a cached
 * build never has to open the library. */
const char *kepu_vips_identity(void);
const char *kepu_rsvg_identity(void);

/* The value this file assumes for a constant of the libraries' headers (by its C name; -1 if
 * unknown): tests compare them with the headers. */
long kepu_native_constant(const char *name);

#ifdef __cplusplus
}
#endif

#endif
