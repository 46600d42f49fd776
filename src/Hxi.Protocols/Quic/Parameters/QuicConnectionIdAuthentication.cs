using Hxi.Protocols.Quic.Frames;

namespace Hxi.Protocols.Quic.Parameters;

/// <summary>Checks the connection IDs a peer declared in its transport parameters against the ones seen on the wire (RFC 9000 Section 7.3).</summary>
public static class QuicConnectionIdAuthentication
{
    /// <summary>
    /// A client's check of the server's parameters. <paramref name="originalDestinationConnectionId"/> is the DCID of
    /// the client's very first Initial; <paramref name="serverSourceConnectionId"/> the SCID of the server's Initial;
    /// <paramref name="retrySourceConnectionId"/> the SCID of the Retry, or null when there was none.
    /// </summary>
    public static void ValidateServer(
        QuicTransportParameters server,
        ReadOnlySpan<byte> originalDestinationConnectionId,
        ReadOnlySpan<byte> serverSourceConnectionId,
        ReadOnlyMemory<byte>? retrySourceConnectionId)
    {
        Match(server.OriginalDestinationConnectionId, originalDestinationConnectionId, "original_destination_connection_id", "the Destination Connection ID of the first Initial");
        Match(server.InitialSourceConnectionId, serverSourceConnectionId, "initial_source_connection_id", "the Source Connection ID of the server's Initial");
        if (retrySourceConnectionId is { } retry)
        {
            Match(server.RetrySourceConnectionId, retry.Span, "retry_source_connection_id", "the Source Connection ID of the Retry");
        }
        else if (server.RetrySourceConnectionId is not null)
        {
            throw Error("retry_source_connection_id is present but no Retry was received");
        }
    }

    /// <summary>A server's check of the client's parameters against the SCID of the client's Initial.</summary>
    public static void ValidateClient(QuicTransportParameters client, ReadOnlySpan<byte> clientSourceConnectionId) =>
        Match(client.InitialSourceConnectionId, clientSourceConnectionId, "initial_source_connection_id", "the Source Connection ID of the client's Initial");

    private static void Match(byte[]? declared, ReadOnlySpan<byte> seen, string name, string what)
    {
        if (declared is null)
        {
            throw Error($"{name} is missing");
        }

        if (!declared.AsSpan().SequenceEqual(seen))
        {
            throw Error($"{name} {QuicBytes.Hex(declared)} does not match {what} ({QuicConnectionId.Format(seen)})");
        }
    }

    // Section 7.3 allows TRANSPORT_PARAMETER_ERROR or PROTOCOL_VIOLATION for mismatches; one code keeps the check in one place.
    private static QuicTransportException Error(string reason) =>
        new(QuicTransportErrorCode.TransportParameterError, (ulong)QuicFrameType.Crypto, reason);
}
