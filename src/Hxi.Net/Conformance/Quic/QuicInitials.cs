using System.Buffers.Binary;
using System.Net.Sockets;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Quic.Protection;

namespace Hxi.Net.Conformance.Quic;

/// <summary>A client's first Initial datagram as bytes, for the cases that work below any connection: shrunk, or of another version.</summary>
/// <param name="Datagram">The Initial packet with its ClientHello, padded to 1200 bytes.</param>
/// <param name="DestinationConnectionId">The Destination Connection ID the client chose (its Initial keys come from it).</param>
/// <param name="SourceConnectionId">The client's own connection ID: what a server's answer is addressed to.</param>
internal sealed record QuicInitials(byte[] Datagram, byte[] DestinationConnectionId, byte[] SourceConnectionId)
{
    /// <summary>A fresh client's first datagram (fresh connection IDs each time).</summary>
    public static QuicInitials Create(ConformanceTarget target)
    {
        var core = new QuicConnection(new QuicConnectionOptions
        {
            Role = QuicRole.Client,
            ServerName = System.Net.IPAddress.TryParse(target.Url.IdnHost.Trim('[', ']'), out _) ? null : target.Url.IdnHost,
            ApplicationProtocols = ["h3"],
            Insecure = true,

            // The cases write raw v1 packets: offer v1 alone, so no server moves the connection to v2 (RFC 9368).
            Versions = [QuicVersion.Version1],
        });
        core.Start(TimeSpan.Zero);
        var buffer = new byte[2048];
        var length = core.WriteDatagram(buffer, TimeSpan.Zero);
        return new QuicInitials(buffer[..length], core.DestinationConnectionId.ToArray(), core.SourceConnectionId.ToArray());
    }

    /// <summary>The same Initial without its PADDING: a datagram well under 1200 bytes that RFC 9000 Section 14.1 makes a server drop.</summary>
    public byte[] Unpadded()
    {
        var copy = Datagram.ToArray();
        if (!QuicPacketParser.TryParse(copy, 0, out var header, out var error))
        {
            throw new InvalidOperationException($"our own Initial does not parse: {error}");
        }

        var (clientKeys, _) = QuicPacketKeys.CreateInitial(DestinationConnectionId);
        var packet = copy.AsSpan(0, header.Packet.Length);
        if (!clientKeys.TryUnprotect(packet, header.PacketNumberOffset, null, out var opened))
        {
            throw new InvalidOperationException("our own Initial does not decrypt");
        }

        // Keep every frame but PADDING, byte for byte.
        var payload = copy.AsMemory(opened.PayloadOffset, opened.PayloadLength);
        var frames = new List<byte>();
        var offset = 0;
        while (offset < payload.Length)
        {
            var start = offset;
            var frame = QuicFrameDecoder.Decode(payload, ref offset);
            if (frame is not PaddingFrame)
            {
                frames.AddRange(payload.Span[start..offset].ToArray());
            }
        }

        var (sealKeys, _) = QuicPacketKeys.CreateInitial(DestinationConnectionId);
        var result = new byte[Datagram.Length];
        var length = QuicPacketWriter.WriteLongHeaderPacket(result, sealKeys, QuicPacketType.Initial, DestinationConnectionId, SourceConnectionId, [],
            opened.PacketNumber, opened.PacketNumberLength, frames.ToArray());
        return result[..length];
    }

    /// <summary>The datagram with another Version in its long header (the rest is left as it was).</summary>
    public byte[] WithVersion(uint version, int? truncateTo = null)
    {
        var copy = Datagram[..Math.Min(Datagram.Length, truncateTo ?? Datagram.Length)];
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(1), version);
        return copy;
    }

    /// <summary>The Destination Connection ID of a long-header datagram (what the sender addressed), or null for anything else.</summary>
    public static byte[]? LongHeaderDestination(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= 6 && (datagram[0] & 0x80) != 0 && datagram.Length >= 6 + datagram[5] ? datagram.Slice(6, datagram[5]).ToArray() : null;

    /// <summary>Reads datagrams until <paramref name="done"/> says so or <paramref name="wait"/> passes; returns what came.</summary>
    public static async Task<List<byte[]>> ReceiveAsync(Socket socket, TimeSpan wait, Func<List<byte[]>, bool> done, CancellationToken ct)
    {
        var received = new List<byte[]>();
        var buffer = new byte[65_536];
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(wait);
        try
        {
            while (!done(received))
            {
                var length = await socket.ReceiveAsync(buffer, SocketFlags.None, timer.Token);
                received.Add(buffer[..length]);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Time is up: the caller judges what came.
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            throw new Client.HxiException(Client.FailureKind.Connect, $"nothing listens on UDP {socket.RemoteEndPoint} (ICMP port unreachable)", ex);
        }

        return received;
    }
}
