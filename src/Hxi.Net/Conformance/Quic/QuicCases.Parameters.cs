using Hxi.Protocols.Primitives;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Parameters;
using static Hxi.Net.Conformance.Quic.QuicCaseKit;

namespace Hxi.Net.Conformance.Quic;

public static partial class QuicCases
{
    private static void AddParameterCases(CaseCatalog c)
    {
        const QuicTransportErrorCode error = QuicTransportErrorCode.TransportParameterError;
        c.Must(Transport, "7.3", "ClientHello without initial_source_connection_id", "connection error TRANSPORT_PARAMETER_ERROR",
            WithParameters(p => p with { InitialSourceConnectionId = null }, error));
        c.Must(Transport, "7.3", "initial_source_connection_id that differs from the Initial's Source Connection ID", "connection error TRANSPORT_PARAMETER_ERROR or PROTOCOL_VIOLATION",
            WithParameters(p => p with { InitialSourceConnectionId = [.. p.InitialSourceConnectionId!.Select(b => (byte)~b)] }, error, QuicTransportErrorCode.ProtocolViolation));
        c.Must(Transport, "7.4", "max_idle_timeout whose value is a one-byte varint followed by a stray byte", "connection error TRANSPORT_PARAMETER_ERROR",
            WithParameters(p => p with { MaxIdleTimeout = 0, UnknownParameters = [Raw(QuicTransportParameterId.MaxIdleTimeout, 0x05, 0x00)] }, error));
        c.Should(Transport, "7.4", "initial_max_data twice", "connection error TRANSPORT_PARAMETER_ERROR",
            WithParameters(p => p with { UnknownParameters = [Integer(QuicTransportParameterId.InitialMaxData, 1000)] }, error));
        c.Must(Transport, "18.2", "original_destination_connection_id from a client", "connection error TRANSPORT_PARAMETER_ERROR",
            WithParameters(p => p with { OriginalDestinationConnectionId = [1, 2, 3, 4, 5, 6, 7, 8] }, error));
        c.Must(Transport, "18.2", "stateless_reset_token from a client", "connection error TRANSPORT_PARAMETER_ERROR",
            WithParameters(p => p with { StatelessResetToken = new byte[16] }, error));
        c.Must(Transport, "18.2", "preferred_address from a client", "connection error TRANSPORT_PARAMETER_ERROR",
            WithParameters(p => p with { UnknownParameters = [Raw(QuicTransportParameterId.PreferredAddress, PreferredAddressValue())] }, error));
        c.Must(Transport, "18.2", "retry_source_connection_id from a client", "connection error TRANSPORT_PARAMETER_ERROR",
            WithParameters(p => p with { RetrySourceConnectionId = [1, 2, 3, 4] }, error));
        c.Must(Transport, "18.2", "max_udp_payload_size of 1199", "connection error TRANSPORT_PARAMETER_ERROR",
            WithParameters(p => p with { MaxUdpPayloadSize = 1199 }, error));
        c.Must(Transport, "18.2", "ack_delay_exponent of 21", "connection error TRANSPORT_PARAMETER_ERROR",
            WithParameters(p => p with { AckDelayExponent = 21 }, error));
        c.Must(Transport, "18.2", "max_ack_delay of 2^14", "connection error TRANSPORT_PARAMETER_ERROR",
            WithParameters(p => p with { MaxAckDelay = 1 << 14 }, error));
        c.Must(Transport, "18.2", "active_connection_id_limit of 1", "connection error TRANSPORT_PARAMETER_ERROR",
            WithParameters(p => p with { ActiveConnectionIdLimit = 1 }, error));
        c.Must(Transport, "18.2", "initial_max_streams_bidi of 2^60 + 1", "connection error TRANSPORT_PARAMETER_ERROR",
            WithParameters(p => p with { InitialMaxStreamsBidi = 0, UnknownParameters = [Integer(QuicTransportParameterId.InitialMaxStreamsBidi, (1UL << 60) + 1)] }, error));
        c.Must(Transport, "18.2", "initial_max_streams_uni of 2^60 + 1", "connection error TRANSPORT_PARAMETER_ERROR",
            WithParameters(p => p with { InitialMaxStreamsUni = 0, UnknownParameters = [Integer(QuicTransportParameterId.InitialMaxStreamsUni, (1UL << 60) + 1)] }, error));
    }

    // Parameters the record would refuse or fold away go out as "unknown" ones: the encoder writes them as given.
    private static QuicUnknownTransportParameter Raw(QuicTransportParameterId id, params byte[] value) => new((ulong)id, value);

    private static QuicUnknownTransportParameter Integer(QuicTransportParameterId id, ulong value)
    {
        var bytes = new byte[QuicVarint.GetByteCount(value)];
        QuicVarint.Write(bytes, value);
        return new((ulong)id, bytes);
    }

    /// <summary>A well-formed preferred_address (RFC 9000 Section 18.2): 127.0.0.1:4433, [::1]:4433, an 8-byte CID, a token.</summary>
    private static byte[] PreferredAddressValue() =>
        [127, 0, 0, 1, 0x11, 0x51, .. new byte[15], 1, 0x11, 0x51, 8, 1, 2, 3, 4, 5, 6, 7, 8, .. new byte[16]];
}
