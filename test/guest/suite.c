/*
 * urun guest test suite.
 *
 * One static binary bundling many small test programs.  Usage:
 *
 *     suite <case> [args...]
 *
 * Every case writes deterministic output to stdout (no pids, times,
 * addresses or temporary path names) and exits with a deterministic status,
 * so that the output produced under the emulator can be compared byte for
 * byte with golden output recorded under qemu-user.  See
 * test/fixtures/cases.json for the arguments each case is run with.
 *
 * Build (see test/fixtures/build.sh):
 *     <cross>-gcc -static -O2 -s -Wall -ffp-contract=off suite.c -lm
 */
#define _GNU_SOURCE
/* 64-bit off_t/ino_t, as Debian builds most software: without it readdir()
 * fails with EOVERFLOW on hosts whose directory offsets need 64 bits. */
#define _FILE_OFFSET_BITS 64
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fenv.h>
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <sched.h>
#include <setjmp.h>
#include <sys/personality.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/klog.h>
#include <sys/timex.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

/* Deterministic pseudo random numbers (64-bit LCG, high half returned). */
static uint64_t rng_state;

static void rng_seed(uint64_t seed)
{
    rng_state = seed;
}

static uint32_t rng(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng_state >> 32);
}

static uint64_t rng64(void)
{
    uint64_t hi = rng();
    return (hi << 32) | rng();
}

/* FNV-1a, 32 bit. */
static uint32_t fnv_init(void)
{
    return 2166136261u;
}

static uint32_t fnv_bytes(uint32_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 16777619u;
    }
    return h;
}

static uint32_t fnv_u32(uint32_t h, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        h ^= v & 0xff;
        h *= 16777619u;
        v >>= 8;
    }
    return h;
}

static uint32_t fnv_u64(uint32_t h, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        h ^= (uint32_t)(v & 0xff);
        h *= 16777619u;
        v >>= 8;
    }
    return h;
}

/* Symbolic errno names: the numeric values differ between architectures
 * (e.g. MIPS), so only names and strerror() texts are ever printed. */
static const char *errname(int e)
{
    switch (e) {
    case 0: return "0";
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case ESRCH: return "ESRCH";
    case EINTR: return "EINTR";
    case EIO: return "EIO";
    case EBADF: return "EBADF";
    case ECHILD: return "ECHILD";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case EBUSY: return "EBUSY";
    case EEXIST: return "EEXIST";
    case EXDEV: return "EXDEV";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case EINVAL: return "EINVAL";
    case EMFILE: return "EMFILE";
    case ENOTTY: return "ENOTTY";
    case EFBIG: return "EFBIG";
    case ENOSPC: return "ENOSPC";
    case ESPIPE: return "ESPIPE";
    case EROFS: return "EROFS";
    case EPIPE: return "EPIPE";
    case EDOM: return "EDOM";
    case ERANGE: return "ERANGE";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOSYS: return "ENOSYS";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ELOOP: return "ELOOP";
    case EOVERFLOW: return "EOVERFLOW";
    default: return "E?";
    }
}

/* Print the outcome of a call that is expected to fail. */
static void report_fail(const char *what, long rc, int err)
{
    if (rc == -1)
        printf("%s: -1 %s (%s)\n", what, errname(err), strerror(err));
    else
        printf("%s: unexpectedly returned %ld\n", what, rc);
}

static int sign_of(int v)
{
    return v < 0 ? -1 : v > 0 ? 1 : 0;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ------------------------------------------------------------------------ */
/* args, env, exit                                                          */
/* ------------------------------------------------------------------------ */

static int case_args(int argc, char **argv)
{
    printf("argc=%d\n", argc);
    /* argv[0] is the binary path and therefore not deterministic. */
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=\"%s\" len=%zu\n", i, argv[i], strlen(argv[i]));
    printf("argv[argc]=%s\n", argv[argc] == NULL ? "NULL" : "non-NULL");
    return 0;
}

static int case_env(int argc, char **argv)
{
    for (int i = 2; i < argc; i++) {
        const char *v = getenv(argv[i]);
        if (v)
            printf("%s=\"%s\"\n", argv[i], v);
        else
            printf("%s=(unset)\n", argv[i]);
    }
    return 0;
}

static int case_exit(int argc, char **argv)
{
    int status = argc > 2 ? atoi(argv[2]) : 0;
    printf("exiting with %d\n", status);
    /* stdout is a pipe (fully buffered): exit() must flush it. */
    exit(status);
}

/* ------------------------------------------------------------------------ */
/* fileio                                                                   */
/* ------------------------------------------------------------------------ */

#define FILEIO_SIZE 100000

static char fio_dir[2048];

static const char *fpath(const char *name)
{
    static char buf[2][4096];
    static int which;
    which ^= 1;
    snprintf(buf[which], sizeof buf[which], "%s/%s", fio_dir, name);
    return buf[which];
}

static int write_all(int fd, const void *data, size_t n)
{
    const char *p = data;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static void list_dir(const char *label, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        printf("%s: opendir failed: %s\n", label, errname(errno));
        return;
    }
    char *names[64];
    int n = 0;
    struct dirent *de;
    int saw_dot = 0, saw_dotdot = 0;
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0) {
            saw_dot = 1;
            continue;
        }
        if (strcmp(de->d_name, "..") == 0) {
            saw_dotdot = 1;
            continue;
        }
        if (n < 64)
            names[n++] = strdup(de->d_name);
    }
    if (errno != 0)
        printf("%s: readdir failed: %s\n", label, errname(errno));
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp_str);
    printf("%s: . %s, .. %s, %d entries:", label, saw_dot ? "yes" : "no",
           saw_dotdot ? "yes" : "no", n);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

