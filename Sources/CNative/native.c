#include "kepu_native.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The libraries' types, opaque here: only pointers to them pass through this file. */
typedef struct _VipsImage VipsImage;
typedef struct _VipsArea VipsArea;
typedef struct _GInputStream GInputStream;
typedef struct _RsvgHandle RsvgHandle;
typedef struct _cairo_surface cairo_surface_t;
typedef struct _cairo cairo_t;
typedef struct {
    uint32_t domain;
    int code;
    char *message;
} GError;
typedef struct {
    double x, y, width, height;
} RsvgRectangle;
typedef int cairo_status_t;
typedef cairo_status_t (*cairo_write_func_t)(void *closure, const unsigned char *data, unsigned int length);
typedef cairo_status_t (*cairo_read_func_t)(void *closure, unsigned char *data, unsigned int length);
typedef void (*GLogFunc)(const char *domain, int level, const char *message, void *data);

/* Constants of the headers this file relies on (checked against the real headers by
 * KepuPhotosTests and KepuLEDTests). */
#define K_TRUE 1
#define K_VIPS_SIZE_DOWN 2
#define K_VIPS_FORMAT_UCHAR 0
#define K_VIPS_FORMAT_USHORT 2
#define K_G_LOG_LEVEL_WARNING (1 << 4)
#define K_G_LOG_LEVEL_MESSAGE (1 << 5)
#define K_G_LOG_LEVEL_INFO (1 << 6)
#define K_RSVG_HANDLE_FLAG_UNLIMITED 1
#define K_CAIRO_FORMAT_RGB24 1
#define K_CAIRO_STATUS_SUCCESS 0
#define K_CAIRO_STATUS_READ_ERROR 10
#define K_CAIRO_STATUS_WRITE_ERROR 11

long kepu_native_constant(const char *name) {
    static const struct { const char *name; long value; } table[] = {
        {"VIPS_SIZE_DOWN", K_VIPS_SIZE_DOWN},
        {"VIPS_FORMAT_UCHAR", K_VIPS_FORMAT_UCHAR},
        {"VIPS_FORMAT_USHORT", K_VIPS_FORMAT_USHORT},
        {"G_LOG_LEVEL_WARNING", K_G_LOG_LEVEL_WARNING},
        {"G_LOG_LEVEL_MESSAGE", K_G_LOG_LEVEL_MESSAGE},
        {"G_LOG_LEVEL_INFO", K_G_LOG_LEVEL_INFO},
        {"RSVG_HANDLE_FLAG_UNLIMITED", K_RSVG_HANDLE_FLAG_UNLIMITED},
        {"CAIRO_FORMAT_RGB24", K_CAIRO_FORMAT_RGB24},
        {"CAIRO_STATUS_SUCCESS", K_CAIRO_STATUS_SUCCESS},
        {"CAIRO_STATUS_READ_ERROR", K_CAIRO_STATUS_READ_ERROR},
        {"CAIRO_STATUS_WRITE_ERROR", K_CAIRO_STATUS_WRITE_ERROR},
        {"sizeof(GError)", (long)sizeof(GError)},
        {"offsetof(GError, message)", (long)offsetof(GError, message)},
        {"sizeof(RsvgRectangle)", (long)sizeof(RsvgRectangle)},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (strcmp(table[i].name, name) == 0) return table[i].value;
    }
    return -1;
}

/* ---- Opening the libraries ---- */

