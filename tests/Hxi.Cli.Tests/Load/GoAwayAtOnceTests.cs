using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Hxi.Net.Tests;

namespace Hxi.Cli.Tests.Load;

/// <summary>
/// A server that ends every HTTP/2 connection with GOAWAY right after its SETTINGS: the scheduler must send the request
/// each connection was opened for and fail it with the reason, not hand it back for a next connection that ends the
/// same way (which would connect for ever).
/// </summary>
public sealed class GoAwayAtOnceTests
{
    [Fact]
    public async Task OneShot_EveryUrlFailsWithTheReason_NoEndlessReconnects()
    {
        await using var server = new GoAwayAtOnceServer();
        var result = await HxiInProcess.RunAsync(
            "--http2-prior-knowledge", "--timeout", "30", $"{server.Url}a", $"{server.Url}b", $"{server.Url}c");

        Assert.True(result.ExitCode == 6, result.ToString());
        Assert.Equal(3, result.StdErr.Split('\n').Count(line => line.StartsWith("hxi: error: ", StringComparison.Ordinal)));
        Assert.InRange(server.Connections, 1, 3);
    }

    [Fact]
    public async Task Load_EachConnectionCarriesARequestThatFails_TheRunEnds()
    {
        await using var server = new GoAwayAtOnceServer();
        var file = Path.Combine(Path.GetTempPath(), $"hxi-load-{Guid.NewGuid():N}.json");
        try
        {
            // --timeout puts the run on the scheduler rather than the HTTP/2 fast path.
            var result = await HxiInProcess.RunAsync(
                "load", "-s", "-o", file, "--http2-prior-knowledge", "--timeout", "30", "-n", "5", "-c", "1", "-m", "2", $"{server.Url}x");

            Assert.True(result.ExitCode == 0, result.ToString());
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(file));
            var requests = json.RootElement.GetProperty("requests");
            Assert.Equal(0, requests.GetProperty("succeeded").GetInt64());
            Assert.Equal(5, requests.GetProperty("errored").GetInt64());
            Assert.InRange(server.Connections, 1, 5);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Accepts any number of h2c connections; on each: an empty SETTINGS, GOAWAY NO_ERROR with last stream 0, then it reads until the client closes.</summary>
    private sealed class GoAwayAtOnceServer : IAsyncDisposable
    {
        private static readonly byte[] SettingsThenGoAway =
        [
            0, 0, 0, 0x4, 0, 0, 0, 0, 0,
            0, 0, 8, 0x7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        ];

        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _accepting;
        private int _connections;

        public GoAwayAtOnceServer()
        {
            _listener.Start();
            Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
            _accepting = AcceptAsync();
        }

        public Uri Url { get; }

        public int Connections => Volatile.Read(ref _connections);

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var socket = await _listener.AcceptSocketAsync(_stop.Token);
                    Interlocked.Increment(ref _connections);
                    _ = ServeAsync(socket);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }

        private async Task ServeAsync(Socket socket)
        {
            using (socket)
            {
                try
                {
                    await socket.SendAsync(SettingsThenGoAway, _stop.Token);
                    var buffer = new byte[4096];
                    while (await socket.ReceiveAsync(buffer, _stop.Token) > 0)
                    {
                    }
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException)
                {
                    // The client went away, or the test ended.
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _accepting;
            _stop.Dispose();
        }
    }
}
