using System.Diagnostics;

namespace Hxi.Interop.Tests;

/// <summary>A live tshark capture on loopback into a pcapng file, started before the traffic and stopped after it.</summary>
public sealed class TsharkCapture : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _capturing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _stderr = [];

    private TsharkCapture(Process process) => _process = process;

    public string Log
    {
        get
        {
            lock (_stderr)
            {
                return string.Join('\n', _stderr);
            }
        }
    }

    /// <summary>Starts capturing <paramref name="filter"/> (BPF) on lo and returns once tshark says it is capturing.</summary>
    public static async Task<TsharkCapture> StartAsync(string filter, string file)
    {
        // -a duration bounds a capture that nobody stops (a test that crashed half-way).
        var startInfo = ProcessRunner.CreateStartInfo(PeerBinaries.Require("tshark"), ["-i", "lo", "-f", filter, "-w", file, "-a", "duration:60"], null);
        var capture = new TsharkCapture(new Process { StartInfo = startInfo });
        capture._process.ErrorDataReceived += (_, e) => capture.OnStderr(e.Data);
        capture._process.Start();
        capture._process.StandardInput.Close();
        capture._process.BeginErrorReadLine();
        capture._process.BeginOutputReadLine();
        try
        {
            await capture._capturing.Task.WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (TimeoutException)
        {
            await capture.DisposeAsync();
            throw new InvalidOperationException($"tshark did not start capturing within 15 s:\n{capture.Log}");
        }

        return capture;
    }

    /// <summary>Stops with SIGINT, as Ctrl-C would, so tshark finishes the file; kills it if it does not exit.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        // Packets still in the kernel's buffer reach the file only if tshark gets a moment before the signal.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        await ProcessRunner.RunAsync("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5));
        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(exited.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"tshark did not stop within 10 s of SIGINT:\n{Log}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnStderr(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_stderr)
        {
            _stderr.Add(line);
        }

        if (line.StartsWith("Capturing on", StringComparison.Ordinal))
        {
            _capturing.TrySetResult();
        }
    }
}
