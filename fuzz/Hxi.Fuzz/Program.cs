using System.Globalization;
using Hxi.Fuzz;

// hxi's fuzzers. "smoke" runs the in-process mutator (deterministic, no afl needed); "afl" is the target for
// afl-fuzz after SharpFuzz instrumentation (see fuzz/README.md and fuzz/run-long.sh).
// Instrumented assemblies (fuzz/run-long.sh) write to the edge map on every branch, whatever the command; afl brings its own.
var coverage = args is ["afl", ..] ? null : new CoverageMap();

return args switch
{
    ["list"] => List(),
    ["seed", var directory] => Seed(directory),
    ["smoke", var name, .. var options] => Smoke(name, options, coverage!),
    ["afl", var name] => Afl(name),
    ["replay", var name, .. var files] => Replay(name, files),
    ["minimize", var name, var file, var output] => Minimize(name, file, output),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: Hxi.Fuzz list
               Hxi.Fuzz seed DIR                       write every target's seed corpus to DIR/TARGET/
               Hxi.Fuzz smoke TARGET|all [--iterations N] [--seconds S] [--seed S] [--corpus DIR] [--crashes DIR] [--queue DIR]
               Hxi.Fuzz afl TARGET                     run under afl-fuzz (instrument the assemblies first)
               Hxi.Fuzz replay TARGET FILE...          run inputs once and print what they do
               Hxi.Fuzz minimize TARGET FILE OUT       shrink a crashing input
        """);
    return 2;
}

static FuzzTarget Target(string name) =>
    FuzzTargets.Find(name) ?? throw new ArgumentException($"unknown target '{name}': {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}");

static int List()
{
    foreach (var target in FuzzTargets.All)
    {
        Console.WriteLine($"{target.Name,-22} {target.Decoder}");
    }

    return 0;
}

static int Seed(string directory)
{
    foreach (var target in FuzzTargets.All)
    {
        var folder = Path.Combine(directory, target.Name);
        Directory.CreateDirectory(folder);
        int n = 0;
        foreach (var seed in target.Seeds())
        {
            File.WriteAllBytes(Path.Combine(folder, $"seed-{n++:D2}.bin"), seed);
        }

        Console.WriteLine($"{target.Name}: {n} seeds");
    }

    return 0;
}

static int Smoke(string name, string[] options, CoverageMap coverage)
{
    long? iterations = null;
    int seed = 1;
    TimeSpan? duration = null;
    string? corpus = null;
    string? crashes = null;
    string? queue = null;
    for (int i = 0; i + 1 < options.Length; i += 2)
    {
        switch (options[i])
        {
            case "--iterations": iterations = long.Parse(options[i + 1], CultureInfo.InvariantCulture); break;
            case "--seconds": duration = TimeSpan.FromSeconds(double.Parse(options[i + 1], CultureInfo.InvariantCulture)); break;
            case "--seed": seed = int.Parse(options[i + 1], CultureInfo.InvariantCulture); break;
            case "--corpus": corpus = options[i + 1]; break;
            case "--crashes": crashes = options[i + 1]; break;
            case "--queue": queue = options[i + 1]; break;
            default: return Usage();
        }
    }

    // Both given: whichever comes first ends the run; --seconds alone runs for that long.
    long executionsWanted = iterations ?? (duration is null ? 10_000 : long.MaxValue);
    var targets = name == "all" ? FuzzTargets.All : [Target(name)];
    int found = 0;
    foreach (var target in targets)
    {
        coverage.Reset();
        var extra = corpus is not null && Directory.Exists(Path.Combine(corpus, target.Name))
            ? Directory.GetFiles(Path.Combine(corpus, target.Name)).Select(File.ReadAllBytes).ToList()
            : [];
        int added = 0;
        var report = FuzzRunner.Run(target, executionsWanted, seed, duration, extra, onCrash: crash =>
        {
            Console.WriteLine($"CRASH {target.Name}: {crash}");
            if (crashes is not null)
            {
                Directory.CreateDirectory(Path.Combine(crashes, target.Name));
                File.WriteAllBytes(Path.Combine(crashes, target.Name, $"crash-{Hash(crash.Input)}.bin"), crash.Input);
            }
        },
        coverage: coverage,
        onNewInput: input =>
        {
            added++;
            if (queue is not null)
            {
                Directory.CreateDirectory(Path.Combine(queue, target.Name));
                File.WriteAllBytes(Path.Combine(queue, target.Name, $"id-{Hash(input)}.bin"), input);
            }
        });
        found += report.Crashes.Count;
        foreach (var slow in report.SlowInputs)
        {
            Console.WriteLine($"SLOW {target.Name}: {slow}");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{target.Name,-22} executions={report.Executions} seconds={report.Elapsed.TotalSeconds:F1} exec/s={report.ExecutionsPerSecond:F0} crashes={report.Crashes.Count} slow={report.SlowInputs.Count} edges={coverage.Edges} new-inputs={added}"));
    }

    return found == 0 ? 0 : 1;
}

static string Hash(byte[] input) => Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(input))[..12];

static int Afl(string name)
{
    var target = Target(name);
    SharpFuzz.Fuzzer.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var input = buffer.ToArray();
        long before = GC.GetAllocatedBytesForCurrentThread();
        target.Run(input);
        if (GC.GetAllocatedBytesForCurrentThread() - before > FuzzRunner.MaxAllocationPerInput)
        {
            throw new InsufficientExecutionStackException("one input allocated more than the per-input bound");
        }
    });
    return 0;
}

static int Replay(string name, string[] files)
{
    var target = Target(name);
    int crashed = 0;
    foreach (var file in files)
    {
        var crash = FuzzRunner.Execute(target, File.ReadAllBytes(file));
        Console.WriteLine(crash is null ? $"{file}: ok" : $"{file}: {crash}");
        crashed += crash is null ? 0 : 1;
    }

    return crashed == 0 ? 0 : 1;
}

static int Minimize(string name, string file, string output)
{
    var minimal = FuzzRunner.Minimize(Target(name), File.ReadAllBytes(file));
    File.WriteAllBytes(output, minimal);
    Console.WriteLine($"{minimal.Length} bytes: {Convert.ToHexStringLower(minimal)}");
    return 0;
}
