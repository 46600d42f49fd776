namespace Hxi.Net.Quic;

/// <summary>
/// The sans-IO contract a datagram protocol core offers its driver: datagrams and time in,
/// datagrams out, one timer. <see cref="Hxi.Protocols.Quic"/> connections implement it.
/// </summary>
public interface IDatagramEndpoint
{
    void ReceiveDatagram(ReadOnlySpan<byte> datagram, TimeSpan now);

    /// <summary>Writes the next datagram to send into <paramref name="destination"/>; 0 when there is none now.</summary>
    int WriteDatagram(Span<byte> destination, TimeSpan now);

    /// <summary>When <see cref="HandleTimeout"/> must be called; null when no timer is armed.</summary>
    TimeSpan? NextTimeout { get; }

    void HandleTimeout(TimeSpan now);

    /// <summary>True once the endpoint has nothing more to do (closed, drained).</summary>
    bool IsTerminated { get; }
}