/* The functions this file calls, by library. Filled once by dlsym (glib's below, with its loader). */
static struct {
    int (*vips_init)(const char *);
    char *(*vips_error_buffer_copy)(void);
    void (*vips_cache_set_max)(int);
    void (*vips_cache_set_max_mem)(size_t);
    void (*vips_cache_set_max_files)(int);
    void (*vips_concurrency_set)(int);
    int (*vips_jpegsave_buffer)(VipsImage *, void **, size_t *, ...);
    int (*vips_thumbnail_buffer)(void *, size_t, VipsImage **, int, ...);
    int (*vips_thumbnail_image)(VipsImage *, VipsImage **, int, ...);
    int (*vips_image_hasalpha)(VipsImage *);
    int (*vips_image_get_format)(const VipsImage *);
    int (*vips_image_get_width)(const VipsImage *);
    int (*vips_image_get_height)(const VipsImage *);
    void *(*vips_array_double_newv)(int, ...);
    int (*vips_flatten)(VipsImage *, VipsImage **, ...);
    void (*vips_area_unref)(VipsArea *);
    VipsImage *(*vips_image_copy_memory)(VipsImage *);
    VipsImage *(*vips_image_new_from_memory)(const void *, size_t, int, int, int, int);
    VipsImage *(*vips_image_new_from_file)(const char *, ...);
    int (*vips_extract_area)(VipsImage *, VipsImage **, int, int, int, int, ...);
    int (*vips_avg)(VipsImage *, double *, ...);
    const char *(*vips_version_string)(void);
} vips;

static struct {
    RsvgHandle *(*rsvg_handle_new_from_stream_sync)(GInputStream *, void *, int, void *, GError **);
    int (*rsvg_handle_render_document)(RsvgHandle *, cairo_t *, const RsvgRectangle *, GError **);
    const unsigned *rsvg_major_version, *rsvg_minor_version, *rsvg_micro_version;
    cairo_surface_t *(*cairo_image_surface_create)(int, int, int);
    cairo_surface_t *(*cairo_image_surface_create_from_png_stream)(cairo_read_func_t, void *);
    cairo_status_t (*cairo_surface_status)(cairo_surface_t *);
    void (*cairo_surface_destroy)(cairo_surface_t *);
    void (*cairo_surface_flush)(cairo_surface_t *);
    void (*cairo_surface_mark_dirty)(cairo_surface_t *);
    cairo_status_t (*cairo_surface_write_to_png_stream)(cairo_surface_t *, cairo_write_func_t, void *);
    unsigned char *(*cairo_image_surface_get_data)(cairo_surface_t *);
    int (*cairo_image_surface_get_width)(cairo_surface_t *);
    int (*cairo_image_surface_get_height)(cairo_surface_t *);
    int (*cairo_image_surface_get_stride)(cairo_surface_t *);
    cairo_t *(*cairo_create)(cairo_surface_t *);
    void (*cairo_destroy)(cairo_t *);
    const char *(*cairo_status_to_string)(cairo_status_t);
} svg;

/* Debian's names of the runtime libraries (the packages scripts/setup installs). */
static const char *glib_names[] = {"libglib-2.0.so.0", "libgobject-2.0.so.0", "libgio-2.0.so.0", NULL};
static const char *vips_names[] = {"libvips.so.42", NULL};
static const char *svg_names[] = {"librsvg-2.so.2", "libcairo.so.2", NULL};

static char glib_problem[512], vips_problem[512], svg_problem[512];
static void *glib_handles[3], *vips_handles[1], *svg_handles[2];

/* Opens each library (RTLD_LOCAL: their symbols stay out of the process's namespace). */
static int open_all(const char **names, void **handles, char *problem, size_t size) {
    for (int i = 0; names[i] != NULL; i++) {
        handles[i] = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (handles[i] == NULL) {
            const char *why = dlerror();
            snprintf(problem, size, "%s cannot be loaded (%s); run scripts/setup to install it", names[i],
                     why != NULL ? why : "not found");
            return -1;
        }
    }
    return 0;
}

/* Looks a symbol up in the given libraries; records the first one missing. */
static void *find(void **handles, int count, const char *symbol, char *problem, size_t size) {
    for (int i = 0; i < count; i++) {
        void *p = handles[i] != NULL ? dlsym(handles[i], symbol) : NULL;
        if (p != NULL) return p;
    }
    if (problem[0] == '\0') snprintf(problem, size, "%s is missing from the installed libraries", symbol);
    return NULL;
}

