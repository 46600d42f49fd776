using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Quic.Protection;

namespace Hxi.Protocols.Quic.Packets;

/// <summary>Reads packet headers from a hostile datagram (RFC 9000 Section 17, RFC 8999 invariants).</summary>
/// <remarks>
/// A malformed packet is dropped, not a connection error (RFC 9000 Section 12.2), so parsing never
/// throws: it returns false with the reason for the wire view.
/// <code>
/// Long Header Packet {                      1-RTT Packet {
///   Header Form (1) = 1,                      Header Form (1) = 0,
///   Fixed Bit (1) = 1,                        Fixed Bit (1) = 1,
///   Long Packet Type (2),                     Spin Bit (1),
///   Type-Specific Bits (4),                   Reserved Bits (2),
///   Version (32),                             Key Phase (1),
///   Destination Connection ID Length (8),     Packet Number Length (2),
///   Destination Connection ID (0..160),       Destination Connection ID (0..160),
///   Source Connection ID Length (8),          Packet Number (8..32),
///   Source Connection ID (0..160),            Packet Payload (8..),
///   Type-Specific Payload (..),             }
/// }
/// </code>
/// </remarks>
public static class QuicPacketParser
{
    /// <summary>
    /// Parses the packet at the start of <paramref name="data"/>; <paramref name="shortHeaderConnectionIdLength"/>
    /// is the length of the receiver's own connection IDs, which short headers do not state.
    /// </summary>
    public static bool TryParse(
        ReadOnlyMemory<byte> data,
        int shortHeaderConnectionIdLength,
        [NotNullWhen(true)] out QuicPacketHeader? header,
        out string error)
    {
        header = null;
        var span = data.Span;
        if (span.IsEmpty)
        {
            error = "empty packet";
            return false;
        }

        byte first = span[0];
        if ((first & 0x80) == 0)
        {
            return TryParseShort(data, shortHeaderConnectionIdLength, out header, out error);
        }

        if (span.Length < 7)
        {
            error = "long header truncated before the connection IDs";
            return false;
        }

        uint version = BinaryPrimitives.ReadUInt32BigEndian(span[1..]);
        int maxCidLength = QuicVersion.IsSupported(version) ? QuicConnectionId.MaxLength : byte.MaxValue;
        int position = 5;
        if (!TryReadConnectionId(data, ref position, maxCidLength, out var dcid, out error)
            || !TryReadConnectionId(data, ref position, maxCidLength, out var scid, out error))
        {
            return false;
        }

        if (version == QuicVersion.VersionNegotiation)
        {
            return TryParseVersionNegotiation(data, position, first, dcid, scid, out header, out error);
        }

        if (!QuicVersion.IsSupported(version))
        {
            header = new QuicPacketHeader
            {
                Type = QuicPacketType.UnsupportedVersion,
                FirstByte = first,
                Version = version,
                DestinationConnectionId = dcid,
                SourceConnectionId = scid,
                Packet = data,
            };
            error = "";
            return true;
        }

        if ((first & 0x40) == 0)
        {
            error = "fixed bit is 0";
            return false;
        }

        var type = QuicPacketTypes.LongType(first >> 4, version);
        var template = new QuicPacketHeader
        {
            Type = type,
            FirstByte = first,
            Version = version,
            DestinationConnectionId = dcid,
            SourceConnectionId = scid,
        };
        return type == QuicPacketType.Retry
            ? TryParseRetry(data, position, template, out header, out error)
            : TryParseWithLength(data, position, template, out header, out error);
    }

    private static bool TryParseShort(ReadOnlyMemory<byte> data, int cidLength, out QuicPacketHeader? header, out string error)
    {
        header = null;
        if ((data.Span[0] & 0x40) == 0)
        {
            error = "fixed bit is 0";
            return false;
        }

        if (cidLength is < 0 or > QuicConnectionId.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(cidLength), cidLength, "connection IDs are 0..20 bytes");
        }

        if (data.Length < 1 + cidLength + 4 + QuicCipherSuites.SampleLength)
        {
            error = "short header packet too short to hold a header protection sample";
            return false;
        }

