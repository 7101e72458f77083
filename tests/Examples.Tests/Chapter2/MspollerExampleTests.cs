namespace ZmqNative.Examples.Tests.Chapter2;

/// <summary>`zguide mspoller`: a poller over a PULL and a SUB socket.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class MspollerExampleTests
{
    [Test]
    public void Mspoller_VentilatorAndWeatherServer_ProcessesEveryTaskAndOnlyItsZipCode() =>
        Chapter2Harness.ReadsTasksAndFilteredUpdates("mspoller");
}
