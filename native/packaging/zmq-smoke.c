/*
 * A smoke test for a cross-built libzmq, run under an emulator by verify-emulated.sh:
 * prints the library's version and capabilities, does one REQ/REP round trip over inproc://
 * and one over tcp://127.0.0.1 (port chosen by the OS), and makes a CURVE key pair (the
 * bundled tweetnacl and the platform's random source). Exit code 0 and a last line "smoke: ok"
 * mean every step worked.
 *
 * Built against the zmq.h the native build used (native/out/<rid>/include); linked against
 * the library in native/out/<rid>/. Written for this repository; man pages cited per call.
 */
#include <stdio.h>
#include <string.h>
#include <zmq.h>

#define CHECK(expr)                                                                 \
    do {                                                                            \
        if (!(expr)) {                                                              \
            fprintf (stderr, "smoke: failed: %s (line %d): %s\n", #expr, __LINE__, \
                     zmq_strerror (zmq_errno ()));                                  \
            return 1;                                                               \
        }                                                                           \
    } while (0)

/* One request and its reply between a REP bound to `endpoint` and a REQ connected to it
 * (zmq_socket(3): REQ sends then receives, REP receives then sends). Both sockets get a
 * receive timeout (ZMQ_RCVTIMEO, zmq_setsockopt(3)) so a broken transport fails, never hangs. */
static int round_trip (void *ctx, const char *endpoint)
{
    void *rep = zmq_socket (ctx, ZMQ_REP);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    CHECK (rep != NULL && req != NULL);
    int timeout_ms = 5000, linger = 0;
    CHECK (zmq_setsockopt (rep, ZMQ_RCVTIMEO, &timeout_ms, sizeof timeout_ms) == 0);
    CHECK (zmq_setsockopt (req, ZMQ_RCVTIMEO, &timeout_ms, sizeof timeout_ms) == 0);
    CHECK (zmq_setsockopt (rep, ZMQ_LINGER, &linger, sizeof linger) == 0);
    CHECK (zmq_setsockopt (req, ZMQ_LINGER, &linger, sizeof linger) == 0);
    CHECK (zmq_bind (rep, endpoint) == 0);

    /* For tcp://...:* the bound port is only known from ZMQ_LAST_ENDPOINT (zmq_getsockopt(3)). */
    char bound[256];
    size_t bound_len = sizeof bound;
    CHECK (zmq_getsockopt (rep, ZMQ_LAST_ENDPOINT, bound, &bound_len) == 0);
    CHECK (zmq_connect (req, bound) == 0);

    char buf[64];
    CHECK (zmq_send (req, "ping", 4, 0) == 4);
    int n = zmq_recv (rep, buf, sizeof buf, 0);
    CHECK (n == 4 && memcmp (buf, "ping", 4) == 0);
    CHECK (zmq_send (rep, "pong", 4, 0) == 4);
    n = zmq_recv (req, buf, sizeof buf, 0);
    CHECK (n == 4 && memcmp (buf, "pong", 4) == 0);
    printf ("%s: ping -> pong\n", bound);

    CHECK (zmq_close (req) == 0);
    CHECK (zmq_close (rep) == 0);
    return 0;
}

int main (void)
{
    int major, minor, patch;
    zmq_version (&major, &minor, &patch);
    printf ("libzmq %d.%d.%d\n", major, minor, patch);

    /* zmq_has(3); libzmq 4.3.4 spells the WebSocket ones in upper case (src/zmq.cpp). */
    static const char *const caps[] = {"ipc", "pgm", "tipc", "norm", "curve", "gssapi", "draft", "WS", "WSS"};
    printf ("has:");
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
        if (zmq_has (caps[i]))
            printf (" %s", caps[i]);
    printf ("\n");

    void *ctx = zmq_ctx_new ();
    CHECK (ctx != NULL);
    if (round_trip (ctx, "inproc://smoke") != 0)
        return 1;
    if (round_trip (ctx, "tcp://127.0.0.1:*") != 0)
        return 1;
    CHECK (zmq_ctx_term (ctx) == 0);

    /* zmq_curve_keypair(3): fails with ENOTSUP when CURVE was not built in. */
    char public_key[41], secret_key[41];
    CHECK (zmq_curve_keypair (public_key, secret_key) == 0);
    CHECK (strlen (public_key) == 40);
    printf ("curve keypair: public key %.8s... (40 Z85 chars)\n", public_key);

    printf ("smoke: ok\n");
    return 0;
}
