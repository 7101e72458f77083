using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using ZmqNative.Interop;

namespace ZmqNative;

/// <summary>
/// One message frame owned by libzmq (a <c>zmq_msg_t</c>, zmq_msg_init(3)). Reuse one instance
/// in a receive loop: each receive replaces its content, with no managed allocation per message.
/// </summary>
/// <remarks>
/// <para>Its <see cref="Data"/> is a view of libzmq's memory, valid until the message is received
/// into, sent, rebuilt or disposed. Sending moves the content to libzmq and leaves the message empty.</para>
/// <para>Large payloads can be sent without copying: <see cref="ZeroCopy(ReadOnlyMemory{byte}, out ZmqMessageTracker)"/>
/// pins managed memory and hands it to libzmq, which releases the pin when it is done with it.</para>
/// <para>Like a socket, a message is used by one thread at a time. Dispose it to release its
/// content at once; an undisposed message is released when garbage-collected.</para>
/// </remarks>
public sealed unsafe class ZmqMessage : IDisposable
{
    private LibZmq.zmq_msg_t* _msg;

    // True while the content is known to be a fresh zmq_msg_init (after creation or a send), so
    // Rebuild can skip its zmq_msg_close: one native call less per message in a send loop.
    private bool _empty;

    /// <summary>Creates an empty message (zmq_msg_init).</summary>
    public ZmqMessage()
    {
        _msg = Allocate();
        LibZmq.zmq_msg_init(_msg);
        _empty = true;
    }

    /// <summary>Creates a message of <paramref name="size"/> bytes for the caller to fill through <see cref="Data"/> (zmq_msg_init_size).</summary>
    /// <param name="size">The size in bytes.</param>
    public ZmqMessage(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        _msg = Allocate();
        if (LibZmq.zmq_msg_init_size(_msg, (nuint)size) != 0)
        {
            Free();
            ZmqException.ThrowLast("zmq_msg_init_size", size);
        }
    }

    /// <summary>Creates a message holding a copy of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes.</param>
    public ZmqMessage(ReadOnlySpan<byte> data)
        : this(data.Length)
    {
        data.CopyTo(Data);
    }

    /// <summary>Creates a message holding the UTF-8 bytes of <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    public ZmqMessage(string text)
        : this(Encoding.UTF8.GetByteCount(text ?? throw new ArgumentNullException(nameof(text))))
    {
        Encoding.UTF8.GetBytes(text, Data);
    }

    /// <summary>Releases the message's content if <see cref="Dispose"/> was not called.</summary>
    ~ZmqMessage() => Release();

    /// <summary>
    /// Payloads shorter than this are copied by <see cref="ZeroCopy(ReadOnlyMemory{byte}, out ZmqMessageTracker)"/>
    /// instead of pinned: below it, copying costs less than the pin and the callback.
    /// Default 16 KiB: where bench/zerocopy.sh found zero-copy starting to beat a copying message
    /// over both inproc and tcp.
    /// </summary>
    public static int ZeroCopyThreshold { get; set; } = 16 * 1024;

    /// <summary>
    /// Set for good once a zero-copy message (a managed free callback) has been made: from then on,
    /// closing a message, which a receive does to the previous content, may run managed code, so
    /// sockets stop making their first attempt without the GC transition.
    /// </summary>
    internal static bool ManagedFreeInUse => s_managedFreeInUse;

    private static volatile bool s_managedFreeInUse;

    /// <summary>The longest RADIO/DISH group name in bytes (ZMQ_GROUP_MAX_LENGTH in zmq.h).</summary>
    public const int MaxGroupLength = LibZmq.ZMQ_GROUP_MAX_LENGTH;

    /// <summary>The size of the content in bytes (zmq_msg_size).</summary>
    /// <exception cref="ZmqFrameTooLargeException">The content is larger than int.MaxValue bytes (read <see cref="LongSize"/>).</exception>
    /// <remarks>
    /// A peer may send frames of 2 GiB and more (ZMTP sizes are 64-bit); such a frame is received
    /// whole, but its size does not fit an int and a span cannot hold it, so <see cref="Size"/>,
    /// <see cref="Data"/>, <see cref="ToArray"/> and <see cref="ToString"/> throw rather than report a
    /// wrong size. <see cref="LongSize"/> gives the size. To refuse such frames before they take
    /// memory, set <see cref="ZmqSocket.MaxMessageSize"/> on the receiving socket: the connection of
    /// a peer that sends a larger one is dropped (zmq_setsockopt(3), ZMQ_MAXMSGSIZE).
    /// </remarks>
    public int Size => SpanLength(LibZmq.zmq_msg_size(Pointer));

