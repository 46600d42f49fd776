using System.Net;
using Hxi.Protocols.Quic.Ecn;

namespace Hxi.Net.Quic;

/// <summary>
/// The sans-IO contract a datagram protocol core offers its driver on a connected socket (one peer): datagrams and
/// time in, datagrams out, one timer. A client's <see cref="Hxi.Protocols.Quic"/> connection is driven through it.
/// </summary>
public interface IDatagramEndpoint
{
    void ReceiveDatagram(ReadOnlySpan<byte> datagram, TimeSpan now);

    /// <summary>A datagram with the ECN bits of its IP header (RFC 9000 Section 13.4); an endpoint without ECN ignores them.</summary>
    void ReceiveDatagram(ReadOnlySpan<byte> datagram, TimeSpan now, EcnCodepoint ecn) => ReceiveDatagram(datagram, now);

    /// <summary>Writes the next datagram to send into <paramref name="destination"/>; 0 when there is none now.</summary>
    int WriteDatagram(Span<byte> destination, TimeSpan now);

    /// <summary>The next datagram and the ECN codepoint it goes out with (Not-ECT for an endpoint without ECN).</summary>
    int WriteDatagram(Span<byte> destination, TimeSpan now, out EcnCodepoint ecn)
    {
        ecn = EcnCodepoint.NotEct;
        return WriteDatagram(destination, now);
    }

    /// <summary>A datagram that came on the second socket, the path being probed (RFC 9000 Section 9.6); by default as any other.</summary>
    void ReceiveProbeDatagram(ReadOnlySpan<byte> datagram, TimeSpan now, EcnCodepoint ecn) => ReceiveDatagram(datagram, now, ecn);

    /// <summary>The next datagram for the path being probed, sent from the second socket; 0 when none (by default, never).</summary>
    int WriteProbeDatagram(Span<byte> destination, TimeSpan now) => 0;

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

    /// <summary>A datagram with the ECN bits of its IP header; an endpoint without ECN ignores them.</summary>
    void ReceiveDatagram(ReadOnlySpan<byte> datagram, IPEndPoint from, TimeSpan now, EcnCodepoint ecn) => ReceiveDatagram(datagram, from, now);

    /// <summary>Writes the next datagram and where it goes; 0 when there is none now.</summary>
    int WriteDatagram(Span<byte> destination, TimeSpan now, out IPEndPoint? to);

    /// <summary>The next datagram, where it goes and its ECN codepoint (Not-ECT for an endpoint without ECN).</summary>
    int WriteDatagram(Span<byte> destination, TimeSpan now, out IPEndPoint? to, out EcnCodepoint ecn)
    {
        ecn = EcnCodepoint.NotEct;
        return WriteDatagram(destination, now, out to);
    }

    /// <summary>
    /// A datagram that came in on the driver's second socket (the server's preferred address, or a client's probe of it;
    /// RFC 9000 Section 9.6). By default as any other.
    /// </summary>
    void ReceiveDatagram(ReadOnlySpan<byte> datagram, IPEndPoint from, bool atSecondSocket, TimeSpan now, EcnCodepoint ecn) => ReceiveDatagram(datagram, from, now, ecn);

    /// <summary>The next datagram, where it goes, whether it leaves from the second socket, and its ECN codepoint.</summary>
    int WriteDatagram(Span<byte> destination, TimeSpan now, out IPEndPoint? to, out bool fromSecondSocket, out EcnCodepoint ecn)
    {
        fromSecondSocket = false;
        return WriteDatagram(destination, now, out to, out ecn);
    }

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

    public void ReceiveDatagram(ReadOnlySpan<byte> datagram, IPEndPoint from, TimeSpan now, EcnCodepoint ecn) => endpoint.ReceiveDatagram(datagram, now, ecn);

    public int WriteDatagram(Span<byte> destination, TimeSpan now, out IPEndPoint? to)
    {
        to = null;
        return endpoint.WriteDatagram(destination, now);
    }

    public int WriteDatagram(Span<byte> destination, TimeSpan now, out IPEndPoint? to, out EcnCodepoint ecn)
    {
        to = null;
        return endpoint.WriteDatagram(destination, now, out ecn);
    }

    public void ReceiveDatagram(ReadOnlySpan<byte> datagram, IPEndPoint from, bool atSecondSocket, TimeSpan now, EcnCodepoint ecn)
    {
        if (atSecondSocket)
        {
            endpoint.ReceiveProbeDatagram(datagram, now, ecn);
        }
        else
        {
            endpoint.ReceiveDatagram(datagram, now, ecn);
        }
    }

    /// <summary>Probes first, from the second socket (connected to the probed address), then the rest from the first.</summary>
    public int WriteDatagram(Span<byte> destination, TimeSpan now, out IPEndPoint? to, out bool fromSecondSocket, out EcnCodepoint ecn)
    {
        to = null;
        var length = endpoint.WriteProbeDatagram(destination, now);
        fromSecondSocket = length > 0;
        ecn = EcnCodepoint.NotEct;
        return length > 0 ? length : endpoint.WriteDatagram(destination, now, out ecn);
    }

    public void HandleTimeout(TimeSpan now) => endpoint.HandleTimeout(now);
}
