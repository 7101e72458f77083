// Defect test for native/patches/fix-ws-address-path.patch (upstream 0e61bce5): a ws://
// address whose path has more than one segment ("/a/b") was split at its last '/', so bind
// and connect failed with EINVAL. Passes when both work and a message goes through.
#include "fixtest.hpp"

int main ()
{
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *server = zmq_socket (ctx, ZMQ_PAIR);
    void *client = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (server && client);
    const int timeout_ms = 10000;
    CHECK (zmq_setsockopt (server, ZMQ_RCVTIMEO, &timeout_ms, sizeof timeout_ms) == 0);
    const int port = free_loopback_port (SOCK_STREAM);
    char endpoint[96];
    snprintf (endpoint, sizeof endpoint, "ws://127.0.0.1:%d/zmq/a/b", port);
    if (zmq_bind (server, endpoint) != 0) {
        fprintf (stderr, "zmq_bind (%s) failed: %s\n", endpoint, zmq_strerror (zmq_errno ()));
        return 1;
    }
    char last[128];
    size_t last_size = sizeof last;
    CHECK (zmq_getsockopt (server, ZMQ_LAST_ENDPOINT, last, &last_size) == 0);
    if (strcmp (last, endpoint) != 0) {
        fprintf (stderr, "ZMQ_LAST_ENDPOINT is %s, expected %s\n", last, endpoint);
        return 1;
    }
    if (zmq_connect (client, endpoint) != 0) {
        fprintf (stderr, "zmq_connect (%s) failed: %s\n", endpoint, zmq_strerror (zmq_errno ()));
        return 1;
    }
    CHECK (zmq_send (client, "hello", 5, 0) == 5);
    char buffer[16];
    CHECK (zmq_recv (server, buffer, sizeof buffer, 0) == 5);
    CHECK (memcmp (buffer, "hello", 5) == 0);

    CHECK (zmq_close (client) == 0);
    CHECK (zmq_close (server) == 0);
    CHECK (zmq_ctx_term (ctx) == 0);
    printf ("ok: ws://host:port/zmq/a/b binds, connects and carries a message\n");
    return 0;
}
