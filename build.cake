// ZmqNative build. Run through ./build.sh (it restores Cake first):
//   ./build.sh                     same as --target=Test
//   ./build.sh --target=Native     build libzmq for this machine's runtime id into native/out/<rid>/
//                                  (--toolchain=zig|gcc: a comparison build into native/out-<toolchain>/)
//   ./build.sh --target=NativeAll  build every runtime id this machine can (zig, MinGW) and check their floors
//   ./build.sh --target=VerifyBullseye|VerifyMusl|VerifyArm64|VerifyWine|VerifyMacOS
//                                  run the builds where they load: a bullseye chroot, musl's loader,
//                                  qemu-aarch64, wine; macOS static checks (--dotnet: also a .NET app)
//   ./build.sh --target=Generate   regenerate src/ZmqNative/Interop/Generated/LibZmq.g.cs from zmq.h, and the socket
//                                  options (ZmqSocket.Options.g.cs, OptionRules.g.cs) from native/generator/options.json
//   ./build.sh --target=Build      build the solution (Release)
//   ./build.sh --target=Test       run every test and print "N passed, N failed"
//   ./build.sh --target=NativeTests  build libzmq's own test suite against the patched source and run it (ctest; long)
//   ./build.sh --target=Pack       make NuGet packages in artifacts/packages/ (--rids=all: cross-build every runtime id first)
//   ./build.sh --target=Bench      run zmqperf and libzmq's own perf tools side by side (bench/compare.sh), medians and ratios
//   ./build.sh --target=Docs       the API reference and the guides as a site in artifacts/docs (docfx); fails on a
//                                  broken link or cross-reference (Test runs this check too)
//   ./build.sh --target=StressAsync  the async stress tests at full size (1 M messages per HWM-1 stream)
//   ./build.sh --target=Demo       run the demo: `zguide version`, then `zguide demo` (every pattern end to end)
//   ./build.sh --target=Fuzz       the long fuzz run: --fuzz-minutes=N (default 10) of hostile traffic over every server,
//                                  a fresh seed each run (--fuzz-seed=N replays one); see docs/fuzzing.md
// Options: --configuration=Release|Debug, --rid=<rid> (default: this machine's),
//   --rids=all|<rid>,<rid>  runtime ids Pack builds besides this machine's (default: none; Pack
//                           always packs every native build already in native/out/).
//   --repository-url=<url>  the repository/project URL Pack writes into every package (default:
//                           Directory.Build.props' placeholder, with a warning).
using System.Xml.Linq;

var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");
var rid = Argument("rid", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier);
var rids = Argument("rids", "");
var toolchain = Argument("toolchain", "");
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
    .Does(() => Run("bash", $"native/build-libzmq.sh {rid}" + (toolchain.Length > 0 ? $" --{toolchain}" : "")));

Task("Generate")
    .Description("Regenerates the P/Invoke layer from the zmq.h the native build used (needs clang).")
    .IsDependentOn("Native")
    .Does(() =>
{
    NeedPackages("clang:clang");
    Run("dotnet", $"run --project native/generator -c {configuration} -- --header native/out/{rid}/include/zmq.h --output src/ZmqNative/Interop/Generated/LibZmq.g.cs");
    // The typed socket options and their range checks, from the option table (no clang needed).
    Run("dotnet", $"run --project native/generator -c {configuration} -- --options native/generator/options.json --root .");
});

Task("Build")
    .Description("Builds the solution.")
    .IsDependentOn("Native")
    .Does(() => DotNetBuild(solution.FullPath, new DotNetBuildSettings { Configuration = configuration }));

Task("Test")
    .Description("Runs every test project and prints one line 'N passed, N failed'.")
    .IsDependentOn("Build")
    .IsDependentOn("Pack") // tests/ZmqNative.Tests/Packaging/ installs the packages into a fresh project
    .Does(() =>
{
    // The generated-layer tests regenerate LibZmq.g.cs (clang) and compile a C probe (cc); the Clone wire tests run a
    // Python peer written from RFC 12 (pyzmq), and are ignored without it.
    NeedPackages("clang:clang", "cc:gcc", "readelf:binutils", "nm:binutils", "py.zmq:python3-zmq");
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

    // The docs site is checked like a test: a broken link or cross-reference in README, docs/ or the XML docs fails it.
    if (BuildDocs() == 0)
    {
        passed++;
    }
    else
    {
        failed++;
        Console.WriteLine("docs: broken links or cross-references (the docfx warnings above); ./build.sh --target=Docs shows them");
    }

    // Written plainly (no colours): CI reads this exact line.
    Console.WriteLine($"tests: {passed} passed, {failed} failed, {skipped} skipped");
    if (exit != 0 || failed != 0 || files == 0)
    {
        throw new Exception($"tests failed (dotnet test exit code {exit}, {failed} failed, {files} result files)");
    }
});

