using Hxi.Net.Client;
using Hxi.Net.Scheduling;

namespace Hxi.Cli.Tests.Load;

/// <summary>
/// The exchange scheduler that <c>hxi load</c> and one-shot mode with several URLs share, driven directly against the
/// embedded server with a queue that records what it was asked: how many requests were in flight at once, on how many
/// connections, and what became of each.
/// </summary>
public sealed class ExchangeSchedulerTests(WatchedServerFixture fixture) : IClassFixture<WatchedServerFixture>
{
    [Theory]
    [InlineData(ProtocolMode.Auto, "HTTP/2")]
    [InlineData(ProtocolMode.Http3Only, "HTTP/3")]
    public async Task Multiplexed_AtMostNInFlight_AllOnOneConnection(ProtocolMode mode, string protocol)
    {
        if (mode == ProtocolMode.Http3Only)
        {
            Assert.True(fixture.Server.Http3Enabled, fixture.Server.Http3Problem);
        }

        var tag = $"scheduler-{Guid.NewGuid():N}";
        var queue = new RecordingQueue(await RequestAsync(fixture.Server.HttpsUri, $"/delay/300?{tag}"), count: 8);
        await using var client = new HxiClient(Options(mode));
        await using (var scheduler = new ExchangeScheduler(client, queue, streamsPerConnection: 3))
        {
            await scheduler.RunAsync(CancellationToken.None);
        }

        Assert.Equal(3, queue.MaxInFlight);
        Assert.Equal(Enumerable.Repeat(200, 8), queue.Statuses);
        Assert.Equal(1, client.ConnectionsOpened);
        Assert.Equal(1, queue.ConnectionsOpened);
        Assert.All(fixture.LinesFor(tag), line => Assert.StartsWith(protocol + " GET /delay/300", line));
        Assert.Equal(8, fixture.LinesFor(tag).Count);
    }

    [Fact]
    public async Task Http1_CarriesOneRequestAtATime_OnOneKeepAliveConnection()
    {
        var queue = new RecordingQueue(await RequestAsync(fixture.Server.HttpUri, "/status/204"), count: 4);
        await using var client = new HxiClient(Options(ProtocolMode.Auto));
        await using (var scheduler = new ExchangeScheduler(client, queue, streamsPerConnection: 3))
        {
            await scheduler.RunAsync(CancellationToken.None);
        }

        Assert.Equal(1, queue.MaxInFlight);
        Assert.Equal(Enumerable.Repeat(204, 4), queue.Statuses);
        Assert.Equal(1, client.ConnectionsOpened);
    }

    [Fact]
    public async Task ClosedPort_ConnectFailsOnce_TheRequestGoesBack_NothingIsSent()
    {
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        var queue = new RecordingQueue(await RequestAsync(new Uri($"http://127.0.0.1:{port}/"), "/"), count: 3);
        await using var client = new HxiClient(Options(ProtocolMode.Auto));
        await using (var scheduler = new ExchangeScheduler(client, queue, streamsPerConnection: 2))
        {
            await scheduler.RunAsync(CancellationToken.None);
        }

        var failure = Assert.IsType<HxiException>(queue.ConnectFailure);
        Assert.Equal(FailureKind.Connect, failure.Kind);
        Assert.Equal(3, queue.Remaining);
        Assert.Equal(0, queue.MaxInFlight);
        Assert.Empty(queue.Statuses);
    }

    [Fact]
    public async Task Stopped_RequestsInFlightEndAsStopped_NoMoreAreTaken()
    {
        var queue = new RecordingQueue(await RequestAsync(fixture.Server.HttpsUri, "/delay/5000"), count: 4);
        await using var client = new HxiClient(Options(ProtocolMode.Auto));
        using var stop = new CancellationTokenSource();
        await using (var scheduler = new ExchangeScheduler(client, queue, streamsPerConnection: 2))
        {
            var running = scheduler.RunAsync(stop.Token);
            await queue.InFlightReached(2).WaitAsync(TimeSpan.FromSeconds(30));
            await stop.CancelAsync();
            await running.WaitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.Equal(2, queue.Stopped);
        Assert.Empty(queue.Statuses);
        Assert.Equal(2, queue.Remaining);
    }

    private ClientOptions Options(ProtocolMode mode) => new() { Protocol = mode, CaCertificatePath = fixture.Server.CaCertificatePath };

    private static Task<HxiRequest> RequestAsync(Uri origin, string path) =>
        Hxi.Cli.Commands.RequestBuilder.BuildAsync(new Hxi.Cli.Commands.RequestSpec { Url = new Uri(origin, path).ToString() }, CancellationToken.None);

    /// <summary>Hands out <c>count</c> copies of one request and records what the scheduler did with them.</summary>
    private sealed class RecordingQueue(HxiRequest request, int count) : IExchangeQueue
    {
        private readonly Lock _lock = new();
        private readonly List<int> _statuses = [];
        private readonly TaskCompletionSource[] _reached = [.. Enumerable.Range(0, 8).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];
        private int _remaining = count;
        private int _inFlight;

        public int Remaining => Volatile.Read(ref _remaining);

        public int MaxInFlight { get; private set; }

        public int Stopped { get; private set; }

        public int ConnectionsOpened { get; private set; }

        public Exception? ConnectFailure { get; private set; }

        public IReadOnlyList<int> Statuses
        {
            get
            {
                lock (_lock)
                {
                    return [.. _statuses];
                }
            }
        }

        public Task InFlightReached(int count) => _reached[count].Task;

        public ValueTask<ScheduledExchange?> TakeAsync(CancellationToken ct) =>
            ValueTask.FromResult<ScheduledExchange?>(Interlocked.Decrement(ref _remaining) >= 0 ? new ScheduledExchange(request, new RecordingSink(this)) : Restore());

        public void GiveBack(ScheduledExchange exchange) => Interlocked.Increment(ref _remaining);

        public void ConnectionOpened(ScheduledConnection connection) => ConnectionsOpened++;

        public void ConnectFailed(ScheduledExchange first, Exception failure)
        {
            ConnectFailure = failure;
            GiveBack(first);
        }

        private ScheduledExchange? Restore()
        {
            Interlocked.Increment(ref _remaining);
            return null;
        }

        private void Started()
        {
            lock (_lock)
            {
                _inFlight++;
                MaxInFlight = Math.Max(MaxInFlight, _inFlight);
                _reached[Math.Min(_inFlight, _reached.Length - 1)].TrySetResult();
            }
        }

        private void Ended(int? status, bool stopped)
        {
            lock (_lock)
            {
                _inFlight--;
                if (status is { } code)
                {
                    _statuses.Add(code);
                }

                Stopped += stopped ? 1 : 0;
            }
        }

        private sealed class RecordingSink(RecordingQueue queue) : ExchangeSink
        {
            public override IResponseHandler Handler { get; } = new BufferingResponseHandler();

            public override CancellationToken Sending(CancellationToken stop)
            {
                queue.Started();
                return stop;
            }

            public override ValueTask CompletedAsync(ResponseSummary summary, ScheduledConnection connection, long startedTicks)
            {
                queue.Ended(summary.Head.StatusCode, stopped: false);
                return ValueTask.CompletedTask;
            }

            public override ValueTask FailedAsync(Exception failure, bool stopped, long startedTicks)
            {
                queue.Ended(null, stopped);
                return ValueTask.CompletedTask;
            }
        }
    }
}
