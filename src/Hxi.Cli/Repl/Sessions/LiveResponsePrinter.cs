using System.Text;
using Hxi.Cli.Wire;
using Hxi.Net.Client;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>
/// Prints a response while it streams in (a body that comes line by line is read line by line), keeping it whole for
/// the summary: the head unless the frame view shows it, then text as it arrives, up to a screenful.
/// </summary>
/// <remarks>Called on the connection's reading thread; the REPL's console takes whole lines from any thread.</remarks>
internal sealed class LiveResponsePrinter(ReplContext context, bool printHead, string version) : IResponseHandler
{
    private const int MaxBodyChars = ReplResponseWriter.MaxBodyChars;

    private readonly BufferingResponseHandler _buffer = new();
    private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder();
    private bool? _text;
    private int _charsShown;
    private long _bytesShown;
    private bool _endsWithNewline = true;

    public byte[] Body => _buffer.Body;

    public void OnInterimResponse(ResponseHead head) => _buffer.OnInterimResponse(head);

    public void OnResponseHead(ResponseHead head)
    {
        _buffer.OnResponseHead(head);
        if (printHead)
        {
            context.Out.Write(ReplResponseWriter.Head(context, version, head.StatusCode, head.Reason, head.Headers));
        }
    }

    public void OnBodyData(ReadOnlySpan<byte> data)
    {
        _buffer.OnBodyData(data);
        _text ??= WireRenderer.IsText(data[..Math.Min(data.Length, MaxBodyChars)]);
        if (_text != true || _charsShown >= MaxBodyChars || data.IsEmpty)
        {
            return;
        }

        var chars = new char[_utf8.GetCharCount(data, flush: false)];
        var count = _utf8.GetChars(data, chars, flush: false);
        var shown = new string(chars, 0, Math.Min(count, MaxBodyChars - _charsShown));
        _charsShown += shown.Length;
        _bytesShown += shown.Length == count ? data.Length : Encoding.UTF8.GetByteCount(shown);
        if (shown.Length > 0)
        {
            _endsWithNewline = shown.EndsWith('\n');
            context.Out.Write(shown);
        }
    }

    public void OnTrailers(IReadOnlyList<HeaderField> trailers) => _buffer.OnTrailers(trailers);

    /// <summary>Ends what was printed: the last line, a note for what was not shown, or the size of a binary body.</summary>
    public void Finish()
    {
        var body = _buffer.Body;
        var text = new StringBuilder();
        if (_text == false)
        {
            text.Append(context.Colours.Dim($"<{body.Length} bytes of binary data>")).Append('\n');
        }
        else if (_text == true)
        {
            if (!_endsWithNewline)
            {
                text.Append('\n');
            }

            if (body.Length > _bytesShown)
            {
                text.Append(context.Colours.Dim($"... {body.Length - _bytesShown} more bytes")).Append('\n');
            }
        }

        context.Out.Write(text.ToString());
    }
}
