using Hxi.Protocols.Quic.Parameters;
using Hxi.Protocols.Tls;

namespace Hxi.Protocols.Quic.Connection;

/// <summary>A fact a QUIC connection reports to its application; consumed with <c>switch</c>.</summary>
public abstract record QuicEvent;

/// <summary>The TLS handshake finished: ALPN chosen and the peer's transport parameters known.</summary>
public sealed record QuicHandshakeCompleted(string? ApplicationProtocol, QuicTransportParameters PeerParameters, string CipherSuite, string Group) : QuicEvent;

/// <summary>The handshake is confirmed (HANDSHAKE_DONE for a client): Handshake keys are gone.</summary>
public sealed record QuicHandshakeConfirmed : QuicEvent;

/// <summary>The peer opened a stream.</summary>
public sealed record QuicStreamOpened(long StreamId) : QuicEvent;

/// <summary>Bytes (or the end of the stream) can be read from the stream.</summary>
public sealed record QuicStreamReadable(long StreamId) : QuicEvent;

/// <summary>RESET_STREAM: the peer abandoned its sending half.</summary>
public sealed record QuicStreamResetReceived(long StreamId, ulong ErrorCode, long FinalSize) : QuicEvent;

/// <summary>STOP_SENDING: the peer wants no more data on this stream (we answered with RESET_STREAM).</summary>
public sealed record QuicStopSendingReceived(long StreamId, ulong ErrorCode) : QuicEvent;

/// <summary>The peer raised our credit, so blocked writes can go on.</summary>
public sealed record QuicSendCreditAvailable : QuicEvent;

/// <summary>The connection is over: by CONNECTION_CLOSE (either side), idle timeout, or stateless reset.</summary>
/// <param name="ByPeer">True when the peer closed it.</param>
/// <param name="IsApplicationError">True for an application CONNECTION_CLOSE (0x1d): the code is the application's (HTTP/3).</param>
public sealed record QuicConnectionClosed(bool ByPeer, bool IsApplicationError, ulong ErrorCode, ulong FrameType, string Reason) : QuicEvent
{
    public string Describe() => IsApplicationError
        ? $"application error 0x{ErrorCode:x}{(Reason.Length > 0 ? $": {Reason}" : "")}"
        : $"{QuicTransportErrorCodes.Name(ErrorCode)}{(Reason.Length > 0 ? $": {Reason}" : "")}";
}

/// <summary>The peer sent NEW_TOKEN, usable for a later connection's Initial.</summary>
public sealed record QuicNewTokenReceived(byte[] Token) : QuicEvent;

/// <summary>We issued a connection ID (NEW_CONNECTION_ID): packets addressed to it now belong to this connection.</summary>
public sealed record QuicConnectionIdIssued(ulong SequenceNumber, byte[] ConnectionId) : QuicEvent;

/// <summary>The peer retired one of our connection IDs (RETIRE_CONNECTION_ID): packets addressed to it no longer belong here.</summary>
public sealed record QuicConnectionIdRetired(ulong SequenceNumber, byte[] ConnectionId) : QuicEvent;

/// <summary>The server gave a ticket (client): keep it to resume a later connection, with 0-RTT if it allows.</summary>
public sealed record QuicSessionTicketReceived(TlsSessionTicket Ticket) : QuicEvent;

/// <summary>The handshake is complete and it is settled whether it resumed a session and what became of 0-RTT.</summary>
public sealed record QuicResumptionSettled(bool Resumed, TlsEarlyDataOutcome EarlyData, long ZeroRttPackets) : QuicEvent;
