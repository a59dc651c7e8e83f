#include "cvips_shim.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <vips/vips.h>

/* Copies the last line of libvips' error buffer (or `fallback`) into the caller's buffer, and clears
 * the buffer. The buffer is one for the whole process and also collects warnings, so the last line is
 * the error just raised; the lines before it may be old warnings, or another thread's. */
static int fail(const char *fallback, char *error, size_t error_size) {
    char *message = vips_error_buffer_copy(); /* copies and clears */
    if (error != NULL && error_size > 0) {
        const char *text = fallback;
        if (message != NULL) {
            g_strchomp(message);
            char *last = strrchr(message, '\n');
            text = last != NULL ? last + 1 : message;
            if (text[0] == '\0') {
                text = fallback;
            }
        }
        snprintf(error, error_size, "%s", text);
    }
    g_free(message);
    return -1;
}

/* libvips reports a photo's problems as errors; its warnings ("error in tile 0 x 824", "read gave 2
 * warnings") would only clutter the build's output. */
static void ignore_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data) {
    (void)domain; (void)level; (void)message; (void)data;
}

static int write_file(const char *path, const void *bytes, size_t length, char *error, size_t error_size) {
    FILE *file = fopen(path, "wb");
    if (file == NULL) {
        char message[512];
        snprintf(message, sizeof message, "cannot create %s: %s", path, strerror(errno));
        return fail(message, error, error_size);
    }
    size_t written = fwrite(bytes, 1, length, file);
    int closed = fclose(file);
    if (written != length || closed != 0) {
        char message[512];
        snprintf(message, sizeof message, "cannot write %s: %s", path, strerror(errno));
        remove(path);
        return fail(message, error, error_size);
    }
    return 0;
}

int kepu_vips_init(const char *argv0, int concurrency, char *error, size_t error_size) {
    if (VIPS_INIT(argv0 != NULL ? argv0 : "kepu") != 0) {
        return fail("libvips could not start", error, error_size);
    }
    g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO, ignore_log, NULL);
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_cache_set_max_files(0);
    if (concurrency > 0) {
        vips_concurrency_set(concurrency);
    }
    return 0;
}

/* Saves `image` to `out_path` as a progressive, optimised, metadata-free JPEG. */
static int save_jpeg(VipsImage *image, const char *out_path, int quality, char *error, size_t error_size) {
    void *jpeg = NULL;
    size_t jpeg_length = 0;
    if (vips_jpegsave_buffer(image, &jpeg, &jpeg_length,
                             "Q", quality,
                             "interlace", TRUE,
                             "optimize_coding", TRUE,
                             "strip", TRUE,
                             NULL) != 0) {
        return fail("the image could not be encoded as JPEG", error, error_size);
    }
    int status = write_file(out_path, jpeg, jpeg_length, error, error_size);
    g_free(jpeg);
    return status;
}

int kepu_vips_thumbnails(const void *bytes, size_t length,
                         const char *large_path, int large_size, const char *small_path, int small_size,
                         int quality, int sizes[4], char *error, size_t error_size) {
    VipsImage *image = NULL;
    /* fail_on=truncated: a cut-off upload is an error, not a photo with a grey bottom half. Given to
     * the loader as an option string: libvips 8.14 does not pass thumbnail's own "fail_on" on to a
     * buffer loader. */
    if (vips_thumbnail_buffer((void *)bytes, length, &image, large_size,
                              "height", large_size,
                              "size", VIPS_SIZE_DOWN,
                              "option_string", "fail_on=truncated",
                              NULL) != 0) {
        return fail("the image could not be decoded", error, error_size);
    }
    if (vips_image_hasalpha(image)) {
        double white = vips_image_get_format(image) == VIPS_FORMAT_USHORT ? 65535.0 : 255.0;
        VipsArrayDouble *background = vips_array_double_newv(1, white);
        VipsImage *flat = NULL;
        int status = vips_flatten(image, &flat, "background", background, NULL);
        vips_area_unref(VIPS_AREA(background));
        g_object_unref(image);
        if (status != 0) {
            return fail("the image could not be flattened", error, error_size);
        }
        image = flat;
    }
    /* Decode once (lazy until now; a truncation is reported here), keep the large copy in memory
     * (1280 x 960 x 3 = 3.7 MB) and make the small one from it: a second decode of the original, even
     * shrunk on load, would cost as much again. */
    VipsImage *large = vips_image_copy_memory(image);
    g_object_unref(image);
    if (large == NULL) {
        return fail("the image could not be decoded", error, error_size);
    }
    if (save_jpeg(large, large_path, quality, error, error_size) != 0) {
        g_object_unref(large);
        return -1;
    }
    VipsImage *small = NULL;
    int status = vips_thumbnail_image(large, &small, small_size,
                                      "height", small_size,
                                      "size", VIPS_SIZE_DOWN,
                                      "no_rotate", TRUE,
                                      NULL);
    sizes[0] = vips_image_get_width(large);
    sizes[1] = vips_image_get_height(large);
    g_object_unref(large);
    if (status != 0) {
        return fail("the thumbnail could not be made", error, error_size);
    }
    status = save_jpeg(small, small_path, quality, error, error_size);
    sizes[2] = vips_image_get_width(small);
    sizes[3] = vips_image_get_height(small);
    g_object_unref(small);
    return status;
}

