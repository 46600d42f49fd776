using Hxi.Cli.Output;
using Hxi.Cli.Wire;
using Hxi.Net.Client;
using Hxi.Protocols.Trace;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>What every session shares with the REPL around it: where to write, what to count, how to connect.</summary>
public sealed class ReplContext
{
    private readonly Lock _gate = new();
    private readonly List<Task> _background = [];
    private readonly List<long> _streamsOpenedByHand = [];
    private string? _connectionError;
    private int _connectionErrors;
    private int _expectedConnectionErrors;
    private int _requestNumber;

    public required TextWriter Out { get; init; }

    public required Palette Colours { get; init; }

    public required WireRenderer Renderer { get; init; }

    public ReplStats Stats { get; } = new();

    public FrameWatch Watch { get; } = new();

    /// <summary>What hand-made commands sent, for their one-line confirmation when the frame view is off.</summary>
    public SentFrameLog Sent { get; } = new();

    public required Uri BaseUrl { get; init; }

    /// <summary>The session's frame vocabulary, for the parser and <c>help</c>; set once the session is open.</summary>
    public Parsing.ReplDialect Dialect { get; set; }

    /// <summary>TLS trust, timeouts and the tap every connection of the session reports to.</summary>
    public required ClientOptions ClientOptions { get; init; }

    /// <summary>How long a request may wait for its response before the command fails.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Asks the user (or reads the script's next line) for the guided mode; null at the end of input.</summary>
    public Func<string, CancellationToken, Task<string?>> AskAsync { get; set; } = (_, _) => Task.FromResult<string?>(null);

    /// <summary>The last way the connection failed (error GOAWAY, lost socket), when more failed than the script expected.</summary>
    public string? UnexpectedConnectionError =>
        Volatile.Read(ref _connectionErrors) > Volatile.Read(ref _expectedConnectionErrors) ? Volatile.Read(ref _connectionError) : null;

    /// <summary>The connection failed: a script then exits non-zero, unless it waited for this (<c>wait frame GOAWAY</c>).</summary>
    public void ConnectionFailed(string reason)
    {
        Volatile.Write(ref _connectionError, reason);
        Interlocked.Increment(ref _connectionErrors);
    }

    /// <summary>A script waited for a GOAWAY and got it: one connection failure was the point of the test.</summary>
    /// <remarks>Counted, not cleared: the frame can wake the wait before its GOAWAY event is reported.</remarks>
    public void ConnectionFailureExpected() => Interlocked.Increment(ref _expectedConnectionErrors);

    private volatile bool _strict;

    /// <summary>Reject malformed responses (strict on, as the one-shot CLI) or warn and keep them (off, the default); read by the connections' threads.</summary>
    public bool Strict
    {
        get => _strict;
        set => _strict = value;
    }

    /// <summary>--har FILE: every request of the session (not streams made by hand), written when the session ends.</summary>
    public HarRecorder? Har { get; init; }

    /// <summary>The terminal's width in columns, for text that wraps (help); null when the output is not a terminal.</summary>
    public Func<int?> TerminalWidth { get; init; } = () => null;

    /// <summary>A frame command opened this stream; its answer prints when it comes, not when the command ends.</summary>
    public void StreamOpenedByHand(long streamId)
    {
        lock (_gate)
        {
            _streamsOpenedByHand.Add(streamId);
        }
    }

    /// <summary>Streams opened by hand that have ended since the last call: --record writes a wait for each, so a replay sees their answers too.</summary>
    public IReadOnlyList<long> TakeEndedStreamsOpenedByHand()
    {
        lock (_gate)
        {
            var ended = _streamsOpenedByHand.Where(Watch.HasEnded).ToList();
            _streamsOpenedByHand.RemoveAll(ended.Contains);
            return ended;
        }
    }

    public int NextRequestNumber() => Interlocked.Increment(ref _requestNumber);

    /// <summary>A dim line starting with ';', the REPL's voice, set apart from what the server sent.</summary>
    public void Note(string text) => Out.WriteLine(Colours.Dim("; " + text));

    /// <summary>A red line for what went wrong: an error code, a closed connection.</summary>
    public void Warn(string text) => Out.WriteLine(Colours.Red("! " + text));

    /// <summary>Keeps a request started with a trailing &amp; so <c>wait requests</c> and quit can find it.</summary>
    public void AddBackground(Task task)
    {
        lock (_gate)
        {
            _background.RemoveAll(t => t.IsCompleted);
            _background.Add(task);
        }
    }

    public Task[] Background()
    {
        lock (_gate)
        {
            return [.. _background.Where(t => !t.IsCompleted)];
        }
    }

    /// <summary>The taps a connection reports to: the view, the statistics, the watch for <c>wait</c> and the log of what was sent.</summary>
    public IWireTap ConnectionTap(IWireTap view) => new CompositeWireTap(view, Stats, Watch, Sent);
}
