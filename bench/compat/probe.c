/* Single-process behaviour a program sees from its C library, printed deterministically:
 * locale and wide characters, printf/strtod, libm edge cases, rounding modes and float
 * exceptions, time zones, the user database, iconv, sorting, large files, directory walks,
 * file mappings and getrandom. Built by bench/compat.mjs and run under qemu-user and urun. */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fenv.h>
#include <float.h>
#include <ftw.h>
#include <grp.h>
#include <iconv.h>
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

static void locale_part(void)
{
    printf("setlocale C.UTF-8: %s\n", setlocale(LC_ALL, "C.UTF-8") ? "yes" : "no");
    printf("codeset %s MB_CUR_MAX %d\n", nl_langinfo(CODESET), (int)MB_CUR_MAX);
    const char *s = "h\xc3\xa9llo w\xc3\xb6rld \xe2\x82\xac \xf0\x9f\x98\x80";
    wchar_t w[64];
    size_t n = mbstowcs(w, s, 64);
    printf("mbstowcs %zu:", n);
    if (n == (size_t)-1) /* no UTF-8 locale (a big-endian sysroot has none) */
        n = 0, w[0] = 0;
    for (size_t i = 0; i < n; i++)
        printf(" %x%s", (unsigned)w[i], iswalpha(w[i]) ? "a" : iswspace(w[i]) ? "s" : "");
    printf("\n");
    for (size_t i = 0; i < n; i++)
        w[i] = towupper(w[i]);
    char back[128];
    printf("wcstombs %zu %s wcwidth %d %d\n", wcstombs(back, w, sizeof back), back, wcwidth(0x20ac), wcwidth(0x1f600));
    printf("%ls|%5lc|%-3ls|\n", L"wide", (wint_t)0xe9, L"x");
    printf("strcoll %d wcscmp %d\n", strcoll("a", "b") < 0, wcscmp(L"\xe9", L"z") > 0);
    setlocale(LC_ALL, "C");
    printf("bad locale: %s\n", setlocale(LC_ALL, "xx_YY.bogus") ? "yes" : "no");
}

static void printf_part(void)
{
    printf("%.17g %.17g %a %a\n", 0.1, 1.0 / 3, 0.1, -0.0);
    printf("%e %E %g %G %.0f %.0f %.0f\n", 123456789.0, 1e-300, 1e-5, 1e20, 0.5, 1.5, 2.5);
    printf("%.30Lf %La %Lg\n", 1.0L / 3, 1.0L / 3, (long double)LDBL_MAX);
    printf("sizeof long double %d LDBL_MANT_DIG %d\n", (int)sizeof(long double), LDBL_MANT_DIG);
    printf("%f %f %f %F\n", INFINITY, -INFINITY, NAN, -NAN);
    printf("%'d %+05d %-5d| %#x %#o %hhd %lld %ju\n", 1234567, 42, 7, 255, 8, 300, -9223372036854775807LL - 1, UINTMAX_MAX);
    const char *in[] = { "1e-400", "1e400", "0x1.8p3", "  -0", "nan(123)", "inf", "4.9406564584124654e-324", "2.2250738585072011e-308", "1.7976931348623159e308", "12abc", "" };
    for (unsigned i = 0; i < sizeof in / sizeof *in; i++) {
        char *end;
        errno = 0;
        double d = strtod(in[i], &end);
        printf("strtod(%s) = %a errno %d rest '%s'\n", in[i], d, errno, end);
    }
    errno = 0;
    printf("strtof %a strtold %La strtol %ld %d strtoull %llu\n", strtof("3.4028236e38", NULL), strtold("0.1", NULL),
           strtol("99999999999", NULL, 10), errno, strtoull("-1", NULL, 0));
}

