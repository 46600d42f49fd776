using System.Net;

namespace Hxi.Net.Quic;

/// <summary>
/// The sans-IO contract a datagram protocol core offers its driver on a connected socket (one peer): datagrams and
/// time in, datagrams out, one timer. A client's <see cref="Hxi.Protocols.Quic"/> connection is driven through it.
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

/// <summary>
/// The same contract on an unconnected socket (many peers, a server): every datagram comes with its sender and goes
/// with its destination. The server's <see cref="Hxi.Protocols.Quic.Endpoint.QuicEndpoint"/> is driven through it.
/// </summary>
public interface IAddressedDatagramEndpoint
{
    void ReceiveDatagram(ReadOnlySpan<byte> datagram, IPEndPoint from, TimeSpan now);

    /// <summary>Writes the next datagram and where it goes; 0 when there is none now.</summary>
    int WriteDatagram(Span<byte> destination, TimeSpan now, out IPEndPoint? to);

    TimeSpan? NextTimeout { get; }

    void HandleTimeout(TimeSpan now);

    bool IsTerminated { get; }
}

/// <summary>A connected endpoint seen as an addressed one: the peer is the socket's.</summary>
internal sealed class ConnectedEndpoint(IDatagramEndpoint endpoint) : IAddressedDatagramEndpoint
{
    public TimeSpan? NextTimeout => endpoint.NextTimeout;

    public bool IsTerminated => endpoint.IsTerminated;

    public void ReceiveDatagram(ReadOnlySpan<byte> datagram, IPEndPoint from, TimeSpan now) => endpoint.ReceiveDatagram(datagram, now);

    public int WriteDatagram(Span<byte> destination, TimeSpan now, out IPEndPoint? to)
    {
        to = null;
        return endpoint.WriteDatagram(destination, now);
    }

    public void HandleTimeout(TimeSpan now) => endpoint.HandleTimeout(now);
}