// Builds the docs site (docfx.json: the API reference from the XML docs, README and docs/ as articles) into
// artifacts/docs; every docfx warning (a broken file link, an unknown xref) is an error. Returns docfx's exit code.
int BuildDocs() => StartProcess("dotnet", new ProcessSettings { Arguments = "docfx docfx.json --warningsAsErrors", WorkingDirectory = root });

Task("Docs")
    .Description("Builds the API reference and the guides into artifacts/docs with docfx (a local dotnet tool); fails on broken links and cross-references.")
    .IsDependentOn("Build")
    .Does(() =>
{
    if (BuildDocs() != 0)
    {
        throw new Exception("docfx reported broken links or cross-references (see its warnings above)");
    }

    Console.WriteLine($"docs: {root}/artifacts/docs/index.html");
});

Task("StressAsync")
    .Description("Runs the async stress tests at full size (1 M messages per HWM-1 stream; issue 19).")
    .IsDependentOn("Build")
    .Does(() =>
{
    var exit = StartProcess("dotnet", new ProcessSettings
    {
        Arguments = $"test tests/ZmqNative.Tests -c {configuration} --no-build --filter \"FullyQualifiedName~ZmqNative.Tests.Async\"",
        WorkingDirectory = root,
        EnvironmentVariables = new Dictionary<string, string> { ["ZMQNATIVE_ASYNC_STRESS"] = "1" },
    });
    if (exit != 0)
    {
        throw new Exception($"async stress tests failed (exit code {exit})");
    }
});

Task("NativeTests")
    .Description("Builds libzmq's own tests/ and unittests/ with our options against the patched source and runs them with ctest, then our defect tests (native/test-libzmq.sh full; results and known failures: native/TESTS.md). Not part of Test: it builds the whole suite.")
    .IsDependentOn("Native")
    .Does(() =>
{
    NeedPackages("cmake:cmake", "g++:g++", "make:make", "patch:patch", "ctest:cmake");
    Run("bash", "native/test-libzmq.sh full");
});

// The runtime ids with a native package, and the library file native/build-libzmq.sh leaves in
// native/out/<rid>/ for each. osx-* are built on a macOS machine (same script, same options);
// copy their native/out/<rid>/ folders here and Pack includes them like the others.
var nativeRuntimes = new Dictionary<string, string>
{
    ["linux-x64"] = "libzmq.so",
    ["linux-arm64"] = "libzmq.so",
    ["linux-musl-x64"] = "libzmq.so",
    ["linux-musl-arm64"] = "libzmq.so",
    ["win-x64"] = "libzmq.dll",
    ["win-arm64"] = "libzmq.dll",
    ["osx-x64"] = "libzmq.dylib",
    ["osx-arm64"] = "libzmq.dylib",
};

// The managed packages, in dependency order; ZmqNative.Patterns' reference to ZmqNative
// becomes its package dependency.
var managedPackages = new[] { "src/ZmqNative/ZmqNative.csproj", "src/ZmqNative.Patterns/ZmqNative.Patterns.csproj", "src/ZmqNative.Extensions.Hosting/ZmqNative.Extensions.Hosting.csproj" };

