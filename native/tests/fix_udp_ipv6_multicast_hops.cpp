// Defect test for native/patches/fix-udp-ipv6-multicast-hops.patch (not fixed upstream as of
// 2026-07): a RADIO on an IPv6 multicast udp:// address set its hop limit (ZMQ_MULTICAST_HOPS)
// with IP_MULTICAST_TTL at level IPPROTO_IPV6. On Linux that number is IPV6_FLOWINFO_SEND, so
// the kernel accepted it and the hop limit was never set (every datagram left with the default
// of 1); where the option is refused (qemu-user, which does not know IPV6_FLOWINFO_SEND) the
// engine failed and the RADIO sent nothing at all.
// The test joins an interface-local group (ff01::/16: looped back on this host, never sent on a
// wire) with a plain socket that asks for each datagram's hop limit (IPV6_RECVHOPLIMIT), has a
// RADIO with ZMQ_MULTICAST_HOPS 7 send to it, and checks that the datagram carries 7. Exits 77
// (skip) when this host cannot loop back IPv6 multicast at all.
#include "fixtest.hpp"

#include <errno.h>
#include <poll.h>

static const char group_address[] = "ff01::7a6d:716e:6174:6976";
static const int wanted_hops = 7;

// The receiving socket: [::]:port, joined to the group, reporting hop limits.
static int open_receiver (int *port)
{
    const int fd = socket (AF_INET6, SOCK_DGRAM, 0);
    if (fd < 0)
        return -1;
    sockaddr_in6 any;
    memset (&any, 0, sizeof any);
    any.sin6_family = AF_INET6;
    any.sin6_addr = in6addr_any;
    socklen_t len = sizeof any;
    ipv6_mreq mreq;
    memset (&mreq, 0, sizeof mreq);
    const int on = 1;
    if (bind (fd, reinterpret_cast<sockaddr *> (&any), sizeof any) != 0
        || getsockname (fd, reinterpret_cast<sockaddr *> (&any), &len) != 0
        || inet_pton (AF_INET6, group_address, &mreq.ipv6mr_multiaddr) != 1
        || setsockopt (fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &mreq, sizeof mreq) != 0
        || setsockopt (fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof on) != 0) {
        close (fd);
        return -1;
    }
    *port = ntohs (any.sin6_port);
    return fd;
}

// Waits up to timeout_ms for one datagram; returns its hop limit, or -1 if none came.
static int receive_hop_limit (int fd, int timeout_ms)
{
    pollfd pfd = {fd, POLLIN, 0};
    if (poll (&pfd, 1, timeout_ms) != 1)
        return -1;
    char data[512];
    char control[256];
    iovec iov = {data, sizeof data};
    msghdr msg;
    memset (&msg, 0, sizeof msg);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    CHECK (recvmsg (fd, &msg, 0) >= 0);
    for (cmsghdr *c = CMSG_FIRSTHDR (&msg); c != NULL; c = CMSG_NXTHDR (&msg, c)) {
        if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT) {
            int hops;
            memcpy (&hops, CMSG_DATA (c), sizeof hops);
            return hops;
        }
    }
    fprintf (stderr, "a datagram came without its hop limit (IPV6_HOPLIMIT)\n");
    exit (1);
}

// Whether a plain socket's datagram to the group comes back to the receiver.
static bool multicast_loops_back (int receiver, int port)
{
    const int fd = socket (AF_INET6, SOCK_DGRAM, 0);
    if (fd < 0)
        return false;
    sockaddr_in6 to;
    memset (&to, 0, sizeof to);
    to.sin6_family = AF_INET6;
    to.sin6_port = htons (static_cast<uint16_t> (port));
    inet_pton (AF_INET6, group_address, &to.sin6_addr);
    const bool sent =
      sendto (fd, "probe", 5, 0, reinterpret_cast<sockaddr *> (&to), sizeof to) == 5;
    close (fd);
    return sent && receive_hop_limit (receiver, 2000) >= 0;
}

int main ()
{
    int port;
    const int receiver = open_receiver (&port);
    if (receiver < 0 || !multicast_loops_back (receiver, port)) {
        printf ("no IPv6 multicast loopback on this host (errno %d): nothing to test\n", errno);
        return 77;
    }

    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *radio = zmq_socket (ctx, ZMQ_RADIO);
    CHECK (radio);
    const int ipv6 = 1, linger = 0;
    CHECK (zmq_setsockopt (radio, ZMQ_IPV6, &ipv6, sizeof ipv6) == 0);
    CHECK (zmq_setsockopt (radio, ZMQ_MULTICAST_HOPS, &wanted_hops, sizeof wanted_hops) == 0);
    CHECK (zmq_setsockopt (radio, ZMQ_LINGER, &linger, sizeof linger) == 0);
    char endpoint[96];
    snprintf (endpoint, sizeof endpoint, "udp://[%s]:%d", group_address, port);
    CHECK (zmq_connect (radio, endpoint) == 0);

    // The RADIO's engine is set up by its I/O thread: messages sent before that are dropped.
    // Send until one arrives (at most 10 s), then look at its hop limit.
    int hops = -1;
    for (int attempt = 0; attempt < 100 && hops < 0; attempt++) {
        zmq_msg_t msg;
        CHECK (zmq_msg_init_size (&msg, 5) == 0);
        memcpy (zmq_msg_data (&msg), "hello", 5);
        CHECK (zmq_msg_set_group (&msg, "hops") == 0);
        CHECK (zmq_msg_send (&msg, radio, 0) == 5);
        hops = receive_hop_limit (receiver, 100);
    }

    CHECK (zmq_close (radio) == 0);
    CHECK (zmq_ctx_term (ctx) == 0);
    close (receiver);

    if (hops < 0) {
        fprintf (stderr, "the RADIO sent nothing to %s in 10 s (its UDP engine failed)\n",
                 endpoint);
        return 1;
    }
    if (hops != wanted_hops) {
        fprintf (stderr, "the RADIO's datagrams have hop limit %d, ZMQ_MULTICAST_HOPS is %d\n",
                 hops, wanted_hops);
        return 1;
    }
    printf ("hop limit %d as set\n", hops);
    return 0;
}