    /// <summary>The size of the content in bytes (zmq_msg_size), also for frames larger than int.MaxValue.</summary>
    public long LongSize => (long)LibZmq.zmq_msg_size(Pointer);

    /// <summary>Whether the message was disposed.</summary>
    internal bool IsDisposed => _msg is null;

    /// <summary>The content: a view of libzmq's memory, valid until the message changes.</summary>
    /// <exception cref="ZmqFrameTooLargeException">The content is larger than int.MaxValue bytes (see <see cref="Size"/>).</exception>
    public Span<byte> Data
    {
        get
        {
            var msg = Pointer;
            return new Span<byte>(LibZmq.zmq_msg_data(msg), SpanLength(LibZmq.zmq_msg_size(msg)));
        }
    }

    /// <summary>A native size as a span length: a checked conversion, never a wrapped one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SpanLength(nuint size)
    {
        if (size > int.MaxValue)
        {
            ThrowTooLarge(size);
        }

        return (int)size;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooLarge(nuint size) => throw new ZmqFrameTooLargeException(
        $"the frame has {size} bytes, more than a span or an array holds (int.MaxValue): read LongSize, "
        + "or refuse such frames with ZmqSocket.MaxMessageSize", (long)size);

    /// <summary>Whether more frames of the same multipart message follow this one (zmq_msg_more), after a receive.</summary>
    public bool More => LibZmq.zmq_msg_more(Pointer) != 0;

    /// <summary>
    /// The routing id of the peer (draft SERVER and PEER sockets, zmq_msg_routing_id): set by a
    /// receive, and to be set before a send to say where the message goes. 0 means none.
    /// </summary>
    public uint RoutingId
    {
        get => LibZmq.zmq_msg_routing_id(Pointer);
        set
        {
            if (LibZmq.zmq_msg_set_routing_id(Pointer, value) != 0)
            {
                ZmqException.ThrowLast("zmq_msg_set_routing_id", value);
            }
        }
    }

    /// <summary>The group of a RADIO/DISH message (draft, zmq_msg_group): at most 255 bytes of UTF-8; null when none.</summary>
    /// <exception cref="ArgumentException">Set to more than 255 bytes of UTF-8, or to text with a NUL character.</exception>
    public string? Group
    {
        get
        {
            byte* group = LibZmq.zmq_msg_group(Pointer);
            return group is null || *group == 0 ? null : Marshal.PtrToStringUTF8((nint)group);
        }

        set
        {
            // zmq_msg_set_group reads at most ZMQ_GROUP_MAX_LENGTH bytes (strnlen) and silently
            // drops the rest, and a NUL would end the name early: refuse both instead.
            using var utf8 = new Utf8Z(value, nameof(value));
            int length = utf8.Bytes.Length - 1;
            if (length > MaxGroupLength)
            {
                throw new ArgumentException(
                    $"a group is at most {MaxGroupLength} bytes of UTF-8 (ZMQ_GROUP_MAX_LENGTH); this one has {length} bytes", nameof(value));
            }

            fixed (byte* p = utf8.Bytes)
            {
                if (LibZmq.zmq_msg_set_group(Pointer, p) != 0)
                {
                    ZmqException.ThrowLast("zmq_msg_set_group(" + value + ")");
                }
            }
        }
    }

    /// <summary>
    /// A metadata property of a received message (zmq_msg_gets(3)): "Socket-Type", "Routing-Id",
    /// "User-Id" (set by ZAP authentication), "Peer-Address", or an application property ("X-...").
    /// </summary>
    /// <param name="name">The property name.</param>
    /// <returns>Its value, or null when the message has no such property.</returns>
    /// <remarks>
    /// On a ROUTER, libzmq attaches the metadata to the data frames; the routing-id frame it
    /// makes itself may have none.
    /// </remarks>
    /// <exception cref="ArgumentException">The name contains a NUL character.</exception>
    public string? GetProperty(string name)
    {
        string? value = GetPropertyExactly(name);
        // zmq_msg_gets(3) documents "Routing-Id" with "Identity" as a deprecated alias, but libzmq
        // 4.3.4 stores the ZMTP property under "Identity" and its alias lookup only runs from
        // "Identity" to "Routing-Id": look the documented name up under the stored one.
        if (value is null && name == "Routing-Id")
        {
            value = GetPropertyExactly("Identity");
        }

        return value;
    }

    private string? GetPropertyExactly(string name)
    {
        using var utf8 = new Utf8Z(name, nameof(name)); // zmq_msg_gets reads a C string
        fixed (byte* p = utf8.Bytes)
        {
            byte* value = LibZmq.zmq_msg_gets(Pointer, p);
            return value is null ? null : Marshal.PtrToStringUTF8((nint)value);
        }
    }

    /// <summary>Replaces the content with a copy of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes.</param>
    public void Rebuild(ReadOnlySpan<byte> data)
    {
        Rebuild(data.Length);
        data.CopyTo(Data);
    }

    /// <summary>Replaces the content with <paramref name="size"/> uninitialised bytes to fill through <see cref="Data"/>.</summary>
    /// <param name="size">The size in bytes.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Rebuild(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var msg = Pointer;
        if (!_empty)
        {
            if (s_managedFreeInUse)
            {
                CloseWithTransition(msg); // may run the managed release callback
            }
            else
            {
                LibZmq.zmq_msg_close_nogc(msg);
            }
        }

        _empty = false;
        // Only [SuppressGCTransition] calls in this method (no P/Invoke frame to set up): up to
        // 64 KiB, zmq_msg_init_size is a malloc; above, it may map memory and takes the transition.
        int rc = size <= NoGcInitLimit ? LibZmq.zmq_msg_init_size_nogc(msg, (nuint)size) : InitSizeWithTransition(msg, size);
        if (rc != 0)
        {
            // errno now, in this method: the first call of RebuildFailed compiles it, which may change errno.
            RebuildFailed(msg, size, size <= NoGcInitLimit ? LibZmq.ErrnoNow() : LibZmq.LastErrno());
        }
    }

