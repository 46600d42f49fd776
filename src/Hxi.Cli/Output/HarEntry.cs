using Hxi.Net.Client;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Output;

/// <summary>What one request and its response left behind for the HAR file; filled in as the exchange runs.</summary>
public sealed class HarEntry(HxiRequest request, DateTimeOffset startedAt, TimeSpan startedOnClock)
{
    /// <summary>Bodies are kept in the HAR only up to this size, as devtools also cut large ones.</summary>
    public const int MaxKeptBodyBytes = 1024 * 1024;

    private readonly MemoryStream _body = new();

    public HxiRequest Request { get; } = request;

    public DateTimeOffset StartedAt { get; } = startedAt;

    /// <summary>When the runner asked for the request, on the run's clock (before any connection was made).</summary>
    public TimeSpan StartedOnClock { get; } = startedOnClock;

    /// <summary>The request's header fields as they went on the wire (pseudo-header fields included for HTTP/2 and HTTP/3).</summary>
    public IReadOnlyList<HeaderField>? WireHeaders { get; set; }

    /// <summary>"HTTP/1.1", "HTTP/2" or "HTTP/3": the version the request itself went out in.</summary>
    public string? RequestVersion { get; set; }

    /// <summary>The request head's size in bytes for HTTP/1.1; HTTP/2 and HTTP/3 have no such text.</summary>
    public long RequestHeadersSize { get; set; } = -1;

    public long ResponseHeadersSize { get; set; } = -1;

    /// <summary>When the last byte of the request (head or body) went out, on the run's clock.</summary>
    public TimeSpan? RequestSentOnClock { get; set; }

    /// <summary>True when this request had to open its connection (false when it reused one).</summary>
    public bool OpenedConnection { get; set; }

    public ResponseHead? Head { get; set; }

    public IReadOnlyList<HeaderField> Trailers { get; set; } = [];

    public long BodyBytesSeen { get; private set; }

    /// <summary>The body as received (before Content-Encoding is undone), when it fitted in <see cref="MaxKeptBodyBytes"/>.</summary>
    public byte[]? Body => BodyBytesSeen <= MaxKeptBodyBytes ? _body.ToArray() : null;

    public ResponseSummary? Summary { get; set; }

    public TimeSpan FinishedOnClock { get; set; }

    public void AppendBody(ReadOnlySpan<byte> data)
    {
        BodyBytesSeen += data.Length;
        if (BodyBytesSeen <= MaxKeptBodyBytes)
        {
            _body.Write(data);
        }
    }
}

/// <summary>Passes a response on to the printer and keeps its head, body and trailers for the HAR entry.</summary>
internal sealed class HarResponseHandler(HarEntry entry, IResponseHandler inner) : IResponseHandler
{
    public void OnInterimResponse(ResponseHead head) => inner.OnInterimResponse(head);

    public void OnResponseHead(ResponseHead head)
    {
        entry.Head = head;
        inner.OnResponseHead(head);
    }

    public void OnBodyData(ReadOnlySpan<byte> data)
    {
        entry.AppendBody(data);
        inner.OnBodyData(data);
    }

    public void OnTrailers(IReadOnlyList<HeaderField> trailers)
    {
        entry.Trailers = trailers;
        inner.OnTrailers(trailers);
    }
}