static int case_fileio(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "fileio: need a directory argument\n");
        return 2;
    }
    snprintf(fio_dir, sizeof fio_dir, "%s", argv[2]);
    umask(022);

    /* --- write ~100KB of patterned data in irregular chunks --- */
    unsigned char *data = malloc(FILEIO_SIZE);
    unsigned char *back = malloc(FILEIO_SIZE);
    for (size_t i = 0; i < FILEIO_SIZE; i++)
        data[i] = (unsigned char)(i * 7 + (i >> 8) + (i >> 13));
    printf("data checksum %08" PRIx32 "\n", fnv_bytes(fnv_init(), data, FILEIO_SIZE));

    int fd = open(fpath("data.bin"), O_CREAT | O_TRUNC | O_RDWR, 0666);
    if (fd < 0) {
        printf("open for writing failed: %s\n", errname(errno));
        return 1;
    }
    printf("open O_CREAT: ok (fd>2: %d)\n", fd > 2);
    rng_seed(42);
    size_t off = 0;
    int nwrites = 0;
    while (off < FILEIO_SIZE) {
        size_t chunk = 1 + rng() % 8191;
        if (chunk > FILEIO_SIZE - off)
            chunk = FILEIO_SIZE - off;
        ssize_t w = write(fd, data + off, chunk);
        if (w != (ssize_t)chunk) {
            printf("short write %ld at %zu\n", (long)w, off);
            return 1;
        }
        off += chunk;
        nwrites++;
    }
    printf("wrote %zu bytes in %d writes\n", off, nwrites);

    /* --- lseek --- */
    printf("lseek CUR: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    printf("lseek END: %lld\n", (long long)lseek(fd, 0, SEEK_END));
    printf("lseek END-1000: %lld\n", (long long)lseek(fd, -1000, SEEK_END));
    printf("lseek CUR+10: %lld\n", (long long)lseek(fd, 10, SEEK_CUR));
    printf("lseek SET 0: %lld\n", (long long)lseek(fd, 0, SEEK_SET));
    errno = 0;
    long r = (long)lseek(fd, -5, SEEK_SET);
    report_fail("lseek SET -5", r, errno);

    /* --- read back sequentially --- */
    memset(back, 0, FILEIO_SIZE);
    size_t got = 0;
    int nreads = 0;
    for (;;) {
        ssize_t n = read(fd, back + got, got + 4096 <= FILEIO_SIZE ? 4096 : FILEIO_SIZE - got);
        if (n < 0) {
            printf("read failed: %s\n", errname(errno));
            return 1;
        }
        if (n == 0)
            break;
        got += (size_t)n;
        nreads++;
        if (got == FILEIO_SIZE) {
            /* one more read must hit EOF */
            char c;
            printf("read at EOF: %ld\n", (long)read(fd, &c, 1));
            break;
        }
    }
    printf("read %zu bytes in %d reads, match=%d, checksum %08" PRIx32 "\n", got, nreads,
           memcmp(data, back, FILEIO_SIZE) == 0, fnv_bytes(fnv_init(), back, got));

    /* --- pread / pwrite --- */
    unsigned char small[16];
    ssize_t pn = pread(fd, small, sizeof small, 12345);
    printf("pread 16 @12345: %ld bytes:", (long)pn);
    for (int i = 0; i < 16; i++)
        printf(" %02x", small[i]);
    printf(" match=%d\n", memcmp(small, data + 12345, 16) == 0);
    printf("offset after pread: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    printf("pread past EOF: %ld\n", (long)pread(fd, small, 16, FILEIO_SIZE + 5));
    printf("pwrite 5 @50000: %ld\n", (long)pwrite(fd, "HELLO", 5, 50000));
    memset(small, 0, sizeof small);
    pread(fd, small, 7, 49999);
    printf("pread back: %02x '%.5s' %02x\n", small[0], (char *)small + 1, small[6]);
    printf("offset after pwrite: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));

    /* --- fstat --- */
    struct stat st;
    if (fstat(fd, &st) != 0) {
        printf("fstat failed: %s\n", errname(errno));
        return 1;
    }
    printf("fstat: size=%lld reg=%d dir=%d mode=%03o nlink=%ld\n", (long long)st.st_size,
           S_ISREG(st.st_mode), S_ISDIR(st.st_mode), (unsigned)(st.st_mode & 0777),
           (long)st.st_nlink);

    /* --- sparse write past EOF, then ftruncate --- */
    lseek(fd, 200000, SEEK_SET);
    printf("write at 200000: %ld\n", (long)write(fd, "END", 3));
    fstat(fd, &st);
    printf("size after sparse write: %lld\n", (long long)st.st_size);
    memset(small, 0xff, sizeof small);
    pread(fd, small, 16, 150000);
    int zeros = 1;
    for (int i = 0; i < 16; i++)
        zeros &= small[i] == 0;
    printf("hole reads as zeros: %d\n", zeros);
    printf("ftruncate %d: %d\n", FILEIO_SIZE, ftruncate(fd, FILEIO_SIZE));
    fstat(fd, &st);
    printf("size after ftruncate: %lld\n", (long long)st.st_size);
    printf("close: %d\n", close(fd));
    errno = 0;
    r = close(fd);
    report_fail("close again", r, errno);

    /* --- stat --- */
    memset(&st, 0, sizeof st);
    printf("stat: %d size=%lld\n", stat(fpath("data.bin"), &st), (long long)st.st_size);
    memset(&st, 0, sizeof st);
    printf("stat dir: %d isdir=%d\n", stat(fio_dir, &st), S_ISDIR(st.st_mode));

    /* --- O_APPEND --- */
    fd = open(fpath("data.bin"), O_WRONLY | O_APPEND);
    lseek(fd, 0, SEEK_SET);
    printf("append write: %ld\n", (long)write(fd, "0123456789", 10));
    printf("offset after append: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    close(fd);

    /* --- dup shares the file offset --- */
    fd = open(fpath("data.bin"), O_RDONLY);
    int fd2 = dup(fd);
    char tmp[64];
    printf("dup: %d\n", fd2 > fd);
    printf("read via fd: %ld\n", (long)read(fd, tmp, 10));
    printf("offset via dup: %lld\n", (long long)lseek(fd2, 0, SEEK_CUR));
    int fd3 = dup2(fd, 20);
    printf("dup2 -> 20: %d\n", fd3);
    printf("offset via dup2: %lld\n", (long long)lseek(20, 0, SEEK_CUR));
    errno = 0;
    r = write(fd, "x", 1);
    report_fail("write to O_RDONLY fd", r, errno);
    close(fd);
    close(fd2);
    close(20);
    errno = 0;
    r = read(20, tmp, 1);
    report_fail("read closed fd", r, errno);

    /* --- rename --- */
    printf("rename: %d\n", rename(fpath("data.bin"), fpath("renamed.bin")));
    errno = 0;
    r = stat(fpath("data.bin"), &st);
    report_fail("stat old name", r, errno);
    printf("stat new name: %d size=%lld\n", stat(fpath("renamed.bin"), &st),
           (long long)st.st_size);

    /* --- mkdir and more files --- */
    printf("mkdir subdir: %d\n", mkdir(fpath("subdir"), 0755));
    errno = 0;
    r = mkdir(fpath("subdir"), 0755);
    report_fail("mkdir subdir again", r, errno);
    stat(fpath("subdir"), &st);
    printf("subdir mode=%03o isdir=%d\n", (unsigned)(st.st_mode & 0777), S_ISDIR(st.st_mode));
    const char *names[] = {"zeta.txt", "alpha.txt", "Mixed_Case", "subdir/inner.txt", "b"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int f = open(fpath(names[i]), O_CREAT | O_WRONLY | O_EXCL, 0600);
        write_all(f, names[i], strlen(names[i]));
        close(f);
    }
    errno = 0;
    r = open(fpath("b"), O_CREAT | O_WRONLY | O_EXCL, 0600);
    report_fail("open O_EXCL existing", r, errno);
    list_dir("listing", fio_dir);
    list_dir("subdir listing", fpath("subdir"));

    /* --- access --- */
    printf("access F_OK: %d\n", access(fpath("renamed.bin"), F_OK));
    printf("access R_OK|W_OK: %d\n", access(fpath("renamed.bin"), R_OK | W_OK));
    errno = 0;
    r = access(fpath("renamed.bin"), X_OK);
    report_fail("access X_OK on 0644 file", r, errno);
    errno = 0;
    r = access(fpath("missing"), F_OK);
    report_fail("access missing", r, errno);

    /* --- error paths --- */
    errno = 0;
    r = open(fpath("does-not-exist"), O_RDONLY);
    report_fail("open nonexistent", r, errno);
    errno = 0;
    r = open(fpath("subdir"), O_WRONLY);
    report_fail("open dir for writing", r, errno);
    errno = 0;
    r = open(fpath("renamed.bin/x"), O_RDONLY);
    report_fail("open through a file", r, errno);
    errno = 0;
    r = rmdir(fpath("subdir"));
    report_fail("rmdir non-empty", r, errno);
    errno = 0;
    r = unlink(fpath("subdir"));
    report_fail("unlink dir", r, errno);
    errno = 0;
    r = mkdir(fpath("nope/deeper"), 0755);
    report_fail("mkdir in missing dir", r, errno);
    errno = 0;
    r = rmdir(fpath("alpha.txt"));
    report_fail("rmdir a file", r, errno);
    errno = 0;
    r = chdir(fpath("alpha.txt"));
    report_fail("chdir to a file", r, errno);
    int pfd[2];
    if (pipe(pfd) == 0) {
        errno = 0;
        r = (long)lseek(pfd[0], 0, SEEK_SET);
        report_fail("lseek on pipe", r, errno);
        close(pfd[0]);
        close(pfd[1]);
    }

    /* --- stdio round trip --- */
    FILE *f = fopen(fpath("text.txt"), "w");
    if (!f) {
        printf("fopen w failed: %s\n", errname(errno));
        return 1;
    }
    for (int i = 0; i < 20; i++)
        fprintf(f, "line %2d: %d squared is %d, hex %#x\n", i, i, i * i, i * 37);
    fputs("last line without newline", f);
    printf("ftell after writing: %ld\n", ftell(f));
    printf("fclose: %d\n", fclose(f));
    f = fopen(fpath("text.txt"), "r");
    char line[256];
    int nlines = 0;
    uint32_t h = fnv_init();
    while (fgets(line, sizeof line, f)) {
        if (nlines < 3 || nlines >= 19)
            printf("fgets: %s%s", line, strchr(line, '\n') ? "" : "\n");
        h = fnv_bytes(h, line, strlen(line));
        nlines++;
    }
    printf("lines=%d feof=%d ferror=%d checksum %08" PRIx32 "\n", nlines, feof(f), ferror(f), h);
    fseek(f, 10, SEEK_SET);
    int c = fgetc(f);
    printf("fseek 10 then fgetc: '%c' ftell=%ld\n", c, ftell(f));
    rewind(f);
    for (int i = 0; i < 3; i++)
        fgets(line, sizeof line, f);
    int a1 = 0, a2 = 0, a3 = 0;
    int nconv = fscanf(f, "line %d: %d squared is %d", &a1, &a2, &a3);
    printf("fscanf: %d -> %d %d %d\n", nconv, a1, a2, a3);
    fclose(f);
    f = fopen(fpath("text.txt"), "a+");
    fprintf(f, "\nappended");
    fseek(f, -8, SEEK_END);
    memset(line, 0, sizeof line);
    printf("a+ read back: %zu '%s'\n", fread(line, 1, 20, f), line);
    fclose(f);
    errno = 0;
    f = fopen(fpath("missing/file"), "r");
    printf("fopen missing: %s %s (%s)\n", f ? "non-NULL" : "NULL", errname(errno), strerror(errno));

    /* --- chdir / getcwd / relative paths --- */
    char cwd[4096];
    const char *base = fio_dir;
    size_t dl = strlen(fio_dir);
    while (dl > 1 && fio_dir[dl - 1] == '/')
        fio_dir[--dl] = '\0';
    const char *slash = strrchr(fio_dir, '/');
    if (slash)
        base = slash + 1;
    printf("chdir: %d\n", chdir(fio_dir));
    if (getcwd(cwd, sizeof cwd)) {
        size_t cl = strlen(cwd), bl = strlen(base);
        int ends = cl >= bl && strcmp(cwd + cl - bl, base) == 0 && (cl == bl || cwd[cl - bl - 1] == '/');
        printf("getcwd ends with dir basename: %s\n", ends ? "yes" : "no");
    } else {
        printf("getcwd failed: %s\n", errname(errno));
    }
    errno = 0;
    char *cp = getcwd(cwd, 2);
    printf("getcwd tiny buffer: %s %s\n", cp ? "non-NULL" : "NULL", errname(errno));
    fd = open("alpha.txt", O_RDONLY);
    memset(tmp, 0, sizeof tmp);
    printf("relative open+read: %ld '%s'\n", (long)read(fd, tmp, sizeof tmp - 1), tmp);
    close(fd);
    printf("chdir subdir: %d\n", chdir("subdir"));
    printf("stat ../renamed.bin: %d\n", stat("../renamed.bin", &st));
    printf("chdir ..: %d\n", chdir(".."));

    /* --- cleanup --- */
    const char *rm[] = {"renamed.bin", "zeta.txt", "alpha.txt", "Mixed_Case", "b",
                        "subdir/inner.txt", "text.txt"};
    for (size_t i = 0; i < sizeof rm / sizeof rm[0]; i++)
        printf("unlink %s: %d\n", rm[i], unlink(rm[i]));
    printf("rmdir subdir: %d\n", rmdir("subdir"));
    errno = 0;
    r = unlink("renamed.bin");
    report_fail("unlink again", r, errno);
    list_dir("final listing", ".");
    free(data);
    free(back);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* cat                                                                      */
/* ------------------------------------------------------------------------ */

static int case_cat(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    char buf[4096];
    long long total = 0;
    for (;;) {
        ssize_t n = read(0, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "cat: read error: %s\n", strerror(errno));
            return 1;
        }
        if (n == 0)
            break;
        if (write_all(1, buf, (size_t)n) != 0) {
            fprintf(stderr, "cat: write error: %s\n", strerror(errno));
            return 1;
        }
        total += n;
    }
    fprintf(stderr, "cat: %lld bytes\n", total);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* malloc                                                                   */
/* ------------------------------------------------------------------------ */

#define MSLOTS 512

struct mslot {
    unsigned char *p;
    size_t size;
    uint32_t seed;
};

static unsigned char pat(uint32_t seed, size_t i)
{
    return (unsigned char)(seed + i * 131 + (i >> 9) * 7);
}

/* Blocks of up to MFULL bytes are filled completely; bigger ones only at
 * sample points (the first and last MEDGE bytes and every MSTEP-th byte), so
 * that the test stays fast under an interpreter. */
#define MFULL 256
#define MEDGE 16
#define MSTEP 1021

/* The sample point following i in a block of `size` bytes. */
static size_t mnext(size_t size, size_t i)
{
    if (size <= MFULL || i + 1 < MEDGE || i + 1 + MEDGE >= size)
        return i + 1;
    size_t next = (i / MSTEP + 1) * MSTEP;
    return next < size - MEDGE ? next : size - MEDGE;
}

static void mfill(unsigned char *p, size_t size, uint32_t seed)
{
    for (size_t i = 0; i < size; i = mnext(size, i))
        p[i] = pat(seed, i);
}

/* Verify the pattern of a block of `size` bytes restricted to [0, limit). */
static int mverify(const unsigned char *p, size_t size, uint32_t seed, size_t limit, uint32_t *h)
{
    int bad = 0;
    for (size_t i = 0; i < size && i < limit; i = mnext(size, i)) {
        if (p[i] != pat(seed, i))
            bad++;
        *h = (*h ^ p[i]) * 16777619u;
    }
    return bad;
}

static size_t pick_size(void)
{
    uint32_t k = rng() % 1000;
    if (k < 600)
        return 1 + rng() % 128;
    if (k < 900)
        return 1 + rng() % 4096;
    if (k < 985)
        return 1 + rng() % 65536;
    return 1 + rng() % (1u << 20);
}

static int case_malloc(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    static struct mslot slots[MSLOTS];
    uint32_t h = fnv_init();
    int errors = 0;
    long nmalloc = 0, nfree = 0, nrealloc = 0, ncalloc = 0;
    unsigned long long requested = 0;

    rng_seed(12345);
    for (int iter = 0; iter < 4000; iter++) {
        struct mslot *s = &slots[rng() % MSLOTS];
        uint32_t op = rng() % 10;
        if (s->p == NULL) {
            size_t size = pick_size();
            if (op < 2) {
                s->p = calloc(1, size);
                ncalloc++;
                if (s->p) {
                    for (size_t i = 0; i < size; i += (size > 4096 ? 97 : 1))
                        if (s->p[i] != 0)
                            errors++;
                }
            } else {
                s->p = malloc(size);
                nmalloc++;
            }
            if (!s->p) {
                errors++;
                continue;
            }
            if (((uintptr_t)s->p & (2 * sizeof(size_t) - 1)) != 0)
                errors++;
            s->size = size;
            s->seed = rng();
            mfill(s->p, size, s->seed);
            requested += size;
        } else if (op < 6) {
            errors += mverify(s->p, s->size, s->seed, SIZE_MAX, &h);
            free(s->p);
            s->p = NULL;
            nfree++;
        } else {
            size_t nsize = pick_size();
            unsigned char *np = realloc(s->p, nsize);
            nrealloc++;
            if (!np) {
                errors++;
                continue;
            }
            errors += mverify(np, s->size, s->seed, nsize, &h);
            s->p = np;
            s->size = nsize;
            s->seed = rng();
            mfill(np, nsize, s->seed);
            requested += nsize;
        }
    }
    for (int i = 0; i < MSLOTS; i++) {
        if (slots[i].p) {
            errors += mverify(slots[i].p, slots[i].size, slots[i].seed, SIZE_MAX, &h);
            free(slots[i].p);
            slots[i].p = NULL;
            nfree++;
        }
    }
    printf("malloc=%ld calloc=%ld realloc=%ld free=%ld requested=%llu\n", nmalloc, ncalloc,
           nrealloc, nfree, requested);
    printf("small-block checksum %08" PRIx32 " errors=%d\n", h, errors);

    /* Large allocations (served by mmap). Touch every page. */
    const size_t big = 16u << 20;
    uint32_t hb = fnv_init();
    int big_errors = 0;
    for (int k = 0; k < 3; k++) {
        unsigned char *p = malloc(big);
        if (!p) {
            printf("16MB malloc #%d failed\n", k);
            return 1;
        }
        for (size_t i = 0; i < big; i += 4096)
            p[i] = (unsigned char)(i / 4096 + k);
        p[big - 1] = 0x5a;
        for (size_t i = 0; i < big; i += 4096) {
            if (p[i] != (unsigned char)(i / 4096 + k))
                big_errors++;
            hb = (hb ^ p[i]) * 16777619u;
        }
        if (k == 1) {
            /* grow: contents must be preserved (mremap under glibc) */
            unsigned char *q = realloc(p, 2 * big);
            if (!q) {
                printf("realloc to 32MB failed\n");
                return 1;
            }
            for (size_t i = 0; i < big; i += 4096)
                if (q[i] != (unsigned char)(i / 4096 + k))
                    big_errors++;
            if (q[big - 1] != 0x5a)
                big_errors++;
            q[2 * big - 1] = 1;
            p = q;
        }
        free(p);
    }
    unsigned char *z = calloc(big, 1);
    int nonzero = 0;
    for (size_t i = 0; i < big; i += 1024)
        nonzero += z[i] != 0;
    free(z);
    printf("16MB blocks: checksum %08" PRIx32 " errors=%d calloc nonzero=%d\n", hb, big_errors,
           nonzero);

    /* Odds and ends. */
    void *m0 = malloc(0);
    printf("malloc(0) non-NULL: %d\n", m0 != NULL);
    free(m0);
    free(NULL);
    void *al = NULL;
    int prc = posix_memalign(&al, 4096, 10000);
    printf("posix_memalign: rc=%d aligned=%d\n", prc, ((uintptr_t)al & 4095) == 0);
    free(al);
    void *al2 = aligned_alloc(64, 640);
    printf("aligned_alloc 64: aligned=%d\n", ((uintptr_t)al2 & 63) == 0);
    free(al2);
    errno = 0;
    /* Too big for any 32-bit address space (a 2GB request would succeed under
     * qemu-arm but not qemu-mips, so that is not portable). */
    volatile size_t huge = (size_t)-1 - 100000;
    void *hp = malloc(huge);
    printf("malloc(huge): %s errno=%s\n", hp ? "non-NULL" : "NULL", errname(errno));
    free(hp);
    return errors || big_errors;
}

/* ------------------------------------------------------------------------ */
/* float                                                                    */
/* ------------------------------------------------------------------------ */

static void pd(const char *label, double d)
{
    printf("%-12s %%f=%f %%e=%e %%g=%g %%a=%a %%.17g=%.17g\n", label, d, d, d, d, d);
}

static void pfl(const char *label, float f)
{
    printf("%-12s %%f=%f %%e=%e %%g=%g %%a=%a %%.9g=%.9g\n", label, f, f, f, f, f);
}

static int case_float(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    volatile double vzero = 0.0, vone = 1.0, vthree = 3.0, vmin = DBL_MIN, vmax = DBL_MAX;
    volatile float fzero = 0.0f, fone = 1.0f, fthree = 3.0f, fmin = FLT_MIN, fmax = FLT_MAX;

    printf("-- printf double\n");
    pd("zero", 0.0);
    pd("negzero", -vzero);
    pd("one", 1.0);
    pd("-1.5", -1.5);
    pd("0.1", 0.1);
    pd("1/3", vone / vthree);
    pd("pi", 3.14159265358979323846);
    pd("-2.5e-5", -2.5e-5);
    pd("123456789.125", 123456789.125);
    pd("2^53+1", 9007199254740993.0);
    pd("1e21", 1e21);
    pd("1e22", 1e22);
    pd("1e-300", 1e-300);
    pd("1e300", 1e300);
    pd("DBL_MAX", vmax);
    pd("DBL_MIN", vmin);
    pd("denorm", vmin / 1024.0);
    pd("TRUE_MIN", vmin * DBL_EPSILON);
    pd("0.5", 0.5);
    pd("2.5", 2.5);
    pd("0.125", 0.125);
    pd("1e15+0.3", 1e15 + 0.3);
    pd("inf", vone / vzero);
    pd("-inf", -vone / vzero);
    pd("NAN", NAN);
    pd("-NAN", -NAN);
    pd("0/0", vzero / vzero);
    pd("inf-inf", (vone / vzero) - (vone / vzero));
    pd("sqrt(-1)", sqrt(-vone));

    printf("-- printf float\n");
    pfl("0.1f", 0.1f);
    pfl("1/3f", fone / fthree);
    pfl("-7.25f", -7.25f);
    pfl("16777217f", (float)16777217.0);
    pfl("FLT_MAX", fmax);
    pfl("FLT_MIN", fmin);
    pfl("fdenorm", fmin / 64.0f);
    pfl("FLT_TRUEMIN", fmin * FLT_EPSILON);
    pfl("finf", fone / fzero);
    pfl("f0/0", fzero / fzero);
    pfl("fmax*2", fmax * 2.0f);

    printf("-- precision and width\n");
    double pv = 2.0 / vthree;
    for (int prec = 0; prec <= 20; prec += 4)
        printf("%%.%df=%.*f %%.%de=%.*e %%.%dg=%.*g %%.%da=%.*a\n", prec, prec, pv, prec, prec, pv,
               prec, prec, pv, prec, prec, pv);
    printf("[%12.3f] [%-12.3e] [%+g] [% g] [%012.4f] [%#g] [%#.0f] [%G] [%E] [%A]\n", pv, pv, pv,
           pv, -pv, 1.0, 3.0, 1e-10, 1e100, 1.0);
    printf("rounding in printf: %.0f %.0f %.0f %.0f %.1f %.2f %.3f\n", 0.5, 1.5, 2.5, -0.5, 0.25,
           1.005, 2.0005);

    printf("-- strtod\n");
    static const char *dstr[] = {
        "0", "-0", "1", "0.1", "3.14159265358979323846264338327950288", "1e308",
        "1.7976931348623157e308", "1.7976931348623159e308", "1e309", "-1e309",
        "2.2250738585072011e-308", "2.2250738585072014e-308", "4.9e-324", "2.4703282292062327e-324",
        "2.4703282292062328e-324", "1e-400", "0x1.8p3", "0X1P-1074", "0x.8", "inf", "-Infinity",
        "nan", "-nan", "NaN(123)", "  +12.5e-1xyz", "abc", "", "1e", "1e+", ".5", "5.", "-.e1",
        "123456789012345678901234567890", "9007199254740993", "0.30000000000000004", "1_000",
    };
    for (size_t i = 0; i < sizeof dstr / sizeof dstr[0]; i++) {
        char *end;
        errno = 0;
        double d = strtod(dstr[i], &end);
        int e = errno;
        printf("strtod(\"%s\") = %.17g %a used=%d errno=%s\n", dstr[i], d, d, (int)(end - dstr[i]),
               errname(e));
    }
    printf("-- strtof\n");
    static const char *fstr[] = {
        "0.1", "3.4028235e38", "3.4028236e38", "1e39", "1.1754944e-38", "1.4e-45", "7e-46",
        "1e-50", "16777217", "16777219", "0x1.fffffep127", "-2.5", "inf", "nan", "0.333333333333",
    };
    for (size_t i = 0; i < sizeof fstr / sizeof fstr[0]; i++) {
        char *end;
        errno = 0;
        float f = strtof(fstr[i], &end);
        int e = errno;
        printf("strtof(\"%s\") = %.9g %a used=%d errno=%s\n", fstr[i], f, f, (int)(end - fstr[i]),
               errname(e));
    }
    printf("atof(\"  -42.5e1\") = %g\n", atof("  -42.5e1"));

    printf("-- conversions\n");
    static const double cv[] = {0.0, 0.4, 0.5, 0.9, 1.5, 2.5, -0.5, -1.5, -2.9, 2147483647.0,
                                2147483647.9, -2147483648.0, -2147483648.9, 1e9, 3.9e9, -123.75};
    for (size_t i = 0; i < sizeof cv / sizeof cv[0]; i++) {
        volatile double d = cv[i];
        volatile float f = (float)cv[i];
        long long ll = (long long)d;
        printf("%.17g: (int)=%d (long long)=%lld (float)=%.9g (int)(float)=%lld", d,
               (d > -2147483649.0 && d < 2147483648.0) ? (int)d : -1, ll, (double)f,
               (long long)f);
        if (d >= 0 && d < 4294967296.0)
            printf(" (unsigned)=%u", (unsigned)d);
        printf("\n");
    }
    static const long long iv[] = {0, 1, -1, 16777216, 16777217, 16777219, 2147483647,
                                   -2147483647 - 1, 9007199254740993LL, -9007199254740993LL,
                                   LLONG_MAX, LLONG_MIN, 1234567890123456789LL};
    for (size_t i = 0; i < sizeof iv / sizeof iv[0]; i++) {
        volatile long long v = iv[i];
        volatile int vi = (int)(v & 0x7fffffff);
        printf("%lld: (double)=%.17g (float)=%.9g (int->float)=%.9g (int->double)=%.17g\n", v,
               (double)v, (double)(float)v, (double)(float)vi, (double)vi);
    }
    volatile unsigned long long uv = ULLONG_MAX;
    volatile unsigned int u32 = UINT_MAX;
    printf("ULLONG_MAX->double=%.17g ->float=%.9g UINT_MAX->float=%.9g ->double=%.17g\n",
           (double)uv, (double)(float)uv, (double)(float)u32, (double)u32);
    volatile double big = 1.8e19;
    volatile float fbig = 4.0e9f;
    printf("(unsigned long long)1.8e19=%llu (unsigned)4e9f=%u (long long)1e18=%lld\n",
           (unsigned long long)big, (unsigned)fbig, (long long)(big / 18.0));
    volatile double dd = 0.1;
    printf("(float)0.1=%a (double)(float)0.1=%.17g\n", (double)(float)dd, (double)(float)dd);
    volatile double dround = 1.0000000596046448; /* just above the float midpoint */
    printf("(float)1.0000000596046448=%a (float)(1+2^-24)=%a\n", (double)(float)dround,
           (double)(float)(1.0 + ldexp(1.0, -24)));

    printf("-- arithmetic double\n");
    static const double av[][2] = {
        {1.0, 3.0}, {0.1, 0.2}, {1e308, 10.0}, {1e-308, 1e10}, {-7.5, 2.25}, {2.0, 0.0},
        {-2.0, 0.0}, {0.0, 0.0}, {1e16, 1.0}, {4.9e-324, 0.5}, {3.0, -1e-320}, {123456.789, -1e-3},
    };
    for (size_t i = 0; i < sizeof av / sizeof av[0]; i++) {
        volatile double a = av[i][0], b = av[i][1];
        printf("a=%a b=%a: + %a - %a * %a / %a\n", a, b, a + b, a - b, a * b, a / b);
        printf("   cmp: < %d <= %d == %d != %d > %d >= %d\n", a < b, a <= b, a == b, a != b, a > b,
               a >= b);
    }
    printf("-- arithmetic float\n");
    static const float afv[][2] = {
        {1.0f, 3.0f}, {0.1f, 0.2f}, {3e38f, 10.0f}, {1e-38f, 1e5f}, {-7.5f, 2.25f}, {2.0f, 0.0f},
        {0.0f, 0.0f}, {16777216.0f, 1.0f}, {1.4e-45f, 0.5f}, {123.456f, -1e-3f},
    };
    for (size_t i = 0; i < sizeof afv / sizeof afv[0]; i++) {
        volatile float a = afv[i][0], b = afv[i][1];
        float s = a + b, d = a - b, m = a * b, q = a / b;
        printf("a=%a b=%a: + %a - %a * %a / %a\n", (double)a, (double)b, (double)s, (double)d,
               (double)m, (double)q);
    }
    volatile double x = 2.0;
    volatile float xf = 2.0f;
    printf("sqrt(2)=%a sqrtf(2)=%a fma(0.1,10,-1)=%a fmaf=%a\n", sqrt(x), (double)sqrtf(xf),
           fma(0.1, 10.0, -1.0 * x / 2.0), (double)fmaf(0.1f, 10.0f, -xf / 2.0f));
    volatile double accum = 0.0;
    for (int i = 1; i <= 1000; i++)
        accum += 1.0 / i;
    volatile float faccum = 0.0f;
    for (int i = 1; i <= 1000; i++)
        faccum += 1.0f / (float)i;
    printf("harmonic(1000) double=%.17g float=%.9g\n", accum, (double)faccum);

    printf("-- classification\n");
    volatile double nanv = NAN, infv = INFINITY, negz = -0.0, den = vmin / 8;
    printf("isnan: %d %d isinf: %d %d isfinite: %d %d\n", isnan(nanv), isnan(infv), isinf(infv),
           isinf(-infv) ? -1 : 0, isfinite(1.0 * x), isfinite(infv));
    printf("fpclassify: nan=%d inf=%d zero=%d sub=%d normal=%d\n",
           fpclassify(nanv) == FP_NAN, fpclassify(infv) == FP_INFINITE,
           fpclassify(negz) == FP_ZERO, fpclassify(den) == FP_SUBNORMAL,
           fpclassify(x) == FP_NORMAL);
    printf("signbit: -0=%d +0=%d -inf=%d copysign(3,-0)=%g\n", signbit(negz) != 0,
           signbit(vzero) != 0, signbit(-infv) != 0, copysign(3.0, negz));
    printf("nan compares: == %d != %d < %d > %d\n", nanv == nanv, nanv != nanv, nanv < 1.0,
           nanv > 1.0);
    printf("-0 == +0: %d, 1/-0=%g\n", negz == vzero, 1.0 / negz);
    int ex;
    double fr = frexp(48.0 * x, &ex);
    printf("frexp(96)=%g,%d ldexp(0.75,10)=%g modf(-3.75): ", fr, ex, ldexp(0.75, 10));
    double ip;
    double fp = modf(-3.75 * x / 2.0, &ip);
    printf("%g %g\n", fp, ip);
    printf("nextafter(1,2)=%a nextafterf(1,0)=%a\n", nextafter(x / 2.0, 2.0),
           (double)nextafterf(xf / 2.0f, 0.0f));
    return 0;
}

/* ------------------------------------------------------------------------ */
/* fround: rounding modes and exception flags                               */
/* ------------------------------------------------------------------------ */

static int case_fround(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    static const struct {
        const char *name;
        int mode;
    } modes[] = {
        {"FE_TONEAREST", FE_TONEAREST},
        {"FE_UPWARD", FE_UPWARD},
        {"FE_DOWNWARD", FE_DOWNWARD},
        {"FE_TOWARDZERO", FE_TOWARDZERO},
    };
    static const double vals[] = {-2.5, -1.5, -0.5, 0.5,    1.5,         2.5,
                                  2.4999, -3.7, 3.7, 1e9 + 0.5, 1e15 + 0.5, -4503599627370495.5};
    volatile double one = 1.0, three = 3.0, two = 2.0;
    volatile float fone = 1.0f, fthree = 3.0f;

    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        int rc = fesetround(modes[m].mode);
        printf("== %s: fesetround=%d fegetround matches=%d\n", modes[m].name, rc,
               fegetround() == modes[m].mode);
        for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
            volatile double v = vals[i];
            volatile float vf = (float)vals[i];
            printf("  %a: rint=%a nearbyint=%a llrint=%lld rintf=%a round=%a trunc=%a", v,
                   rint(v), nearbyint(v), llrint(v), (double)rintf(vf), round(v), trunc(v));
            /* long is 32 bits: out-of-range lrint()/(int) results are unspecified */
            if (fabs(v) < 2147483647.0)
                printf(" lrint=%ld lrintf=%ld (int)=%d", lrint(v), lrintf(vf), (int)v);
            printf("\n");
        }
        printf("  1/3=%a -1/3=%a 1/3f=%a 2/3f=%a sqrt2=%a 1+2^-60=%a\n", one / three,
               -one / three, (double)(fone / fthree), (double)((fone + fone) / fthree), sqrt(two),
               one + ldexp(one, -60));
    }
    fesetround(FE_TONEAREST);

    printf("== exception flags\n");
    volatile double z = 0.0;
    volatile double r;
    feclearexcept(FE_ALL_EXCEPT);
    printf("cleared: %d\n", fetestexcept(FE_ALL_EXCEPT) != 0);
    r = one / three;
    printf("1/3 inexact=%d\n", fetestexcept(FE_INEXACT) != 0);
    feclearexcept(FE_ALL_EXCEPT);
    r = one / z;
    printf("1/0 divbyzero=%d\n", fetestexcept(FE_DIVBYZERO) != 0);
    feclearexcept(FE_ALL_EXCEPT);
    r = z / z;
    printf("0/0 invalid=%d\n", fetestexcept(FE_INVALID) != 0);
    feclearexcept(FE_ALL_EXCEPT);
    r = DBL_MAX * (one + one);
    printf("overflow=%d\n", fetestexcept(FE_OVERFLOW) != 0);
    feclearexcept(FE_ALL_EXCEPT);
    r = DBL_MIN * (one / three);
    printf("underflow=%d\n", fetestexcept(FE_UNDERFLOW) != 0);

    /* Tininess: glibc's strtof detects it after rounding on MIPS and before
     * rounding on ARM, so these results are architecture specific. */
    printf("== tininess\n");
    feclearexcept(FE_ALL_EXCEPT);
    volatile double below = 0x1.fffffffffffffp-1;
    r = DBL_MIN * below; /* rounds up to exactly DBL_MIN */
    printf("DBL_MIN*(1-2^-53)=%a underflow=%d inexact=%d\n", r,
           fetestexcept(FE_UNDERFLOW) != 0, fetestexcept(FE_INEXACT) != 0);
    feclearexcept(FE_ALL_EXCEPT);
    volatile float fbelow = 0x1.fffffep-1f;
    volatile float fr = FLT_MIN * fbelow * 1.0f;
    printf("FLT_MIN*(1-2^-24)=%a\n", (double)fr);
    errno = 0;
    double td = strtod("2.2250738585072012e-308", NULL);
    printf("strtod(2.2250738585072012e-308)=%a errno=%s\n", td, errname(errno));
    errno = 0;
    float tf = strtof("1.17549435e-38", NULL);
    printf("strtof(1.17549435e-38)=%a errno=%s\n", (double)tf, errname(errno));
    return 0;
}

/* ------------------------------------------------------------------------ */
/* nan: bit patterns of NaNs (architecture specific)                        */
/* ------------------------------------------------------------------------ */

static void pbits(const char *label, double d)
{
    union {
        double d;
        uint64_t u;
    } u = {d};
    printf("%-22s %016llx %f\n", label, (unsigned long long)u.u, d);
}

static void pbitsf(const char *label, float f)
{
    union {
        float f;
        uint32_t u;
    } u = {f};
    printf("%-22s %08lx %f\n", label, (unsigned long)u.u, (double)f);
}

static int case_nan(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    volatile double z = 0.0, one = 1.0, inf = INFINITY, m1 = -1.0;
    volatile double qn = NAN, sn = __builtin_nans("");
    volatile float fz = 0.0f, fone = 1.0f, finf = INFINITY, fm1 = -1.0f;
    volatile float fqn = NAN;
    pbits("NAN", qn);
    pbits("__builtin_nans", sn);
    pbits("0/0", z / z);
    pbits("inf-inf", inf - inf);
    pbits("0*inf", z * inf);
    pbits("sqrt(-1)", sqrt(m1));
    pbits("log(-1)", log(m1));
    pbits("sin(inf)", sin(inf));
    pbits("fmod(1,0)", fmod(one, z));
    pbits("-NAN", -qn);
    pbits("fabs(-NAN)", fabs(-qn));
    pbits("NAN+1", qn + one);
    pbits("sNaN+1", sn + one);
    pbits("nan(\"\")", nan(""));
    pbits("strtod(nan)", strtod("nan", NULL));
    pbits("strtod(-nan)", strtod("-nan", NULL));
    pbits("strtod(nan(0x123))", strtod("nan(0x123)", NULL));
    pbits("(double)NANf", (double)fqn);
    pbitsf("NANf", fqn);
    pbitsf("0f/0f", fz / fz);
    pbitsf("inff-inff", finf - finf);
    pbitsf("sqrtf(-1)", sqrtf(fm1));
    pbitsf("NANf+1", fqn + fone);
    pbitsf("(float)NAN", (float)qn);
    pbitsf("(float)sNaN", (float)sn);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* libm                                                                     */
/* ------------------------------------------------------------------------ */

/* NaN sign and payload are architecture specific (see case "nan"), so the
 * portable libm output shows every NaN as plain "nan". */
static double nn(double v)
{
    return isnan(v) ? (double)NAN : v;
}

typedef double (*d1fn)(double);
typedef float (*f1fn)(float);
typedef double (*d2fn)(double, double);
typedef float (*f2fn)(float, float);

static int case_libm(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    static const struct {
        const char *name;
        d1fn d;
        f1fn f;
    } f1[] = {
        {"sin", sin, sinf},     {"cos", cos, cosf},       {"tan", tan, tanf},
        {"exp", exp, expf},     {"log", log, logf},       {"log10", log10, log10f},
        {"sqrt", sqrt, sqrtf},  {"floor", floor, floorf}, {"ceil", ceil, ceilf},
        {"round", round, roundf}, {"trunc", trunc, truncf}, {"cbrt", cbrt, cbrtf},
        {"expm1", expm1, expm1f}, {"log1p", log1p, log1pf}, {"sinh", sinh, sinhf},
        {"tanh", tanh, tanhf},  {"atan", atan, atanf},    {"asin", asin, asinf},
        {"exp2", exp2, exp2f},  {"log2", log2, log2f},
    };
    static const double in1[] = {0.0, -0.0, 0.5, 1.0, -1.0, 2.0, 3.141592653589793, 10.0,
                                 -10.0, 100.0, 1e-10, 1e10, 0.1, -2.5, 709.5, -745.5, 1e300,
                                 INFINITY, -INFINITY, NAN};
    static const struct {
        const char *name;
        d2fn d;
        f2fn f;
    } f2[] = {
        {"pow", pow, powf}, {"atan2", atan2, atan2f}, {"fmod", fmod, fmodf}, {"hypot", hypot, hypotf},
    };
    static const double in2[][2] = {
        {2.0, 10.0}, {2.0, 0.5}, {-8.0, 1.0 / 3.0}, {10.0, -3.0}, {0.0, 0.0}, {0.0, -1.0},
        {-2.0, 3.0}, {1.5, 1e10}, {1.0, INFINITY}, {-1.0, INFINITY}, {INFINITY, -2.0},
        {3.0, 4.0}, {-3.0, 4.0}, {5.5, 2.0}, {-5.5, 2.0}, {1e300, 1e-300}, {7.0, 0.0},
        {NAN, 0.0}, {1e10, 3.0}, {0.7, -1.3},
    };

    for (size_t k = 0; k < sizeof f1 / sizeof f1[0]; k++) {
        for (size_t i = 0; i < sizeof in1 / sizeof in1[0]; i++) {
            volatile double x = in1[i];
            volatile float xf = (float)in1[i];
            errno = 0;
            double rd = f1[k].d(x);
            int ed = errno;
            errno = 0;
            float rf = f1[k].f(xf);
            int ef = errno;
            printf("%s(%.17g)=%.17g%s%s %sf(%.9g)=%.9g%s%s\n", f1[k].name, x, nn(rd),
                   ed ? " " : "", ed ? errname(ed) : "", f1[k].name, (double)xf, nn(rf),
                   ef ? " " : "", ef ? errname(ef) : "");
        }
    }
    for (size_t k = 0; k < sizeof f2 / sizeof f2[0]; k++) {
        for (size_t i = 0; i < sizeof in2 / sizeof in2[0]; i++) {
            volatile double x = in2[i][0], y = in2[i][1];
            volatile float xf = (float)x, yf = (float)y;
            errno = 0;
            double rd = f2[k].d(x, y);
            int ed = errno;
            errno = 0;
            float rf = f2[k].f(xf, yf);
            int ef = errno;
            printf("%s(%.17g,%.17g)=%.17g%s%s %sf(%.9g,%.9g)=%.9g%s%s\n", f2[k].name, x, y,
                   nn(rd), ed ? " " : "", ed ? errname(ed) : "", f2[k].name, (double)xf,
                   (double)yf, nn(rf), ef ? " " : "", ef ? errname(ef) : "");
        }
    }
    /* A smooth sweep, checksummed. */
    uint32_t h = fnv_init();
    for (int i = -200; i <= 200; i++) {
        volatile double x = i * 0.0731;
        double v[] = {sin(x), cos(x), exp(x / 8), log(fabs(x) + 0.5), atan2(x, 1.5), pow(1.01, x)};
        for (size_t j = 0; j < sizeof v / sizeof v[0]; j++) {
            union {
                double d;
                uint64_t u;
            } u = {v[j]};
            h = fnv_u64(h, u.u);
        }
    }
    printf("sweep checksum %08" PRIx32 "\n", h);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* int64                                                                    */
/* ------------------------------------------------------------------------ */

static int case_int64(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    uint32_t h = fnv_init();
    rng_seed(2024);
    for (int i = 0; i < 400; i++) {
        volatile uint64_t ua = rng64();
        volatile uint64_t ub = rng64() >> (rng() % 64);
        if (ub == 0)
            ub = 7;
        volatile int64_t sa = (int64_t)ua, sb = (int64_t)ub;
        if (i % 3 == 1)
            sb = -sb;
        if (sb == -1 && sa == INT64_MIN)
            sb = 3;
        unsigned sh = rng() % 64;
        uint64_t r[] = {
            ua * ub, ua / ub, ua % ub, (uint64_t)(sa * sb), (uint64_t)(sa / sb),
            (uint64_t)(sa % sb), ua << sh, ua >> sh, (uint64_t)(sa >> sh), ua + ub, ua - ub,
            ua & ub, ua | ub, ua ^ ub, ~ua, (uint64_t)-sa, (uint64_t)(ua < ub), (uint64_t)(sa < sb),
            (uint64_t)(ua == ub), (uint64_t)(sa >= sb),
        };
        double dsa = (double)sa, dua = (double)ua;
        int64_t back = (int64_t)(double)(sa >> 11); /* exact: 53 bits */
        uint64_t uback = (uint64_t)(double)(ua >> 12);
        for (size_t j = 0; j < sizeof r / sizeof r[0]; j++)
            h = fnv_u64(h, r[j]);
        union {
            double d;
            uint64_t u;
        } c1 = {dsa}, c2 = {dua};
        h = fnv_u64(h, c1.u);
        h = fnv_u64(h, c2.u);
        h = fnv_u64(h, (uint64_t)back);
        h = fnv_u64(h, uback);
        if (i < 12) {
            printf("a=%llu b=%llu sa=%lld sb=%lld sh=%u\n", (unsigned long long)ua,
                   (unsigned long long)ub, (long long)sa, (long long)sb, sh);
            printf("  u: * %llx / %llu %% %llu << %llx >> %llx\n", (unsigned long long)r[0],
                   (unsigned long long)r[1], (unsigned long long)r[2], (unsigned long long)r[6],
                   (unsigned long long)r[7]);
            printf("  s: * %lld / %lld %% %lld >> %lld neg %lld\n", (long long)r[3],
                   (long long)r[4], (long long)r[5], (long long)r[8], (long long)r[15]);
            printf("  cmp: u< %d s< %d; double: %.17g %.17g back=%d uback=%d\n", (int)r[16],
                   (int)r[17], dsa, dua, back == (sa >> 11), uback == (ua >> 12));
        }
    }
    printf("64-bit checksum %08" PRIx32 "\n", h);

    printf("-- 64-bit edge cases\n");
    volatile int64_t smin = INT64_MIN, smax = INT64_MAX, m1 = -1, two = 2, seven = 7, mseven = -7;
    volatile uint64_t umax = UINT64_MAX;
    printf("INT64_MIN/2=%lld INT64_MIN%%7=%lld INT64_MAX/-1=%lld -7/2=%lld -7%%2=%lld 7/-2=%lld "
           "7%%-2=%lld\n",
           (long long)(smin / two), (long long)(smin % seven), (long long)(smax / m1),
           (long long)(mseven / two), (long long)(mseven % two), (long long)(seven / -two),
           (long long)(seven % -two));
    printf("UINT64_MAX/7=%llu %%7=%llu *UINT64_MAX=%llu >>63=%llu INT64_MIN>>63=%lld\n",
           (unsigned long long)(umax / 7), (unsigned long long)(umax % 7),
           (unsigned long long)(umax * umax), (unsigned long long)(umax >> 63),
           (long long)(smin >> 63));
    printf("%%lld=%lld %%llu=%llu %%llx=%llx %%llo=%llo %%#llX=%#llX %%20lld=[%20lld] "
           "%%-20llu=[%-20llu]\n",
           (long long)smin, (unsigned long long)umax, (unsigned long long)umax,
           (unsigned long long)smax, (unsigned long long)0xdeadbeefcafeULL, (long long)smax,
           (unsigned long long)42);
    printf("PRId64=%" PRId64 " PRIu64=%" PRIu64 " PRIx64=%" PRIx64 "\n", (int64_t)smin,
           (uint64_t)umax, (uint64_t)smax);
    volatile double d1 = 9223372036854774784.0, d2 = -9223372036854775808.0, d3 = 1.8446744073709550e19;
    printf("double->int64: %lld %lld double->uint64: %llu\n", (long long)d1, (long long)d2,
           (unsigned long long)d3);
    printf("strtoll: %lld %lld strtoull: %llu\n", strtoll("-9223372036854775808", NULL, 10),
           strtoll("0x7fffffffffffffff", NULL, 16), strtoull("18446744073709551615", NULL, 10));

    printf("-- 32-bit edge cases\n");
    volatile int imin = INT_MIN, imax = INT_MAX, i1 = 1, im1 = -1, i2 = 2, i7 = 7, im7 = -7;
    volatile unsigned umax32 = UINT_MAX, u3 = 3, u7 = 7, u31 = 31, u0 = 0;
    printf("INT_MIN/1=%d INT_MIN/2=%d INT_MIN%%7=%d INT_MAX/-1=%d INT_MIN/INT_MAX=%d\n",
           imin / i1, imin / i2, imin % i7, imax / im1, imin / imax);
    printf("-7/2=%d -7%%2=%d 7/-2=%d 7%%-2=%d -7/-2=%d -7%%-2=%d\n", im7 / i2, im7 % i2,
           i7 / -i2, i7 % -i2, im7 / -i2, im7 % -i2);
    printf("UINT_MAX/3=%u UINT_MAX%%7=%u 0x80000000u/0xffffffffu=%u UINT_MAX*UINT_MAX=%u\n",
           umax32 / u3, umax32 % u7, 0x80000000u / umax32, umax32 * umax32);
    printf("(int64)INT_MIN*INT_MIN=%lld (uint64)UINT_MAX*UINT_MAX=%llu\n",
           (long long)imin * imin, (unsigned long long)umax32 * umax32);
    printf("1u<<31=%u -1>>31=%d INT_MIN>>31=%d UINT_MAX>>31=%u x<<0=%u\n", 1u << u31, im1 >> u31,
           imin >> u31, umax32 >> u31, u7 << u0);
    uint32_t h32 = fnv_init();
    rng_seed(99);
    for (int i = 0; i < 2000; i++) {
        volatile int32_t a = (int32_t)rng();
        volatile int32_t b = (int32_t)rng() >> (rng() % 31);
        if (b == 0 || (b == -1 && a == INT32_MIN))
            b = 13;
        volatile uint32_t ua = (uint32_t)a, ub = (uint32_t)b;
        unsigned s = rng() % 32;
        uint32_t rr[] = {(uint32_t)(a * b), (uint32_t)(a / b), (uint32_t)(a % b), ua / ub, ua % ub,
                         ua << s, ua >> s, (uint32_t)(a >> s), (uint32_t)((int64_t)a * b >> 32),
                         (uint32_t)((uint64_t)ua * ub >> 32), (uint32_t)(a < b), (uint32_t)(ua < ub),
                         (uint32_t)__builtin_clz(ua | 1), (uint32_t)__builtin_ctz(ub | 0x80000000u),
                         (uint32_t)__builtin_popcount(ua)};
        for (size_t j = 0; j < sizeof rr / sizeof rr[0]; j++)
            h32 = fnv_u32(h32, rr[j]); /* by value: endian-neutral */
    }
    printf("32-bit checksum %08" PRIx32 "\n", h32);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* setjmp                                                                   */
/* ------------------------------------------------------------------------ */

static jmp_buf jb_main;
static jmp_buf jb_inner;
static sigjmp_buf sjb;

static __attribute__((noinline)) void sj_level3(int n)
{
    printf("  level3(%d)\n", n);
    if (n % 2 == 1)
        longjmp(jb_main, n * 10);
    printf("  level3 returns normally\n");
}

static __attribute__((noinline)) void sj_level2(int n)
{
    printf("  level2(%d)\n", n);
    sj_level3(n);
    printf("  level2 returns\n");
}

static __attribute__((noinline)) void sj_level1(int n)
{
    printf("  level1(%d)\n", n);
    sj_level2(n);
    printf("  level1 returns\n");
}

static __attribute__((noinline)) int sj_inner(void)
{
    volatile int local = 100;
    int r = setjmp(jb_inner);
    printf("  inner setjmp returned %d local=%d\n", r, local);
    if (r == 0) {
        local = 200;
        longjmp(jb_inner, 0); /* value 0 must come back as 1 */
    }
    return local + r;
}

static int case_setjmp(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    volatile int counter = 0;
    volatile double dval = 1.5;
    volatile long long big = 1LL << 40;
    int r = setjmp(jb_main);
    printf("setjmp returned %d counter=%d dval=%g big=%lld\n", r, counter, dval, big);
    counter++;
    dval *= 2;
    big += 1;
    if (counter <= 4)
        sj_level1(counter);
    printf("after loop: counter=%d\n", counter);
    printf("sj_inner() = %d\n", sj_inner());

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    volatile int phase = 0;
    if (sigsetjmp(sjb, 1) == 0) {
        phase = 1;
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        siglongjmp(sjb, 7);
    }
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("siglongjmp: phase=%d SIGUSR1 blocked again=%d\n", phase, sigismember(&cur, SIGUSR1));
    return 0;
}

/* ------------------------------------------------------------------------ */
/* strings                                                                  */
/* ------------------------------------------------------------------------ */

static int case_strings(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    int nums[64];
    rng_seed(7);
    for (int i = 0; i < 64; i++)
        nums[i] = (int)(rng() % 2001) - 1000;
    qsort(nums, 64, sizeof nums[0], cmp_int);
    printf("qsort ints:");
    for (int i = 0; i < 64; i++)
        printf(" %d", nums[i]);
    printf("\n");
    int key = nums[17];
    int *found = bsearch(&key, nums, 64, sizeof nums[0], cmp_int);
    printf("bsearch %d: %s value=%d\n", key, found ? "found" : "missing", found ? *found : 0);
    key = 5000;
    found = bsearch(&key, nums, 64, sizeof nums[0], cmp_int);
    printf("bsearch 5000: %s\n", found ? "found" : "missing");

    const char *words[] = {"pear", "apple", "fig", "banana", "Zebra", "cherry", "apricot",
                           "kiwi", "", "date", "applesauce", "grape", "Apple", "mango"};
    size_t nw = sizeof words / sizeof words[0];
    qsort(words, nw, sizeof words[0], cmp_str);
    printf("qsort strings:");
    for (size_t i = 0; i < nw; i++)
        printf(" \"%s\"", words[i]);
    printf("\n");
    const char *wk = "kiwi";
    const char **wf = bsearch(&wk, words, nw, sizeof words[0], cmp_str);
    printf("bsearch kiwi: index %d\n", wf ? (int)(wf - words) : -1);

    /* big qsort checksum */
    static int many[5000];
    for (int i = 0; i < 5000; i++)
        many[i] = (int)rng();
    qsort(many, 5000, sizeof many[0], cmp_int);
    int sorted = 1;
    for (int i = 1; i < 5000; i++)
        sorted &= many[i - 1] <= many[i];
    uint32_t hm = fnv_init();
    for (int i = 0; i < 5000; i++)
        hm = fnv_u32(hm, (uint32_t)many[i]);
    printf("qsort 5000: sorted=%d checksum %08" PRIx32 "\n", sorted, hm);

    volatile char *vs = (char *)"abc";
    const char *s1 = (const char *)vs;
    printf("strcmp: %d %d %d %d %d\n", sign_of(strcmp(s1, "abd")), sign_of(strcmp(s1, "abc")),
           sign_of(strcmp(s1, "ab")), sign_of(strcmp(s1, "")), sign_of(strcmp("\xff", s1)));
    printf("strncmp: %d %d %d\n", sign_of(strncmp(s1, "abd", 2)), sign_of(strncmp(s1, "abd", 3)),
           sign_of(strncmp(s1, "abcdef", 5)));
    printf("strcasecmp: %d %d\n", sign_of(strcasecmp("HeLLo", "hello")),
           sign_of(strncasecmp("ABCx", "abcy", 4)));
    printf("memcmp: %d %d %d\n", sign_of(memcmp("abc\0x", "abc\0y", 5)),
           sign_of(memcmp("\x80", "\x7f", 1)), sign_of(memcmp("same", "same", 4)));

    char buf[128];
    strcpy(buf, "Hello");
    strcat(buf, ", ");
    strcat(buf, "world");
    volatile size_t three = 3;
    strncat(buf, "!!!???", three);
    printf("strcpy/strcat: \"%s\" len=%zu\n", buf, strlen(buf));
    printf("strstr: %d %d %s\n", (int)(strstr(buf, "world") - buf), (int)(strstr(buf, "o") - buf),
           strstr(buf, "xyz") ? "found" : "NULL");
    printf("strchr: %d strrchr: %d strchr NUL: %d memchr: %d\n", (int)(strchr(buf, 'o') - buf),
           (int)(strrchr(buf, 'o') - buf), (int)(strchr(buf, '\0') - buf),
           (int)((char *)memchr(buf, 'w', strlen(buf)) - buf));
    printf("strspn: %zu strcspn: %zu strpbrk: %s\n", strspn("abcabcxyz", "abc"),
           strcspn("hello world", " "), strpbrk("hello world", "ow"));
    char tokbuf[] = "alpha,beta;;gamma,,delta;";
    printf("strtok:");
    for (char *t = strtok(tokbuf, ",;"); t; t = strtok(NULL, ",;"))
        printf(" [%s]", t);
    printf("\n");
    char tokbuf2[] = "a b  c";
    char *save;
    printf("strtok_r:");
    for (char *t = strtok_r(tokbuf2, " ", &save); t; t = strtok_r(NULL, " ", &save))
        printf(" [%s]", t);
    printf("\n");

    char mm[32];
    strcpy(mm, "0123456789abcdef");
    memmove(mm + 4, mm, 10);
    printf("memmove forward overlap: %s\n", mm);
    strcpy(mm, "0123456789abcdef");
    memmove(mm, mm + 3, 10);
    printf("memmove backward overlap: %s\n", mm);
    memset(mm, 'x', 5);
    mm[5] = 0;
    printf("memset: %s\n", mm);
    static unsigned char bigmove[70000];
    for (size_t i = 0; i < sizeof bigmove; i++)
        bigmove[i] = (unsigned char)(i * 13);
    memmove(bigmove + 3, bigmove, 60000);
    memmove(bigmove + 1000, bigmove + 1017, 50001);
    memcpy(bigmove + 65000, bigmove + 1, 4097);
    printf("big memmove checksum %08" PRIx32 "\n", fnv_bytes(fnv_init(), bigmove, sizeof bigmove));

    char *dup = strdup("duplicate me");
    char *ndup = strndup("truncate here", 8);
    printf("strdup: %s strndup: %s\n", dup, ndup);
    free(dup);
    free(ndup);

    int n = sprintf(buf, "%d-%s-%c-%5.1f", 42, "str", 'Z', 3.14159);
    printf("sprintf: \"%s\" returned %d\n", buf, n);
    volatile size_t small = 8;
    n = snprintf(buf, small, "%s", "truncated output");
    printf("snprintf trunc: \"%s\" returned %d\n", buf, n);
    n = snprintf(NULL, 0, "%d %d", 12345, 678);
    printf("snprintf(NULL,0): %d\n", n);

    int si = 0;
    unsigned sx = 0;
    float sf = 0;
    char sw[32] = {0};
    char sc = 0;
    n = sscanf("  -123 word 0x1f 2.5e1 Q", "%d %31s %x %f %c", &si, sw, &sx, &sf, &sc);
    printf("sscanf: n=%d %d \"%s\" %u %g %c\n", n, si, sw, sx, (double)sf, sc);
    n = sscanf("12abc", "%d%d", &si, &si);
    printf("sscanf partial: n=%d\n", n);
    n = sscanf("", "%d", &si);
    printf("sscanf empty: n=%d\n", n);
    char sdate[16];
    int sy, smo, sd;
    n = sscanf("2024-03-15T10", "%d-%d-%d%15s", &sy, &smo, &sd, sdate);
    printf("sscanf date: n=%d %d/%d/%d rest=%s\n", n, sy, smo, sd, sdate);

    char up[] = "Mixed Case 123 !?";
    for (char *p = up; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    printf("toupper: %s\n", up);
    for (char *p = up; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    printf("tolower: %s\n", up);
    int nalpha = 0, ndigit = 0, nspace = 0, npunct = 0, nupper = 0, ncntrl = 0, nxdigit = 0;
    for (int c = 0; c < 256; c++) {
        nalpha += isalpha(c) != 0;
        ndigit += isdigit(c) != 0;
        nspace += isspace(c) != 0;
        npunct += ispunct(c) != 0;
        nupper += isupper(c) != 0;
        ncntrl += iscntrl(c) != 0;
        nxdigit += isxdigit(c) != 0;
    }
    printf("ctype counts: alpha=%d digit=%d space=%d punct=%d upper=%d cntrl=%d xdigit=%d\n",
           nalpha, ndigit, nspace, npunct, nupper, ncntrl, nxdigit);

    static const struct {
        const char *s;
        int base;
    } tl[] = {
        {"12345", 10}, {"-0777", 0}, {"0777", 8}, {"0x1A", 0}, {"0x1A", 16}, {"1A", 16},
        {"101101", 2}, {"zz", 36}, {"  +42abc", 10}, {"abc", 10}, {"99999999999999999999", 10},
        {"-99999999999999999999", 10}, {"2147483648", 10}, {"-2147483649", 10}, {"0x", 16},
        {"10", 1},
    };
    for (size_t i = 0; i < sizeof tl / sizeof tl[0]; i++) {
        char *end = NULL; /* glibc leaves it alone for an invalid base */
        errno = 0;
        long v = strtol(tl[i].s, &end, tl[i].base);
        int e = errno;
        printf("strtol(\"%s\", %d) = %ld used=%d errno=%s\n", tl[i].s, tl[i].base, v,
               end ? (int)(end - tl[i].s) : -1, errname(e));
    }
    errno = 0;
    unsigned long ul = strtoul("-1", NULL, 10);
    printf("strtoul(\"-1\") = %lu errno=%s\n", ul, errname(errno));
    printf("atoi: %d %d %d atol: %ld\n", atoi("  -17xyz"), atoi("abc"), atoi("+0"),
           atol("2147483647"));
    return 0;
}

/* ------------------------------------------------------------------------ */
/* clock                                                                    */
/* ------------------------------------------------------------------------ */

static double ts_sec(const struct timespec *ts)
{
    return (double)ts->tv_sec + ts->tv_nsec / 1e9;
}

static const char *okbad(int cond)
{
    return cond ? "ok" : "bad";
}

static int case_clock(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct timespec m1, m2, m3, rt, res;
    int rc1 = clock_gettime(CLOCK_MONOTONIC, &m1);
    int rc2 = clock_gettime(CLOCK_MONOTONIC, &m2);
    int rc3 = clock_gettime(CLOCK_REALTIME, &rt);
    struct timeval tv;
    int rc4 = gettimeofday(&tv, NULL);
    time_t t = time(NULL);
    printf("clock_gettime calls succeed: %s\n", okbad(rc1 == 0 && rc2 == 0 && rc3 == 0));
    printf("gettimeofday succeeds: %s\n", okbad(rc4 == 0));
    printf("monotonic non-decreasing: %s\n",
           okbad(m2.tv_sec > m1.tv_sec || (m2.tv_sec == m1.tv_sec && m2.tv_nsec >= m1.tv_nsec)));
    printf("tv_nsec in range: %s\n",
           okbad(m1.tv_nsec >= 0 && m1.tv_nsec < 1000000000 && rt.tv_nsec >= 0 &&
                 rt.tv_nsec < 1000000000 && tv.tv_usec >= 0 && tv.tv_usec < 1000000));
    time_t t2;
    time(&t2);
    /* The clocks are read in order, so each reading lies between the realtime readings
     * around it, however long the process waits in between (a loaded machine): only a
     * second of slack, for time()'s coarse clock lagging CLOCK_REALTIME by a tick. */
    struct timespec rt_after;
    clock_gettime(CLOCK_REALTIME, &rt_after);
#define BETWEEN(x) ((long long)(x) >= (long long)rt.tv_sec - 1 && (long long)(x) <= (long long)rt_after.tv_sec + 1)
    printf("realtime after 2020: %s\n", okbad(rt.tv_sec > 1577836800));
    printf("time() consistent with realtime: %s\n", okbad(BETWEEN(t)));
    printf("gettimeofday consistent with realtime: %s\n", okbad(BETWEEN(tv.tv_sec) && tv.tv_sec >= rt.tv_sec));
    printf("time(&t) stores result: %s\n", okbad(BETWEEN(t2) && t2 >= t));
#undef BETWEEN
    printf("clock_getres monotonic: %s\n",
           okbad(clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0 &&
                 res.tv_nsec <= 10000000));

    struct timespec req = {0, 10 * 1000 * 1000}, rem = {0, 0};
    clock_gettime(CLOCK_MONOTONIC, &m1);
    int ns = nanosleep(&req, &rem);
    clock_gettime(CLOCK_MONOTONIC, &m3);
    double el = ts_sec(&m3) - ts_sec(&m1);
    printf("nanosleep 10ms returns 0: %s\n", okbad(ns == 0));
    printf("elapsed >= 10ms: %s\n", okbad(el >= 0.010));
    /* Generous: a loaded machine may not run the process again for a while. */
    printf("elapsed < 120s: %s\n", okbad(el < 120.0));
    usleep(1000);
    clock_gettime(CLOCK_MONOTONIC, &m2);
    printf("monotonic advanced after usleep: %s\n", okbad(ts_sec(&m2) - ts_sec(&m3) >= 0.001));
    struct timespec bad = {0, 2000000000L};
    errno = 0;
    int rb = nanosleep(&bad, NULL);
    printf("nanosleep invalid: %d %s\n", rb, errname(errno));
    errno = 0;
    int rbc = clock_gettime((clockid_t)12345, &rt);
    printf("clock_gettime invalid clock: %d %s\n", rbc, errname(errno));
    /* The 64-bit timespec of a 32-bit process: the kernel ignores tv_nsec's upper half
     * (glibc leaves it uninitialised), in either byte order. */
    long long pad64[4] = { 0, (0x5a5a5a5aLL << 32) | 1000000, 0, 0 };
    printf("clock_nanosleep_time64 ignores tv_nsec padding: %ld\n",
           syscall(SYS_clock_nanosleep_time64, CLOCK_MONOTONIC, 0, pad64, NULL));
    int ktimer = -1;
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    long rt_ = syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &ktimer);
    long long its[4] = { 0, 0, 5, (0x7a7a7a7aLL << 32) | 500 }; /* interval 0, value 5 s + 500 ns */
    printf("timer_settime64 ignores tv_nsec padding: %ld %ld\n", rt_, syscall(SYS_timer_settime64, ktimer, 0, its, NULL));
    syscall(SYS_timer_delete, ktimer);
    clock_t c = clock();
    printf("clock() non-negative: %s\n", okbad(c != (clock_t)-1 && c >= 0));
    struct tm tmv;
    time_t fixed = 1700000000;
    gmtime_r(&fixed, &tmv);
    char tb[64];
    strftime(tb, sizeof tb, "%Y-%m-%d %H:%M:%S %a %j", &tmv);
    printf("gmtime(1700000000): %s\n", tb);
    /* the clock's state as adjtimex(8) reads it (glibc: clock_adjtime64, then the 32-bit
     * adjtimex): its time is now, its tick 1/USER_HZ s; a change is not asked for */
    struct timex tx = {0};
    int state = adjtimex(&tx);
    time_t now = time(NULL);
    printf("adjtimex: state %s, time now %s, tick %ld\n", state >= TIME_OK && state <= TIME_ERROR ? "valid" : errname(errno),
           okbad(tx.time.tv_sec >= now - 2 && tx.time.tv_sec <= now + 2), tx.tick);
    struct timex old32 = {0};
    state = syscall(SYS_adjtimex, &old32);
    printf("adjtimex (32-bit struct): state %s, time now %s, tick %ld\n", state >= TIME_OK && state <= TIME_ERROR ? "valid" : errname(errno),
           okbad(old32.time.tv_sec >= now - 2 && old32.time.tv_sec <= now + 2), old32.tick);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Fatal signals                                                            */
/* ------------------------------------------------------------------------ */

static int case_segv(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    /* Both the pointer and the pointee are volatile: otherwise GCC's
     * points-to analysis sees a store to "nothing" and deletes it. */
    volatile int *volatile p = NULL;
    printf("about to write through NULL\n");
    fflush(stdout);
    *p = 42;
    printf("still alive?!\n");
    return 0;
}

static int case_ill(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("about to execute an illegal instruction\n");
    fflush(stdout);
#if defined(__mips__)
    /* SPECIAL opcode with function field 0x28: reserved on MIPS32 R1-R6. */
    __asm__ volatile(".word 0x00000028");
#elif defined(__arm__) && defined(__thumb__)
    /* UDF #0 (Thumb): permanently undefined. */
    __asm__ volatile(".inst.n 0xde00");
#elif defined(__arm__)
    /* UDF #0 (ARM): permanently undefined. */
    __asm__ volatile(".inst 0xe7f000f0");
#else
    __builtin_trap();
#endif
    printf("still alive?!\n");
    return 0;
}

static int case_abort(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("about to abort\n");
    fflush(stdout);
    abort();
}

static int case_divzero(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    volatile int a = 1, b = 0;
    printf("about to divide by zero\n");
    fflush(stdout);
    int q = a / b;
    printf("still alive?! %d\n", q);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* uname, machine, isatty                                                   */
/* ------------------------------------------------------------------------ */

static int case_uname(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct utsname u;
    if (uname(&u) != 0) {
        printf("uname failed: %s\n", errname(errno));
        return 1;
    }
    printf("sysname=%s\n", u.sysname);
    printf("release non-empty: %d\n", u.release[0] != '\0');
    /* the kernel log's size (dmesg asks it first): allowed, or refused without CAP_SYSLOG */
    int logsize = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
    printf("kernel log size: %s\n", logsize > 0 || (logsize < 0 && errno == EPERM) ? "answered" : errname(errno));
    return 0;
}

static int case_machine(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct utsname u;
    if (uname(&u) != 0) {
        printf("uname failed: %s\n", errname(errno));
        return 1;
    }
    printf("machine=%s\n", u.machine);
    return 0;
}

static int case_isatty(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    errno = 0;
    int a = isatty(0);
    int e0 = errno;
    errno = 0;
    int b = isatty(1);
    int e1 = errno;
    printf("%d %d\n", a, b);
    printf("errno: %s %s\n", a ? "-" : errname(e0), b ? "-" : errname(e1));
    return 0;
}

/* ------------------------------------------------------------------------ */
/* big_stack                                                                */
/* ------------------------------------------------------------------------ */

static __attribute__((noinline)) uint32_t deep(int n, uint32_t acc)
{
    volatile unsigned char frame[1000];
    frame[0] = (unsigned char)n;
    frame[999] = (unsigned char)(acc >> 3);
    frame[n % 1000] = (unsigned char)(n * 7);
    if (n == 0)
        return acc;
    uint32_t r = deep(n - 1, acc * 31 + frame[0] + frame[999]);
    /* use the frame after the call so the recursion cannot be a tail call */
    return r ^ ((uint32_t)frame[n % 1000] << (n % 24)) ^ frame[999];
}

static int case_big_stack(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    uint32_t r = deep(1000, 1);
    printf("deep(1000) = %08" PRIx32 "\n", r);
    /* A big local array as well. */
    volatile unsigned char big[256 * 1024];
    for (size_t i = 0; i < sizeof big; i += 512)
        big[i] = (unsigned char)i;
    uint32_t h = fnv_init();
    for (size_t i = 0; i < sizeof big; i += 512)
        h = (h ^ big[i]) * 16777619u;
    printf("256KB local array checksum %08" PRIx32 "\n", h);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* printf_misc                                                              */
/* ------------------------------------------------------------------------ */

static int case_printf_misc(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    volatile void *null = NULL;
    printf("[%5.2s] [%-5.2s] [%.0s] [%s]\n", "abcdef", "abcdef", "gone", "plain");
    printf("[%-10d] [%10d] [%+d] [%+d] [% d] [%05d] [%-5d] [%.3d] [%8.3d]\n", 42, 42, 42, -42, 42,
           42, 42, 7, -7);
    printf("[%x] [%X] [%#x] [%#X] [%08x] [%#010x] [%#x]\n", 255, 255, 255, 255, 0xbeef, 0xbeef, 0);
    printf("[%o] [%#o] [%#o] [%u] [%u]\n", 8, 8, 0, 4000000000u, (unsigned)-1);
    printf("[%c] [%5c] [%-5c] [%%] [%c%c%c]\n", 'A', 'B', 'C', 'x', 'y', 'z');
    printf("[%p] [%10p]\n", (void *)null, (void *)null);
    printf("[%*d] [%-*d] [%.*d] [%*.*f]\n", 6, 1, 6, 2, 4, 3, 9, 2, 3.14159);
    printf("[%hhd] [%hhu] [%hd] [%hu] [%ld] [%lu] [%lld]\n", 300, 300, 70000, 70000, -1L,
           (unsigned long)ULONG_MAX, LLONG_MIN);
    printf("[%zu] [%zd] [%td] [%jd] [%ju]\n", (size_t)123, (ssize_t)-123, (ptrdiff_t)-5,
           (intmax_t)INTMAX_MIN, (uintmax_t)UINTMAX_MAX);
    printf("[%2$s %1$s] [%3$d %3$x]\n", "world", "hello", 255);
    printf("[%ls]\n", L"wide");
    printf("[%10.4f] [%-10.3e] [%.3g] [%g] [%g] [%g]\n", 3.14159265, 31415.9265, 0.000123456,
           100000.0, 1000000.0, 1e-5);
    int n1 = 0, n2 = 0;
    printf("count%n me%n\n", &n1, &n2);
    printf("n1=%d n2=%d\n", n1, n2);
    int r = printf("%s", "");
    printf("printf(\"\") returned %d\n", r);
    r = printf("abc\n");
    printf("printf(\"abc\\n\") returned %d\n", r);
    fputs("fputs line\n", stdout);
    putchar('p');
    putchar('\n');
    puts("puts line");
    fprintf(stdout, "%s:%d\n", "fprintf stdout", 1);
    fwrite("fwrite\n", 1, 7, stdout);
    char wb[64];
    r = snprintf(wb, sizeof wb, "%08.3f|%-8s|%+.2e", -3.14159, "ab", 12345.678);
    printf("%s (%d)\n", wb, r);
    printf("%s\n", "long string: 0123456789012345678901234567890123456789012345678901234567890123"
                   "456789012345678901234567890123456789");
    printf("%5s|%-5s|%5.1s|\n", "toolongstring", "x", "yz");
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Self-modifying code: generate a function, run it until it is hot (so an  */
/* emulator translates it), patch it, flush the cache, run it again.        */
/* ------------------------------------------------------------------------ */

#if defined(__mips__)
/* v0 = 0; t0 = n; do v0 += k; while (--t0); return v0 */
static void gen_loop(uint32_t *c, int n, int k)
{
    c[0] = 0x24020000;                      /* addiu v0, zero, 0 */
    c[1] = 0x24080000 | n;                  /* addiu t0, zero, n */
    c[2] = 0x24420000 | k;                  /* loop: addiu v0, v0, k */
    c[3] = 0x2508ffff;                      /* addiu t0, t0, -1 */
    c[4] = 0x1500fffd;                      /* bnez t0, loop */
    c[5] = 0;                               /* nop (delay slot) */
    c[6] = 0x03e00008;                      /* jr ra */
    c[7] = 0;                               /* nop */
}
static void patch_step(uint32_t *c, int k) { c[2] = 0x24420000 | k; }
#elif defined(__arm__)
/* ARM state: r0 = 0; r1 = n; do r0 += k; while (--r1); bx lr */
static void gen_loop(uint32_t *c, int n, int k)
{
    c[0] = 0xe3a00000;                      /* mov r0, #0 */
    c[1] = 0xe3a01000 | n;                  /* mov r1, #n */
    c[2] = 0xe2800000 | k;                  /* loop: add r0, r0, #k */
    c[3] = 0xe2511001;                      /* subs r1, r1, #1 */
    c[4] = 0x1afffffc;                      /* bne loop */
    c[5] = 0xe12fff1e;                      /* bx lr */
    c[6] = 0xe1a00000;                      /* nop */
    c[7] = 0xe1a00000;                      /* nop */
}
static void patch_step(uint32_t *c, int k) { c[2] = 0xe2800000 | k; }
#else
#error "no code generator for this architecture"
#endif

static int case_smc(int argc, char **argv)
{
    (void)argc; (void)argv;
    uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    int (*fn)(void) = (int (*)(void))(uintptr_t)code;
    long total;

    gen_loop(code, 100, 3);
    __builtin___clear_cache((char *)code, (char *)(code + 8));
    total = 0;
    for (int i = 0; i < 1000; i++) total += fn();
    printf("first version: %d per call, %ld over 1000 calls\n", fn(), total);

    /* Patch one instruction inside the (by now translated) loop. */
    patch_step(code, 7);
    __builtin___clear_cache((char *)code, (char *)(code + 8));
    total = 0;
    for (int i = 0; i < 1000; i++) total += fn();
    printf("patched step: %d per call, %ld over 1000 calls\n", fn(), total);

    /* Regenerate it whole, with a different trip count, and alternate patches. */
    gen_loop(code, 50, 1);
    __builtin___clear_cache((char *)code, (char *)(code + 8));
    total = 0;
    for (int i = 0; i < 200; i++) {
        patch_step(code, 1 + i % 5);
        __builtin___clear_cache((char *)code, (char *)(code + 8));
        total += fn();
    }
    printf("alternating patches: %ld over 200 calls\n", total);

    /* Unmap and map again at the same place: stale translations must not survive. */
    munmap(code, 4096);
    uint32_t *again = mmap(code, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (again != code) {
        perror("mmap again");
        return 1;
    }
    gen_loop(code, 10, 11);
    __builtin___clear_cache((char *)code, (char *)(code + 8));
    printf("after remap: %d\n", fn());
    return 0;
}

/* mlock and friends (gpg locks its secure memory): mapped ranges lock, unmapped ones are
 * ENOMEM, unknown flags EINVAL; the NUMA policy calls, ENOSYS. (Not here, as qemu-user 7.2 differs from Linux: mlock2,
 * which it lacks, and munlock of a hole, which its reserved guest space lets pass.) */
static int case_mlock(int argc, char **argv)
{
    (void)argc; (void)argv;
    char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    munmap(p + 2 * 4096, 4096);
#define SHOW(what, call) do { errno = 0; long rc_ = (call); printf("%-28s %ld %s\n", what, rc_, errname(rc_ ? errno : 0)); } while (0)
    SHOW("mlock mapped", mlock(p + 10, 4096));
    SHOW("munlock mapped", munlock(p + 10, 4096));
    SHOW("mlock into a hole", mlock(p + 4096, 8192));
    SHOW("mlock zero length", mlock(p + 2 * 4096, 0));
    SHOW("mlockall 0", mlockall(0));
    SHOW("mlockall 8", mlockall(8));
    SHOW("munlockall", munlockall());
    /* No NUMA on a 32-bit ARM or MIPS kernel: libnuma's probe gets ENOSYS, and nothing is printed. */
    int mode = -1;
    SHOW("get_mempolicy", syscall(SYS_get_mempolicy, &mode, NULL, 0UL, NULL, 0UL));
    SHOW("set_mempolicy", syscall(SYS_set_mempolicy, 0, NULL, 0UL));
#undef SHOW
    return 0;
}

/* capget, as node and libcap call it: the version handshake, the errors, and sets that
 * hang together (whatever the host grants: effective and inheritable within permitted...
 * inheritable need not be, so only effective is checked). */
static int case_capget(int argc, char **argv)
{
    (void)argc; (void)argv;
    struct { uint32_t version; int pid; } hdr;
    struct { uint32_t effective, permitted, inheritable; } data[2];
#define CAPGET(what, v, p, d) do { hdr.version = (v); hdr.pid = (p); errno = 0; \
        long rc_ = syscall(SYS_capget, &hdr, (d)); \
        printf("%-26s %ld %s version %#x\n", what, rc_, errname(rc_ ? errno : 0), (unsigned)hdr.version); } while (0)
    CAPGET("unknown version, no data", 0x1234, 0, NULL);
    CAPGET("unknown version", 0, 0, data);
    CAPGET("v3 self", 0x20080522, 0, data);
    int v3_within = (data[0].effective & ~data[0].permitted) == 0 && (data[1].effective & ~data[1].permitted) == 0;
    uint32_t eff0 = data[0].effective;
    CAPGET("v3 own pid", 0x20080522, getpid(), data);
    printf("effective within permitted %d, same by pid %d\n", v3_within, data[0].effective == eff0);
    memset(data, 0xa5, sizeof data);
    CAPGET("v1 self", 0x19980330, 0, data);
    printf("v1 leaves the second set alone %d\n", data[1].effective == 0xa5a5a5a5u);
    CAPGET("v2, no data", 0x20071026, 0, NULL);
    CAPGET("negative pid", 0x20080522, -5, data);
    CAPGET("no such pid", 0x20080522, 0x3ffffff0, data);
#undef CAPGET
    return 0;
}

/* The result of a call that returns 0 or -1 (or, for posix_fadvise, an errno). */
static void said(const char *what, long rc)
{
    printf("%s: %s\n", what, rc == 0 ? "ok" : rc > 0 ? errname((int)rc) : errname(errno));
}

/* Offsets past 4 GiB (two registers each, in ABI-specific slots) through the calls that
 * take them, and the range hints' argument checks: posix_fadvise, sync_file_range,
 * readahead. The file is sparse; the case removes it. */
static int case_bigfile(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "bigfile: need a directory argument\n");
        return 2;
    }
    snprintf(fio_dir, sizeof fio_dir, "%s", argv[2]);
    const off_t g4 = (off_t)4 << 30;
    int fd = open(fpath("sparse"), O_CREAT | O_TRUNC | O_RDWR, 0600);
    printf("pwrite past 4G: %zd\n", pwrite(fd, "BIG", 3, g4 + 12345));
    struct stat st;
    fstat(fd, &st);
    printf("size %lld\n", (long long)st.st_size);
    char b[4] = {0};
    printf("pread past 4G: %zd %s\n", pread(fd, b, 3, g4 + 12345), b);
    printf("lseek: %lld\n", (long long)lseek(fd, g4 + 7, SEEK_SET));
    said("ftruncate 8G+1", ftruncate(fd, 2 * g4 + 1));
    fstat(fd, &st);
    printf("size %lld\n", (long long)st.st_size);
    said("fallocate past 4G", fallocate(fd, FALLOC_FL_KEEP_SIZE, g4 + 200, 4096));
    said("posix_fadvise DONTNEED", posix_fadvise(fd, g4, 4096, POSIX_FADV_DONTNEED));
    said("posix_fadvise unknown advice", posix_fadvise(fd, 0, 0, 99));
    said("posix_fadvise negative length", posix_fadvise(fd, 0, -1, POSIX_FADV_NORMAL));
    said("sync_file_range", sync_file_range(fd, g4, 4096, SYNC_FILE_RANGE_WRITE));
    said("sync_file_range negative offset", sync_file_range(fd, -1, 4096, SYNC_FILE_RANGE_WRITE));
    said("sync_file_range bad flags", sync_file_range(fd, 0, 0, 8));
    said("readahead", readahead(fd, g4, 4096));
    int p[2];
    if (pipe(p) != 0) return 1;
    said("posix_fadvise on a pipe", posix_fadvise(p[0], 0, 0, POSIX_FADV_NORMAL));
    said("sync_file_range on a pipe", sync_file_range(p[0], 0, 0, SYNC_FILE_RANGE_WRITE));
    said("readahead on a pipe", readahead(p[0], 0, 4096));
    said("readahead on a closed descriptor", readahead(999, 0, 4096));
    close(p[0]);
    close(p[1]);
    close(fd);
    said("unlink", unlink(fpath("sparse")));
    return 0;
}

/* Reading a pipe's write end, writing its read end: EBADF at once, not a wait (vim -es reads a
 * dup of stderr once stdin ends). Blocking ends; an alarm ends a wrong wait (status 142). */
static int case_wrong_way(int argc, char **argv)
{
    (void)argc; (void)argv;
    int p[2];
    char c = 'x';
    struct iovec v = {&c, 1};
    if (pipe(p) != 0) {
        perror("pipe");
        return 1;
    }
    alarm(5);
#define SHOW(what, call) do { errno = 0; long rc_ = (call); printf("%-24s %ld %s\n", what, rc_, errname(rc_ < 0 ? errno : 0)); } while (0)
    SHOW("read write end", read(p[1], &c, 1));
    SHOW("readv write end", readv(p[1], &v, 1));
    SHOW("write read end", write(p[0], &c, 1));
    SHOW("writev read end", writev(p[0], &v, 1));
    SHOW("write write end", write(p[1], &c, 1));
    SHOW("read read end", read(p[0], &c, 1));
    int d = dup(p[1]);
    SHOW("read a dup of write end", read(d, &c, 1));
    SHOW("F_GETFL accmode", fcntl(d, F_GETFL) & O_ACCMODE);
#undef SHOW
    alarm(0);
    return 0;
}

/* Scheduling policy queries (chrt) and personality (setarch): fixed answers Linux gives. */
static int case_sched(int argc, char **argv)
{
    (void)argc; (void)argv;
    static const int policies[] = {SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE, 6, 4, 77};
    for (size_t i = 0; i < sizeof policies / sizeof *policies; i++) {
        errno = 0;
        int lo = sched_get_priority_min(policies[i]), hi = sched_get_priority_max(policies[i]);
        printf("policy %d: %d..%d %s\n", policies[i], lo, hi, errname(errno));
    }
    struct sched_param sp = {.sched_priority = 5};
    printf("getscheduler(0) %d\n", sched_getscheduler(0));
    printf("getparam(0) %d prio %d\n", sched_getparam(0, &sp), sp.sched_priority);
    errno = 0;
    printf("getscheduler(-1) %d %s\n", sched_getscheduler(-1), errname(errno));
    sp.sched_priority = 0;
    printf("setscheduler(BATCH, 0) %d\n", sched_setscheduler(0, SCHED_BATCH, &sp));
    sp.sched_priority = 3;
    errno = 0;
    printf("setscheduler(OTHER, 3) %d %s\n", sched_setscheduler(0, SCHED_OTHER, &sp), errname(errno));
    printf("personality query %#x\n", personality(0xffffffff));
    printf("personality set %#x\n", personality(ADDR_NO_RANDOMIZE));
    printf("personality now %#x\n", personality(0xffffffff));
    return 0;
}

/* SIGCHLD's siginfo names the child and how it ended, to a handler and to a signalfd
 * (script waits on one for CLD_EXITED). */
static volatile sig_atomic_t chld_code, chld_status, chld_pid_ok;
static pid_t chld_expect;
static void on_chld(int sig, siginfo_t *si, void *uc)
{
    (void)sig; (void)uc;
    chld_code = si->si_code;
    chld_status = si->si_status;
    chld_pid_ok = si->si_pid == chld_expect;
}

static int case_sigchld_info(int argc, char **argv)
{
    (void)argc; (void)argv;
    struct sigaction sa = {.sa_sigaction = on_chld, .sa_flags = SA_SIGINFO};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGCHLD, &sa, NULL);
    sigset_t chld, old;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, &old);
    chld_expect = fork();
    if (chld_expect == 0) _exit(5);
    sigsuspend(&old);
    printf("handler: code %d status %d pid %s\n", chld_code, chld_status, chld_pid_ok ? "ok" : "wrong");
    waitpid(chld_expect, NULL, 0);

    int sfd = signalfd(-1, &chld, SFD_CLOEXEC);
    pid_t pid = fork();
    if (pid == 0) {
        raise(SIGKILL);
        _exit(1);
    }
    struct signalfd_siginfo ssi;
    ssize_t n = read(sfd, &ssi, sizeof ssi);
    printf("signalfd: %zd %s code %d status %d pid %s\n", n, ssi.ssi_signo == SIGCHLD ? "SIGCHLD" : "other", ssi.ssi_code, ssi.ssi_status,
           ssi.ssi_pid == (uint32_t)pid ? "ok" : "wrong");
    waitpid(pid, NULL, 0);
    close(sfd);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Dispatch                                                                 */
/* ------------------------------------------------------------------------ */

static const struct {
    const char *name;
    int (*fn)(int, char **);
} cases[] = {
    {"args", case_args},
    {"env", case_env},
    {"exit", case_exit},
    {"fileio", case_fileio},
    {"cat", case_cat},
    {"malloc", case_malloc},
    {"float", case_float},
    {"fround", case_fround},
    {"nan", case_nan},
    {"libm", case_libm},
    {"int64", case_int64},
    {"setjmp", case_setjmp},
    {"strings", case_strings},
    {"clock", case_clock},
    {"segv", case_segv},
    {"ill", case_ill},
    {"abort", case_abort},
    {"divzero", case_divzero},
    {"uname", case_uname},
    {"machine", case_machine},
    {"isatty", case_isatty},
    {"big_stack", case_big_stack},
    {"printf_misc", case_printf_misc},
    {"smc", case_smc},
    {"mlock", case_mlock},
    {"sched", case_sched},
    {"sigchld_info", case_sigchld_info},
    {"capget", case_capget},
    {"wrong_way", case_wrong_way},
    {"bigfile", case_bigfile},
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: suite <case> [args...]\ncases:");
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
            fprintf(stderr, " %s", cases[i].name);
        fprintf(stderr, "\n");
        return 2;
    }
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (strcmp(argv[1], cases[i].name) == 0)
            return cases[i].fn(argc, argv);
    fprintf(stderr, "suite: unknown case '%s'\n", argv[1]);
    return 2;
}