    private const int NoGcInitLimit = 64 * 1024;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CloseWithTransition(LibZmq.zmq_msg_t* msg) => LibZmq.zmq_msg_close(msg);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int InitSizeWithTransition(LibZmq.zmq_msg_t* msg, int size) => LibZmq.zmq_msg_init_size(msg, (nuint)size);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RebuildFailed(LibZmq.zmq_msg_t* msg, int size, int errno)
    {
        LibZmq.zmq_msg_init(msg);
        _empty = true;
        throw ZmqException.FromErrno(errno, "zmq_msg_init_size(" + size + ")");
    }

    /// <summary>
    /// Makes this message share <paramref name="source"/>'s content (zmq_msg_copy(3)), releasing its own.
    /// Nothing is copied for content over 33 bytes: libzmq counts references to it, so sending one
    /// payload many times costs no memcpy. Do not change either message's <see cref="Data"/> afterwards.
    /// </summary>
    /// <param name="source">The message to share the content of; it keeps its content.</param>
    public void CopyFrom(ZmqMessage source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var from = source.Pointer;
        var to = Pointer;
        if (from == to)
        {
            return;
        }

        _empty = false;
        if (LibZmq.zmq_msg_copy(to, from) != 0)
        {
            ZmqException.ThrowLast("zmq_msg_copy");
        }
    }

    /// <summary>
    /// Moves <paramref name="source"/>'s content into this message (zmq_msg_move(3)), releasing this
    /// message's own; <paramref name="source"/> is left empty. No bytes are copied.
    /// </summary>
    /// <param name="source">The message to take the content from.</param>
    public void MoveFrom(ZmqMessage source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var from = source.Pointer;
        var to = Pointer;
        if (from == to)
        {
            return;
        }

        _empty = false;
        if (LibZmq.zmq_msg_move(to, from) != 0)
        {
            ZmqException.ThrowLast("zmq_msg_move");
        }

        source._empty = true;
    }

    /// <summary>Called after a successful zmq_msg_send: libzmq left the message freshly initialised (zmq_msg_send(3)).</summary>
    internal void MarkSent() => _empty = true;

    /// <summary>Called before a receive fills the message.</summary>
    internal void MarkFilled() => _empty = false;

    /// <summary>Copies the content into a new array.</summary>
    /// <returns>The bytes.</returns>
    public byte[] ToArray() => Data.ToArray();

    /// <summary>Decodes the content as UTF-8.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Encoding.UTF8.GetString(Data);

