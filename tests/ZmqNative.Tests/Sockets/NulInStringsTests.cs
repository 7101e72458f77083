namespace ZmqNative.Tests.Sockets;

/// <summary>
/// Every string handed to libzmq is refused when it contains a NUL (issue 16, item 5): libzmq
/// reads C strings, so <c>Bind("inproc://abc\0def")</c> bound <c>inproc://abc</c>.
/// </summary>
[TestFixture]
[CancelAfter(30_000)]
public class NulInStringsTests
{
    private const string WithNul = "abc\0def";

    /// <summary>Each API that hands a string to libzmq, and the parameter its exception must name.</summary>
    public static IEnumerable<TestCaseData> StringCalls()
    {
        yield return Case("Bind", s => s.Bind("inproc://abc\0def"), "endpoint");
        yield return Case("Bind tcp", s => s.Bind("tcp://127.0.0.1:*\0garbage"), "endpoint");
        yield return Case("Connect", s => s.Connect("inproc://abc\0def"), "endpoint");
        yield return Case("Unbind", s => s.Unbind("inproc://abc\0def"), "endpoint");
        yield return Case("Disconnect", s => s.Disconnect("inproc://abc\0def"), "endpoint");
        yield return Case("Subscribe", s => s.Subscribe(WithNul), "prefix");
        yield return Case("Unsubscribe", s => s.Unsubscribe(WithNul), "prefix");
        yield return Case("Join", s => s.Join(WithNul), "group");
        yield return Case("Leave", s => s.Leave(WithNul), "group");
        yield return Case("PlainUserName", s => s.PlainUserName = WithNul, "value");
        yield return Case("PlainPassword", s => s.PlainPassword = WithNul, "value");
        yield return Case("ZapDomain", s => s.ZapDomain = WithNul, "value");
        yield return Case("GssApiPrincipal", s => s.GssApiPrincipal = WithNul, "value");
        yield return Case("GssApiServicePrincipal", s => s.GssApiServicePrincipal = WithNul, "value");
        yield return Case("SocksProxy", s => s.SocksProxy = WithNul, "value");
        yield return Case("SocksUserName", s => s.SocksUserName = WithNul, "value");
        yield return Case("SocksPassword", s => s.SocksPassword = WithNul, "value");
        yield return Case("BindToDevice", s => s.BindToDevice = WithNul, "value");
        yield return Case("Metadata", s => s.Metadata = "X-key:a\0b", "value");
    }

    [TestCaseSource(nameof(StringCalls))]
    public void SocketCall_StringWithNul_ThrowsArgumentExceptionNamingTheParameter(Action<ZmqSocket> call, string parameter)
    {
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Sub);

        var error = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => call(socket)) as ArgumentException;

        Assert.That(error!.ParamName, Is.EqualTo(parameter));
        Assert.That(error.Message, Does.Contain("NUL"));
    }

    [Test]
    public void Bind_EndpointWithNul_BindsNothing()
    {
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Pair);
        Assert.That(() => socket.Bind("inproc://abc\0def"), Throws.ArgumentException);

        // The part before the NUL was not bound: another socket can bind it.
        using var other = context.CreateSocket(ZmqSocketType.Pair);
        Assert.That(() => other.Bind("inproc://abc"), Throws.Nothing);
    }

    [Test]
    public void MessageStrings_WithNul_ThrowArgumentExceptionNamingTheParameter()
    {
        using var message = new ZmqMessage("x");
        Assert.That(() => message.GetProperty("Socket-Type\0x"), Throws.ArgumentException.With.Property("ParamName").EqualTo("name"));
        Assert.That(() => message.Group = WithNul, Throws.ArgumentException.With.Property("ParamName").EqualTo("value"));
        Assert.That(() => Zmq.Has("ipc\0x"), Throws.ArgumentException.With.Property("ParamName").EqualTo("capability"));
    }

    private static TestCaseData Case(string name, Action<ZmqSocket> call, string parameter) =>
        new TestCaseData(call, parameter).SetArgDisplayNames(name);
}
