// Defect test for native/patches/fix-ws-connection-header-list.patch (upstream 15408f56 and
// c325ed12): a ws:// server took the upgrade request's Connection header as one word and
// refused "Connection: keep-alive, Upgrade", the list Firefox sends (RFC 7230 allows a list
// of tokens), by closing the connection. The test sends such a request over a plain TCP
// socket and passes when the server answers "101 Switching Protocols".
#include "fixtest.hpp"

#include <errno.h>
#include <sys/time.h>

int main ()
{
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *server = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (server);
    const int port = free_loopback_port (SOCK_STREAM);
    char endpoint[64];
    snprintf (endpoint, sizeof endpoint, "ws://127.0.0.1:%d/zmq", port);
    CHECK (zmq_bind (server, endpoint) == 0);

    const int fd = connect_loopback (port);
    const timeval timeout = {10, 0};
    CHECK (setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout) == 0);

    char request[512];
    const int request_size = snprintf (request, sizeof request,
                                       "GET /zmq HTTP/1.1\r\n"
                                       "Host: 127.0.0.1:%d\r\n"
                                       "Upgrade: websocket\r\n"
                                       "Connection: keep-alive, Upgrade\r\n"
                                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                       "Sec-WebSocket-Protocol: ZWS2.0\r\n"
                                       "Sec-WebSocket-Version: 13\r\n"
                                       "\r\n",
                                       port);
    CHECK (send (fd, request, request_size, 0) == request_size);

    // The response's header, up to its empty line (or whatever came before the close).
    char response[1024];
    size_t size = 0;
    while (size < sizeof response - 1) {
        const ssize_t got = recv (fd, response + size, sizeof response - 1 - size, 0);
        if (got <= 0)
            break;
        size += static_cast<size_t> (got);
        response[size] = '\0';
        if (strstr (response, "\r\n\r\n") != NULL)
            break;
    }
    response[size] = '\0';
    const char expected[] = "HTTP/1.1 101 ";
    if (strncmp (response, expected, sizeof expected - 1) != 0) {
        fprintf (stderr,
                 "an upgrade request with \"Connection: keep-alive, Upgrade\" got %s%s\n",
                 size == 0 ? "no response: the server closed the connection" : "",
                 response);
        return 1;
    }

    close (fd);
    const int linger = 0;
    CHECK (zmq_setsockopt (server, ZMQ_LINGER, &linger, sizeof linger) == 0);
    CHECK (zmq_close (server) == 0);
    CHECK (zmq_ctx_term (ctx) == 0);
    printf ("ok: \"Connection: keep-alive, Upgrade\" is accepted (101 Switching Protocols)\n");
    return 0;
}
