// Defect test for native/patches/fix-zmtp2-handshake-timer.patch (upstream 6cc694d8): with a
// peer that speaks ZMTP 2.0 (libzmq 3.x) or 1.0, the handshake is over after the greeting and
// no security mechanism runs; the ZMQ_HANDSHAKE_IVL timer, which only a mechanism cancelled,
// then fired and dropped the working connection. The test plays a ZMTP 2.0 PUSH peer over a
// plain TCP socket against a PULL with a 100 ms handshake interval, waits well past it for
// the library to close the connection, and passes when it did not and a message goes through.
#include "fixtest.hpp"

#include <errno.h>
#include <poll.h>

int main ()
{
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    const int handshake_ms = 100;
    CHECK (zmq_setsockopt (pull, ZMQ_HANDSHAKE_IVL, &handshake_ms, sizeof handshake_ms) == 0);
    const int timeout_ms = 10000;
    CHECK (zmq_setsockopt (pull, ZMQ_RCVTIMEO, &timeout_ms, sizeof timeout_ms) == 0);
    const int port = free_loopback_port (SOCK_STREAM);
    char endpoint[64];
    snprintf (endpoint, sizeof endpoint, "tcp://127.0.0.1:%d", port);
    CHECK (zmq_bind (pull, endpoint) == 0);

    const int fd = connect_loopback (port);

    // ZMTP 2.0 greeting: signature (0xFF, 8 bytes, 0x7F), revision 1, socket type PUSH (8),
    // then the identity as a final frame (flags 0, length 0).
    const unsigned char greeting[] = {0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 0x01, 8, 0x00, 0x00};
    CHECK (send (fd, greeting, sizeof greeting, 0) == static_cast<ssize_t> (sizeof greeting));

    // Read what the library sends (its greeting) until it has been quiet for 15 handshake
    // intervals: unpatched, it closes the connection after one.
    for (;;) {
        pollfd item = {fd, POLLIN, 0};
        const int ready = poll (&item, 1, 15 * handshake_ms);
        CHECK (ready >= 0);
        if (ready == 0)
            break;
        char buffer[256];
        const ssize_t got = recv (fd, buffer, sizeof buffer, 0);
        if (got <= 0) {
            fprintf (stderr,
                     "the library closed the ZMTP 2.0 connection after the handshake "
                     "(%s): the handshake timer fired\n",
                     got == 0 ? "end of stream" : strerror (errno));
            return 1;
        }
    }

    // A ZMTP 2.0 message frame: flags 0 (last), length 5, body.
    const unsigned char frame[] = {0x00, 5, 'h', 'e', 'l', 'l', 'o'};
    CHECK (send (fd, frame, sizeof frame, 0) == static_cast<ssize_t> (sizeof frame));
    char body[16];
    CHECK (zmq_recv (pull, body, sizeof body, 0) == 5);
    CHECK (memcmp (body, "hello", 5) == 0);

    close (fd);
    CHECK (zmq_close (pull) == 0);
    CHECK (zmq_ctx_term (ctx) == 0);
    printf ("ok: a ZMTP 2.0 connection outlives ZMQ_HANDSHAKE_IVL and carries a message\n");
    return 0;
}
