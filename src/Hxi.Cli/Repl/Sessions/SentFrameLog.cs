using Hxi.Cli.Wire;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Trace;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>
/// With the frame view off, what a command typed by hand put on the wire, so it can be confirmed in one line as
/// h2i does: the frames went, even though none is drawn.
/// </summary>
public sealed class SentFrameLog : IWireTap
{
    private readonly Lock _gate = new();
    private List<string>? _titles;

    /// <summary>Starts collecting the titles of frames sent from now on.</summary>
    public void Start()
    {
        lock (_gate)
        {
            _titles = [];
        }
    }

    /// <summary>Stops collecting; "sent PING frame &lt;...&gt;, ..." for what went, or null when nothing did.</summary>
    public string? Stop()
    {
        lock (_gate)
        {
            var titles = _titles;
            _titles = null;
            return titles is { Count: > 0 } ? "sent " + string.Join(", ", titles) : null;
        }
    }

    public void Record(in WireRecord record)
    {
        if (record.Direction != WireDirection.Sent)
        {
            return;
        }

        var title = record.Decoded switch
        {
            Http2Frame frame when record.Layer == WireLayer.Http2 => Http2FrameFormatter.Title(frame, record.Bytes.Length - Http2FrameHeader.Size),
            Http3FrameTrace frame => Http3Formatter.Title(frame),
            Http3StreamTypeTrace stream => Http3Formatter.StreamType(stream),
            _ => null,
        };
        if (title is null)
        {
            return;
        }

        lock (_gate)
        {
            _titles?.Add(title);
        }
    }
}
