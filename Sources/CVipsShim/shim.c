#include "cvips_shim.h"

#include <errno.h>
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

int kepu_vips_thumbnail(const void *bytes, size_t length, const char *out_path, int max_size, int quality,
                        int *out_width, int *out_height, char *error, size_t error_size) {
    VipsImage *image = NULL;
    /* fail_on=truncated: a cut-off upload is an error, not a photo with a grey bottom half. Given to
     * the loader as an option string: libvips 8.14 does not pass thumbnail's own "fail_on" on to a
     * buffer loader. Decoding is lazy, so a truncation is reported by the save below. */
    if (vips_thumbnail_buffer((void *)bytes, length, &image, max_size,
                              "height", max_size,
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
    void *jpeg = NULL;
    size_t jpeg_length = 0;
    int status = vips_jpegsave_buffer(image, &jpeg, &jpeg_length,
                                      "Q", quality,
                                      "interlace", TRUE,
                                      "optimize_coding", TRUE,
                                      "strip", TRUE,
                                      NULL);
    int width = vips_image_get_width(image);
    int height = vips_image_get_height(image);
    g_object_unref(image);
    if (status != 0) {
        return fail("the image could not be encoded as JPEG", error, error_size);
    }
    status = write_file(out_path, jpeg, jpeg_length, error, error_size);
    g_free(jpeg);
    if (status != 0) {
        return -1;
    }
    *out_width = width;
    *out_height = height;
    return 0;
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

int kepu_sha256_hex(const void *bytes, size_t length, char *hex) {
    gchar *digest = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)bytes, length);
    if (digest == NULL) {
        return -1;
    }
    memcpy(hex, digest, 64);
    hex[64] = '\0';
    g_free(digest);
    return 0;
}

const char *kepu_vips_version(void) {
    return vips_version_string();
}
