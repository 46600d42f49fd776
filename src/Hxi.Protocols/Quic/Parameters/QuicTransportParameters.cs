using System.Text;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Quic.Frames;

namespace Hxi.Protocols.Quic.Parameters;

/// <summary>A parameter hxi does not interpret (reserved/GREASE or from an extension), kept for display.</summary>
public sealed record QuicUnknownTransportParameter(ulong Id, byte[] Value)
{
    public bool Equals(QuicUnknownTransportParameter? other) =>
        other is not null && Id == other.Id && Value.AsSpan().SequenceEqual(other.Value);

    public override int GetHashCode() => HashCode.Combine(Id, Value.Length);

    public override string ToString() => $"{QuicTransportParameterIds.Name(Id)}={QuicBytes.Hex(Value)}";
}

/// <summary>
/// The quic_transport_parameters of one endpoint (RFC 9000 Section 18), with the RFC's defaults.
/// Encoding leaves out values equal to their default; <see cref="QuicTransportParametersCodec"/> decodes and validates.
/// </summary>
/// <remarks>
/// <code>
/// Transport Parameter {
///   Transport Parameter ID (i),
///   Transport Parameter Length (i),
///   Transport Parameter Value (..),
/// }
/// </code>
/// Connection IDs are null when absent and empty when present with zero length: the two differ
/// for connection ID authentication (RFC 9000 Section 7.3).
/// </remarks>
public sealed record QuicTransportParameters
{
    public const ulong DefaultMaxUdpPayloadSize = 65527;
    public const ulong DefaultAckDelayExponent = 3;
    public const ulong DefaultMaxAckDelay = 25;
    public const ulong DefaultActiveConnectionIdLimit = 2;

    public byte[]? OriginalDestinationConnectionId { get; init; }

    /// <summary>Milliseconds; 0 disables the idle timeout on this side.</summary>
    public ulong MaxIdleTimeout { get; init; }

    public byte[]? StatelessResetToken { get; init; }

    public ulong MaxUdpPayloadSize { get; init; } = DefaultMaxUdpPayloadSize;

    public ulong InitialMaxData { get; init; }

    public ulong InitialMaxStreamDataBidiLocal { get; init; }

    public ulong InitialMaxStreamDataBidiRemote { get; init; }

    public ulong InitialMaxStreamDataUni { get; init; }

    public ulong InitialMaxStreamsBidi { get; init; }

    public ulong InitialMaxStreamsUni { get; init; }

    public ulong AckDelayExponent { get; init; } = DefaultAckDelayExponent;

    /// <summary>Milliseconds.</summary>
    public ulong MaxAckDelay { get; init; } = DefaultMaxAckDelay;

    public bool DisableActiveMigration { get; init; }

    public QuicPreferredAddress? PreferredAddress { get; init; }

    public ulong ActiveConnectionIdLimit { get; init; } = DefaultActiveConnectionIdLimit;

    public byte[]? InitialSourceConnectionId { get; init; }

    public byte[]? RetrySourceConnectionId { get; init; }

    /// <summary>Parameters received but not interpreted, in the order they came.</summary>
    public IReadOnlyList<QuicUnknownTransportParameter> UnknownParameters { get; init; } = [];

    /// <summary>The encoded size.</summary>
    public int GetByteCount()
    {
        int count = 0;
        foreach (var (id, value) in Entries())
        {
            count += QuicVarint.GetByteCount(id) + QuicVarint.GetByteCount((ulong)value.Length) + value.Length;
        }

        return count;
    }

    /// <summary>Encodes the parameters in identifier order, unknown ones last.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < GetByteCount())
        {
            return false;
        }

        foreach (var (id, value) in Entries())
        {
            written += QuicVarint.Write(destination[written..], id);
            written += QuicVarint.Write(destination[written..], (ulong)value.Length);
            value.CopyTo(destination[written..]);
            written += value.Length;
        }

