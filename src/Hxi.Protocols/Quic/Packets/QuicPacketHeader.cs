using System.Text;
using Hxi.Protocols.Quic.Frames;

namespace Hxi.Protocols.Quic.Packets;

/// <summary>
/// A packet's header as read before header protection is removed (RFC 9000 Section 17): everything
/// but the packet number, whose length and value are still masked.
/// </summary>
/// <remarks>Byte fields are slices of the datagram; nothing is copied.</remarks>
public sealed record QuicPacketHeader
{
    public required QuicPacketType Type { get; init; }

    /// <summary>The first byte as received; its low bits are still masked for protected packets.</summary>
    public required byte FirstByte { get; init; }

    /// <summary>The Version field; 0 for Version Negotiation, and for short headers (which have none).</summary>
    public uint Version { get; init; }

    public ReadOnlyMemory<byte> DestinationConnectionId { get; init; }

    public ReadOnlyMemory<byte> SourceConnectionId { get; init; }

    /// <summary>The Token of an Initial packet or the Retry Token of a Retry packet.</summary>
    public ReadOnlyMemory<byte> Token { get; init; }

    /// <summary>The 16-byte Retry Integrity Tag of a Retry packet.</summary>
    public ReadOnlyMemory<byte> RetryIntegrityTag { get; init; }

    /// <summary>The Supported Version list of a Version Negotiation packet.</summary>
    public IReadOnlyList<uint> SupportedVersions { get; init; } = [];

    /// <summary>The Length field of Initial, 0-RTT and Handshake packets (packet number plus payload).</summary>
    public ulong Length { get; init; }

    /// <summary>Where the Packet Number field starts within <see cref="Packet"/>; 0 for packets without one.</summary>
    public int PacketNumberOffset { get; init; }

    /// <summary>This packet's bytes within the datagram, from the first byte to the end of its payload.</summary>
    public ReadOnlyMemory<byte> Packet { get; init; }

    /// <summary>Where <see cref="Packet"/> starts in the datagram.</summary>
    public int DatagramOffset { get; init; }

    /// <summary>The latency spin bit of a short header (RFC 9000 Section 17.4); not protected.</summary>
    public bool SpinBit => Type == QuicPacketType.OneRtt && (FirstByte & 0x20) != 0;

    /// <summary>Whether packet protection covers this packet (all but Retry, Version Negotiation and unknown versions).</summary>
    public bool IsProtected => Type is QuicPacketType.Initial or QuicPacketType.ZeroRtt or QuicPacketType.Handshake or QuicPacketType.OneRtt;

    public override string ToString()
    {
        var text = new StringBuilder(QuicPacketTypes.Name(Type));
        if (Type != QuicPacketType.OneRtt)
        {
            text.Append(' ').Append(QuicVersion.Name(Version));
        }

        text.Append(" dcid=").Append(QuicBytes.Hex(DestinationConnectionId));
        if (Type != QuicPacketType.OneRtt)
        {
            text.Append(" scid=").Append(QuicBytes.Hex(SourceConnectionId));
        }

        switch (Type)
        {
            case QuicPacketType.Initial:
                text.Append(" token=").Append(QuicBytes.Hex(Token)).Append(" length=").Append(Length);
                break;
            case QuicPacketType.ZeroRtt or QuicPacketType.Handshake:
                text.Append(" length=").Append(Length);
                break;
            case QuicPacketType.Retry:
                text.Append(" token=").Append(QuicBytes.Hex(Token)).Append(" tag=").Append(QuicBytes.Hex(RetryIntegrityTag));
                break;
            case QuicPacketType.VersionNegotiation:
                text.Append(" versions=[").AppendJoin(", ", SupportedVersions.Select(QuicVersion.Name)).Append(']');
                break;
            case QuicPacketType.OneRtt:
                text.Append(" spin=").Append(SpinBit ? 1 : 0);
                break;
        }

        return text.Append(" size=").Append(Packet.Length).ToString();
    }

    public bool Equals(QuicPacketHeader? other) =>
        other is not null && Type == other.Type && FirstByte == other.FirstByte && Version == other.Version
        && QuicBytes.Equal(DestinationConnectionId, other.DestinationConnectionId)
        && QuicBytes.Equal(SourceConnectionId, other.SourceConnectionId)
        && QuicBytes.Equal(Token, other.Token) && QuicBytes.Equal(RetryIntegrityTag, other.RetryIntegrityTag)
        && SupportedVersions.SequenceEqual(other.SupportedVersions) && Length == other.Length
        && PacketNumberOffset == other.PacketNumberOffset && QuicBytes.Equal(Packet, other.Packet);

    public override int GetHashCode() => HashCode.Combine(Type, FirstByte, Version, QuicBytes.Hash(DestinationConnectionId));
}
