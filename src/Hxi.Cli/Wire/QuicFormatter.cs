using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
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
            yield return frame.ToString() ?? frame.Type.ToString();
        }
    }
}