static void libm_part(void)
{
    double xs[] = { 0.0, -0.0, 1e-310, 0.5, 1.0, 2.0, 10.0, 100.0, 710.0, -745.2, 1e300, INFINITY, -INFINITY, NAN };
    for (unsigned i = 0; i < sizeof xs / sizeof *xs; i++) {
        double x = xs[i];
        int sg;
        double lg = lgamma_r(x, &sg);
        printf("x=%a sin %a cos %a tan %a exp %a log %a sqrt %a cbrt %a atan %a sinh %a lgamma %a/%d tgamma %a erf %a j0 %a\n",
               x, sin(x), cos(x), tan(x), exp(x), log(x), sqrt(x), cbrt(x), atan(x), sinh(x), lg, sg, tgamma(x), erf(x), j0(x));
    }
    printf("pow %a %a %a %a %a\n", pow(2, 0.5), pow(-8, 1.0 / 3), pow(0, -1), pow(-1, INFINITY), pow(10, 308.5));
    printf("fma %a %a\n", fma(0x1p-60 + 1, 1 - 0x1p-60, -1), fma(1e308, 10, -1e308));
    printf("nextafter %a %a %a\n", nextafter(1, 2), nextafter(0, -1), nextafter(DBL_MAX, INFINITY));
    printf("fmod %a remainder %a remquo ", fmod(10, 3.3), remainder(10, 3.3));
    int q;
    double r = remquo(29, 3, &q);
    printf("%a %d\n", r, q);
    printf("frexp ");
    int e;
    double m = frexp(1e-310, &e);
    printf("%a %d ldexp %a scalbn %a logb %a ilogb %d\n", m, e, ldexp(1, -1074), scalbn(3, 1000), logb(1e-310), ilogb(0));
    printf("float: sinf %a expf %a powf %a sqrtf %a\n", sinf(1e10f), expf(88.7f), powf(2.0f, 127.5f), sqrtf(2.0f));
    printf("long double: sqrtl %La expl %La logl %La\n", sqrtl(2.0L), expl(1.0L), logl(10.0L));
    printf("round %a %a %a lrint %ld llround %lld trunc %a rint %a nearbyint %a\n", round(2.5), round(-2.5), floor(-0.5),
           lrint(2.5), llround(-2.5), trunc(-1.9), rint(3.5), nearbyint(-3.5));
    int modes[] = { FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO };
    const char *names[] = { "nearest", "up", "down", "zero" };
    for (int i = 0; i < 4; i++) {
        if (fesetround(modes[i]) != 0) {
            printf("fesetround %s unsupported\n", names[i]);
            continue;
        }
        volatile double a = 1, b = 3, c = -2, d = 7;
        volatile float fa = 1, fb = 3;
        printf("%s: 1/3 %a -2/7 %a f %a rint(2.5) %a lrint(-2.5) %ld sqrt2 %a printf %.3f %.0f\n", names[i], a / b, c / d, fa / fb,
               rint(2.5), lrint(-2.5), sqrt(2.0), 1.0005, 2.5);
    }
    fesetround(FE_TONEAREST);
    feclearexcept(FE_ALL_EXCEPT);
    volatile double z = 0, one = 1, big = 1e308, tiny = 1e-308;
    volatile double t;
    t = one / z;
    printf("divbyzero %d ", !!fetestexcept(FE_DIVBYZERO));
    t = z / z;
    printf("invalid %d ", !!fetestexcept(FE_INVALID));
    t = big * big;
    printf("overflow %d ", !!fetestexcept(FE_OVERFLOW));
    t = tiny * tiny;
    printf("underflow %d ", !!fetestexcept(FE_UNDERFLOW));
    t = one / 3;
    printf("inexact %d\n", !!fetestexcept(FE_INEXACT));
    (void)t;
}

