using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Security;

/// <summary>
/// woodhouse: clear text, clients allowed by IP address and logged in with PLAIN user name and
/// password (czmq's examples/security/woodhouse.c). The passwords are admin=secret, or those of a
/// passwords file in czmq's format (<c>--passwords FILE</c>, one <c>user=password</c> per line).
/// </summary>
[Example("woodhouse", 0, "security demo 3: clear text, PLAIN user name and password", "zguide woodhouse [--allow 127.0.0.1] [--passwords FILE] [--user admin] [--password secret] [--bind tcp://*:9000] [--connect tcp://127.0.0.1:9000] [--timeout-ms -1]")]
internal static class WoodhouseExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        var options = SecurityDemo.ReadCommon(a);
        string allow = a.Text("allow", "127.0.0.1");
        string passwords = a.Text("passwords", string.Empty);
        string user = a.Text("user", "admin");
        string password = a.Text("password", "secret");
        a.RejectUnknown();

        using var context = new ZmqContext();
        using var auth = new ZmqAuthenticator(context, SecurityDemo.Log);
        auth.Allow(allow);
        // Tell the authenticator how to handle PLAIN requests.
        if (passwords.Length > 0)
        {
            auth.UsePlainPasswordsFile(passwords);
        }
        else
        {
            auth.UsePlain(new Dictionary<string, string> { ["admin"] = "secret" });
        }

        return SecurityDemo.Exchange("Woodhouse", context, options,
            server => server.ConfigurePlainServer(),
            client => client.ConfigurePlainClient(user, password));
    }
}
