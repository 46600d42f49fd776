using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hxi.Interop.Tests;

/// <summary>
/// A long-running peer server: started, awaited until its TCP port accepts connections,
/// its output kept for failure messages, and its process tree killed on dispose.
/// </summary>
public sealed class PeerProcess : IDisposable
{
    public static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(10);

    // Enough to show why a peer failed without letting a chatty peer grow the test host without bound.
    private const int MaxLogChars = 256 * 1024;

    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly Lock _logLock = new();

    private PeerProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the peer wrote to stdout and stderr so far (the oldest part dropped past 256 KB).</summary>
    public string Log
    {
        get
        {
            lock (_logLock)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="fileName"/> and returns once every port in <paramref name="ports"/> accepts on 127.0.0.1.</summary>
    public static PeerProcess Start(
        string name,
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyList<int> ports,
        IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null,
        TimeSpan? startTimeout = null)
    {
        var startInfo = ProcessRunner.CreateStartInfo(fileName, arguments, environment);
        startInfo.WorkingDirectory = workingDirectory ?? "";
        var peer = new PeerProcess(name, new Process { StartInfo = startInfo });
        try
        {
            peer.StartAndWaitForPorts(ports, startTimeout ?? DefaultStartTimeout, ProcessRunner.DescribeCommand(fileName, arguments));
            return peer;
        }
        catch
        {
            peer.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started, or already reaped: nothing left to kill.
        }
        _process.Dispose();
    }

    public override string ToString() => $"{Name} (pid {ProcessId})\n--- log ---\n{Log}";

    private void StartAndWaitForPorts(IReadOnlyList<int> ports, TimeSpan timeout, string command)
    {
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.StandardInput.Close();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        foreach (var port in ports)
        {
            while (!Accepts(port))
            {
                if (_process.HasExited)
                {
                    _process.WaitForExit(); // flushes the asynchronous readers into the log
                    throw new InvalidOperationException(
                        $"{Name} exited with {_process.ExitCode} before port {port} opened: {command}\n{Log}");
                }
                if (deadline.Elapsed > timeout)
                {
                    throw new TimeoutException(
                        $"{Name} did not accept on 127.0.0.1:{port} within {timeout.TotalSeconds:F0} s: {command}\n{Log}");
                }
                Thread.Sleep(50);
            }
        }
    }

    private static bool Accepts(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_logLock)
        {
            _log.AppendLine(line);
            if (_log.Length > MaxLogChars)
            {
                _log.Remove(0, _log.Length - MaxLogChars);
            }
        }
    }
}