Task("Pack")
    .Description("Makes the NuGet packages in artifacts/packages/: runtime.<rid>.ZmqNative.Native for every native build in native/out/, ZmqNative.Native depending on them, ZmqNative and ZmqNative.Patterns and ZmqNative.Extensions.Hosting (with .snupkg).")
    .IsDependentOn("Native")
    .Does(() =>
{
    // llvm-strip strips the packed libraries (ELF of every architecture, PE): native/packaging/RuntimePackage.props.
    NeedPackages("llvm-strip:llvm");

    // Cross builds asked for: --rids=all is every runtime id this kind of machine can build.
    var hostOs = rid.Split('-')[0];
    var extra = rids == "all"
        ? nativeRuntimes.Keys.Where(r => hostOs == "osx" ? r.StartsWith("osx-") : !r.StartsWith("osx-"))
        : rids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    foreach (var r in extra.Where(r => r != rid))
    {
        if (!nativeRuntimes.ContainsKey(r))
        {
            throw new Exception($"--rids: unknown runtime id '{r}' (known: {string.Join(", ", nativeRuntimes.Keys)}, or all)");
        }

        Run("bash", $"native/build-libzmq.sh {r}");
    }

    // Every native build in native/out/ must come from the pinned source: a stale one (an older
    // pin) would otherwise be shipped under the new version.
    var pin = System.IO.File.ReadAllLines(root.CombineWithFilePath("native/libzmq.version").FullPath)
        .Where(l => l.Contains('=') && !l.TrimStart().StartsWith("#"))
        .Select(l => l.Split('=', 2))
        .ToDictionary(kv => kv[0].Trim(), kv => kv[1].Trim());
    var packed = new List<string>();
    foreach (var (r, library) in nativeRuntimes)
    {
        var outDir = root.Combine($"native/out/{r}");
        if (!System.IO.File.Exists(outDir.CombineWithFilePath(library).FullPath))
        {
            continue;
        }

        var stamp = $"libzmq {pin["LIBZMQ_VERSION"]} sha256 {pin["LIBZMQ_SHA256"]} rid {r}";
        var info = outDir.CombineWithFilePath("BUILD-INFO").FullPath;
        if (!System.IO.File.Exists(info) || !System.IO.File.ReadLines(info).Contains(stamp))
        {
            throw new Exception($"native/out/{r}/ was not built from the pinned source ({stamp}); rebuild it with native/build-libzmq.sh {r} --force, or delete it");
        }

        packed.Add(r);
    }

    // libzmq.a for NativeAOT static linking goes into runtime.linux-x64.ZmqNative.Native
    // (native/build-static.sh reuses the shared build's source and options; skipped when current).
    if (packed.Contains("linux-x64") && rid == "linux-x64")
    {
        NeedPackages("cmake:cmake", "make:make", "nm:binutils");
        Run("bash", "native/build-static.sh linux-x64");
    }

    // Every package names ZmqNativeRepositoryUrl (Directory.Build.props) as its repository and
    // project URL. There is no public repository yet, so the default is a placeholder, kept on
    // purpose: --repository-url=<url> (or that MSBuild property in the environment) sets the real
    // one; a Release pack with the placeholder warns (docs/platforms.md, "Package metadata").
    var placeholderUrl = XDocument.Load(root.CombineWithFilePath("Directory.Build.props").FullPath)
        .Descendants().First(e => e.Name.LocalName == "ZmqNativeRepositoryUrl").Value.Trim();
    var repositoryUrl = Argument("repository-url", EnvironmentVariable("ZmqNativeRepositoryUrl") ?? "");
    if (configuration == "Release" && (repositoryUrl.Length == 0 || repositoryUrl == placeholderUrl))
    {
        Warning("{0}", $"Pack: the packages name {placeholderUrl} as their repository and project URL, a placeholder (no public repository yet); pass --repository-url=<url> before publishing them (docs/platforms.md, \"Package metadata\").");
    }

    var packages = root.Combine("artifacts/packages");
    CleanDirectory(packages);
    // Packing builds in its own artifacts folder, so it never rewrites the obj/ of the dev build
    // (dotnet pack adds the ZmqNative.Native reference to ZmqNative; see its .csproj).
    var packBuild = root.Combine("artifacts/pack-build");
    // Reproducible packages: zip entry times are the last commit's (SOURCE_DATE_EPOCH convention).
    var timestamp = "";
    try
    {
        var exit = StartProcess("git", new ProcessSettings { Arguments = "log -1 --format=%ct", WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true }, out var lines);
        var epoch = lines.FirstOrDefault()?.Trim();
        if (exit == 0 && long.TryParse(epoch, out _))
        {
            timestamp = $" -p:DeterministicTimestamp={epoch}";
        }
    }
    catch (Exception)
    {
        // no git (a source tarball): packages get the current time
    }

    void Pack(string project, bool noBuild) => Run("dotnet",
        $"pack \"{root.CombineWithFilePath(project).FullPath}\" -c {configuration} -o \"{packages.FullPath}\" --artifacts-path \"{packBuild.FullPath}\""
        + " -p:ContinuousIntegrationBuild=true" + (noBuild ? " -p:NoBuild=true" : "") + timestamp
        + (repositoryUrl.Length > 0 ? $" -p:ZmqNativeRepositoryUrl=\"{repositoryUrl}\"" : ""));

    foreach (var r in packed)
    {
        Pack($"native/packaging/runtime.{r}.ZmqNative.Native/runtime.{r}.ZmqNative.Native.csproj", noBuild: true);
    }

    Pack("native/packaging/ZmqNative.Native/ZmqNative.Native.csproj", noBuild: true);
    foreach (var project in managedPackages)
    {
        Pack(project, noBuild: false);
    }

    Console.WriteLine($"packages: runtime ids {string.Join(", ", packed)}; in {packages.FullPath}:");
    foreach (var file in GetFiles(packages.FullPath + "/*.*nupkg").OrderBy(f => f.FullPath))
    {
        Console.WriteLine("  " + file.GetFilename());
    }
});

