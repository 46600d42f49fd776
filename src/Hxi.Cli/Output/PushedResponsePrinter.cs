using Hxi.Net.Client;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Output;

/// <summary>Shows a pushed response (--push) on stderr: the promised request, the status and the body size.</summary>
/// <param name="id">The promised stream (HTTP/2) or the push id (HTTP/3).</param>
public sealed class PushedResponsePrinter(TextWriter output, Palette palette, long id, IReadOnlyList<HeaderField> promised) : IResponseHandler
{
    private long _bytes;
    private string _label = $"stream {id}";

    public void OnInterimResponse(ResponseHead head)
    {
    }

    public void OnResponseHead(ResponseHead head)
    {
        // HTTP/3 names a push by its push id; its stream id is the push stream's, which the promise did not know.
        _label = head.Protocol == "HTTP/3" ? $"push {id}" : $"stream {id}";
        var path = promised.FirstOrDefault(h => h.Name == ":path").Value;
        output.WriteLine(palette.Magenta($"pushed ({_label}) {path}: {head.Protocol} {head.StatusCode}"));
    }

    public void OnBodyData(ReadOnlySpan<byte> data)
    {
        _bytes += data.Length;
    }

    public void OnTrailers(IReadOnlyList<HeaderField> trailers)
    {
        output.WriteLine(palette.Magenta($"pushed ({_label}): {_bytes} body bytes, trailers {string.Join(", ", trailers)}"));
    }
}
