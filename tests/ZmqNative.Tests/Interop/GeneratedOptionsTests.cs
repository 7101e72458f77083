using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ZmqNative.Generator;
using ZmqNative.Tests.Support;

namespace ZmqNative.Tests.Interop;

/// <summary>
/// ZmqSocket's typed option properties and the option range checks are generated from one table
/// (native/generator/options.json): the committed files are what the table generates, and the
/// generator refuses a table that contradicts itself.
/// </summary>
[TestFixture]
[CancelAfter(30_000)]
public partial class GeneratedOptionsTests
{
    private static string Table => Path.Combine(Repo.Root, OptionsGenerator.TablePath);

    [Test]
    public void Generate_FromTable_IsByteIdenticalToCommittedFiles()
    {
        OptionsResult result = OptionsGenerator.Generate(Table);

        const string Regenerate = "stale: regenerate it with ./build.sh --target=Generate";
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(Path.Combine(Repo.Root, OptionsGenerator.PropertiesPath)),
                Is.EqualTo(new UTF8Encoding(false).GetBytes(result.Properties)), OptionsGenerator.PropertiesPath + " is " + Regenerate);
            Assert.That(File.ReadAllBytes(Path.Combine(Repo.Root, OptionsGenerator.RulesPath)),
                Is.EqualTo(new UTF8Encoding(false).GetBytes(result.Rules)), OptionsGenerator.RulesPath + " is " + Regenerate);
        });
    }

    [Test]
    public void Table_DraftFlags_MatchTheDraftConstantsOfZmqH()
    {
        string generated = File.ReadAllText(Path.Combine(Repo.Root, "src", "ZmqNative", "Interop", "Generated", "LibZmq.g.cs"));
        var draftConstants = DraftConstant().Matches(generated).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Assert.That(draftConstants, Does.Contain("ZMQ_ROUTER_NOTIFY"), "the generated layer marks draft constants");

        var options = JsonNode.Parse(File.ReadAllText(Table))!["socket"]!.AsArray();
        var wrong = options
            .Select(o => (Name: (string)o!["name"]!, Draft: (bool?)o["draft"] ?? false))
            .Where(o => o.Draft != draftConstants.Contains(o.Name))
            .Select(o => $"{o.Name}: draft {o.Draft} in the table, {!o.Draft} in zmq.h");
        Assert.That(wrong, Is.Empty);
    }

    [TestCase("duplicate", """{"name": "ZMQ_RATE", "property": "Rate2", "type": "int", "access": "get/set", "doc": "again"}""", "listed twice")]
    [TestCase("unknown type", """{"name": "ZMQ_X1", "property": "X1", "type": "short", "access": "get", "doc": "x"}""", "type 'short'")]
    [TestCase("TimeSpan without unit", """{"name": "ZMQ_X1", "property": "X1", "type": "TimeSpan", "access": "get", "doc": "x"}""", "type 'TimeSpan'")]
    [TestCase("range on a read-only option", """{"name": "ZMQ_X1", "property": "X1", "type": "int", "access": "get", "doc": "x", "range": {"min": 0, "meaning": "m"}}""", "only checked when the option is set")]
    [TestCase("range outside the C type", """{"name": "ZMQ_X1", "property": "X1", "type": "int", "access": "set", "doc": "x", "range": {"min": 0, "max": 3000000000, "meaning": "m"}}""", "does not fit")]
    [TestCase("length range without max", """{"name": "ZMQ_X1", "property": "X1", "type": "string", "access": "set", "doc": "x", "range": {"min": 0, "meaning": "m"}}""", "needs a max")]
    [TestCase("setting a read-only type", """{"name": "ZMQ_X1", "property": "X1", "type": "ZmqPollEvents", "access": "get/set", "doc": "x"}""", "can only be read")]
    [TestCase("unknown column", """{"name": "ZMQ_X1", "property": "X1", "type": "int", "access": "get", "doc": "x", "minimum": 1}""", "minimum")]
    public void Generate_InconsistentRow_IsRefusedNamingIt(string what, string row, string expected)
    {
        string json = File.ReadAllText(Table).Replace("\"socket\": [\n", "\"socket\": [\n    " + row + ",\n", StringComparison.Ordinal);
        Assert.That(json, Does.Contain(row), what);

        Assert.That(() => OptionsGenerator.GenerateFromJson(json), Throws.TypeOf<GeneratorException>().With.Message.Contains(expected), what);
    }

    [GeneratedRegex(@"const \w+ (ZMQ_\w+) = [^;]+; // draft API")]
    private static partial Regex DraftConstant();
}
