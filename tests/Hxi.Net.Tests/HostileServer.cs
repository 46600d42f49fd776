using System.Net;
using System.Net.Sockets;

namespace Hxi.Net.Tests;

/// <summary>
/// A fake h2c server on a loopback TcpListener that answers one client with a scripted byte sequence.
/// It records every frame the client sends until the client closes, so a test can check our GOAWAY.
/// </summary>
public sealed class HostileServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(15));
    private readonly Task<IReadOnlyList<WireFrame>> _session;

    private HostileServer(Func<RawFrameStream, CancellationToken, Task> script)
    {
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/hostile");
        _session = RunAsync(script);
    }

    public Uri Url { get; }

    /// <summary>
    /// Reads the client's preface, SETTINGS and request HEADERS, sends an empty SETTINGS (and its ACK),
    /// then runs <paramref name="attack"/>.
    /// </summary>
    public static HostileServer AfterRequest(Func<RawFrameStream, CancellationToken, Task> attack) =>
        new(async (frames, ct) =>
        {
            await frames.ReadPrefaceAsync(ct);
            await frames.WriteFrameAsync(WireFrame.Settings, 0, 0, [], ct);
            while (await frames.ReadFrameAsync(ct) is { } frame)
            {
                if (frame.Type == WireFrame.Settings && frame.Flags == 0)
                {
                    await frames.WriteFrameAsync(WireFrame.Settings, WireFrame.Ack, 0, [], ct);
                }

                if (frame.Type == WireFrame.Headers && frame.StreamId == 1)
                {
                    break;
                }
            }

            await attack(frames, ct);
        });

    /// <summary>Runs <paramref name="script"/> from the first byte: for attacks on the connection preface itself.</summary>
    public static HostileServer Scripted(Func<RawFrameStream, CancellationToken, Task> script) => new(script);

    /// <summary>Accepts the connection and then says nothing at all.</summary>
    public static HostileServer Silent() => new((_, ct) => Task.Delay(Timeout.Infinite, ct));

    /// <summary>Everything the client sent after the attack, until it closed the connection.</summary>
    public async Task<IReadOnlyList<WireFrame>> ClientFramesAsync() => await _session.WaitAsync(TimeSpan.FromSeconds(10));

    private async Task<IReadOnlyList<WireFrame>> RunAsync(Func<RawFrameStream, CancellationToken, Task> script)
    {
        using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
        var frames = new RawFrameStream(client.GetStream());
        try
        {
            await script(frames, _stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return [];
        }
        catch (IOException)
        {
            // The client hung up in the middle of the attack, as it should; what it sent first is still readable.
        }

        var received = new List<WireFrame>();
        while (!frames.IsClosed && await frames.ReadFrameAsync(_stop.Token) is { } frame)
        {
            received.Add(frame);
        }

        return received;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await ((Task)_session).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _listener.Stop();
        _listener.Dispose();
        _stop.Dispose();
    }
}