int kepu_vips_write_rgb_jpeg(const unsigned char *pixels, int width, int height, int quality,
                             const char *out_path, char *error, size_t error_size) {
    VipsImage *image = vips_image_new_from_memory(pixels, (size_t)width * (size_t)height * 3,
                                                  width, height, 3, VIPS_FORMAT_UCHAR);
    if (image == NULL) {
        return fail("the pixels could not be wrapped", error, error_size);
    }
    void *jpeg = NULL;
    size_t jpeg_length = 0;
    int status = vips_jpegsave_buffer(image, &jpeg, &jpeg_length, "Q", quality, "strip", TRUE, NULL);
    g_object_unref(image);
    if (status != 0) {
        return fail("the pixels could not be encoded as JPEG", error, error_size);
    }
    status = write_file(out_path, jpeg, jpeg_length, error, error_size);
    g_free(jpeg);
    return status;
}

int kepu_vips_region_mean(const char *path, int left, int top, int width, int height, double *mean,
                          char *error, size_t error_size) {
    VipsImage *image = vips_image_new_from_file(path, NULL);
    if (image == NULL) {
        return fail("the image could not be opened", error, error_size);
    }
    VipsImage *area = NULL;
    int status = vips_extract_area(image, &area, left, top, width, height, NULL);
    g_object_unref(image);
    if (status != 0) {
        return fail("the area is outside the image", error, error_size);
    }
    status = vips_avg(area, mean, NULL);
    g_object_unref(area);
    return status == 0 ? 0 : fail("the image could not be read", error, error_size);
}

/* XXH64 (Yann Collet's xxHash, 64-bit variant), written out here: about 10 GB/s, so a cached build
 * costs little more than reading the photos. */
#define XXH_P1 0x9E3779B185EBCA87ULL
#define XXH_P2 0xC2B2AE3D27D4EB4FULL
#define XXH_P3 0x165667B19E3779F9ULL
#define XXH_P4 0x85EBCA77C2B2AE63ULL
#define XXH_P5 0x27D4EB2F165667C5ULL

static inline uint64_t xxh_rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
static inline uint64_t xxh_read64(const unsigned char *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return GUINT64_FROM_LE(v);
}
static inline uint32_t xxh_read32(const unsigned char *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return GUINT32_FROM_LE(v);
}
static inline uint64_t xxh_round(uint64_t acc, uint64_t input) {
    acc += input * XXH_P2;
    acc = xxh_rotl(acc, 31);
    return acc * XXH_P1;
}
static inline uint64_t xxh_merge(uint64_t acc, uint64_t value) {
    acc ^= xxh_round(0, value);
    return acc * XXH_P1 + XXH_P4;
}

uint64_t kepu_xxh64(const void *bytes, size_t length, uint64_t seed) {
    const unsigned char *p = bytes;
    const unsigned char *end = p + length;
    uint64_t h;
    if (length >= 32) {
        const unsigned char *limit = end - 32;
        uint64_t v1 = seed + XXH_P1 + XXH_P2, v2 = seed + XXH_P2, v3 = seed, v4 = seed - XXH_P1;
        do {
            v1 = xxh_round(v1, xxh_read64(p));
            v2 = xxh_round(v2, xxh_read64(p + 8));
            v3 = xxh_round(v3, xxh_read64(p + 16));
            v4 = xxh_round(v4, xxh_read64(p + 24));
            p += 32;
        } while (p <= limit);
        h = xxh_rotl(v1, 1) + xxh_rotl(v2, 7) + xxh_rotl(v3, 12) + xxh_rotl(v4, 18);
        h = xxh_merge(h, v1);
        h = xxh_merge(h, v2);
        h = xxh_merge(h, v3);
        h = xxh_merge(h, v4);
    } else {
        h = seed + XXH_P5;
    }
    h += (uint64_t)length;
    while (p + 8 <= end) {
        h ^= xxh_round(0, xxh_read64(p));
        h = xxh_rotl(h, 27) * XXH_P1 + XXH_P4;
        p += 8;
    }
    if (p + 4 <= end) {
        h ^= (uint64_t)xxh_read32(p) * XXH_P1;
        h = xxh_rotl(h, 23) * XXH_P2 + XXH_P3;
        p += 4;
    }
    while (p < end) {
        h ^= (*p) * XXH_P5;
        h = xxh_rotl(h, 11) * XXH_P1;
        p++;
    }
    h ^= h >> 33;
    h *= XXH_P2;
    h ^= h >> 29;
    h *= XXH_P3;
    h ^= h >> 32;
    return h;
}

const char *kepu_vips_version(void) {
    return vips_version_string();
}
