using Hxi.Protocols.Http3;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Packets;

namespace Hxi.Cli.Wire;

/// <summary>One line per QUIC packet (type, version, connection IDs, number, length, key phase), then its frames.</summary>
public static class QuicFormatter
{
    public static string Title(QuicPacketTrace packet)
    {
        var type = QuicPacketTypes.Name(packet.Type);
        var number = packet.PacketNumber >= 0 ? $", pn={packet.PacketNumber}" : "";
        var ids = packet.Type == QuicPacketType.OneRtt
            ? $"dcid={QuicConnectionId.Format(packet.DestinationConnectionId.Span)}, key_phase={(packet.KeyPhase ? 1 : 0)}"
            : $"version={QuicVersion.Name(packet.Version)}, dcid={QuicConnectionId.Format(packet.DestinationConnectionId.Span)}, scid={QuicConnectionId.Format(packet.SourceConnectionId.Span)}";
        return $"{type} packet <length={packet.Length}{number}, {ids}>";
    }

    public static IEnumerable<string> Frames(QuicPacketTrace packet)
    {
        if (packet.Note is { } note)
        {
            yield return $"; {note}";
        }

        foreach (var frame in packet.Frames)
        {
            yield return Frame(frame, packet.AckDelayExponent);
        }
    }

    /// <summary>
    /// One frame in the views' common vocabulary: ACK Delay in microseconds (the sender's exponent applied), and
    /// application error codes by their HTTP/3 or QPACK name, as hxi's QUIC always carries HTTP/3.
    /// </summary>
    public static string Frame(QuicFrame frame, int ackDelayExponent) => frame switch
    {
        AckFrame ack => AckText(ack, ackDelayExponent),
        ConnectionCloseFrame { IsApplicationClose: true } close =>
            $"CONNECTION_CLOSE application error={ApplicationError(close.ErrorCode)} reason=\"{close.Reason}\"",
        ResetStreamFrame reset =>
            $"RESET_STREAM stream={reset.StreamId} error={ApplicationError(reset.ApplicationErrorCode)} final_size={reset.FinalSize}",
        StopSendingFrame stop => $"STOP_SENDING stream={stop.StreamId} error={ApplicationError(stop.ApplicationErrorCode)}",
        _ => frame.ToString() ?? frame.Type.ToString(),
    };

    /// <summary>`H3_NO_ERROR (0x100)`, or the number alone when HTTP/3 has no name for it.</summary>
    public static string ApplicationError(ulong code)
    {
        var name = Http3ErrorCodes.Name(code);
        return name.StartsWith("0x", StringComparison.Ordinal) ? name : $"{name} (0x{code:x})";
    }

    private static string AckText(AckFrame ack, int exponent)
    {
        var largest = ack.Ranges.Count > 0 ? ack.LargestAcknowledged : 0;
        var text = $"ACK largest={largest} delay={ack.GetAckDelayMicroseconds(exponent)}us ranges=[{string.Join(", ", ack.Ranges)}]";
        return ack.EcnCounts is { } ecn ? $"{text} ecn(ect0={ecn.Ect0} ect1={ecn.Ect1} ce={ecn.Ce})" : text;
    }
}
