using Hxi.Cli.Wire;
using Hxi.Net.Conformance;
using Hxi.Net.Conformance.Quic;

namespace Hxi.Cli.Check;

/// <summary>Evidence as the wire view prints it: "send"/"recv", the frame title, then its fields one per line.</summary>
public static class EvidenceText
{
    private const string Indent = "      ";

    /// <summary>The lines for <paramref name="evidence"/>: all of it, or only what followed the test input.</summary>
    public static IEnumerable<string> Lines(IReadOnlyList<EvidenceItem> evidence, bool all)
    {
        foreach (var item in evidence)
        {
            if (!all && !item.AfterTrigger)
            {
                continue;
            }

            foreach (var line in Lines(item))
            {
                yield return line;
            }
        }
    }

    public static IEnumerable<string> Lines(EvidenceItem item)
    {
        switch (item)
        {
            case Http2FrameEvidence frame:
                yield return $"{(frame.Sent ? "send" : "recv")} {Http2FrameFormatter.Title(frame.Frame, frame.Length)}";
                if (frame.Malformed is { } reason && frame.Frame is Hxi.Protocols.Http2.Frames.UnknownFrame unparsed)
                {
                    yield return $"{Indent}(malformed on purpose: {reason}; payload {Convert.ToHexStringLower(unparsed.Payload.Span[..Math.Min(32, unparsed.Payload.Length)])}{(unparsed.Payload.Length > 32 ? "..." : "")})";
                    break;
                }

                foreach (var detail in Http2FrameFormatter.Details(frame.Frame))
                {
                    yield return Indent + detail;
                }

                foreach (var field in frame.Fields ?? [])
                {
                    yield return $"{Indent}{field.Name}: {Http2FrameFormatter.Printable(System.Text.Encoding.Latin1.GetBytes(field.Value))}";
                }

                break;
            case Hxi.Net.Conformance.Http3.Http3FrameEvidence frame:
                yield return $"{(frame.Sent ? "send" : "recv")} {Http3Formatter.Title(frame.Trace)}";
                foreach (var detail in frame.Malformed is { } broken ? [$"(malformed on purpose: {broken})"] : Http3Formatter.Details(frame.Trace))
                {
                    yield return Indent + detail;
                }

                foreach (var field in frame.Fields ?? [])
                {
                    yield return $"{Indent}{field.Name}: {Http2FrameFormatter.Printable(System.Text.Encoding.Latin1.GetBytes(field.Value))}";
                }

                break;
            case Hxi.Net.Conformance.Http3.Http3StreamEvidence stream:
                yield return $"{(stream.Sent ? "send" : "recv")} {stream.Text}";
                break;
            case QuicPacketEvidence quic:
                yield return $"{(quic.Sent ? "send" : "recv")} {QuicFormatter.Title(quic.Packet)}";
                foreach (var line in QuicFormatter.Frames(quic.Packet))
                {
                    yield return Indent + line;
                }

                break;
            case QuicDatagramEvidence datagram:
                yield return $"{(datagram.Sent ? "send" : "recv")} {datagram.Description} ({datagram.Length} bytes)";
                break;
            case RawBytesEvidence raw:
                yield return $"{(raw.Sent ? "send" : "recv")} {raw.Description} ({raw.Length} bytes)";
                break;
            case NoteEvidence note:
                yield return $"* {note.Text}";
                break;
        }
    }
}
