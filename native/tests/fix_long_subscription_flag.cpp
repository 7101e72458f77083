// Defect test for native/patches/fix-v3-1-encoder-long-subscription.patch (upstream
// ecc63d0d): a SUB subscribing to a topic of 246-255 bytes sent a frame whose LONG flag did
// not match its length, and the PUB dropped the connection instead of subscribing it. Passes
// when a message on each such topic arrives over tcp.
#include "fixtest.hpp"

#include <string>

int main ()
{
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    CHECK (pub && sub);
    CHECK (zmq_bind (pub, "tcp://127.0.0.1:*") == 0);
    char endpoint[128];
    size_t endpoint_size = sizeof endpoint;
    CHECK (zmq_getsockopt (pub, ZMQ_LAST_ENDPOINT, endpoint, &endpoint_size) == 0);
    const int timeout_ms = 100;
    CHECK (zmq_setsockopt (sub, ZMQ_RCVTIMEO, &timeout_ms, sizeof timeout_ms) == 0);
    CHECK (zmq_connect (sub, endpoint) == 0);

    // One short topic as the control, then the boundary cases.
    const size_t lengths[] = {10, 245, 246, 250, 255, 256};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        const std::string topic (lengths[i], static_cast<char> ('a' + i));
        CHECK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, topic.data (), topic.size ()) == 0);
        // Subscriptions travel asynchronously: publish until one arrives (up to ~10 s).
        bool received = false;
        for (int attempt = 0; attempt < 100 && !received; attempt++) {
            CHECK (zmq_send (pub, topic.data (), topic.size (), 0) == static_cast<int> (topic.size ()));
            char buffer[300];
            const int size = zmq_recv (sub, buffer, sizeof buffer, 0);
            received = size == static_cast<int> (topic.size ())
                       && memcmp (buffer, topic.data (), topic.size ()) == 0;
        }
        if (!received) {
            fprintf (stderr, "no message on a %zu-byte topic: the subscription did not reach the publisher\n",
                     lengths[i]);
            return 1;
        }
        // Drain the extra copies sent while waiting.
        char buffer[300];
        while (zmq_recv (sub, buffer, sizeof buffer, 0) >= 0) {
        }
    }

    CHECK (zmq_close (sub) == 0);
    CHECK (zmq_close (pub) == 0);
    CHECK (zmq_ctx_term (ctx) == 0);
    printf ("ok: subscriptions of 246-256 bytes work over tcp\n");
    return 0;
}