#define FIND(table, handles, n, name, problem) \
    (*(void **)&table.name = find(handles, n, #name, problem, sizeof problem))

static pthread_once_t glib_once = PTHREAD_ONCE_INIT, vips_once = PTHREAD_ONCE_INIT, svg_once = PTHREAD_ONCE_INIT;

static struct {
    void (*g_free)(void *);
    char *(*g_strchomp)(char *);
    unsigned (*g_log_set_handler)(const char *, int, GLogFunc, void *);
    void (*g_object_unref)(void *);
    void (*g_error_free)(GError *);
    GInputStream *(*g_memory_input_stream_new_from_data)(const void *, long, void (*)(void *));
} glib;

static void load_glib(void) {
    if (open_all(glib_names, glib_handles, glib_problem, sizeof glib_problem) != 0) return;
    FIND(glib, glib_handles, 3, g_free, glib_problem);
    FIND(glib, glib_handles, 3, g_strchomp, glib_problem);
    FIND(glib, glib_handles, 3, g_log_set_handler, glib_problem);
    FIND(glib, glib_handles, 3, g_object_unref, glib_problem);
    FIND(glib, glib_handles, 3, g_error_free, glib_problem);
    FIND(glib, glib_handles, 3, g_memory_input_stream_new_from_data, glib_problem);
}

static void load_vips(void) {
    pthread_once(&glib_once, load_glib);
    if (glib_problem[0] != '\0') { snprintf(vips_problem, sizeof vips_problem, "%s", glib_problem); return; }
    if (open_all(vips_names, vips_handles, vips_problem, sizeof vips_problem) != 0) return;
    FIND(vips, vips_handles, 1, vips_init, vips_problem);
    FIND(vips, vips_handles, 1, vips_error_buffer_copy, vips_problem);
    FIND(vips, vips_handles, 1, vips_cache_set_max, vips_problem);
    FIND(vips, vips_handles, 1, vips_cache_set_max_mem, vips_problem);
    FIND(vips, vips_handles, 1, vips_cache_set_max_files, vips_problem);
    FIND(vips, vips_handles, 1, vips_concurrency_set, vips_problem);
    FIND(vips, vips_handles, 1, vips_jpegsave_buffer, vips_problem);
    FIND(vips, vips_handles, 1, vips_thumbnail_buffer, vips_problem);
    FIND(vips, vips_handles, 1, vips_thumbnail_image, vips_problem);
    FIND(vips, vips_handles, 1, vips_image_hasalpha, vips_problem);
    FIND(vips, vips_handles, 1, vips_image_get_format, vips_problem);
    FIND(vips, vips_handles, 1, vips_image_get_width, vips_problem);
    FIND(vips, vips_handles, 1, vips_image_get_height, vips_problem);
    FIND(vips, vips_handles, 1, vips_array_double_newv, vips_problem);
    FIND(vips, vips_handles, 1, vips_flatten, vips_problem);
    FIND(vips, vips_handles, 1, vips_area_unref, vips_problem);
    FIND(vips, vips_handles, 1, vips_image_copy_memory, vips_problem);
    FIND(vips, vips_handles, 1, vips_image_new_from_memory, vips_problem);
    FIND(vips, vips_handles, 1, vips_image_new_from_file, vips_problem);
    FIND(vips, vips_handles, 1, vips_extract_area, vips_problem);
    FIND(vips, vips_handles, 1, vips_avg, vips_problem);
    FIND(vips, vips_handles, 1, vips_version_string, vips_problem);
}

static void load_svg(void) {
    pthread_once(&glib_once, load_glib);
    if (glib_problem[0] != '\0') { snprintf(svg_problem, sizeof svg_problem, "%s", glib_problem); return; }
    if (open_all(svg_names, svg_handles, svg_problem, sizeof svg_problem) != 0) return;
    FIND(svg, svg_handles, 2, rsvg_handle_new_from_stream_sync, svg_problem);
    FIND(svg, svg_handles, 2, rsvg_handle_render_document, svg_problem);
    FIND(svg, svg_handles, 2, rsvg_major_version, svg_problem);
    FIND(svg, svg_handles, 2, rsvg_minor_version, svg_problem);
    FIND(svg, svg_handles, 2, rsvg_micro_version, svg_problem);
    FIND(svg, svg_handles, 2, cairo_image_surface_create, svg_problem);
    FIND(svg, svg_handles, 2, cairo_image_surface_create_from_png_stream, svg_problem);
    FIND(svg, svg_handles, 2, cairo_surface_status, svg_problem);
    FIND(svg, svg_handles, 2, cairo_surface_destroy, svg_problem);
    FIND(svg, svg_handles, 2, cairo_surface_flush, svg_problem);
    FIND(svg, svg_handles, 2, cairo_surface_mark_dirty, svg_problem);
    FIND(svg, svg_handles, 2, cairo_surface_write_to_png_stream, svg_problem);
    FIND(svg, svg_handles, 2, cairo_image_surface_get_data, svg_problem);
    FIND(svg, svg_handles, 2, cairo_image_surface_get_width, svg_problem);
    FIND(svg, svg_handles, 2, cairo_image_surface_get_height, svg_problem);
    FIND(svg, svg_handles, 2, cairo_image_surface_get_stride, svg_problem);
    FIND(svg, svg_handles, 2, cairo_create, svg_problem);
    FIND(svg, svg_handles, 2, cairo_destroy, svg_problem);
    FIND(svg, svg_handles, 2, cairo_status_to_string, svg_problem);
}

static int report(const char *problem, char *error, size_t error_size) {
    if (error != NULL && error_size > 0) snprintf(error, error_size, "%s", problem);
    return -1;
}

/* Ready to call libvips, or -1 with the reason. */
static int vips_ready(char *error, size_t error_size) {
    pthread_once(&vips_once, load_vips);
    return vips_problem[0] != '\0' ? report(vips_problem, error, error_size) : 0;
}

static int svg_ready(char *error, size_t error_size) {
    pthread_once(&svg_once, load_svg);
    return svg_problem[0] != '\0' ? report(svg_problem, error, error_size) : 0;
}

static inline uint64_t from_le64(uint64_t v) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return __builtin_bswap64(v);
#else
    return v;
#endif
}

static inline uint32_t from_le32(uint32_t v) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return __builtin_bswap32(v);
#else
    return v;
#endif
}