static void time_part(void)
{
    setenv("TZ", "America/New_York", 1);
    tzset();
    printf("tzname %s %s timezone %ld daylight %d\n", tzname[0], tzname[1], timezone, daylight);
    time_t ts[] = { 0, 1700000000, 1710054000, 1710053999, 2147483647, -1, 1699164000 };
    for (unsigned i = 0; i < sizeof ts / sizeof *ts; i++) {
        struct tm tm;
        char buf[200];
        localtime_r(&ts[i], &tm);
        strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %Z %z %a %b %j %U %W %V %G %u %w %s %c %x %X %p %I %e %D %r", &tm);
        printf("%lld: %s isdst %d gmtoff %ld\n", (long long)ts[i], buf, tm.tm_isdst, tm.tm_gmtoff);
    }
    struct tm tm = { .tm_year = 124, .tm_mon = 2, .tm_mday = 10, .tm_hour = 2, .tm_min = 30, .tm_isdst = -1 };
    printf("mktime in the gap %lld hour %d\n", (long long)mktime(&tm), tm.tm_hour);
    setenv("TZ", "Australia/Lord_Howe", 1);
    tzset();
    time_t t = 1700000000;
    char buf[100];
    strftime(buf, sizeof buf, "%F %T %Z %z", localtime(&t));
    printf("Lord_Howe %s\n", buf);
    setenv("TZ", "<+0530>-5:30", 1);
    tzset();
    strftime(buf, sizeof buf, "%F %T %Z %z", localtime(&t));
    printf("POSIX TZ %s\n", buf);
    setenv("TZ", "UTC", 1);
    tzset();
    struct tm g;
    strptime("2024-02-29 13:14:15", "%Y-%m-%d %H:%M:%S", &g);
    printf("strptime %d %d %d timegm %lld\n", g.tm_year, g.tm_mon, g.tm_mday, (long long)timegm(&g));
    struct timespec a, b, res;
    clock_gettime(CLOCK_REALTIME, &a);
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("clocks: realtime after 2020 %d monotonic > 0 %d", a.tv_sec > 1577836800, b.tv_sec > 0 || b.tv_nsec > 0);
    printf(" res %d", clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 1000000);
    printf(" process cputime %d", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a) == 0);
    printf(" thread cputime %d", clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a) == 0);
    printf(" boottime %d coarse %d\n", clock_gettime(CLOCK_BOOTTIME, &a) == 0, clock_gettime(CLOCK_MONOTONIC_COARSE, &a) == 0);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    printf("gettimeofday sane %d time() sane %d\n", tv.tv_usec >= 0 && tv.tv_usec < 1000000, labs(time(NULL) - tv.tv_sec) <= 1);
}

static void users_part(void)
{
    struct passwd *pw = getpwnam("root");
    printf("getpwnam root: %s uid %d gid %d dir %s\n", pw ? pw->pw_name : "-", pw ? (int)pw->pw_uid : -1, pw ? (int)pw->pw_gid : -1, pw ? pw->pw_dir : "-");
    pw = getpwuid(0);
    printf("getpwuid 0: %s\n", pw ? pw->pw_name : "-");
    struct group *gr = getgrgid(0);
    printf("getgrgid 0: %s\n", gr ? gr->gr_name : "-");
    printf("getpwnam nobody-such: %s\n", getpwnam("no-such-user-x") ? "found" : "none");
    printf("uid %d euid %d gid %d egid %d\n", (int)getuid(), (int)geteuid(), (int)getgid(), (int)getegid());
    gid_t groups[64];
    printf("getgroups %d\n", getgroups(64, groups) >= 0);
    char host[256];
    printf("gethostname %d\n", gethostname(host, sizeof host));
    struct utsname u;
    uname(&u);
    printf("uname %s %s\n", u.sysname, u.machine);
}

static void iconv_part(void)
{
    const char *pairs[][2] = { { "ISO-8859-1", "UTF-8" }, { "UTF-8", "UTF-16LE" }, { "UTF-8", "ASCII//TRANSLIT" }, { "UTF-8", "EBCDIC-US" } };
    for (unsigned i = 0; i < 4; i++) {
        iconv_t cd = iconv_open(pairs[i][1], pairs[i][0]);
        if (cd == (iconv_t)-1) {
            printf("iconv %s->%s: open failed errno %d\n", pairs[i][0], pairs[i][1], errno);
            continue;
        }
        char in[32], out[64];
        strcpy(in, i == 0 ? "caf\xe9" : "caf\xc3\xa9 \xe2\x82\xac");
        char *ip = in, *op = out;
        size_t il = strlen(in), ol = sizeof out;
        size_t r = iconv(cd, &ip, &il, &op, &ol);
        printf("iconv %s->%s: r %d left %zu out", pairs[i][0], pairs[i][1], (int)r, il);
        for (char *p = out; p < op; p++)
            printf(" %02x", (unsigned char)*p);
        printf("\n");
        iconv_close(cd);
    }
}

static int cmpd(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void sort_part(void)
{
    double v[1000];
    uint32_t s = 1;
    for (int i = 0; i < 1000; i++) {
        s = s * 1103515245 + 12345;
        v[i] = (double)(s >> 8) / 7;
    }
    qsort(v, 1000, sizeof *v, cmpd);
    double key = v[500];
    double *f = bsearch(&key, v, 1000, sizeof *v, cmpd);
    printf("qsort %a %a %a bsearch %d\n", v[0], v[500], v[999], f ? (int)(f - v) : -1);
}

static int nftw_count, nftw_depth;
static int walker(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)p;
    (void)st;
    nftw_count++;
    if (ftw->level > nftw_depth)
        nftw_depth = ftw->level;
    return flag == FTW_NS ? 1 : 0;
}

