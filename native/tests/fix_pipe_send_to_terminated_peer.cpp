// Defect test for native/patches/fix-pipe-send-to-terminated-peer.patch (upstream 959a1335,
// issue #4524): setting ZMQ_SNDHWM on a socket whose peer has just closed sent a command to
// the peer's pipe after it could have been freed. The window is a race with the reaper
// thread, so the test repeats it; an AddressSanitizer build reports the use after free, a
// plain build may crash when the freed peer's socket slot is already gone (or says nothing).
#include "fixtest.hpp"

int main ()
{
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *keeper = zmq_socket (ctx, ZMQ_PULL);
    CHECK (keeper);
    CHECK (zmq_bind (keeper, "inproc://fix-pipe-peer") == 0);
    const int timeout_ms = 10000;
    CHECK (zmq_setsockopt (keeper, ZMQ_RCVTIMEO, &timeout_ms, sizeof timeout_ms) == 0);

    for (int round = 0; round < 200; round++) {
        void *peer = zmq_socket (ctx, ZMQ_PUSH);
        CHECK (peer);
        CHECK (zmq_connect (peer, "inproc://fix-pipe-peer") == 0);
        CHECK (zmq_send (peer, "x", 1, 0) == 1);
        char buffer[4];
        CHECK (zmq_recv (keeper, buffer, sizeof buffer, 0) == 1);
        // The peer closes: its pipe asks the keeper's pipe to terminate.
        CHECK (zmq_close (peer) == 0);
        // ZMQ_EVENTS makes the keeper process that request: it acks, and from then on the
        // peer's pipe (and socket) may be freed by the reaper thread at any moment.
        int events;
        size_t events_size = sizeof events;
        CHECK (zmq_getsockopt (keeper, ZMQ_EVENTS, &events, &events_size) == 0);
        // setsockopt does not process commands, so the keeper's pipe stays listed while the
        // reaper frees the peer; each HWM change was sent to the peer's pipe.
        for (int i = 0; i < 2000; i++) {
            const int hwm = 1000 + (i & 1);
            CHECK (zmq_setsockopt (keeper, ZMQ_SNDHWM, &hwm, sizeof hwm) == 0);
        }
        CHECK (zmq_getsockopt (keeper, ZMQ_EVENTS, &events, &events_size) == 0);
    }

    CHECK (zmq_close (keeper) == 0);
    CHECK (zmq_ctx_term (ctx) == 0);
    printf ("ok: HWM changes while a peer terminates reach no freed pipe\n");
    return 0;
}