/* Where Debian and others keep shared libraries; the dynamic loader's own search is not exposed. */
static const char *library_dirs[] = {
#if defined(__x86_64__)
    "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
#elif defined(__aarch64__)
    "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
#endif
    "/usr/lib64", "/lib64", "/usr/local/lib", "/usr/lib", "/lib", NULL};

static int stamp_in(const char *dir, size_t dir_length, const char *soname, char *out, size_t size) {
    char path[1024], real[4096];
    struct stat st;
    snprintf(path, sizeof path, "%.*s/%s", (int)dir_length, dir, soname);
    if (realpath(path, real) == NULL || stat(real, &st) != 0) return -1;
    snprintf(out, size, "%s:%lld:%lld", real, (long long)st.st_size, (long long)st.st_mtime);
    return 0;
}

/* Searched as dlopen searches: LD_LIBRARY_PATH first, then the system folders. */
static int library_stamp(const char *soname, char *out, size_t size) {
    const char *extra = getenv("LD_LIBRARY_PATH");
    while (extra != NULL && *extra != '\0') {
        const char *colon = strchr(extra, ':');
        size_t length = colon != NULL ? (size_t)(colon - extra) : strlen(extra);
        if (length > 0 && stamp_in(extra, length, soname, out, size) == 0) return 0;
        extra = colon != NULL ? colon + 1 : NULL;
    }
    for (int i = 0; library_dirs[i] != NULL; i++) {
        if (stamp_in(library_dirs[i], strlen(library_dirs[i]), soname, out, size) == 0) return 0;
    }
    return -1;
}

static char vips_identity[4200], rsvg_identity[4200];
static pthread_once_t vips_identity_once = PTHREAD_ONCE_INIT, rsvg_identity_once = PTHREAD_ONCE_INIT;

/* Without a file to name (an unusual installation), the version from the loaded library. */
static void fill_vips_identity(void) {
    if (library_stamp(vips_names[0], vips_identity, sizeof vips_identity) != 0) {
        snprintf(vips_identity, sizeof vips_identity, "libvips %s", kepu_vips_version());
    }
}

static void fill_rsvg_identity(void) {
    if (library_stamp(svg_names[0], rsvg_identity, sizeof rsvg_identity) != 0) {
        snprintf(rsvg_identity, sizeof rsvg_identity, "librsvg %s", kepu_rsvg_version());
    }
}

