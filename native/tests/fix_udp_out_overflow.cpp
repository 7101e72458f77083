// Defect test for native/patches/fix-udp-out-event-overflow.patch (upstream af11df08): a
// RADIO message larger than the UDP engine's 8192-byte datagram buffer was copied into it
// anyway, overwriting the heap past it. Passes when the oversized message is dropped and the
// next one arrives intact. In an AddressSanitizer build the unpatched copy is reported as a
// heap-buffer-overflow; without ASan the DISH receives the oversized message (cut to 8 KB by
// the receive buffer) first, or the process crashes.
#include "fixtest.hpp"

#include <vector>

int main ()
{
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *dish = zmq_socket (ctx, ZMQ_DISH);
    void *radio = zmq_socket (ctx, ZMQ_RADIO);
    CHECK (dish && radio);
    const int timeout_ms = 10000;
    CHECK (zmq_setsockopt (dish, ZMQ_RCVTIMEO, &timeout_ms, sizeof timeout_ms) == 0);
    const int port = free_loopback_port (SOCK_DGRAM);
    char endpoint[64];
    snprintf (endpoint, sizeof endpoint, "udp://127.0.0.1:%d", port);
    CHECK (zmq_bind (dish, endpoint) == 0);
    CHECK (zmq_join (dish, "g") == 0);
    CHECK (zmq_connect (radio, endpoint) == 0);

    // RADIO over udp has no handshake: the first messages can go before the engine is
    // attached and are then dropped by design. Send probes until one arrives.
    char body[256];
    const int probe_timeout_ms = 100;
    CHECK (zmq_setsockopt (dish, ZMQ_RCVTIMEO, &probe_timeout_ms, sizeof probe_timeout_ms) == 0);
    bool attached = false;
    for (int attempt = 0; attempt < 100 && !attached; attempt++) {
        zmq_msg_t probe;
        CHECK (zmq_msg_init_data (&probe, const_cast<char *> ("probe"), 5, NULL, NULL) == 0);
        CHECK (zmq_msg_set_group (&probe, "g") == 0);
        CHECK (zmq_msg_send (&probe, radio, 0) == 5);
        zmq_msg_t msg;
        CHECK (zmq_msg_init (&msg) == 0);
        attached = zmq_msg_recv (&msg, dish, 0) >= 0;
        CHECK (zmq_msg_close (&msg) == 0);
    }
    CHECK (attached);
    CHECK (zmq_setsockopt (dish, ZMQ_RCVTIMEO, &timeout_ms, sizeof timeout_ms) == 0);
    // Drain any probe still in flight.
    const int drain_timeout_ms = 200;
    CHECK (zmq_setsockopt (dish, ZMQ_RCVTIMEO, &drain_timeout_ms, sizeof drain_timeout_ms) == 0);
    for (;;) {
        zmq_msg_t msg;
        CHECK (zmq_msg_init (&msg) == 0);
        const bool got = zmq_msg_recv (&msg, dish, 0) >= 0;
        CHECK (zmq_msg_close (&msg) == 0);
        if (!got)
            break;
    }
    CHECK (zmq_setsockopt (dish, ZMQ_RCVTIMEO, &timeout_ms, sizeof timeout_ms) == 0);

    // 20,000 bytes: past the 8,192-byte out buffer, the 8,192-byte in buffer after it, and
    // the end of the engine object.
    std::vector<char> big (20000, 'B');
    zmq_msg_t msg;
    CHECK (zmq_msg_init_size (&msg, big.size ()) == 0);
    memcpy (zmq_msg_data (&msg), &big[0], big.size ());
    CHECK (zmq_msg_set_group (&msg, "g") == 0);
    CHECK (zmq_msg_send (&msg, radio, 0) == static_cast<int> (big.size ()));

    CHECK (zmq_msg_init_data (&msg, const_cast<char *> ("after"), 5, NULL, NULL) == 0);
    CHECK (zmq_msg_set_group (&msg, "g") == 0);
    CHECK (zmq_msg_send (&msg, radio, 0) == 5);

    const size_t size = recv_group_message (dish, "g", body, sizeof body);
    if (size != 5 || strcmp (body, "after") != 0) {
        fprintf (stderr, "the first message after the oversized one has %zu bytes, not \"after\": "
                         "the oversized message was sent (out of an overflowed buffer)\n", size);
        return 1;
    }

    CHECK (zmq_close (radio) == 0);
    CHECK (zmq_close (dish) == 0);
    CHECK (zmq_ctx_term (ctx) == 0);
    printf ("ok: a RADIO message over 8 KB is dropped, the next one arrives\n");
    return 0;
}