Task("Bench")
    .Description("Runs zmqperf (C#) and libzmq's perf tools (C) alternately and prints medians and the C#/C ratio (bench/compare.sh).")
    .IsDependentOn("Native")
    .Does(() => Run("bash", $"bench/compare.sh --rid {rid}"));

Task("Demo")
    .Description("Runs the demo: zguide version, then zguide demo (every messaging pattern end to end, in one process).")
    .IsDependentOn("Build")
    .Does(() =>
{
    Run("dotnet", $"src/Examples/bin/{configuration}/net10.0/zguide.dll version");
    Run("dotnet", $"src/Examples/bin/{configuration}/net10.0/zguide.dll demo");
});

Task("Fuzz")
    .Description("The long fuzz run (docs/fuzzing.md): --fuzz-minutes=N (default 10) of malformed traffic split over every server, fresh seed unless --fuzz-seed=N.")
    .IsDependentOn("Build")
    .Does(() =>
{
    var minutes = Argument("fuzz-minutes", 10.0);
    // Each case stops at its own share of the time; a test's cap is 10 minutes (26 cases), so 3 hours is the most one run can take.
    if (minutes <= 0 || minutes > 180)
    {
        throw new Exception($"--fuzz-minutes takes more than 0 and at most 180 (got {minutes})");
    }

    var seedArgument = Argument("fuzz-seed", "");
    var seed = seedArgument.Length > 0 ? int.Parse(seedArgument, System.Globalization.CultureInfo.InvariantCulture) : System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue);
    Console.WriteLine($"fuzz: {minutes} minutes of traffic, seed {seed} (replay: ./build.sh --target=Fuzz --fuzz-minutes={minutes} --fuzz-seed={seed})");
    var exit = StartProcess("dotnet", new ProcessSettings
    {
        Arguments = $"test tests/ZmqNative.Fuzz.Tests -c {configuration} --no-build --logger \"console;verbosity=detailed\"",
        WorkingDirectory = root,
        EnvironmentVariables = new Dictionary<string, string>
        {
            ["ZMQNATIVE_FUZZ_SECONDS"] = (minutes * 60).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ZMQNATIVE_FUZZ_SEED"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
    });
    if (exit != 0)
    {
        throw new Exception($"the fuzz run failed (seed {seed}; replay: ./build.sh --target=Fuzz --fuzz-minutes={minutes} --fuzz-seed={seed})");
    }
});

// Every runtime id a Linux x64 machine builds (native/build-libzmq.sh picks each one's toolchain).
var crossRuntimes = new[] { "linux-x64", "linux-arm64", "linux-musl-x64", "linux-musl-arm64", "osx-x64", "osx-arm64", "win-x64", "win-arm64" };

Task("NativeAll")
    .Description("Builds libzmq for every runtime id this machine can (zig for Linux glibc/musl, macOS and win-arm64, MinGW for win-x64) and runs the floor check over native/out/ (native/toolchain/check-floors.sh).")
    .Does(() =>
{
    foreach (var r in crossRuntimes)
    {
        Run("bash", $"native/build-libzmq.sh {r}");
    }

    Run("bash", "native/toolchain/check-floors.sh");
});

// One emulated/chroot run of native/packaging/verify-emulated.sh, bounded (first runs install
// packages and make the chroot).
void Verify(string what, int minutes)
{
    var dotnet = HasArgument("dotnet") ? " --dotnet" : "";
    Run("timeout", $"{minutes * 60} bash native/packaging/verify-emulated.sh {what}{dotnet}");
}

Task("VerifyBullseye")
    .Description("linux-x64 in a Debian bullseye chroot (glibc 2.31, debootstrap): the C smoke test; --dotnet also a self-contained .NET app from artifacts/packages.")
    .Does(() => Verify("bullseye", 30));

Task("VerifyMusl")
    .Description("linux-musl-x64 under musl's loader (Debian musl-tools): the C smoke test (there is no .NET for musl here).")
    .Does(() => Verify("linux-musl-x64", 10));

Task("VerifyArm64")
    .Description("linux-arm64 (glibc) and linux-musl-arm64 under qemu-aarch64: the C smoke test; --dotnet also a self-contained .NET app for linux-arm64.")
    .Does(() => Verify("linux-arm64 linux-musl-arm64", 30));

Task("VerifyWine")
    .Description("win-x64 under wine: the C smoke test.")
    .Does(() => Verify("win-x64", 20));

Task("VerifyMacOS")
    .Description("osx-x64 and osx-arm64: static checks only (Mach-O arch, minimum macOS, dependencies, exports, install name, signature); cross-built, not run on a Mac.")
    .Does(() => Verify("osx-x64 osx-arm64", 5));

Task("Default").IsDependentOn("Test");

RunTarget(target);