const char *kepu_vips_identity(void) {
    pthread_once(&vips_identity_once, fill_vips_identity);
    return vips_identity;
}

const char *kepu_rsvg_identity(void) {
    pthread_once(&rsvg_identity_once, fill_rsvg_identity);
    return rsvg_identity;
}

/* ---- Photos (libvips) ---- */

/* Copies the last line of libvips' error buffer (or `fallback`) into the caller's buffer, and clears
 * the buffer. The buffer is one for the whole process and also collects warnings, so the last line is
 * the error just raised; the lines before it may be old warnings, or another thread's. */
static int fail(const char *fallback, char *error, size_t error_size) {
    char *message = vips.vips_error_buffer_copy(); /* copies and clears */
    if (error != NULL && error_size > 0) {
        const char *text = fallback;
        if (message != NULL) {
            glib.g_strchomp(message);
            char *last = strrchr(message, '\n');
            text = last != NULL ? last + 1 : message;
            if (text[0] == '\0') {
                text = fallback;
            }
        }
        snprintf(error, error_size, "%s", text);
    }
    glib.g_free(message);
    return -1;
}

/* libvips reports a photo's problems as errors; its warnings ("error in tile 0 x 824", "read gave 2
 * warnings") would only clutter the build's output. */
static void ignore_log(const char *domain, int level, const char *message, void *data) {
    (void)domain; (void)level; (void)message; (void)data;
}

/* A file that cannot be written is reported as such, not with libvips' shared error buffer (which,
 * with photos decoded on several threads, may hold another photo's error). */
static int write_file(const char *path, const void *bytes, size_t length, char *error, size_t error_size) {
    FILE *file = fopen(path, "wb");
    if (file == NULL) {
        char message[512];
        snprintf(message, sizeof message, "cannot create %s: %s", path, strerror(errno));
        return report(message, error, error_size);
    }
    size_t written = fwrite(bytes, 1, length, file);
    int closed = fclose(file);
    if (written != length || closed != 0) {
        char message[512];
        snprintf(message, sizeof message, "cannot write %s: %s", path, strerror(errno));
        remove(path);
        return report(message, error, error_size);
    }
    return 0;
}

int kepu_vips_init(const char *argv0, int concurrency, char *error, size_t error_size) {
    if (vips_ready(error, error_size) != 0) {
        return -1;
    }
    if (vips.vips_init(argv0 != NULL ? argv0 : "kepu") != 0) {
        return fail("libvips could not start", error, error_size);
    }
    glib.g_log_set_handler("VIPS", K_G_LOG_LEVEL_WARNING | K_G_LOG_LEVEL_MESSAGE | K_G_LOG_LEVEL_INFO, ignore_log, NULL);
    vips.vips_cache_set_max(0);
    vips.vips_cache_set_max_mem(0);
    vips.vips_cache_set_max_files(0);
    if (concurrency > 0) {
        vips.vips_concurrency_set(concurrency);
    }
    return 0;
}

/* Saves `image` to `out_path` as a progressive, optimised, metadata-free JPEG. */
static int save_jpeg(VipsImage *image, const char *out_path, int quality, char *error, size_t error_size) {
    void *jpeg = NULL;
    size_t jpeg_length = 0;
    if (vips.vips_jpegsave_buffer(image, &jpeg, &jpeg_length,
                             "Q", quality,
                             "interlace", K_TRUE,
                             "optimize_coding", K_TRUE,
                             "strip", K_TRUE,
                             NULL) != 0) {
        return fail("the image could not be encoded as JPEG", error, error_size);
    }
    int status = write_file(out_path, jpeg, jpeg_length, error, error_size);
    glib.g_free(jpeg);
    return status;
}

