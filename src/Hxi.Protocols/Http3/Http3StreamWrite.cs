namespace Hxi.Protocols.Http3;

/// <summary>Output of the HTTP/3 core that the QUIC transport carries out, in order.</summary>
public abstract record Http3StreamWrite;

/// <summary>Send <paramref name="Data"/> on <paramref name="StreamId"/>; the first write to a new id opens the stream.</summary>
public sealed record StreamDataWrite(long StreamId, ReadOnlyMemory<byte> Data, bool Fin) : Http3StreamWrite;

/// <summary>Abort sending on a stream (QUIC RESET_STREAM).</summary>
public sealed record StreamResetWrite(long StreamId, ulong ErrorCode) : Http3StreamWrite;

/// <summary>Ask the peer to stop sending on a stream (QUIC STOP_SENDING).</summary>
public sealed record StopSendingWrite(long StreamId, ulong ErrorCode) : Http3StreamWrite;

/// <summary>Close the whole connection (QUIC CONNECTION_CLOSE of type 0x1d, application error).</summary>
public sealed record ConnectionCloseWrite(ulong ErrorCode, string Reason) : Http3StreamWrite;
