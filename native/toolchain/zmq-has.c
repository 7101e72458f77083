/* Prints the capabilities a libzmq reports through zmq_has(3), one line:
 *   has: ipc tipc curve draft ws
 * check-floors.sh builds it against each library it can run here (the host's own build,
 * others under their loader or emulator when present) and compares the lines. */
#include <stdio.h>
#include <zmq.h>

int main (void)
{
    /* libzmq 4.3.4 spells the WebSocket capabilities in upper case in zmq_has. */
    static const char *const names[] = {"ipc", "pgm", "tipc", "norm", "curve",
                                        "gssapi", "draft", "WS", "WSS"};
    size_t i;
    printf ("has:");
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (zmq_has (names[i]))
            printf (" %s", names[i]);
    printf ("\n");
    return 0;
}
