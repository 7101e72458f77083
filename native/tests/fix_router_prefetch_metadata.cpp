// Defect test for native/patches/fix-router-prefetch-metadata.patch (upstream 74529d97): a
// ROUTER that prefetches a message (zmq_poll or ZMQ_EVENTS before zmq_msg_recv, as every
// poller-driven program does) returned the routing id frame without the connection's
// metadata, so zmq_msg_gets on it failed ("Socket-Type", "Peer-Address", ZAP's "User-Id").
// Passes when the first frame read after a poll carries "Socket-Type" = "DEALER".
#include "fixtest.hpp"

int main ()
{
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (router && dealer);
    CHECK (zmq_bind (router, "tcp://127.0.0.1:*") == 0);
    char endpoint[128];
    size_t endpoint_size = sizeof endpoint;
    CHECK (zmq_getsockopt (router, ZMQ_LAST_ENDPOINT, endpoint, &endpoint_size) == 0);
    CHECK (zmq_connect (dealer, endpoint) == 0);
    CHECK (zmq_send (dealer, "hello", 5, 0) == 5);

    // zmq_poll asks the ROUTER whether it has input: it prefetches the message.
    zmq_pollitem_t item = {router, 0, ZMQ_POLLIN, 0};
    CHECK (zmq_poll (&item, 1, 10000) == 1);
    CHECK (item.revents & ZMQ_POLLIN);

    zmq_msg_t id;
    CHECK (zmq_msg_init (&id) == 0);
    CHECK (zmq_msg_recv (&id, router, 0) >= 0);
    CHECK (zmq_msg_more (&id));
    const char *socket_type = zmq_msg_gets (&id, "Socket-Type");
    if (socket_type == NULL || strcmp (socket_type, "DEALER") != 0) {
        fprintf (stderr, "the routing id frame read after a poll has Socket-Type %s (%s)\n",
                 socket_type ? socket_type : "(none)",
                 socket_type ? "expected DEALER" : zmq_strerror (zmq_errno ()));
        return 1;
    }
    CHECK (zmq_msg_close (&id) == 0);
    char body[16];
    CHECK (zmq_recv (router, body, sizeof body, 0) == 5);

    CHECK (zmq_close (dealer) == 0);
    CHECK (zmq_close (router) == 0);
    CHECK (zmq_ctx_term (ctx) == 0);
    printf ("ok: after a poll, ROUTER's routing id frame carries Socket-Type %s\n", "DEALER");
    return 0;
}
