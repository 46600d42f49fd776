using System.Diagnostics;

namespace Hxi.Fuzz;

/// <summary>What one input did that it must not: the exception (or the bound it broke) and the input itself.</summary>
public sealed record FuzzCrash(string Signature, string Description, byte[] Input)
{
    public override string ToString() => $"{Description}\n  input ({Input.Length} bytes): {Convert.ToHexStringLower(Input)}";
}

/// <summary>The outcome of a run: executions, time, and each distinct crash once.</summary>
public sealed record FuzzReport(string Target, long Executions, TimeSpan Elapsed, IReadOnlyList<FuzzCrash> Crashes, IReadOnlyList<FuzzCrash> SlowInputs)
{
    public double ExecutionsPerSecond => Elapsed.TotalSeconds > 0 ? Executions / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// The in-process fuzzer: the seed corpus first, then deterministic mutations of it. An input crashes when any
/// exception escapes the target, or when one execution allocates more than <see cref="MaxAllocationPerInput"/>
/// (a length field trusted before the bytes arrived).
/// </summary>
public static class FuzzRunner
{
    /// <summary>No input of at most a few KB has a reason to make a decoder allocate more than this.</summary>
    public const long MaxAllocationPerInput = 64L * 1024 * 1024;

    /// <summary>An execution slower than this is reported as a possible hang (long runs only: the smoke test asserts no time).</summary>
    public static readonly TimeSpan SlowInput = TimeSpan.FromSeconds(1);

    /// <summary>The most inputs a coverage-guided run keeps (seeds included).</summary>
    public const int MaxCorpus = 20_000;

    /// <summary>Runs the seeds, then mutants until <paramref name="iterations"/> executions or <paramref name="duration"/> passed.</summary>
    /// <param name="coverage">With instrumented assemblies: inputs that reach new edges join the corpus (and <paramref name="onNewInput"/>).</param>
    public static FuzzReport Run(
        FuzzTarget target,
        long iterations,
        int seed,
        TimeSpan? duration = null,
        IEnumerable<byte[]>? extraCorpus = null,
        Action<FuzzCrash>? onCrash = null,
        CoverageMap? coverage = null,
        Action<byte[]>? onNewInput = null)
    {
        var corpus = target.Seeds().Concat(extraCorpus ?? []).ToList();
        var mutator = new Mutator(seed);
        var crashes = new Dictionary<string, FuzzCrash>();
        var slow = new List<FuzzCrash>();
        var clock = Stopwatch.StartNew();
        long executions = 0;
        int seedCount = corpus.Count;
        for (long i = 0; i < Math.Max(iterations, seedCount); i++)
        {
            if (duration is { } limit && (i & 0xff) == 0 && clock.Elapsed >= limit)
            {
                break;
            }

            var input = i < seedCount ? corpus[(int)i] : mutator.Mutate(corpus);
            long started = Stopwatch.GetTimestamp();
            var crash = Execute(target, input);
            executions++;
            var took = Stopwatch.GetElapsedTime(started);
            if (crash is not null && crashes.TryAdd(crash.Signature, crash))
            {
                onCrash?.Invoke(crash);
            }

            if (coverage is not null && coverage.TakeNew() && crash is null && i >= seedCount && corpus.Count < MaxCorpus)
            {
                corpus.Add(input);
                onNewInput?.Invoke(input);
            }

            if (took > SlowInput && slow.Count < 20)
            {
                // Wall time on a loaded machine includes time descheduled (at nice 19 under load 50, seconds): only an
                // input that takes more than the bound in CPU time when run again counts.
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                Execute(target, input);
                var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
                if (cpu > SlowInput)
                {
                    slow.Add(new FuzzCrash("slow", $"took {took.TotalMilliseconds:F0} ms, then {cpu.TotalMilliseconds:F0} ms of CPU", input));
                }
            }
        }

        return new FuzzReport(target.Name, executions, clock.Elapsed, [.. crashes.Values], slow);
    }

    /// <summary>Runs one input; null when it behaved.</summary>
    public static FuzzCrash? Execute(FuzzTarget target, byte[] input)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            target.Run(input);
        }
        catch (Exception ex)
        {
            var frame = new StackTrace(ex, false).GetFrames().FirstOrDefault(f => f.GetMethod()?.DeclaringType?.Namespace?.StartsWith("Hxi.", StringComparison.Ordinal) == true);
            var where = frame?.GetMethod() is { } method ? $"{method.DeclaringType?.Name}.{method.Name}" : "?";
            return new FuzzCrash($"{ex.GetType().Name} at {where}", $"{ex.GetType().FullName} at {where}: {ex.Message}\n{ex.StackTrace}", input);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return allocated > MaxAllocationPerInput
            ? new FuzzCrash("allocation", $"one input of {input.Length} bytes allocated {allocated / (1024 * 1024)} MB", input)
            : null;
    }

    /// <summary>Shrinks a crashing input while it still crashes with the same signature (removing runs, then zeroing bytes).</summary>
    public static byte[] Minimize(FuzzTarget target, byte[] input)
    {
        var signature = Execute(target, input)?.Signature ?? throw new ArgumentException("the input does not crash", nameof(input));
        bool Crashes(byte[] candidate) => Execute(target, candidate)?.Signature == signature;

        for (int run = Math.Max(1, input.Length / 2); run >= 1; run /= 2)
        {
            for (int start = 0; start + run <= input.Length;)
            {
                byte[] candidate = [.. input.AsSpan(0, start), .. input.AsSpan(start + run)];
                if (Crashes(candidate))
                {
                    input = candidate;
                }
                else
                {
                    start += run;
                }
            }
        }

        return input;
    }
}
