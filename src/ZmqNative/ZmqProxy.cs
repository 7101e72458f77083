using ZmqNative.Interop;

namespace ZmqNative;

/// <summary>
/// libzmq's built-in proxy (zmq_proxy(3), zmq_proxy_steerable(3)): forwards messages between a
/// frontend and a backend socket in the calling thread, optionally copying every message to a
/// capture socket. Typical pairs are ROUTER/DEALER (a shared queue), XSUB/XPUB (a forwarder) and
/// PULL/PUSH (a streamer).
/// </summary>
/// <remarks>
/// <para>A proxy blocks its thread until it ends, so run it on a thread of its own. For that whole
/// time it uses the sockets: each is marked busy (using one from another thread throws
/// <see cref="InvalidOperationException"/>) and kept open, so disposing one (or its context) while
/// the proxy runs closes it only after the proxy returns.</para>
/// <para><b>How it ends.</b> A plain proxy ends only when the sockets' context is shut down or
/// disposed (ETERM): <see cref="Run"/> then <b>returns normally</b>, since that is the documented way to
/// stop it, so a proxy thread can end without an exception. A steerable proxy also ends when its
/// control socket receives TERMINATE. Any other failure throws <see cref="ZmqException"/>.</para>
/// <para>A proxy interrupted by a signal (EINTR) is started again, which for
/// <see cref="RunSteerable"/> means its statistics restart from zero and a paused proxy runs again.</para>
/// </remarks>
public static unsafe class ZmqProxy
{
    /// <summary>
    /// Runs the proxy (zmq_proxy(3)) until the context of the sockets is shut down or disposed.
    /// </summary>
    /// <param name="frontend">The socket clients talk to; may be the same socket as <paramref name="backend"/>.</param>
    /// <param name="backend">The socket workers or subscribers talk to.</param>
    /// <param name="capture">A socket that receives a copy of every message (a PUB, PUSH, DEALER or PAIR), or null.</param>
    /// <exception cref="ObjectDisposedException">A socket is disposed.</exception>
    /// <exception cref="InvalidOperationException">A socket is in use by another thread.</exception>
    /// <exception cref="ZmqException">The proxy failed for another reason than the context's end.</exception>
    public static void Run(ZmqSocket frontend, ZmqSocket backend, ZmqSocket? capture = null)
    {
        ArgumentNullException.ThrowIfNull(frontend);
        ArgumentNullException.ThrowIfNull(backend);
        RunCore(frontend, backend, capture, control: null);
    }

    /// <summary>
    /// Runs the proxy with a control socket (zmq_proxy_steerable(3)) until it receives TERMINATE there,
    /// or the context of the sockets is shut down or disposed. PAUSE stops forwarding, RESUME
    /// restarts it, STATISTICS is answered on the control socket with 8 counters; drive it with a
    /// <see cref="ZmqProxyControl"/>.
    /// </summary>
    /// <param name="frontend">The socket clients talk to.</param>
    /// <param name="backend">The socket workers or subscribers talk to.</param>
    /// <param name="capture">A socket that receives a copy of every message and command, or null.</param>
    /// <param name="control">
    /// The socket commands arrive on. Use a <see cref="ZmqSocketType.Pair"/> bound to the endpoint a
    /// <see cref="ZmqProxyControl"/> connects to: libzmq 4.3.4 answers only STATISTICS, so a REP
    /// control socket would stop the proxy with EFSM at the second command. A SUB (subscribed to
    /// everything) also works for PAUSE, RESUME and TERMINATE, but cannot answer STATISTICS.
    /// </param>
    /// <remarks>
    /// A command other than the four makes libzmq 4.3.4 abort the process (an assertion in proxy.cpp);
    /// <see cref="ZmqProxyControl"/> sends only those four.
    /// </remarks>
    /// <exception cref="ObjectDisposedException">A socket is disposed.</exception>
    /// <exception cref="InvalidOperationException">A socket is in use by another thread.</exception>
    /// <exception cref="ZmqException">The proxy failed for another reason than TERMINATE or the context's end.</exception>
    public static void RunSteerable(ZmqSocket frontend, ZmqSocket backend, ZmqSocket? capture, ZmqSocket control)
    {
        ArgumentNullException.ThrowIfNull(frontend);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(control);
        RunCore(frontend, backend, capture, control);
    }

    private static void RunCore(ZmqSocket frontend, ZmqSocket backend, ZmqSocket? capture, ZmqSocket? control)
    {
        // The same socket may fill two roles (test_proxy_single_socket.cpp): hold each one once.
        Span<bool> distinct =
        [
            true,
            !ReferenceEquals(backend, frontend),
            capture is not null && !ReferenceEquals(capture, frontend) && !ReferenceEquals(capture, backend),
            control is not null && !ReferenceEquals(control, frontend) && !ReferenceEquals(control, backend) && !ReferenceEquals(control, capture),
        ];
        ZmqSocket?[] sockets = [frontend, backend, capture, control];
        Span<bool> added = stackalloc bool[4];
        Span<bool> busy = stackalloc bool[4];
        try
        {
            for (int i = 0; i < 4; i++)
            {
                var socket = sockets[i];
                if (socket is null || !distinct[i])
                {
                    continue;
                }

                if (socket.DisposeRequested)
                {
                    throw new ObjectDisposedException(nameof(ZmqSocket), $"the {socket.Type} socket given to the proxy is disposed");
                }

                socket.Handle.DangerousAddRef(ref added[i]);
                socket.EnterBusy();
                busy[i] = true;
            }

            void* f = Pointer(frontend);
            void* b = Pointer(backend);
            void* cap = capture is null ? null : Pointer(capture);
            void* ctl = control is null ? null : Pointer(control);
            // Returns 0 on TERMINATE at the control socket; ETERM (the context was shut down) is
            // the way a proxy is meant to end, so it ends quietly too.
            var run = new ProxyCall(f, b, cap, ctl);
            ZmqWait.Interruptible(ref run, Deadline.Infinite, ctl is null ? "zmq_proxy" : "zmq_proxy_steerable", quietErrno: Errno.ETERM);
        }
        finally
        {
            for (int i = 3; i >= 0; i--)
            {
                if (busy[i])
                {
                    sockets[i]!.ExitBusy();
                }

                if (added[i])
                {
                    sockets[i]!.Handle.DangerousRelease();
                }
            }
        }
    }

    private static void* Pointer(ZmqSocket socket) => (void*)socket.Handle.DangerousGetHandle();

    /// <summary>zmq_proxy(3) or zmq_proxy_steerable(3): it has no timeout, so the time left is not used.</summary>
    private readonly struct ProxyCall(void* frontend, void* backend, void* capture, void* control) : ZmqWait.ITimedCall
    {
        private readonly void* _frontend = frontend;
        private readonly void* _backend = backend;
        private readonly void* _capture = capture;
        private readonly void* _control = control;

        public int Call(int timeoutMs) => _control is null
            ? LibZmq.zmq_proxy(_frontend, _backend, _capture)
            : LibZmq.zmq_proxy_steerable(_frontend, _backend, _capture, _control);
    }
}
