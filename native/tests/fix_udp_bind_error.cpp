// Defect test for native/patches/fix-udp-bind-error-busy-loop.patch (upstream b261f9a6): when
// the bind behind a udp:// endpoint fails (the port is taken), libzmq 4.3.4 reported it as a
// connection error, and the session "reconnected" by plugging a new UDP engine at once, whose
// bind failed again: a loop that kept an I/O thread busy for as long as the socket lived.
// The test takes a UDP port, binds a DISH to it (zmq_bind returns at once; the I/O thread
// binds), and counts the failing bind() calls the library makes, by interposing bind() in
// this program. Passes when the library tries once (patched: the session ends) rather than
// over and over; the wait is a bound, not a timing assertion.
#include "fixtest.hpp"

#include <dlfcn.h>
#include <errno.h>
#include <time.h>

static volatile int udp_port_under_test = 0;
static volatile int failed_binds = 0;

// Every bind() in the process, libzmq's included, comes here first.
extern "C" int bind (int fd, const struct sockaddr *addr, socklen_t len)
{
    typedef int (*bind_fn) (int, const struct sockaddr *, socklen_t);
    static bind_fn real_bind = reinterpret_cast<bind_fn> (dlsym (RTLD_NEXT, "bind"));
    const int rc = real_bind (fd, addr, len);
    if (rc != 0 && addr != NULL && addr->sa_family == AF_INET
        && ntohs (reinterpret_cast<const sockaddr_in *> (addr)->sin_port)
             == udp_port_under_test)
        __sync_fetch_and_add (&failed_binds, 1);
    return rc;
}

static void sleep_ms (int ms)
{
    timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep (&ts, NULL);
}

int main ()
{
    // Hold a UDP port without SO_REUSEADDR: libzmq's bind to it fails with EADDRINUSE.
    int held_port;
    const int holder = bind_loopback (SOCK_DGRAM, &held_port);
    udp_port_under_test = held_port;

    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *dish = zmq_socket (ctx, ZMQ_DISH);
    CHECK (dish);
    char endpoint[64];
    snprintf (endpoint, sizeof endpoint, "udp://127.0.0.1:%d", udp_port_under_test);
    CHECK (zmq_bind (dish, endpoint) == 0);

    // Wait for the first failure, then give a retry loop ample chances to show itself.
    for (int i = 0; i < 1000 && failed_binds == 0; i++)
        sleep_ms (10);
    CHECK (failed_binds >= 1);
    sleep_ms (1000);
    const int failures = failed_binds;
    if (failures > 2) {
        // Unpatched, closing the socket would hang as well (zmq_ctx_term waits for the
        // looping session): report and leave.
        fprintf (stderr, "the library tried the taken udp:// port %d times in a second\n",
                 failures);
        _exit (1);
    }

    const int linger = 0;
    CHECK (zmq_setsockopt (dish, ZMQ_LINGER, &linger, sizeof linger) == 0);
    CHECK (zmq_close (dish) == 0);
    CHECK (zmq_ctx_term (ctx) == 0);
    close (holder);
    printf ("ok: a udp:// bind to a taken port fails once (%d attempt), no retry loop\n",
            failures);
    return 0;
}
