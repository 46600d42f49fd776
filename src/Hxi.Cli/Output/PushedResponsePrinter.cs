using Hxi.Net.Client;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Output;

/// <summary>Shows a pushed response (--push) on stderr: the promised request, the status and the body size.</summary>
public sealed class PushedResponsePrinter(TextWriter output, Palette palette, long streamId, IReadOnlyList<HeaderField> promised) : IResponseHandler
{
    private long _bytes;

    public void OnInterimResponse(ResponseHead head)
    {
    }

    public void OnResponseHead(ResponseHead head)
    {
        var path = promised.FirstOrDefault(h => h.Name == ":path").Value;
        output.WriteLine(palette.Magenta($"pushed (stream {streamId}) {path}: HTTP/2 {head.StatusCode}"));
    }

    public void OnBodyData(ReadOnlySpan<byte> data)
    {
        _bytes += data.Length;
    }

    public void OnTrailers(IReadOnlyList<HeaderField> trailers)
    {
        output.WriteLine(palette.Magenta($"pushed (stream {streamId}): {_bytes} body bytes, trailers {string.Join(", ", trailers)}"));
    }
}
