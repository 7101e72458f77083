// Defect test for native/patches/fix-udp-in-event-truncated-leak.patch (upstream 3be093c2):
// each datagram shorter than the group size it announces leaked the group buffer. In an
// AddressSanitizer build the leak checker reports it at exit; with glibc the test also
// measures the heap in use before and after a few thousand such datagrams.
#include "fixtest.hpp"

#if defined(__GLIBC__) && defined(__GLIBC_PREREQ)
#if __GLIBC_PREREQ(2, 33) && !defined(__SANITIZE_ADDRESS__)
#include <malloc.h>
#define MEASURE_HEAP 1
static size_t heap_in_use ()
{
    return mallinfo2 ().uordblks;
}
#endif
#endif

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

    // A group size of 100 (larger than a message stored inline, so the group is allocated on
    // the heap) followed by only 10 bytes. Rounds of 50 keep the socket's receive buffer from
    // overflowing; each round ends with a good datagram, and receiving it means the round's
    // short ones have been read.
    unsigned char short_datagram[11];
    short_datagram[0] = 100;
    memset (short_datagram + 1, 'x', 10);
    char body[256];
#ifdef MEASURE_HEAP
    const size_t before = heap_in_use ();
#endif
    const int rounds = 40, per_round = 50;
    for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < per_round; i++)
            send_datagram (port, short_datagram, sizeof short_datagram);
        send_datagram (port, "", 0); // empty: no group size byte at all
        send_group_datagram (port, "g", "after");
        recv_group_message (dish, "g", body, sizeof body);
        CHECK (strcmp (body, "after") == 0);
    }
#ifdef MEASURE_HEAP
    const size_t after = heap_in_use ();
    const size_t grown = after > before ? after - before : 0;
    // 2,000 leaked groups of 100 bytes are over 200,000 bytes; the heap in use otherwise
    // stays within a few allocations of where it was.
    printf ("heap in use grew by %zu bytes over %d short datagrams\n", grown, rounds * per_round);
    CHECK (grown < 64 * 1024);
#endif

    CHECK (zmq_close (dish) == 0);
    CHECK (zmq_ctx_term (ctx) == 0);
    printf ("ok: datagrams shorter than their group are dropped without leaking\n");
    return 0;
}