int kepu_vips_thumbnails(const void *bytes, size_t length,
                         const char *large_path, int large_size, const char *small_path, int small_size,
                         int quality, int sizes[4], char *error, size_t error_size) {
    if (vips_ready(error, error_size) != 0) {
        return -1;
    }
    VipsImage *image = NULL;
    /* fail_on=truncated: a cut-off upload is an error, not a photo with a grey bottom half. Given to
     * the loader as an option string: libvips 8.14 does not pass thumbnail's own "fail_on" on to a
     * buffer loader. */
    if (vips.vips_thumbnail_buffer((void *)bytes, length, &image, large_size,
                              "height", large_size,
                              "size", K_VIPS_SIZE_DOWN,
                              "option_string", "fail_on=truncated",
                              NULL) != 0) {
        return fail("the image could not be decoded", error, error_size);
    }
    if (vips.vips_image_hasalpha(image)) {
        double white = vips.vips_image_get_format(image) == K_VIPS_FORMAT_USHORT ? 65535.0 : 255.0;
        void *background = vips.vips_array_double_newv(1, white);
        VipsImage *flat = NULL;
        int status = vips.vips_flatten(image, &flat, "background", background, NULL);
        vips.vips_area_unref((VipsArea *)background);
        glib.g_object_unref(image);
        if (status != 0) {
            return fail("the image could not be flattened", error, error_size);
        }
        image = flat;
    }
    /* Decode once (lazy until now; a truncation is reported here), keep the large copy in memory
     * (1280 x 960 x 3 = 3.7 MB) and make the small one from it: a second decode of the original, even
     * shrunk on load, would cost as much again. */
    VipsImage *large = vips.vips_image_copy_memory(image);
    glib.g_object_unref(image);
    if (large == NULL) {
        return fail("the image could not be decoded", error, error_size);
    }
    if (save_jpeg(large, large_path, quality, error, error_size) != 0) {
        glib.g_object_unref(large);
        return -1;
    }
    VipsImage *small = NULL;
    int status = vips.vips_thumbnail_image(large, &small, small_size,
                                      "height", small_size,
                                      "size", K_VIPS_SIZE_DOWN,
                                      "no_rotate", K_TRUE,
                                      NULL);
    sizes[0] = vips.vips_image_get_width(large);
    sizes[1] = vips.vips_image_get_height(large);
    glib.g_object_unref(large);
    if (status != 0) {
        return fail("the thumbnail could not be made", error, error_size);
    }
    status = save_jpeg(small, small_path, quality, error, error_size);
    sizes[2] = vips.vips_image_get_width(small);
    sizes[3] = vips.vips_image_get_height(small);
    glib.g_object_unref(small);
    return status;
}

int kepu_vips_write_rgb_jpeg(const unsigned char *pixels, int width, int height, int quality,
                             const char *out_path, char *error, size_t error_size) {
    if (vips_ready(error, error_size) != 0) {
        return -1;
    }
    VipsImage *image = vips.vips_image_new_from_memory(pixels, (size_t)width * (size_t)height * 3,
                                                  width, height, 3, K_VIPS_FORMAT_UCHAR);
    if (image == NULL) {
        return fail("the pixels could not be wrapped", error, error_size);
    }
    void *jpeg = NULL;
    size_t jpeg_length = 0;
    int status = vips.vips_jpegsave_buffer(image, &jpeg, &jpeg_length, "Q", quality, "strip", K_TRUE, NULL);
    glib.g_object_unref(image);
    if (status != 0) {
        return fail("the pixels could not be encoded as JPEG", error, error_size);
    }
    status = write_file(out_path, jpeg, jpeg_length, error, error_size);
    glib.g_free(jpeg);
    return status;
}

int kepu_vips_region_mean(const char *path, int left, int top, int width, int height, double *mean,
                          char *error, size_t error_size) {
    if (vips_ready(error, error_size) != 0) {
        return -1;
    }
    VipsImage *image = vips.vips_image_new_from_file(path, NULL);
    if (image == NULL) {
        return fail("the image could not be opened", error, error_size);
    }
    VipsImage *area = NULL;
    int status = vips.vips_extract_area(image, &area, left, top, width, height, NULL);
    glib.g_object_unref(image);
    if (status != 0) {
        return fail("the area is outside the image", error, error_size);
    }
    status = vips.vips_avg(area, mean, NULL);
    glib.g_object_unref(area);
    return status == 0 ? 0 : fail("the image could not be read", error, error_size);
}

