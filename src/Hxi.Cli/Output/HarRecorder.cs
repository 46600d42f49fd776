using System.Diagnostics;
using Hxi.Cli.Wire;
using Hxi.Net.Client;
using Hxi.Net.Http1;
using Hxi.Net.Http2;
using Hxi.Protocols.Http1;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Http3.Qpack;
using Hxi.Protocols.Trace;

namespace Hxi.Cli.Output;

/// <summary>
/// --har FILE: one HAR 1.2 entry per request of the run (redirects followed with -L included), written when the run ends.
/// It watches the wire too, for what the request really carried (its header fields as sent, its head size, when its
/// last byte went) and the size of an HTTP/1.1 response head.
/// </summary>
public sealed class HarRecorder(Stream output, Stopwatch clock) : IWireTap, IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<HarEntry> _entries = [];

    // The wall-clock time at which the run's clock read zero: entries are stamped from the one clock.
    private readonly DateTimeOffset _clockStart = DateTimeOffset.Now - clock.Elapsed;

    private HarEntry? _current;
    private bool _disposed;

    public IReadOnlyList<HarEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>A request is about to be sent: returns the handler to give the client in place of <paramref name="printer"/>.</summary>
    public IResponseHandler Begin(HxiRequest request, IResponseHandler printer)
    {
        var now = clock.Elapsed;
        var entry = new HarEntry(request, _clockStart + now, now);
        lock (_gate)
        {
            _current = entry;
        }

        return new HarResponseHandler(entry, printer);
    }

    /// <summary>
    /// A REPL request, one of several that may be in flight at once: its entry is its own rather than the run's
    /// current one, so the wire is not read for it. On HTTP/2 and HTTP/3 (<paramref name="multiplexedVersion"/>) its
    /// header fields are those the client maps the request to, pseudo-header fields first, as the wire carries them.
    /// </summary>
    public (HarEntry Entry, IResponseHandler Handler) BeginOwn(HxiRequest request, IResponseHandler inner, string? multiplexedVersion = null)
    {
        var now = clock.Elapsed;
        var entry = new HarEntry(request, _clockStart + now, now);
        if (multiplexedVersion is not null)
        {
            // HTTP/3 requests are always https; an HTTP/2 one has the scheme of its URL (h2c is http).
            var scheme = multiplexedVersion == "HTTP/3" ? "https" : request.Url.Scheme;
            entry.WireHeaders = Http2RequestMapper.Map(request, scheme).Fields;
            entry.RequestVersion = multiplexedVersion;
        }

        return (entry, new HarResponseHandler(entry, inner));
    }

    /// <summary>An entry from <see cref="BeginOwn"/> whose response has ended.</summary>
    public void Complete(HarEntry entry, ResponseSummary summary)
    {
        lock (_gate)
        {
            entry.Summary = summary;
            entry.Head ??= summary.Head;
            entry.FinishedOnClock = clock.Elapsed;
            _entries.Add(entry);
        }
    }

    /// <summary>The current request made a new connection: its DNS, connect and TLS times are its own.</summary>
    public void Connected()
    {
        lock (_gate)
        {
            if (_current is { } entry)
            {
                entry.OpenedConnection = true;
            }
        }
    }

    /// <summary>The response has ended: the entry is complete.</summary>
    public void Complete(ResponseSummary summary)
    {
        lock (_gate)
        {
            if (_current is not { } entry)
            {
                return;
            }

            entry.Summary = summary;
            entry.Head ??= summary.Head;
            entry.FinishedOnClock = clock.Elapsed;
            _entries.Add(entry);
            _current = null;
        }
    }

    public void Record(in WireRecord record)
    {
        lock (_gate)
        {
            if (_current is not { } entry)
            {
                return;
            }

            if (record.Direction == WireDirection.Sent)
            {
                RecordSent(entry, record);
            }
            else if (record.Decoded is Http1ResponseHeadReceived)
            {
                entry.ResponseHeadersSize = record.Bytes.Length;
            }
        }
    }

    private void RecordSent(HarEntry entry, in WireRecord record)
    {
        switch (record.Decoded)
        {
            // The first head sent is the request's; an h2c Upgrade request goes as HTTP/1.1 and stays so here.
            case Http1Text text when entry.WireHeaders is null:
                if (Http1RequestHead.TryParse(text.Text, out var head))
                {
                    entry.WireHeaders = head.Headers;
                    entry.RequestVersion = head.Version;
                    entry.RequestHeadersSize = record.Bytes.Length;
                }

                entry.RequestSentOnClock = clock.Elapsed;
                break;
            case Http2HeaderBlock { PromisedStreamId: null } block when entry.WireHeaders is null:
                entry.WireHeaders = block.Fields;
                entry.RequestVersion = "HTTP/2";
                break;
            case QpackSectionTrace section when entry.WireHeaders is null:
                entry.WireHeaders = [.. section.Lines.Select(line => line.Field)];
                entry.RequestVersion = "HTTP/3";
                break;
            case Http1BodyBytes:
            case HeadersFrame or ContinuationFrame or DataFrame:
            case Http3FrameTrace { Frame: Protocols.Http3.Frames.HeadersFrame or Protocols.Http3.Frames.DataFrame }:
                entry.RequestSentOnClock = clock.Elapsed;
                break;
        }
    }

    /// <summary>Writes the HAR file with every entry completed so far (a failed run still keeps what went before).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                // Requests a REPL ran side by side end in any order; HAR lists them as they started.
                HarWriter.Write(output, [.. _entries.OrderBy(e => e.StartedOnClock)], ProductVersion.Number);
            }
            finally
            {
                output.Dispose();
            }
        }
    }
}
