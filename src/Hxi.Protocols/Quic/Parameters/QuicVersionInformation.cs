using System.Buffers.Binary;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Packets;

namespace Hxi.Protocols.Quic.Parameters;

/// <summary>The version_information transport parameter (RFC 9368 Section 3): which version the sender uses, and which it could.</summary>
/// <remarks>
/// <code>
/// Version Information {
///   Chosen Version (32),
///   Available Versions (32) ...,
/// }
/// </code>
/// It travels among the unknown parameters of <see cref="QuicTransportParameters"/> (id 0x11), so the general codec
/// stays version-blind; this type reads and writes it.
/// </remarks>
public sealed record QuicVersionInformation(uint ChosenVersion, IReadOnlyList<uint> AvailableVersions)
{
    public const ulong Id = (ulong)QuicTransportParameterId.VersionInformation;

    /// <summary>
    /// The version information in <paramref name="parameters"/>, or null when the peer sent none. A malformed one is
    /// TRANSPORT_PARAMETER_ERROR (RFC 9368 Section 3: a length not a multiple of four, or a Chosen Version of 0).
    /// </summary>
    public static QuicVersionInformation? From(QuicTransportParameters parameters)
    {
        foreach (var parameter in parameters.UnknownParameters)
        {
            if (parameter.Id == Id)
            {
                return Decode(parameter.Value);
            }
        }

        return null;
    }

    /// <summary>Finds and decodes version_information in raw transport parameters (the server reads a ClientHello's this way).</summary>
    public static QuicVersionInformation? Find(ReadOnlySpan<byte> transportParameters)
    {
        var position = 0;
        while (position < transportParameters.Length)
        {
            if (!QuicVarint.TryRead(transportParameters[position..], out var id, out var idLength)
                || !QuicVarint.TryRead(transportParameters[(position + idLength)..], out var length, out var lengthLength)
                || length > (ulong)(transportParameters.Length - position - idLength - lengthLength))
            {
                // The full decode at the end of the handshake names this; here it only means "no usable information".
                return null;
            }

            var value = transportParameters.Slice(position + idLength + lengthLength, (int)length);
            if (id == Id)
            {
                return Decode(value);
            }

            position += idLength + lengthLength + (int)length;
        }

        return null;
    }

    public static QuicVersionInformation Decode(ReadOnlySpan<byte> value)
    {
        if (value.Length < 4 || value.Length % 4 != 0)
        {
            throw Error($"version_information of {value.Length} bytes is not a non-empty multiple of 4");
        }

        var chosen = BinaryPrimitives.ReadUInt32BigEndian(value);
        if (chosen == QuicVersion.VersionNegotiation)
        {
            throw Error("version_information names version 0 as its Chosen Version");
        }

        var available = new uint[(value.Length / 4) - 1];
        for (var i = 0; i < available.Length; i++)
        {
            available[i] = BinaryPrimitives.ReadUInt32BigEndian(value[(4 * (i + 1))..]);
            if (available[i] == QuicVersion.VersionNegotiation)
            {
                throw Error("version_information lists version 0 as available");
            }
        }

        return new QuicVersionInformation(chosen, available);
    }

    public byte[] Encode()
    {
        var value = new byte[4 * (1 + AvailableVersions.Count)];
        BinaryPrimitives.WriteUInt32BigEndian(value, ChosenVersion);
        for (var i = 0; i < AvailableVersions.Count; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(value.AsSpan(4 * (i + 1)), AvailableVersions[i]);
        }

        return value;
    }

    /// <summary>The parameter as it joins the others.</summary>
    public QuicUnknownTransportParameter ToParameter() => new(Id, Encode());

    public bool Equals(QuicVersionInformation? other) =>
        other is not null && ChosenVersion == other.ChosenVersion && AvailableVersions.SequenceEqual(other.AvailableVersions);

    public override int GetHashCode() => HashCode.Combine(ChosenVersion, AvailableVersions.Count);

    public override string ToString() =>
        $"chosen={QuicVersion.Name(ChosenVersion)} available=[{string.Join(", ", AvailableVersions.Select(QuicVersion.Name))}]";

    private static QuicTransportException Error(string reason) =>
        new(QuicTransportErrorCode.TransportParameterError, (ulong)QuicFrameType.Crypto, reason);
}
