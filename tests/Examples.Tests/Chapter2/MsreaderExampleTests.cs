namespace ZmqNative.Examples.Tests.Chapter2;

/// <summary>`zguide msreader`: a non-blocking receive loop over a PULL and a SUB socket.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class MsreaderExampleTests
{
    [Test]
    public void Msreader_VentilatorAndWeatherServer_ProcessesEveryTaskAndOnlyItsZipCode() =>
        Chapter2Harness.ReadsTasksAndFilteredUpdates("msreader");
}
