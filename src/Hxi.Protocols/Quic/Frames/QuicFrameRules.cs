namespace Hxi.Protocols.Quic.Frames;

/// <summary>One row of RFC 9000 Table 3: where a frame type may appear and how it counts.</summary>
public readonly record struct QuicFrameRule(
    QuicFrameType Type,
    string Name,
    QuicPacketSpaces AllowedIn,
    bool IsAckEliciting,
    bool IsProbing,
    bool IsFlowControlled);

/// <summary>The legal-frames table (RFC 9000 Section 12.4, Table 3) and the ack-eliciting rule (Section 13.2).</summary>
public static class QuicFrameRules
{
    private const QuicPacketSpaces I = QuicPacketSpaces.Initial;
    private const QuicPacketSpaces H = QuicPacketSpaces.Handshake;
    private const QuicPacketSpaces Z = QuicPacketSpaces.ZeroRtt;
    private const QuicPacketSpaces O = QuicPacketSpaces.OneRtt;

    // Pkts column of Table 3: I = Initial, H = Handshake, Z = 0-RTT, O = 1-RTT. RETIRE_CONNECTION_ID
    // is left out of 0-RTT as Section 12.4 allows: a 0-RTT packet cannot refer to a CID issued in 1-RTT.
    private static readonly QuicFrameRule[] Rows =
    [
        new(QuicFrameType.Padding, "PADDING", I | H | Z | O, false, true, false),
        new(QuicFrameType.Ping, "PING", I | H | Z | O, true, false, false),
        new(QuicFrameType.Ack, "ACK", I | H | O, false, false, false),
        new(QuicFrameType.AckEcn, "ACK", I | H | O, false, false, false),
        new(QuicFrameType.ResetStream, "RESET_STREAM", Z | O, true, false, false),
        new(QuicFrameType.StopSending, "STOP_SENDING", Z | O, true, false, false),
        new(QuicFrameType.Crypto, "CRYPTO", I | H | O, true, false, false),
        new(QuicFrameType.NewToken, "NEW_TOKEN", O, true, false, false),
        new(QuicFrameType.Stream, "STREAM", Z | O, true, false, true),
        new(QuicFrameType.MaxData, "MAX_DATA", Z | O, true, false, false),
        new(QuicFrameType.MaxStreamData, "MAX_STREAM_DATA", Z | O, true, false, false),
        new(QuicFrameType.MaxStreamsBidi, "MAX_STREAMS", Z | O, true, false, false),
        new(QuicFrameType.MaxStreamsUni, "MAX_STREAMS", Z | O, true, false, false),
        new(QuicFrameType.DataBlocked, "DATA_BLOCKED", Z | O, true, false, false),
        new(QuicFrameType.StreamDataBlocked, "STREAM_DATA_BLOCKED", Z | O, true, false, false),
        new(QuicFrameType.StreamsBlockedBidi, "STREAMS_BLOCKED", Z | O, true, false, false),
        new(QuicFrameType.StreamsBlockedUni, "STREAMS_BLOCKED", Z | O, true, false, false),
        new(QuicFrameType.NewConnectionId, "NEW_CONNECTION_ID", Z | O, true, true, false),
        new(QuicFrameType.RetireConnectionId, "RETIRE_CONNECTION_ID", O, true, false, false),
        new(QuicFrameType.PathChallenge, "PATH_CHALLENGE", Z | O, true, true, false),
        new(QuicFrameType.PathResponse, "PATH_RESPONSE", O, true, true, false),
        new(QuicFrameType.ConnectionCloseTransport, "CONNECTION_CLOSE", I | H | Z | O, false, false, false),
        new(QuicFrameType.ConnectionCloseApplication, "CONNECTION_CLOSE", Z | O, false, false, false),
        new(QuicFrameType.HandshakeDone, "HANDSHAKE_DONE", O, true, false, false),
    ];

    /// <summary>The table, one row per frame type (STREAM once for 0x08-0x0f), in type order.</summary>
    public static IReadOnlyList<QuicFrameRule> Table => Rows;

    /// <summary>The row for a wire frame type; false for types RFC 9000 does not define.</summary>
    public static bool TryGetRule(ulong frameType, out QuicFrameRule rule)
    {
        // Rows 0..8 are types 0x00..0x08 (STREAM covering 0x08..0x0f); rows 9.. are types 0x10..0x1e.
        if (frameType <= 0x0f)
        {
            rule = Rows[Math.Min(frameType, 0x08)];
            return true;
        }

        if (frameType <= (ulong)QuicFrameType.HandshakeDone)
        {
            rule = Rows[frameType - 0x10 + 9];
            return true;
        }

        rule = default;
        return false;
    }

    /// <summary>The packet types a frame type may appear in; <see cref="QuicPacketSpaces.None"/> if unknown.</summary>
    public static QuicPacketSpaces AllowedIn(ulong frameType) =>
        TryGetRule(frameType, out var rule) ? rule.AllowedIn : QuicPacketSpaces.None;

    public static bool IsAllowed(ulong frameType, QuicPacketSpaces space) => (AllowedIn(frameType) & space) == space && space != 0;

    /// <summary>Throws PROTOCOL_VIOLATION when <paramref name="frameType"/> may not appear in <paramref name="space"/>.</summary>
    public static void EnsureAllowed(ulong frameType, QuicPacketSpaces space)
    {
        if (!IsAllowed(frameType, space))
        {
            throw new QuicTransportException(
                QuicTransportErrorCode.ProtocolViolation,
                frameType,
                $"{Name(frameType)} frame is not allowed in a {SpaceName(space)} packet");
        }
    }

    /// <summary>All frames but ACK, PADDING and CONNECTION_CLOSE elicit an acknowledgment (RFC 9000 Section 13.2).</summary>
    public static bool IsAckEliciting(ulong frameType) =>
        !TryGetRule(frameType, out var rule) || rule.IsAckEliciting;

    /// <summary>"STREAM", "ACK", ... or "0x…" for types outside RFC 9000.</summary>
    public static string Name(ulong frameType) => TryGetRule(frameType, out var rule) ? rule.Name : $"0x{frameType:x}";

    public static string SpaceName(QuicPacketSpaces space) => space switch
    {
        QuicPacketSpaces.Initial => "Initial",
        QuicPacketSpaces.Handshake => "Handshake",
        QuicPacketSpaces.ZeroRtt => "0-RTT",
        QuicPacketSpaces.OneRtt => "1-RTT",
        _ => space.ToString(),
    };
}
