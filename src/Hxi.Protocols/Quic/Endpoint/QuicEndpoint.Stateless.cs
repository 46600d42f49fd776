using System.Net;
using System.Security.Cryptography;
using System.Text;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Quic.Protection;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Quic.Endpoint;

public sealed partial class QuicEndpoint
{
    /// <summary>Answers waiting to go out at most; beyond, they are dropped (the peer retries, or was never real).</summary>
    private const int MaxPendingStateless = 256;

    /// <summary>A stateless reset is at least 21 bytes and shorter than what prompted it (RFC 9000 Sections 10.3, 10.3.3).</summary>
    private const int MinimumStatelessReset = 21;

    /// <summary>A reset of 43 bytes looks like any small 1-RTT packet (RFC 9000 Section 10.3); longer only costs bandwidth.</summary>
    private const int StatelessResetSize = 43;

    private readonly QuicAddressToken _tokens;
    private readonly byte[] _resetKey;
    private readonly StatelessBudget _budget;
    private readonly Queue<(byte[] Datagram, IPEndPoint Remote, bool FromPreferredAddress)> _stateless = new();

    /// <summary>The stateless reset token of one of our connection IDs: HMAC-SHA256 under the static key, cut to 16 bytes (RFC 9000 Section 10.3.2).</summary>
    internal byte[] ResetTokenFor(ReadOnlySpan<byte> connectionId)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_resetKey, connectionId, mac);
        return mac[..NewConnectionIdFrame.ResetTokenLength].ToArray();
    }

    /// <summary>
    /// RFC 9000 Section 6.1 and RFC 8999 Section 6: a version we do not speak, in a datagram big enough to start a
    /// connection, gets the list of ours, its connection IDs echoed in swapped places, and a reserved version so
    /// clients keep handling unknown ones (Section 6.3).
    /// </summary>
    private void SendVersionNegotiation(int datagramLength, ReadOnlySpan<byte> destination, ReadOnlySpan<byte> source, IPEndPoint remote, TimeSpan now)
    {
        if (datagramLength < QuicDatagram.MinimumInitialDatagramLength)
        {
            Dropped();
            return;
        }

        if (!TryReserve(now))
        {
            return;
        }

        var grease = 0x0a0a0a0aU | ((uint)NextRandom32() & 0xf0f0f0f0U);
        var packet = QuicPacketWriter.BuildVersionNegotiation(source, destination, [.. _options.Connection.Versions.Where(QuicVersion.IsSupported), grease], (byte)NextRandom32());
        Enqueue(packet, remote, "Version Negotiation");
        Statistics.VersionNegotiationsSent++;
    }

    /// <summary>RFC 9000 Section 8.1.2: a Retry carrying a token bound to the client's address, and a new connection ID to use.</summary>
    private void SendRetry(byte[] clientSource, byte[] clientDestination, uint version, IPEndPoint remote, TimeSpan now)
    {
        if (!TryReserve(now))
        {
            return;
        }

        var retrySource = NewConnectionId(_connectionIdLength);
        var token = _tokens.Issue(remote, clientDestination, retrySource, now);
        var packet = QuicPacketWriter.BuildRetry(clientSource, retrySource, token, clientDestination, version: version);
        Enqueue(packet, remote, "Retry");
        Statistics.RetriesSent++;
    }

    /// <summary>
    /// Closes a handshake without making a connection (RFC 9000 Section 10.2.3): CONNECTION_CLOSE in an Initial under
    /// the server's Initial keys, for an invalid token or a server at its limits. Not ack-eliciting, so no padding.
    /// </summary>
    private void SendInitialClose(byte[] clientSource, byte[] clientDestination, uint version, QuicTransportErrorCode code, string reason, IPEndPoint remote, TimeSpan now)
    {
        if (!TryReserve(now))
        {
            return;
        }

        var secrets = QuicInitialSecrets.Derive(clientDestination, version);
        using var keys = new QuicPacketKeys(QuicCipherSuite.Aes128GcmSha256, secrets.ServerSecret, version);
        var close = new ConnectionCloseFrame(false, (ulong)code, 0, Encoding.UTF8.GetBytes(reason));
        Span<byte> frames = stackalloc byte[close.GetByteCount()];
        close.TryWrite(frames, out var framesLength);
        var packet = new byte[128 + framesLength];
        var length = QuicPacketWriter.WriteLongHeaderPacket(packet, keys, QuicPacketType.Initial, clientSource, clientDestination, [], 0, 1, frames[..framesLength], version: version);
        Enqueue(packet[..length], remote, $"Initial CONNECTION_CLOSE {code}");
        Statistics.InitialsRefused++;
    }

    /// <summary>
    /// RFC 9000 Section 10.3: a short-header packet for a connection ID we do not route ends in the reset token that ID
    /// would have, so a peer whose connection we lost stops at once. Never as large as what prompted it (no loops,
    /// Section 10.3.3, no amplification), never in reply to anything too short to leave room for that.
    /// </summary>
    private void SendStatelessReset(ReadOnlySpan<byte> datagram, IPEndPoint remote, TimeSpan now)
    {
        if (datagram.Length <= MinimumStatelessReset)
        {
            Dropped();
            return;
        }

        if (!TryReserve(now))
        {
            Statistics.DatagramsDropped++;
            return;
        }

        var packet = new byte[Math.Min(datagram.Length - 1, StatelessResetSize)];
        FillRandom(packet);
        // Fixed bit set and long-header bit clear, so it looks like any 1-RTT packet.
        packet[0] = (byte)((packet[0] & 0x3f) | 0x40);
        ResetTokenFor(datagram.Slice(1, _connectionIdLength)).CopyTo(packet.AsSpan(packet.Length - NewConnectionIdFrame.ResetTokenLength));
        Enqueue(packet, remote, "stateless reset");
        Statistics.StatelessResetsSent++;
    }

    /// <summary>Room and budget for one more answer without a connection; checked before building it, so a suppressed one costs nothing.</summary>
    private bool TryReserve(TimeSpan now)
    {
        if (_stateless.Count >= MaxPendingStateless || !_budget.TryTake(now))
        {
            Statistics.StatelessPacketsSuppressed++;
            return false;
        }

        return true;
    }

    private void Enqueue(byte[] packet, IPEndPoint remote, string what)
    {
        _stateless.Enqueue((packet, remote, _receivingAtPreferredAddress));
        if (_options.Tap is { } tap)
        {
            tap.Record(new WireRecord(WireDirection.Sent, WireLayer.Quic, packet,
                new QuicPacketTrace(QuicPacketType.Initial, QuicVersion.Version1, ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty, -1, packet.Length, false, [],
                    $"{what} to {remote} (no connection)")));
        }
    }

    private bool TryTakeStateless(Span<byte> destination, out int length, out IPEndPoint? remote, out bool fromPreferredAddress)
    {
        fromPreferredAddress = false;
        if (_stateless.TryPeek(out var next) && next.Datagram.Length <= destination.Length)
        {
            _stateless.Dequeue();
            next.Datagram.CopyTo(destination);
            length = next.Datagram.Length;
            remote = next.Remote;
            fromPreferredAddress = next.FromPreferredAddress;
            return true;
        }

        length = 0;
        remote = null;
        return false;
    }

    private int NextRandom32()
    {
        Span<byte> bytes = stackalloc byte[4];
        FillRandom(bytes);
        return BitConverter.ToInt32(bytes);
    }

    private void FillRandom(Span<byte> bytes)
    {
        if (_random is not null)
        {
            _random.NextBytes(bytes);
        }
        else
        {
            RandomNumberGenerator.Fill(bytes);
        }
    }
}
