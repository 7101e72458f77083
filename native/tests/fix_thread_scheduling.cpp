// Defect test for native/patches/fix-thread-scheduling-abort.patch (upstream 797c7f09): the
// context's I/O threads apply ZMQ_THREAD_SCHED_POLICY, ZMQ_THREAD_PRIORITY and
// ZMQ_THREAD_AFFINITY_CPU_ADD when they start, and libzmq 4.3.4 asserted that the system
// accepted them, so a refusal aborted the whole process from an I/O thread:
//   1. a program running under SCHED_FIFO asks for SCHED_OTHER: the inherited real-time
//      priority was kept and SCHED_OTHER refuses it (EINVAL);
//   2. an unprivileged program sets ZMQ_THREAD_PRIORITY: nice(-20) fails with EPERM;
//   3. a CPU the machine does not have in ZMQ_THREAD_AFFINITY_CPU_ADD (EINVAL).
// Each case runs in a child process; the test passes when every child gets a working socket
// and exits normally. Case 1 needs CAP_SYS_NICE (skipped without it); case 2, when run as
// root, drops to the nobody user (uid 65534) first.
#include "fixtest.hpp"

#include <sched.h>
#include <sys/wait.h>

// Starts the context's threads (the first socket does) and checks that they carry messages.
static void start_and_use (void *ctx)
{
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (pull && push);
    CHECK (zmq_bind (pull, "tcp://127.0.0.1:*") == 0);
    char endpoint[128];
    size_t endpoint_size = sizeof endpoint;
    CHECK (zmq_getsockopt (pull, ZMQ_LAST_ENDPOINT, endpoint, &endpoint_size) == 0);
    CHECK (zmq_connect (push, endpoint) == 0);
    const int timeout_ms = 10000;
    CHECK (zmq_setsockopt (pull, ZMQ_RCVTIMEO, &timeout_ms, sizeof timeout_ms) == 0);
    CHECK (zmq_send (push, "hello", 5, 0) == 5);
    char body[16];
    CHECK (zmq_recv (pull, body, sizeof body, 0) == 5);
    CHECK (zmq_close (push) == 0);
    CHECK (zmq_close (pull) == 0);
}

static int fifo_parent_asks_for_other ()
{
    sched_param fifo;
    memset (&fifo, 0, sizeof fifo);
    fifo.sched_priority = 1;
    if (sched_setscheduler (0, SCHED_FIFO, &fifo) != 0)
        return 77; // no CAP_SYS_NICE
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    CHECK (zmq_ctx_set (ctx, ZMQ_THREAD_SCHED_POLICY, SCHED_OTHER) == 0);
    // The threads start (inheriting SCHED_FIFO) with the context's first socket.
    void *first = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (first);
    sched_param other;
    memset (&other, 0, sizeof other);
    CHECK (sched_setscheduler (0, SCHED_OTHER, &other) == 0);
    start_and_use (ctx);
    CHECK (zmq_close (first) == 0);
    CHECK (zmq_ctx_term (ctx) == 0);
    return 0;
}

static int unprivileged_priority ()
{
    if (geteuid () == 0 && setuid (65534) != 0)
        return 77;
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    CHECK (zmq_ctx_set (ctx, ZMQ_THREAD_PRIORITY, 1) == 0);
    start_and_use (ctx);
    CHECK (zmq_ctx_term (ctx) == 0);
    return 0;
}

static int missing_cpu ()
{
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    CHECK (zmq_ctx_set (ctx, ZMQ_THREAD_AFFINITY_CPU_ADD, 1000) == 0);
    start_and_use (ctx);
    CHECK (zmq_ctx_term (ctx) == 0);
    return 0;
}

int main ()
{
    struct
    {
        const char *name;
        int (*run) ();
    } cases[] = {{"SCHED_OTHER asked for under SCHED_FIFO", fifo_parent_asks_for_other},
                 {"ZMQ_THREAD_PRIORITY 1 without privilege", unprivileged_priority},
                 {"ZMQ_THREAD_AFFINITY_CPU_ADD 1000 (no such CPU)", missing_cpu}};
    int failed = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fflush (NULL);
        const pid_t pid = fork ();
        CHECK (pid >= 0);
        if (pid == 0)
            _exit (cases[i].run ());
        int status = 0;
        CHECK (waitpid (pid, &status, 0) == pid);
        if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
            printf ("ok: %s\n", cases[i].name);
        else if (WIFEXITED (status) && WEXITSTATUS (status) == 77)
            printf ("skipped: %s (not permitted here)\n", cases[i].name);
        else {
            fprintf (stderr, "%s: the process %s %d\n", cases[i].name,
                     WIFSIGNALED (status) ? "died of signal" : "exited with",
                     WIFSIGNALED (status) ? WTERMSIG (status) : WEXITSTATUS (status));
            failed++;
        }
    }
    return failed == 0 ? 0 : 1;
}
