using Hxi.Net.Load;

namespace Hxi.Cli.Output;

/// <summary>The live line on a terminal during <c>hxi load</c>: requests done, the rate, errors; redrawn once a second.</summary>
public static class LoadProgressLine
{
    public static async Task RunAsync(LoadEngine engine, LoadOptions options, TextWriter stderr, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var lastDone = 0L;
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var done = engine.Done;
                var goal = options.RequestCount is { } n ? $"/{n}" : options.Duration is { } d ? $" in {d.TotalSeconds:0.#} s" : "";
                var phase = engine.WarmingUp ? "warming up; " : "";
                stderr.Write($"\r\u001b[K{phase}{done}{goal} requests, {done - lastDone} req/s now, {engine.Errored} errors, {engine.Elapsed.TotalSeconds:0.0} s");
                lastDone = done;
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended: the report follows.
        }

        stderr.Write("\r\u001b[K");
    }
}
