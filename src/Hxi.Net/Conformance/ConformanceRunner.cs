using System.Diagnostics;
using Hxi.Net.Client;

namespace Hxi.Net.Conformance;

/// <summary>Runs cases one after another, each on a fresh connection with its own deadline.</summary>
public static class ConformanceRunner
{
    /// <summary>Runs <paramref name="cases"/> in order; <paramref name="onResult"/> hears each verdict as it comes.</summary>
    /// <exception cref="HxiException">The target cannot be reached at all (the first case's connection failed): no verdicts would mean anything.</exception>
    public static async Task<IReadOnlyList<CaseResult>> RunAsync(
        IReadOnlyList<ConformanceCase> cases, ConformanceTarget target, Action<CaseResult>? onResult, CancellationToken ct)
    {
        var results = new List<CaseResult>(cases.Count);
        foreach (var conformanceCase in cases)
        {
            var result = await RunOneAsync(conformanceCase, target, reachable: results.Count > 0, ct);
            results.Add(result);
            onResult?.Invoke(result);
        }

        return results;
    }

    /// <summary>Runs one case under its deadline. A connect failure ends the run when nothing has reached the server yet.</summary>
    public static async Task<CaseResult> RunOneAsync(ConformanceCase conformanceCase, ConformanceTarget target, bool reachable, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Time to connect and handshake comes on top of the time the case waits for its answer.
        deadline.CancelAfter(target.CaseTimeout * 2 + TimeSpan.FromSeconds(5));
        var context = new CaseContext(target, deadline.Token);
        CaseVerdict verdict;
        try
        {
            verdict = await conformanceCase.Run(context);
        }
        catch (HxiException ex) when (ex.Kind is FailureKind.Connect or FailureKind.Tls && !reachable)
        {
            throw;
        }
        catch (HxiException ex)
        {
            verdict = context.Fail($"could not set up the connection: {ex.Message}");
        }
        catch (CaseSetupException ex)
        {
            verdict = context.Fail(ex.Message);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            verdict = context.Fail($"no verdict within {(target.CaseTimeout * 2).TotalSeconds:0.#} s (the server neither answered nor closed)");
        }

        return new CaseResult(conformanceCase, verdict, clock.Elapsed);
    }
}

/// <summary>A case could not get as far as its test input (the handshake failed): a failure of the server, with this reason.</summary>
public sealed class CaseSetupException(string message) : Exception(message);
