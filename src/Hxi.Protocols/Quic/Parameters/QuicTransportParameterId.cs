namespace Hxi.Protocols.Quic.Parameters;

/// <summary>Transport parameter identifiers of RFC 9000 Section 18.2.</summary>
public enum QuicTransportParameterId : ulong
{
    OriginalDestinationConnectionId = 0x00,
    MaxIdleTimeout = 0x01,
    StatelessResetToken = 0x02,
    MaxUdpPayloadSize = 0x03,
    InitialMaxData = 0x04,
    InitialMaxStreamDataBidiLocal = 0x05,
    InitialMaxStreamDataBidiRemote = 0x06,
    InitialMaxStreamDataUni = 0x07,
    InitialMaxStreamsBidi = 0x08,
    InitialMaxStreamsUni = 0x09,
    AckDelayExponent = 0x0a,
    MaxAckDelay = 0x0b,
    DisableActiveMigration = 0x0c,
    PreferredAddress = 0x0d,
    ActiveConnectionIdLimit = 0x0e,
    InitialSourceConnectionId = 0x0f,
    RetrySourceConnectionId = 0x10,

    /// <summary>RFC 9368 Section 3: Chosen Version and Available Versions. Decoded by <see cref="QuicVersionInformation"/>.</summary>
    VersionInformation = 0x11,
}

/// <summary>Names of transport parameters as the RFC spells them, and the reserved (GREASE) identifiers.</summary>
public static class QuicTransportParameterIds
{
    private static readonly string[] Names =
    [
        "original_destination_connection_id", "max_idle_timeout", "stateless_reset_token", "max_udp_payload_size",
        "initial_max_data", "initial_max_stream_data_bidi_local", "initial_max_stream_data_bidi_remote",
        "initial_max_stream_data_uni", "initial_max_streams_bidi", "initial_max_streams_uni", "ack_delay_exponent",
        "max_ack_delay", "disable_active_migration", "preferred_address", "active_connection_id_limit",
        "initial_source_connection_id", "retry_source_connection_id", "version_information",
    ];

    /// <summary>Identifiers of the form 31 * N + 27 carry no meaning and exist to be ignored (RFC 9000 Section 18.1).</summary>
    public static bool IsReserved(ulong id) => id >= 27 && (id - 27) % 31 == 0;

    public static string Name(ulong id) =>
        id < (ulong)Names.Length ? Names[id] : IsReserved(id) ? $"reserved(0x{id:x})" : $"unknown(0x{id:x})";
}