const char *kepu_vips_version(void) {
    return vips_ready(NULL, 0) == 0 ? vips.vips_version_string() : "";
}

/* ---- LED slides (librsvg, cairo) ---- */

typedef struct {
    unsigned char *bytes;
    size_t length, capacity;
} Growing;

static cairo_status_t collect(void *closure, const unsigned char *data, unsigned int length) {
    Growing *g = closure;
    if (g->length + length > g->capacity) {
        size_t capacity = g->capacity > 0 ? g->capacity : 65536;
        while (capacity < g->length + length) capacity *= 2;
        unsigned char *grown = realloc(g->bytes, capacity);
        if (grown == NULL) return K_CAIRO_STATUS_WRITE_ERROR;
        g->bytes = grown;
        g->capacity = capacity;
    }
    memcpy(g->bytes + g->length, data, length);
    g->length += length;
    return K_CAIRO_STATUS_SUCCESS;
}

static int svg_fail(const char *what, GError *gerror, char *error, size_t error_size) {
    if (error != NULL && error_size > 0) {
        snprintf(error, error_size, "%s%s%s", what, gerror != NULL && gerror->message != NULL ? ": " : "",
                 gerror != NULL && gerror->message != NULL ? gerror->message : "");
    }
    if (gerror != NULL) glib.g_error_free(gerror);
    return -1;
}

int kepu_svg_png(const char *text, size_t length, int width, int height, unsigned char **png, size_t *png_length,
                 char *error, size_t error_size) {
    return kepu_svg_png_palette(text, length, width, height, NULL, 0, png, png_length, error, error_size);
}

/* Each pixel to the nearest palette colour (squared distance in RGB; ties to the earlier colour). */
static void quantize(cairo_surface_t *surface, const uint32_t *palette, int count) {
    unsigned char *base = svg.cairo_image_surface_get_data(surface);
    if (base == NULL || count <= 0) return;
    int w = svg.cairo_image_surface_get_width(surface), h = svg.cairo_image_surface_get_height(surface);
    int stride = svg.cairo_image_surface_get_stride(surface);
    for (int y = 0; y < h; y++) {
        uint32_t *row = (uint32_t *)(base + (size_t)y * (size_t)stride);
        for (int x = 0; x < w; x++) {
            uint32_t p = row[x] & 0xFFFFFF;
            int r = (int)(p >> 16), g = (int)((p >> 8) & 0xFF), b = (int)(p & 0xFF);
            long best = -1;
            uint32_t chosen = palette[0];
            for (int i = 0; i < count; i++) {
                int dr = r - (int)(palette[i] >> 16), dg = g - (int)((palette[i] >> 8) & 0xFF), db = b - (int)(palette[i] & 0xFF);
                long d = (long)dr * dr + (long)dg * dg + (long)db * db;
                if (best < 0 || d < best) { best = d; chosen = palette[i]; }
            }
            row[x] = chosen;
        }
    }
    svg.cairo_surface_mark_dirty(surface);
}

