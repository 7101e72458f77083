// Defect test for native/patches/fix-xpub-manual-terminated-pipe.patch (upstream 2df7ab6a): an
// XPUB with ZMQ_XPUB_MANUAL keeps, for each subscription not yet read, the pipe it came from.
// When that subscriber goes away before the subscription is read, the pipe is freed, but
// reading the subscription still made it the target of the next ZMQ_SUBSCRIBE: the freed pipe
// went into the subscription trie and the next matching send wrote to it (use after free).
// The test reads a subscription after its subscriber has closed, subscribes it, and publishes.
// Unpatched, freed memory is read and written: the AddressSanitizer build
// (native/test-libzmq.sh full --asan) reports a heap-use-after-free. A plain build usually
// survives it silently (the freed pipe's memory still holds plausible values), so this test
// shows the defect only under ASan. Passes when the publish goes through cleanly.
#include "fixtest.hpp"

#include <time.h>

static void sleep_ms (int ms)
{
    timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep (&ts, NULL);
}

int main ()
{
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *xpub = zmq_socket (ctx, ZMQ_XPUB);
    CHECK (xpub);
    const int manual = 1;
    CHECK (zmq_setsockopt (xpub, ZMQ_XPUB_MANUAL, &manual, sizeof manual) == 0);
    CHECK (zmq_bind (xpub, "inproc://xpub-manual") == 0);

    for (int round = 0; round < 3; round++) {
        void *sub = zmq_socket (ctx, ZMQ_SUB);
        CHECK (sub);
        CHECK (zmq_connect (sub, "inproc://xpub-manual") == 0);
        CHECK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "A", 1) == 0);
        // The subscription reaches the XPUB: it is queued with its pipe, not read yet.
        zmq_pollitem_t item = {xpub, 0, ZMQ_POLLIN, 0};
        CHECK (zmq_poll (&item, 1, 10000) == 1);
        // The subscriber goes away; the XPUB finishes the pipe's termination (and frees it)
        // while processing its commands, which ZMQ_EVENTS makes it do.
        CHECK (zmq_close (sub) == 0);
        for (int i = 0; i < 50; i++) {
            int events;
            size_t events_size = sizeof events;
            CHECK (zmq_getsockopt (xpub, ZMQ_EVENTS, &events, &events_size) == 0);
            sleep_ms (2);
        }
        // Read the subscription and subscribe its (gone) pipe, as XPUB_MANUAL programs do.
        char buffer[16];
        const int size = zmq_recv (xpub, buffer, sizeof buffer, ZMQ_DONTWAIT);
        CHECK (size == 2 && buffer[0] == 1 && buffer[1] == 'A');
        CHECK (zmq_setsockopt (xpub, ZMQ_SUBSCRIBE, "A", 1) == 0);
        CHECK (zmq_send (xpub, "A", 1, ZMQ_DONTWAIT) == 1);
        // The unsubscription the XPUB generated for the closed subscriber.
        // (A machine too loaded to finish the termination in the wait above makes the round
        // harmless, never a failure: then it comes later, or not at all before the close.)
        while (zmq_recv (xpub, buffer, sizeof buffer, ZMQ_DONTWAIT) >= 0) {
        }
    }

    const int linger = 0;
    CHECK (zmq_setsockopt (xpub, ZMQ_LINGER, &linger, sizeof linger) == 0);
    CHECK (zmq_close (xpub) == 0);
    CHECK (zmq_ctx_term (ctx) == 0);
    printf ("ok: subscribing a closed subscriber's subscription under XPUB_MANUAL is harmless\n");
    return 0;
}
