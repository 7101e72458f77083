// Defect test for native/patches/fix-tcp-self-connect-reconnects.patch (upstream 9d319655,
// #4599): a TCP connect can reach itself (simultaneous open, when the kernel gives the
// connecter the port it connects to: a port in the ephemeral range that nobody listens on).
// The socket then handshakes with itself; when that fails (here REQ meets REQ), 4.3.4 took
// it as a protocol error and stopped reconnecting for good, so a server that starts on that
// port later is never reached. The test forces the self-connection with a source address
// equal to the destination ("tcp://127.0.0.1:P;127.0.0.1:P") and passes when the socket
// keeps trying after the first self-connection: it connects again, or retries (a kernel that
// keeps the closed connection in TIME_WAIT may refuse the same address pair for a while).
// (The failure itself raises no monitor event: a socket type mismatch is not reported as a
// handshake failure in 4.3.4.)
#include "fixtest.hpp"

#include <stdint.h>

// Reads one event from a zmq_socket_monitor PAIR socket; returns its number, or -1 when none
// arrives within the socket's ZMQ_RCVTIMEO.
static int next_event (void *monitor)
{
    unsigned char header[6];
    const int size = zmq_recv (monitor, header, sizeof header, 0);
    if (size < 0)
        return -1;
    CHECK (size == 6);
    char endpoint[256];
    CHECK (zmq_recv (monitor, endpoint, sizeof endpoint, 0) >= 0);
    uint16_t event;
    memcpy (&event, header, sizeof event);
    return event;
}

int main ()
{
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    CHECK (req);
    const int reconnect_ms = 50;
    CHECK (zmq_setsockopt (req, ZMQ_RECONNECT_IVL, &reconnect_ms, sizeof reconnect_ms) == 0);
    CHECK (zmq_socket_monitor (req, "inproc://self-connect-monitor",
                               ZMQ_EVENT_CONNECTED | ZMQ_EVENT_CONNECT_RETRIED)
           == 0);
    void *monitor = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (monitor);
    // A bound on the wait, not a timing assertion: unpatched, no second event ever comes.
    const int wait_ms = 10000;
    CHECK (zmq_setsockopt (monitor, ZMQ_RCVTIMEO, &wait_ms, sizeof wait_ms) == 0);
    CHECK (zmq_connect (monitor, "inproc://self-connect-monitor") == 0);

    const int port = free_loopback_port (SOCK_STREAM);
    char endpoint[96];
    snprintf (endpoint, sizeof endpoint, "tcp://127.0.0.1:%d;127.0.0.1:%d", port, port);
    CHECK (zmq_connect (req, endpoint) == 0);

    int connections = 0, retries = 0;
    while (connections < 2 && retries == 0) {
        const int event = next_event (monitor);
        if (event < 0) {
            fprintf (stderr,
                     "after %d connection(s) to itself and %d retries, the socket stopped "
                     "reconnecting (no event in %d ms)\n",
                     connections, retries, wait_ms);
            return 1;
        }
        if (event == ZMQ_EVENT_CONNECTED)
            connections++;
        else if (event == ZMQ_EVENT_CONNECT_RETRIED && connections > 0)
            retries++;
    }

    const int linger = 0;
    CHECK (zmq_setsockopt (req, ZMQ_LINGER, &linger, sizeof linger) == 0);
    CHECK (zmq_socket_monitor (req, NULL, 0) == 0);
    CHECK (zmq_close (req) == 0);
    CHECK (zmq_close (monitor) == 0);
    CHECK (zmq_ctx_term (ctx) == 0);
    printf ("ok: a socket connected to itself keeps reconnecting (%d connections, %d "
            "retries)\n",
            connections, retries);
    return 0;
}