int kepu_svg_png_palette(const char *text, size_t length, int width, int height, const uint32_t *palette, int count,
                         unsigned char **png, size_t *png_length, char *error, size_t error_size) {
    *png = NULL;
    *png_length = 0;
    if (svg_ready(error, error_size) != 0) return -1;
    GError *gerror = NULL;
    /* From a stream, to pass RSVG_HANDLE_FLAG_UNLIMITED: a photo as a data: URI is an attribute of
     * megabytes, beyond libxml2's default limit of 10 MB. */
    GInputStream *stream = glib.g_memory_input_stream_new_from_data(text, (long)length, NULL);
    if (stream == NULL) return svg_fail("librsvg cannot read the slide", NULL, error, error_size);
    RsvgHandle *handle = svg.rsvg_handle_new_from_stream_sync(stream, NULL, K_RSVG_HANDLE_FLAG_UNLIMITED, NULL, &gerror);
    glib.g_object_unref(stream);
    if (handle == NULL) return svg_fail("librsvg cannot read the slide", gerror, error, error_size);
    int status = -1;
    cairo_surface_t *surface = svg.cairo_image_surface_create(K_CAIRO_FORMAT_RGB24, width, height);
    if (surface == NULL || svg.cairo_surface_status(surface) != K_CAIRO_STATUS_SUCCESS) {
        char what[128];
        snprintf(what, sizeof what, "cairo cannot make a %dx%d surface", width, height);
        svg_fail(what, NULL, error, error_size);
    } else {
        cairo_t *cr = svg.cairo_create(surface);
        RsvgRectangle viewport = {0, 0, (double)width, (double)height};
        if (cr == NULL) {
            svg_fail("cairo_create failed", NULL, error, error_size);
        } else if (!svg.rsvg_handle_render_document(handle, cr, &viewport, &gerror)) {
            svg_fail("librsvg cannot draw the slide", gerror, error, error_size);
        } else {
            svg.cairo_surface_flush(surface);
            if (palette != NULL && count > 0) quantize(surface, palette, count);
            Growing out = {NULL, 0, 0};
            cairo_status_t written = svg.cairo_surface_write_to_png_stream(surface, collect, &out);
            if (written != K_CAIRO_STATUS_SUCCESS) {
                char what[256];
                snprintf(what, sizeof what, "cairo cannot write the PNG: %s", svg.cairo_status_to_string(written));
                svg_fail(what, NULL, error, error_size);
                free(out.bytes);
            } else {
                *png = out.bytes;
                *png_length = out.length;
                status = 0;
            }
        }
        if (cr != NULL) svg.cairo_destroy(cr);
    }
    if (surface != NULL) svg.cairo_surface_destroy(surface);
    glib.g_object_unref(handle);
    return status;
}

typedef struct {
    const unsigned char *bytes;
    size_t length, offset;
} Reading;

static cairo_status_t feed(void *closure, unsigned char *data, unsigned int length) {
    Reading *r = closure;
    if (r->offset + length > r->length) return K_CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->bytes + r->offset, length);
    r->offset += length;
    return K_CAIRO_STATUS_SUCCESS;
}

int kepu_png_pixels(const unsigned char *png, size_t length, int *width, int *height, uint32_t **pixels,
                    char *error, size_t error_size) {
    *pixels = NULL;
    if (svg_ready(error, error_size) != 0) return -1;
    Reading reading = {png, length, 0};
    cairo_surface_t *surface = svg.cairo_image_surface_create_from_png_stream(feed, &reading);
    unsigned char *base = surface != NULL && svg.cairo_surface_status(surface) == K_CAIRO_STATUS_SUCCESS
        ? svg.cairo_image_surface_get_data(surface) : NULL;
    if (base == NULL) {
        if (surface != NULL) svg.cairo_surface_destroy(surface);
        return svg_fail("cairo cannot read the PNG", NULL, error, error_size);
    }
    int w = svg.cairo_image_surface_get_width(surface), h = svg.cairo_image_surface_get_height(surface);
    int stride = svg.cairo_image_surface_get_stride(surface);
    uint32_t *out = malloc((size_t)w * (size_t)h * sizeof(uint32_t) + 1);
    if (out == NULL) {
        svg.cairo_surface_destroy(surface);
        return svg_fail("out of memory", NULL, error, error_size);
    }
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(base + (size_t)y * (size_t)stride);
        for (int x = 0; x < w; x++) out[(size_t)y * (size_t)w + (size_t)x] = row[x] & 0xFFFFFF;
    }
    svg.cairo_surface_destroy(surface);
    *width = w;
    *height = h;
    *pixels = out;
    return 0;
}

static char rsvg_version_text[32];
static pthread_once_t rsvg_version_once = PTHREAD_ONCE_INIT;

static void fill_rsvg_version(void) {
    if (svg_ready(NULL, 0) != 0) return;
    snprintf(rsvg_version_text, sizeof rsvg_version_text, "%u.%u.%u", *svg.rsvg_major_version, *svg.rsvg_minor_version,
             *svg.rsvg_micro_version);
}

/* Filled once: callers on several threads read the same text. */
const char *kepu_rsvg_version(void) {
    pthread_once(&rsvg_version_once, fill_rsvg_version);
    return rsvg_version_text;
}
