/* A pthread program for gdb sessions against urun -g (test/gdb.test.ts): a breakpoint in
   the thread's function stops every thread; gdb lists both and shows the new one's frames.
   With "spin", both threads spin (for gdb's Ctrl-C); with "segv", the thread faults (gdb
   stops there first); with "fork", a child process does the work (for gdb's
   follow-fork-mode); with "exec", a threaded program execs (gdb follows it into the new
   program); with "lone", the main thread spins while the thread returns (gdb, locked to the
   thread, learns that no thread it resumed is left); with "spawn", posix_spawn (a vfork:
   CLONE_VM|CLONE_VFORK) runs the program again as "spawned", or the program named next
   (a missing one: the vfork child exits 127) (gdb's vfork events); with "orphan", the parent
   of a fork ends at once (gdb keeping both goes on with the child); with "forkspin", the
   child of a fork spins until killed; with "signals", the process sends itself SIGUSR1
   (gdb stops for it) and SIGALRM (gdb passes it), and with "thread-signals" a thread does
   the same to itself; with "forkfork", the child of a fork forks in its turn (gdb keeping
   every process); with "threadfork", a thread forks while the main thread waits to join it
   (gdb's fork events in a multi-threaded program). Built with -O0 -g, static. */
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

volatile int shared;

void *worker(void *arg)
{
    int n = *(int *)arg;
    shared = n * 2;
    return NULL;
}

static void *spin(void *arg);

static void *segv(void *arg)
{
    *(volatile int *)arg = 1;
    return NULL;
}

static int forked(void)
{
    shared = 7;
    return shared * 2;
}

static int spawned(void)
{
    shared = 5;
    return shared;
}

static void *fork_in_thread(void *arg)
{
    pid_t kid = fork();
    if (kid == 0)
        _exit(forked());
    int status;
    waitpid(kid, &status, 0);
    *(int *)arg = WEXITSTATUS(status);
    return NULL;
}

extern char **environ;

volatile int signals_handled;

void on_signal(int sig)
{
    (void)sig;
    signals_handled++;
}

static void *send_signals(void *arg)
{
    (void)arg;
    pthread_kill(pthread_self(), SIGUSR1);
    pthread_kill(pthread_self(), SIGALRM);
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t t;
    int n = 21;
    if (argc > 1 && (strcmp(argv[1], "signals") == 0 || strcmp(argv[1], "thread-signals") == 0)) {
        signal(SIGUSR1, on_signal);
        signal(SIGALRM, on_signal);
        if (argv[1][0] == 't') {
            pthread_create(&t, NULL, send_signals, NULL);
            pthread_join(t, NULL);
        } else {
            send_signals(NULL);
        }
        printf("handled %d\n", signals_handled);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "fork") == 0) {
        pid_t pid = fork();
        if (pid == 0)
            return forked();
        int status;
        waitpid(pid, &status, 0);
        printf("child exit %d, shared %d\n", WEXITSTATUS(status), shared);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "threadfork") == 0) {
        int code = -1;
        pthread_create(&t, NULL, fork_in_thread, &code);
        pthread_join(t, NULL);
        printf("thread's child exit %d, shared %d\n", code, shared);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "forkfork") == 0) {
        pid_t child = fork();
        int status;
        if (child == 0) {
            pid_t grandchild = fork();
            if (grandchild == 0)
                return forked();
            waitpid(grandchild, &status, 0);
            return WEXITSTATUS(status) + 1;
        }
        waitpid(child, &status, 0);
        printf("child exit %d, shared %d\n", WEXITSTATUS(status), shared);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "forkspin") == 0) {
        pid_t pid = fork();
        if (pid == 0)
            return spin(NULL) != NULL;
        int status;
        waitpid(pid, &status, 0);
        printf("child killed by %d\n", WTERMSIG(status));
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "orphan") == 0) {
        if (fork() == 0)
            return forked();
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "spawned") == 0)
        return spawned();
    if (argc > 1 && strcmp(argv[1], "spawn") == 0) {
        char *args[] = {argv[0], "spawned", NULL};
        pid_t pid;
        const char *prog = argc > 2 ? argv[2] : "/proc/self/exe";
        int status, r = posix_spawn(&pid, prog, NULL, NULL, args, environ);
        waitpid(pid, &status, 0);
        printf("spawn %d, spawned exit %d, shared %d\n", r, WEXITSTATUS(status), shared);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "exec") == 0) {
        /* A threaded program runs itself again, single-threaded at first. */
        pthread_create(&t, NULL, spin, NULL);
        execl("/proc/self/exe", argv[0], (char *)NULL);
        return 1;
    }
    if (argc > 1 && strcmp(argv[1], "segv") == 0) {
        pthread_create(&t, NULL, segv, NULL);
        pthread_join(t, NULL);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "lone") == 0) {
        pthread_create(&t, NULL, worker, &n);
        return spin(NULL) != NULL;
    }
    if (argc > 1 && pthread_create(&t, NULL, spin, NULL) == 0)
        return spin(NULL) != NULL;
    if (pthread_create(&t, NULL, worker, &n) != 0)
        return 1;
    pthread_join(t, NULL);
    printf("shared %d\n", shared);
    return 0;
}

static void *spin(void *arg)
{
    for (;;)
        shared++;
    return arg;
}
