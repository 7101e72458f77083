using System.Reflection;

namespace ZmqNative.Tests.Conventions;

/// <summary>
/// Every fixture in this project has a bound ([CancelAfter]): a test of blocking socket code
/// that hangs must fail on its own, not stall the whole run until CI gives up.
/// </summary>
[TestFixture]
[CancelAfter(30_000)]
public class FixtureTimeoutTests
{
    [Test]
    public void EveryFixture_HasATimeout()
    {
        var unbounded = typeof(FixtureTimeoutTests).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && t.GetMethods().Any(IsTest))
            .Where(t => !HasBound(t) && !t.GetMethods().Where(IsTest).All(HasBound))
            .Select(t => t.FullName)
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();

        Assert.That(unbounded, Is.Empty, "fixtures without [CancelAfter]");
    }

    private static bool IsTest(MethodInfo method) =>
        method.GetCustomAttributes().Any(a => a is TestAttribute or TestCaseAttribute or TestCaseSourceAttribute or TheoryAttribute);

    private static bool HasBound(MemberInfo member) =>
        member.GetCustomAttributes(inherit: true).Any(a => a is CancelAfterAttribute);
}
