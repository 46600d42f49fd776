using Hxi.Protocols.Primitives;
using Hxi.Protocols.Quic.Frames;

namespace Hxi.Protocols.Quic.Parameters;

/// <summary>Decodes and validates a peer's transport parameters (RFC 9000 Sections 7.4 and 18.2).</summary>
/// <remarks>
/// Every failure is TRANSPORT_PARAMETER_ERROR. The parameters arrive inside TLS in CRYPTO frames, so the
/// error names CRYPTO (0x06) as the frame type.
/// </remarks>
public static class QuicTransportParametersCodec
{
    private const ulong ErrorFrameType = (ulong)QuicFrameType.Crypto;

    /// <summary>Decodes the extension_data sent by <paramref name="sender"/>; unknown and reserved ids are kept, not rejected.</summary>
    public static QuicTransportParameters Decode(ReadOnlySpan<byte> data, QuicRole sender)
    {
        var result = new QuicTransportParameters();
        var seen = new HashSet<ulong>();
        var unknown = new List<QuicUnknownTransportParameter>();
        int position = 0;
        while (position < data.Length)
        {
            if (!QuicVarint.TryRead(data[position..], out ulong id, out int idLength))
            {
                throw Error("truncated Transport Parameter ID");
            }

            position += idLength;
            if (!QuicVarint.TryRead(data[position..], out ulong length, out int lengthLength))
            {
                throw Error($"truncated length of {QuicTransportParameterIds.Name(id)}");
            }

            position += lengthLength;
            if (length > (ulong)(data.Length - position))
            {
                throw Error($"{QuicTransportParameterIds.Name(id)} length {length} runs past the end");
            }

            var value = data.Slice(position, (int)length);
            position += (int)length;
            if (!seen.Add(id))
            {
                throw Error($"duplicate {QuicTransportParameterIds.Name(id)}");
            }

            if (id > (ulong)QuicTransportParameterId.RetrySourceConnectionId)
            {
                unknown.Add(new QuicUnknownTransportParameter(id, value.ToArray()));
                continue;
            }

            result = Apply(result, (QuicTransportParameterId)id, value, sender);
        }

        return result with { UnknownParameters = unknown };
    }

    internal static bool IsIntegerParameter(ulong id) => (QuicTransportParameterId)id is
        QuicTransportParameterId.MaxIdleTimeout or QuicTransportParameterId.MaxUdpPayloadSize
        or QuicTransportParameterId.InitialMaxData or QuicTransportParameterId.InitialMaxStreamDataBidiLocal
        or QuicTransportParameterId.InitialMaxStreamDataBidiRemote or QuicTransportParameterId.InitialMaxStreamDataUni
        or QuicTransportParameterId.InitialMaxStreamsBidi or QuicTransportParameterId.InitialMaxStreamsUni
        or QuicTransportParameterId.AckDelayExponent or QuicTransportParameterId.MaxAckDelay
        or QuicTransportParameterId.ActiveConnectionIdLimit;

    private static QuicTransportParameters Apply(QuicTransportParameters p, QuicTransportParameterId id, ReadOnlySpan<byte> value, QuicRole sender)
    {
        string name = QuicTransportParameterIds.Name((ulong)id);
        if (sender == QuicRole.Client && id is QuicTransportParameterId.OriginalDestinationConnectionId
            or QuicTransportParameterId.StatelessResetToken or QuicTransportParameterId.PreferredAddress
            or QuicTransportParameterId.RetrySourceConnectionId)
        {
            throw Error($"{name} may only be sent by a server");
        }

        if (IsIntegerParameter((ulong)id))
        {
            return ApplyInteger(p, id, ReadInteger(value, name));
        }

        switch (id)
        {
            case QuicTransportParameterId.OriginalDestinationConnectionId:
                return p with { OriginalDestinationConnectionId = ConnectionId(value, name) };
            case QuicTransportParameterId.InitialSourceConnectionId:
                return p with { InitialSourceConnectionId = ConnectionId(value, name) };
            case QuicTransportParameterId.RetrySourceConnectionId:
                return p with { RetrySourceConnectionId = ConnectionId(value, name) };
            case QuicTransportParameterId.StatelessResetToken:
                return value.Length == NewConnectionIdFrame.ResetTokenLength
                    ? p with { StatelessResetToken = value.ToArray() }
                    : throw Error($"stateless_reset_token is {value.Length} bytes, not 16");
            case QuicTransportParameterId.DisableActiveMigration:
                return value.IsEmpty ? p with { DisableActiveMigration = true } : throw Error("disable_active_migration must be empty");
            default:
                var preferred = QuicPreferredAddress.TryRead(value, out string error);
                return preferred is null ? throw Error(error) : p with { PreferredAddress = preferred };
        }
    }

    private static QuicTransportParameters ApplyInteger(QuicTransportParameters p, QuicTransportParameterId id, ulong value) => id switch
    {
        QuicTransportParameterId.MaxIdleTimeout => p with { MaxIdleTimeout = value },
        QuicTransportParameterId.MaxUdpPayloadSize => value < 1200
            ? throw Error($"max_udp_payload_size {value} is below 1200")
            : p with { MaxUdpPayloadSize = value },
        QuicTransportParameterId.InitialMaxData => p with { InitialMaxData = value },
        QuicTransportParameterId.InitialMaxStreamDataBidiLocal => p with { InitialMaxStreamDataBidiLocal = value },
        QuicTransportParameterId.InitialMaxStreamDataBidiRemote => p with { InitialMaxStreamDataBidiRemote = value },
        QuicTransportParameterId.InitialMaxStreamDataUni => p with { InitialMaxStreamDataUni = value },
        QuicTransportParameterId.InitialMaxStreamsBidi => value > MaxStreamsFrame.Limit
            ? throw Error($"initial_max_streams_bidi {value} exceeds 2^60")
            : p with { InitialMaxStreamsBidi = value },
        QuicTransportParameterId.InitialMaxStreamsUni => value > MaxStreamsFrame.Limit
            ? throw Error($"initial_max_streams_uni {value} exceeds 2^60")
            : p with { InitialMaxStreamsUni = value },
        QuicTransportParameterId.AckDelayExponent => value > 20
            ? throw Error($"ack_delay_exponent {value} is above 20")
            : p with { AckDelayExponent = value },
        QuicTransportParameterId.MaxAckDelay => value >= 1 << 14
            ? throw Error($"max_ack_delay {value} is 2^14 or more")
            : p with { MaxAckDelay = value },
        _ => value < 2
            ? throw Error($"active_connection_id_limit {value} is below 2")
            : p with { ActiveConnectionIdLimit = value },
    };

    private static ulong ReadInteger(ReadOnlySpan<byte> value, string name) =>
        QuicVarint.TryRead(value, out ulong result, out int consumed) && consumed == value.Length
            ? result
            : throw Error($"{name} is not exactly one varint");

    private static byte[] ConnectionId(ReadOnlySpan<byte> value, string name) =>
        value.Length <= QuicConnectionId.MaxLength ? value.ToArray() : throw Error($"{name} is {value.Length} bytes, over 20");

    private static QuicTransportException Error(string reason) =>
        new(QuicTransportErrorCode.TransportParameterError, ErrorFrameType, reason);
}