        header = new QuicPacketHeader
        {
            Type = QuicPacketType.OneRtt,
            FirstByte = data.Span[0],
            DestinationConnectionId = data.Slice(1, cidLength),
            PacketNumberOffset = 1 + cidLength,
            Packet = data,
        };
        error = "";
        return true;
    }

    private static bool TryParseVersionNegotiation(
        ReadOnlyMemory<byte> data, int position, byte first, ReadOnlyMemory<byte> dcid, ReadOnlyMemory<byte> scid,
        out QuicPacketHeader? header, out string error)
    {
        header = null;
        int rest = data.Length - position;
        if (rest == 0 || rest % 4 != 0)
        {
            error = $"Version Negotiation list of {rest} bytes is not a non-empty multiple of 4";
            return false;
        }

        var versions = new uint[rest / 4];
        for (int i = 0; i < versions.Length; i++)
        {
            versions[i] = BinaryPrimitives.ReadUInt32BigEndian(data.Span[(position + 4 * i)..]);
        }

        header = new QuicPacketHeader
        {
            Type = QuicPacketType.VersionNegotiation,
            FirstByte = first,
            Version = 0,
            DestinationConnectionId = dcid,
            SourceConnectionId = scid,
            SupportedVersions = versions,
            Packet = data,
        };
        error = "";
        return true;
    }

    private static bool TryParseRetry(ReadOnlyMemory<byte> data, int position, QuicPacketHeader template, out QuicPacketHeader? header, out string error)
    {
        header = null;
        if (data.Length - position < QuicRetryIntegrity.TagLength)
        {
            error = "Retry packet too short for its integrity tag";
            return false;
        }

        header = template with
        {
            Token = data[position..^QuicRetryIntegrity.TagLength],
            RetryIntegrityTag = data[^QuicRetryIntegrity.TagLength..],
            Packet = data,
        };
        error = "";
        return true;
    }

    private static bool TryParseWithLength(ReadOnlyMemory<byte> data, int position, QuicPacketHeader template, out QuicPacketHeader? header, out string error)
    {
        header = null;
        var token = ReadOnlyMemory<byte>.Empty;
        if (template.Type == QuicPacketType.Initial)
        {
            if (!QuicVarint.TryRead(data.Span[position..], out ulong tokenLength, out int consumed))
            {
                error = "Initial truncated in Token Length";
                return false;
            }

            position += consumed;
            if (tokenLength > (ulong)(data.Length - position))
            {
                error = $"Token Length {tokenLength} runs past the end of the datagram";
                return false;
            }

            token = data.Slice(position, (int)tokenLength);
            position += (int)tokenLength;
        }

        if (!QuicVarint.TryRead(data.Span[position..], out ulong length, out int lengthSize))
        {
            error = $"{QuicPacketTypes.Name(template.Type)} truncated in Length";
            return false;
        }

        position += lengthSize;
        if (length > (ulong)(data.Length - position))
        {
            error = $"Length {length} runs past the end of the datagram ({data.Length - position} bytes left)";
            return false;
        }

        if (length < 4 + QuicCipherSuites.SampleLength)
        {
            error = $"Length {length} is too short to hold a header protection sample";
            return false;
        }

        header = template with
        {
            Token = token,
            Length = length,
            PacketNumberOffset = position,
            Packet = data[..(position + (int)length)],
        };
        error = "";
        return true;
    }

    private static bool TryReadConnectionId(ReadOnlyMemory<byte> data, ref int position, int maxLength, out ReadOnlyMemory<byte> connectionId, out string error)
    {
        connectionId = default;
        if (position >= data.Length)
        {
            error = "long header truncated in a connection ID length";
            return false;
        }

        int length = data.Span[position++];
        if (length > maxLength)
        {
            error = $"connection ID of {length} bytes exceeds {maxLength}";
            return false;
        }

        if (length > data.Length - position)
        {
            error = "long header truncated in a connection ID";
            return false;
        }

        connectionId = data.Slice(position, length);
        position += length;
        error = "";
        return true;
    }
}
