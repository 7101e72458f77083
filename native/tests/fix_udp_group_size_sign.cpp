// Defect test for native/patches/fix-udp-in-event-group-size-sign.patch (upstream e357cd32):
// a datagram whose group size byte is 0x80 or more made the DISH's I/O thread abort the whole
// process. Passes when such datagrams are dropped and the DISH still receives a good one.
#include "fixtest.hpp"

int main ()
{
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *dish = zmq_socket (ctx, ZMQ_DISH);
    CHECK (dish);
    const int timeout_ms = 10000;
    CHECK (zmq_setsockopt (dish, ZMQ_RCVTIMEO, &timeout_ms, sizeof timeout_ms) == 0);
    const int port = free_loopback_port (SOCK_DGRAM);
    char endpoint[64];
    snprintf (endpoint, sizeof endpoint, "udp://127.0.0.1:%d", port);
    CHECK (zmq_bind (dish, endpoint) == 0);
    CHECK (zmq_join (dish, "g") == 0);
    wait_until_dish_receives (dish, port, "g", timeout_ms);

    // Group sizes 0x80 and 0xff, each with a group as long as it claims, so only the sign
    // of the size byte is wrong for an unpatched reader.
    for (int size = 0x80; size <= 0xff; size += 0x7f) {
        unsigned char datagram[1 + 255 + 4];
        datagram[0] = static_cast<unsigned char> (size);
        memset (datagram + 1, 'x', static_cast<size_t> (size));
        memcpy (datagram + 1 + size, "body", 4);
        send_datagram (port, datagram, 1 + static_cast<size_t> (size) + 4);
    }
    // Datagrams on one loopback socket arrive in order: once this one is received, the two
    // above have been read (and, unpatched, the process has aborted).
    send_group_datagram (port, "g", "after");

    char body[256];
    recv_group_message (dish, "g", body, sizeof body);
    CHECK (strcmp (body, "after") == 0);

    CHECK (zmq_close (dish) == 0);
    CHECK (zmq_ctx_term (ctx) == 0);
    printf ("ok: datagrams with a group size byte >= 0x80 are dropped, the DISH keeps working\n");
    return 0;
}