    /// <summary>
    /// Creates a message over <paramref name="data"/> without copying it (zmq_msg_init_data(3)):
    /// the memory is pinned until libzmq has sent it and calls back, which <paramref name="tracker"/>
    /// reports. Do not change the memory before then. Payloads under <see cref="ZeroCopyThreshold"/>
    /// are copied instead (the tracker is then done at once).
    /// </summary>
    /// <param name="data">The payload.</param>
    /// <param name="tracker">Tells when libzmq no longer uses <paramref name="data"/>.</param>
    /// <returns>The message, to send with <see cref="ZmqSocket.Send(ZmqMessage, bool)"/>.</returns>
    public static ZmqMessage ZeroCopy(ReadOnlyMemory<byte> data, out ZmqMessageTracker tracker)
    {
        if (data.Length < ZeroCopyThreshold)
        {
            tracker = ZmqMessageTracker.Done;
            return new ZmqMessage(data.Span);
        }

        s_managedFreeInUse = true; // before the callback can exist (see ManagedFreeInUse)
        var message = new ZmqMessage(); // empty: zmq_msg_init_data may overwrite it
        message._empty = false;
        tracker = new ZmqMessageTracker();
        var pin = data.Pin();
        var state = GCHandle.Alloc(new PinnedPayload(pin, tracker));
        if (LibZmq.zmq_msg_init_data(message._msg, pin.Pointer, (nuint)data.Length, &ReleasePinned, (void*)GCHandle.ToIntPtr(state)) != 0)
        {
            int errno = LibZmq.LastErrno();
            state.Free();
            pin.Dispose();
            tracker.Complete();
            LibZmq.zmq_msg_init(message._msg);
            message.Dispose();
            throw ZmqException.FromErrno(errno, "zmq_msg_init_data");
        }

        return message;
    }

    /// <summary>Releases the content (zmq_msg_close) and the native storage. Harmless when called again.</summary>
    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    /// <summary>The native zmq_msg_t; throws when disposed.</summary>
    internal LibZmq.zmq_msg_t* Pointer
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            var msg = _msg;
            if (msg is null)
            {
                ThrowDisposed();
            }

            return msg;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void ReleasePinned(void* data, void* hint)
    {
        // Called by libzmq (often on one of its I/O threads) when it is done with the memory.
        // Must not throw into native code.
        try
        {
            var handle = GCHandle.FromIntPtr((nint)hint);
            var payload = (PinnedPayload)handle.Target!;
            handle.Free();
            payload.Pin.Dispose();
            payload.Tracker.Complete();
        }
        catch (Exception e)
        {
            Environment.FailFast("ZmqNative: the zero-copy release callback failed", e);
        }
    }

    // Each zmq_msg_t (64 bytes) on a cache line of its own: messages used by different threads
    // (a sender's and a receiver's) must not share a line that both write for every message.
    private static LibZmq.zmq_msg_t* Allocate() =>
        (LibZmq.zmq_msg_t*)NativeMemory.AlignedAlloc((nuint)sizeof(LibZmq.zmq_msg_t), 64);

    private void Free()
    {
        NativeMemory.AlignedFree(_msg);
        _msg = null;
    }

    private void Release()
    {
        var msg = _msg;
        if (msg is not null)
        {
            _msg = null;
            LibZmq.zmq_msg_close(msg);
            NativeMemory.AlignedFree(msg);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDisposed() => throw new ObjectDisposedException(nameof(ZmqMessage));

    private sealed record PinnedPayload(MemoryHandle Pin, ZmqMessageTracker Tracker);
}

/// <summary>
/// Tells when libzmq has finished with the memory of a zero-copy message (like pyzmq's
/// MessageTracker): until then the memory must not change.
/// </summary>
public sealed class ZmqMessageTracker
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal static ZmqMessageTracker Done { get; } = CreateDone();

    /// <summary>Whether libzmq has released the memory.</summary>
    public bool IsDone => _done.Task.IsCompleted;

    /// <summary>Completes when libzmq has released the memory.</summary>
    public Task Completion => _done.Task;

    /// <summary>Waits until libzmq has released the memory, at most <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>Whether it was released in time.</returns>
    public bool Wait(TimeSpan timeout) => _done.Task.Wait(timeout);

    internal void Complete() => _done.TrySetResult();

    private static ZmqMessageTracker CreateDone()
    {
        var tracker = new ZmqMessageTracker();
        tracker.Complete();
        return tracker;
    }
}
