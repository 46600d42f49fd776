using System.Net;
using Hxi.Protocols.Quic.Frames;

namespace Hxi.Protocols.Quic.Parameters;

/// <summary>The server's preferred_address (RFC 9000 Section 18.2), with the connection ID of sequence number 1.</summary>
/// <remarks>
/// <code>
/// Preferred Address {
///   IPv4 Address (32),
///   IPv4 Port (16),
///   IPv6 Address (128),
///   IPv6 Port (16),
///   Connection ID Length (8),
///   Connection ID (..),
///   Stateless Reset Token (128),
/// }
/// </code>
/// An all-zero address and port means the server offers no address of that family.
/// </remarks>
public sealed record QuicPreferredAddress(IPEndPoint IPv4, IPEndPoint IPv6, byte[] ConnectionId, byte[] StatelessResetToken)
{
    public bool Equals(QuicPreferredAddress? other) =>
        other is not null && IPv4.Equals(other.IPv4) && IPv6.Equals(other.IPv6)
        && ConnectionId.AsSpan().SequenceEqual(other.ConnectionId)
        && StatelessResetToken.AsSpan().SequenceEqual(other.StatelessResetToken);

    public override int GetHashCode() => HashCode.Combine(IPv4, IPv6, QuicBytes.Hash(ConnectionId));

    public override string ToString() =>
        $"{IPv4} {IPv6} cid={QuicBytes.Hex(ConnectionId)} reset_token={QuicBytes.Hex(StatelessResetToken)}";

    internal int ByteCount => 4 + 2 + 16 + 2 + 1 + ConnectionId.Length + NewConnectionIdFrame.ResetTokenLength;

    internal void Write(Span<byte> destination)
    {
        // An address writes into its slot only if it is of the slot's family (4 or 16 bytes).
        if (!IPv4.Address.TryWriteBytes(destination[..4], out int v4Length) || v4Length != 4
            || !IPv6.Address.TryWriteBytes(destination.Slice(6, 16), out int v6Length) || v6Length != 16
            || ConnectionId.Length > QuicConnectionId.MaxLength
            || StatelessResetToken.Length != NewConnectionIdFrame.ResetTokenLength)
        {
            throw new InvalidOperationException("preferred_address needs an IPv4 and an IPv6 endpoint, a CID of at most 20 bytes and a 16-byte token");
        }

        destination[4] = (byte)(IPv4.Port >> 8);
        destination[5] = (byte)IPv4.Port;
        destination[22] = (byte)(IPv6.Port >> 8);
        destination[23] = (byte)IPv6.Port;
        destination[24] = (byte)ConnectionId.Length;
        ConnectionId.CopyTo(destination[25..]);
        StatelessResetToken.CopyTo(destination[(25 + ConnectionId.Length)..]);
    }

    /// <summary>Reads the value; null when malformed, which the caller reports as TRANSPORT_PARAMETER_ERROR.</summary>
    internal static QuicPreferredAddress? TryRead(ReadOnlySpan<byte> value, out string error)
    {
        if (value.Length < 25)
        {
            error = "preferred_address is truncated";
            return null;
        }

        int cidLength = value[24];
        if (cidLength is 0 or > QuicConnectionId.MaxLength)
        {
            error = $"preferred_address connection ID length {cidLength} is outside 1..20";
            return null;
        }

        if (value.Length != 25 + cidLength + NewConnectionIdFrame.ResetTokenLength)
        {
            error = $"preferred_address is {value.Length} bytes, not {25 + cidLength + NewConnectionIdFrame.ResetTokenLength}";
            return null;
        }

        error = "";
        return new QuicPreferredAddress(
            new IPEndPoint(new IPAddress(value[..4]), (value[4] << 8) | value[5]),
            new IPEndPoint(new IPAddress(value.Slice(6, 16)), (value[22] << 8) | value[23]),
            value.Slice(25, cidLength).ToArray(),
            value.Slice(25 + cidLength, NewConnectionIdFrame.ResetTokenLength).ToArray());
    }
}
