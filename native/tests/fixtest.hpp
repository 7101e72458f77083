// Shared helpers for the defect tests in native/tests/: each test is a program that exits 0
// when the defect is absent, and fails (a message and exit 1, or the crash the defect causes,
// or an AddressSanitizer report in an ASan build) when it is present. Built and run by
// native/test-libzmq.sh against the patched library (and with --without <patch> against a
// library lacking one fix). Loopback only.
#ifndef ZMQNATIVE_FIXTEST_HPP
#define ZMQNATIVE_FIXTEST_HPP

#define ZMQ_BUILD_DRAFT_API 1
#include <zmq.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHECK(cond)                                                                          \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fprintf (stderr, "%s:%d: check failed: %s (zmq errno %d: %s)\n", __FILE__,       \
                     __LINE__, #cond, zmq_errno (), zmq_strerror (zmq_errno ()));            \
            exit (1);                                                                        \
        }                                                                                    \
    } while (0)

// 127.0.0.1:port as a socket address.
static sockaddr_in loopback_address (int port)
{
    sockaddr_in addr;
    memset (&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    addr.sin_port = htons (static_cast<uint16_t> (port));
    return addr;
}

// A socket of the given type (SOCK_DGRAM, SOCK_STREAM) bound to a port on 127.0.0.1 that the
// kernel picks; the port goes to *port. The caller closes the socket.
static int bind_loopback (int type, int *port)
{
    const int fd = socket (AF_INET, type, 0);
    CHECK (fd >= 0);
    sockaddr_in addr = loopback_address (0);
    CHECK (bind (fd, reinterpret_cast<sockaddr *> (&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    CHECK (getsockname (fd, reinterpret_cast<sockaddr *> (&addr), &len) == 0);
    *port = ntohs (addr.sin_port);
    return fd;
}

// A port on 127.0.0.1 that was free a moment ago: bound as above, and the socket closed again.
static int free_loopback_port (int type)
{
    int port;
    close (bind_loopback (type, &port));
    return port;
}

// A raw TCP connection to 127.0.0.1:port, as a peer that speaks no ZMTP would open it.
static int connect_loopback (int port)
{
    const int fd = socket (AF_INET, SOCK_STREAM, 0);
    CHECK (fd >= 0);
    const sockaddr_in addr = loopback_address (port);
    CHECK (connect (fd, reinterpret_cast<const sockaddr *> (&addr), sizeof addr) == 0);
    return fd;
}

// Sends one raw datagram to 127.0.0.1:port, as any host that can reach a DISH could.
static void send_datagram (int port, const void *data, size_t size)
{
    const int fd = socket (AF_INET, SOCK_DGRAM, 0);
    CHECK (fd >= 0);
    const sockaddr_in addr = loopback_address (port);
    CHECK (sendto (fd, data, size, 0, reinterpret_cast<const sockaddr *> (&addr), sizeof addr)
           == static_cast<ssize_t> (size));
    close (fd);
}

// Sends a well-formed RADIO/DISH datagram (group size byte, group, body).
static void send_group_datagram (int port, const char *group, const char *body)
{
    char buffer[512];
    const size_t group_size = strlen (group), body_size = strlen (body);
    CHECK (1 + group_size + body_size <= sizeof buffer);
    buffer[0] = static_cast<char> (group_size);
    memcpy (buffer + 1, group, group_size);
    memcpy (buffer + 1 + group_size, body, body_size);
    send_datagram (port, buffer, 1 + group_size + body_size);
}

// Receives one message on a DISH within the socket's ZMQ_RCVTIMEO; returns its body as a
// string (truncated to 255 bytes) and its size, and checks its group.
static size_t recv_group_message (void *dish, const char *group, char *body, size_t body_capacity)
{
    zmq_msg_t msg;
    CHECK (zmq_msg_init (&msg) == 0);
    CHECK (zmq_msg_recv (&msg, dish, 0) >= 0);
    CHECK (strcmp (zmq_msg_group (&msg), group) == 0);
    const size_t size = zmq_msg_size (&msg);
    const size_t copied = size < body_capacity - 1 ? size : body_capacity - 1;
    memcpy (body, zmq_msg_data (&msg), copied);
    body[copied] = '\0';
    CHECK (zmq_msg_close (&msg) == 0);
    return size;
}

// A DISH's udp:// bind is completed by its I/O thread: datagrams sent before that are lost.
// Sends good datagrams until one arrives, then drains any still in flight, and leaves the
// socket's receive timeout at timeout_ms.
static void wait_until_dish_receives (void *dish, int port, const char *group, int timeout_ms)
{
    const int probe_ms = 100;
    CHECK (zmq_setsockopt (dish, ZMQ_RCVTIMEO, &probe_ms, sizeof probe_ms) == 0);
    bool received = false;
    for (int attempt = 0; attempt < 300 && !received; attempt++) {
        send_group_datagram (port, group, "probe");
        zmq_msg_t msg;
        CHECK (zmq_msg_init (&msg) == 0);
        received = zmq_msg_recv (&msg, dish, 0) >= 0;
        CHECK (zmq_msg_close (&msg) == 0);
    }
    CHECK (received);
    for (;;) {
        zmq_msg_t msg;
        CHECK (zmq_msg_init (&msg) == 0);
        const bool more = zmq_msg_recv (&msg, dish, 0) >= 0;
        CHECK (zmq_msg_close (&msg) == 0);
        if (!more)
            break;
    }
    CHECK (zmq_setsockopt (dish, ZMQ_RCVTIMEO, &timeout_ms, sizeof timeout_ms) == 0);
}

#endif