static int only_txt(const struct dirent *d) { return strstr(d->d_name, ".txt") != NULL; }

static void files_part(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/big", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    off_t at = (off_t)5 << 30;
    printf("lseek 5G %lld ", (long long)lseek(fd, at, SEEK_SET));
    printf("write %d ", (int)write(fd, "end", 3));
    struct stat st;
    fstat(fd, &st);
    printf("size %lld blocks small %d ", (long long)st.st_size, st.st_blocks < 1024);
    printf("ftruncate %d ", ftruncate(fd, (off_t)3 << 30));
    fstat(fd, &st);
    printf("size %lld ", (long long)st.st_size);
    char b[4] = { 0 };
    printf("pread %d ", (int)pread(fd, b, 3, ((off_t)3 << 30) - 2));
    printf("SEEK_DATA %lld SEEK_HOLE %lld\n", (long long)lseek(fd, 0, SEEK_DATA), (long long)lseek(fd, 0, SEEK_HOLE));
    close(fd);
    unlink(path);

    snprintf(path, sizeof path, "%s/map", dir);
    fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    ftruncate(fd, 10000);
    char *m = mmap(NULL, 10000, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    strcpy(m + 5000, "mapped");
    msync(m, 10000, MS_SYNC);
    pread(fd, path + 3000, 7, 5000);
    printf("mmap shared write seen by pread: %s\n", path + 3000);
    munmap(m, 10000);
    char *p = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, fd, 4096);
    printf("mmap offset 4096 reads %s; past EOF page mapped\n", p + 904);
    munmap(p, 8192);
    close(fd);
    unlink(path);

    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/d%d/e", dir, i);
        char *slash = strrchr(path, '/');
        *slash = 0;
        mkdir(path, 0755);
        *slash = '/';
        mkdir(path, 0755);
        snprintf(path, sizeof path, "%s/d%d/f%d.txt", dir, i, i);
        close(open(path, O_CREAT | O_WRONLY, 0600));
    }
    nftw(dir, walker, 8, FTW_PHYS | FTW_DEPTH);
    printf("nftw %d entries depth %d\n", nftw_count, nftw_depth);
    struct dirent **list;
    snprintf(path, sizeof path, "%s/d1", dir);
    int n = scandir(path, &list, only_txt, alphasort);
    printf("scandir %d %s\n", n, n > 0 ? list[0]->d_name : "-");
    struct statvfs vfs;
    printf("statvfs %d bsize>0 %d\n", statvfs(dir, &vfs), vfs.f_bsize > 0);
    char real[4096];
    snprintf(path, sizeof path, "%s/d1/../d2/./e", dir);
    printf("realpath ends %s\n", realpath(path, real) ? strrchr(real, '/') - 3 : "-");
    unsigned char rnd[64];
    printf("getrandom %d ", (int)getrandom(rnd, sizeof rnd, 0));
    printf("GRND_NONBLOCK %d\n", (int)getrandom(rnd, 16, GRND_NONBLOCK));
    printf("sysconf pagesize %ld clk_tck %ld open_max>0 %d\n", sysconf(_SC_PAGESIZE), sysconf(_SC_CLK_TCK), sysconf(_SC_OPEN_MAX) > 0);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *part = argc > 1 ? argv[1] : "all";
    if (!strcmp(part, "all") || !strcmp(part, "locale"))
        locale_part();
    if (!strcmp(part, "all") || !strcmp(part, "printf"))
        printf_part();
    if (!strcmp(part, "all") || !strcmp(part, "libm"))
        libm_part();
    if (!strcmp(part, "all") || !strcmp(part, "time"))
        time_part();
    if (!strcmp(part, "all") || !strcmp(part, "users"))
        users_part();
    if (!strcmp(part, "all") || !strcmp(part, "iconv"))
        iconv_part();
    if (!strcmp(part, "all") || !strcmp(part, "sort"))
        sort_part();
    if (!strcmp(part, "all") || !strcmp(part, "files"))
        files_part(argc > 2 ? argv[2] : ".");
    return 0;
}
