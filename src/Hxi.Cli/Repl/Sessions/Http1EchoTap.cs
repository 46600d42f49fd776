using System.Text;
using Hxi.Protocols.Http1;
using Hxi.Protocols.Trace;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>
/// The HTTP/1.1 REPL's view when the frame view is off: what the server sends, printed verbatim as it
/// arrives (telnet-style), with a note at each chunk boundary. With the frame view on, the wire renderer shows it.
/// </summary>
public sealed class Http1EchoTap(ReplContext context) : IWireTap
{
    public void Record(in WireRecord record)
    {
        if (context.Renderer.View.Any)
        {
            context.Renderer.Record(record);
            return;
        }

        if (record.Direction != WireDirection.Received || record.Layer != WireLayer.Http1)
        {
            return;
        }

        if (record.Decoded is Http1ChunkStarted chunk)
        {
            context.Note(chunk.Size == 0 ? "last chunk" : $"chunk of {chunk.Size} bytes");
            return;
        }

        if (!record.Bytes.IsEmpty)
        {
            var text = Encoding.Latin1.GetString(record.Bytes.Span).Replace("\r\n", "\n");
            context.Out.Write(text.EndsWith('\n') ? text : text + "\n");
        }
    }
}
