// ZmqNative build. Run through ./build.sh (it restores Cake first):
//   ./build.sh                     same as --target=Test
//   ./build.sh --target=Native     build libzmq for this machine's runtime id into native/out/<rid>/
//   ./build.sh --target=Generate   regenerate src/ZmqNative/Interop/Generated/LibZmq.g.cs from zmq.h
//   ./build.sh --target=Build      build the solution (Release)
//   ./build.sh --target=Test       run every test and print "N passed, N failed"
//   ./build.sh --target=Pack       make NuGet packages in artifacts/packages/
//   ./build.sh --target=Bench      run libzmq's perf tools (zmqperf side by side comes later)
//   ./build.sh --target=Demo       run the demo (`zguide version` for now)
// Options: --configuration=Release|Debug, --rid=<rid> (default: this machine's).
using System.Xml.Linq;

var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");
var rid = Argument("rid", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier);
var root = MakeAbsolute(Directory("."));
var solution = root.CombineWithFilePath("ZmqNative.sln");
var resultsDir = root.Combine("artifacts/test-results");

// Runs a command; fails the build when it fails.
void Run(string tool, string arguments)
{
    var exit = StartProcess(tool, new ProcessSettings { Arguments = arguments, WorkingDirectory = root });
    if (exit != 0)
    {
        throw new Exception($"'{tool} {arguments}' exited with {exit}");
    }
}

// Installs (as root on Debian/Ubuntu) or names the Debian packages providing these commands.
void NeedPackages(params string[] commandColonPackage) =>
    Run("bash", "native/need-packages.sh " + string.Join(" ", commandColonPackage));

Task("Native")
    .Description("Builds libzmq from its pinned source for --rid into native/out/<rid>/ (skipped when already there).")
    .Does(() => Run("bash", $"native/build-libzmq.sh {rid}"));

Task("Generate")
    .Description("Regenerates the P/Invoke layer from the zmq.h the native build used (needs clang).")
    .IsDependentOn("Native")
    .Does(() =>
{
    NeedPackages("clang:clang");
    Run("dotnet", $"run --project native/generator -c {configuration} -- --header native/out/{rid}/include/zmq.h --output src/ZmqNative/Interop/Generated/LibZmq.g.cs");
});

Task("Build")
    .Description("Builds the solution.")
    .IsDependentOn("Native")
    .Does(() => DotNetBuild(solution.FullPath, new DotNetBuildSettings { Configuration = configuration }));

Task("Test")
    .Description("Runs every test project and prints one line 'N passed, N failed'.")
    .IsDependentOn("Build")
    .Does(() =>
{
    // The generated-layer tests regenerate LibZmq.g.cs (clang) and compile a C probe (cc).
    NeedPackages("clang:clang", "cc:gcc", "readelf:binutils", "nm:binutils");
    CleanDirectory(resultsDir);
    var exit = StartProcess("dotnet", new ProcessSettings
    {
        Arguments = $"test \"{solution.FullPath}\" -c {configuration} --no-build --logger trx --results-directory \"{resultsDir.FullPath}\"",
        WorkingDirectory = root,
    });

    // dotnet test's own summary is per project; CI reads one plain line, so add up the TRX files.
    int passed = 0, failed = 0, skipped = 0, files = 0;
    foreach (var trx in GetFiles(resultsDir.FullPath + "/*.trx"))
    {
        files++;
        var counters = XDocument.Load(trx.FullPath).Descendants().First(e => e.Name.LocalName == "Counters");
        int Count(string name) => int.Parse(counters.Attribute(name)?.Value ?? "0");
        passed += Count("passed");
        failed += Count("failed") + Count("error") + Count("timeout") + Count("aborted");
        skipped += Count("notExecuted");
    }

    if (files == 0 && exit != 0)
    {
        failed = 1; // the run broke before any project reported: count it as a failure, never as green
    }

    // Written plainly (no colours): CI reads this exact line.
    Console.WriteLine($"tests: {passed} passed, {failed} failed, {skipped} skipped");
    if (exit != 0 || failed != 0 || files == 0)
    {
        throw new Exception($"tests failed (dotnet test exit code {exit}, {failed} failed, {files} result files)");
    }
});

Task("Pack")
    .Description("Makes the NuGet packages in artifacts/packages/.")
    .IsDependentOn("Build")
    .Does(() => DotNetPack(root.CombineWithFilePath("src/ZmqNative/ZmqNative.csproj").FullPath, new DotNetPackSettings
    {
        Configuration = configuration,
        NoBuild = true,
        OutputDirectory = root.Combine("artifacts/packages"),
    }));

Task("Bench")
    .Description("Runs libzmq's own perf tools built by Native (the C baseline).")
    .IsDependentOn("Native")
    .Does(() => Run("bash", $"bench/c-baseline.sh {rid}"));

Task("Demo")
    .Description("Runs the demo: zguide version.")
    .IsDependentOn("Build")
    .Does(() => Run("dotnet", $"src/Examples/bin/{configuration}/net10.0/zguide.dll version"));

Task("Default").IsDependentOn("Test");

RunTarget(target);