        return true;
    }

    public byte[] ToArray()
    {
        var bytes = new byte[GetByteCount()];
        TryWrite(bytes, out _);
        return bytes;
    }

    /// <summary>One "name=value" per line, defaults left out: the wire view of a peer's parameters.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (id, value) in Entries())
        {
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append(QuicTransportParameterIds.Name(id)).Append('=').Append(Describe(id, value));
        }

        return text.ToString();
    }

    public bool Equals(QuicTransportParameters? other) =>
        other is not null && ToArray().AsSpan().SequenceEqual(other.ToArray());

    public override int GetHashCode() => GetByteCount();

    private string Describe(ulong id, byte[] value) => (QuicTransportParameterId)id switch
    {
        QuicTransportParameterId.DisableActiveMigration => "true",
        QuicTransportParameterId.PreferredAddress => PreferredAddress!.ToString(),
        QuicTransportParameterId.MaxIdleTimeout or QuicTransportParameterId.MaxAckDelay =>
            $"{(QuicVarint.TryRead(value, out ulong ms, out _) ? ms : 0)}ms",
        _ when QuicTransportParametersCodec.IsIntegerParameter(id) && QuicVarint.TryRead(value, out ulong number, out _) =>
            number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => QuicBytes.Hex(value),
    };

    private IEnumerable<(ulong Id, byte[] Value)> Entries()
    {
        if (OriginalDestinationConnectionId is { } odcid)
        {
            yield return ((ulong)QuicTransportParameterId.OriginalDestinationConnectionId, odcid);
        }

        if (MaxIdleTimeout != 0)
        {
            yield return Integer(QuicTransportParameterId.MaxIdleTimeout, MaxIdleTimeout);
        }

        if (StatelessResetToken is { } token)
        {
            yield return ((ulong)QuicTransportParameterId.StatelessResetToken, token);
        }

        if (MaxUdpPayloadSize != DefaultMaxUdpPayloadSize)
        {
            yield return Integer(QuicTransportParameterId.MaxUdpPayloadSize, MaxUdpPayloadSize);
        }

        (QuicTransportParameterId Id, ulong Value)[] zeroDefaults =
        [
            (QuicTransportParameterId.InitialMaxData, InitialMaxData),
            (QuicTransportParameterId.InitialMaxStreamDataBidiLocal, InitialMaxStreamDataBidiLocal),
            (QuicTransportParameterId.InitialMaxStreamDataBidiRemote, InitialMaxStreamDataBidiRemote),
            (QuicTransportParameterId.InitialMaxStreamDataUni, InitialMaxStreamDataUni),
            (QuicTransportParameterId.InitialMaxStreamsBidi, InitialMaxStreamsBidi),
            (QuicTransportParameterId.InitialMaxStreamsUni, InitialMaxStreamsUni),
        ];
        foreach (var (id, value) in zeroDefaults)
        {
            if (value != 0)
            {
                yield return Integer(id, value);
            }
        }

        if (AckDelayExponent != DefaultAckDelayExponent)
        {
            yield return Integer(QuicTransportParameterId.AckDelayExponent, AckDelayExponent);
        }

        if (MaxAckDelay != DefaultMaxAckDelay)
        {
            yield return Integer(QuicTransportParameterId.MaxAckDelay, MaxAckDelay);
        }

        if (DisableActiveMigration)
        {
            yield return ((ulong)QuicTransportParameterId.DisableActiveMigration, []);
        }

        if (PreferredAddress is { } preferred)
        {
            var value = new byte[preferred.ByteCount];
            preferred.Write(value);
            yield return ((ulong)QuicTransportParameterId.PreferredAddress, value);
        }

        if (ActiveConnectionIdLimit != DefaultActiveConnectionIdLimit)
        {
            yield return Integer(QuicTransportParameterId.ActiveConnectionIdLimit, ActiveConnectionIdLimit);
        }

        if (InitialSourceConnectionId is { } iscid)
        {
            yield return ((ulong)QuicTransportParameterId.InitialSourceConnectionId, iscid);
        }

        if (RetrySourceConnectionId is { } rscid)
        {
            yield return ((ulong)QuicTransportParameterId.RetrySourceConnectionId, rscid);
        }

        foreach (var unknown in UnknownParameters)
        {
            yield return (unknown.Id, unknown.Value);
        }
    }

    private static (ulong, byte[]) Integer(QuicTransportParameterId id, ulong value)
    {
        var bytes = new byte[QuicVarint.GetByteCount(value)];
        QuicVarint.Write(bytes, value);
        return ((ulong)id, bytes);
    }
}
