using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Recovery;
using static Hxi.Net.Conformance.Quic.QuicCaseKit;

namespace Hxi.Net.Conformance.Quic;

public static partial class QuicCases
{
    private static void AddFrameCases(CaseCatalog c)
    {
        const QuicTransportErrorCode violation = QuicTransportErrorCode.ProtocolViolation;
        const QuicTransportErrorCode encoding = QuicTransportErrorCode.FrameEncodingError;
        var initial = new QuicRawPacketShape(QuicPacketNumberSpace.Initial);
        var handshake = new QuicRawPacketShape(QuicPacketNumberSpace.Handshake);

        c.Must(Transport, "7.5", "CRYPTO in 1-RTT at offset 2^24 (16 MiB past what was read)", "connection error CRYPTO_BUFFER_EXCEEDED",
            OneRtt(RawQuicFrames.Start().Varint(0x06).Varint(1UL << 24).Varint(1).Bytes(0).ToArray(), QuicTransportErrorCode.CryptoBufferExceeded));
        c.Must(Transport, "12.4", "STREAM in an Initial packet", "connection error PROTOCOL_VIOLATION",
            DuringHandshake(RawQuicFrames.Start().Stream(0, 0, [0]).ToArray(), initial, violation));
        c.Must(Transport, "12.4", "MAX_DATA in an Initial packet", "connection error PROTOCOL_VIOLATION",
            DuringHandshake(RawQuicFrames.Start().Varint(0x10).Varint(1 << 20).ToArray(), initial, violation));
        c.Must(Transport, "12.4", "STREAM in a Handshake packet", "connection error PROTOCOL_VIOLATION",
            DuringHandshake(RawQuicFrames.Start().Stream(0, 0, [0]).ToArray(), handshake, violation));
        c.Must(Transport, "12.4", "NEW_CONNECTION_ID in a Handshake packet", "connection error PROTOCOL_VIOLATION",
            DuringHandshake(NewConnectionId(1000, 0, 8, 0x11).ToArray(), handshake, violation));
        c.Must(Transport, "12.4", "HANDSHAKE_DONE in a Handshake packet", "connection error PROTOCOL_VIOLATION",
            DuringHandshake(RawQuicFrames.Start().Varint(0x1e).ToArray(), handshake, violation));
        c.Must(Transport, "12.4", "a frame of unknown type 0x3e", "connection error FRAME_ENCODING_ERROR",
            OneRtt(RawQuicFrames.Start().Varint(0x3e).Zeros(4).ToArray(), encoding));
        c.Must(Transport, "12.4", "MAX_DATA cut off after its type", "connection error FRAME_ENCODING_ERROR",
            OneRtt(RawQuicFrames.Start().Ping().Varint(0x10).ToArray(), encoding));
        c.Must(Transport, "19.3.1", "ACK of packet 0 with a First ACK Range of 1 (a negative packet number)", "connection error FRAME_ENCODING_ERROR",
            OneRtt(RawQuicFrames.Start().Varint(0x02).Varint(0).Varint(0).Varint(0).Varint(1).ToArray(), encoding));
        c.Must(Transport, "19.6", "CRYPTO in 1-RTT whose offset plus length is 2^62", "connection error FRAME_ENCODING_ERROR or CRYPTO_BUFFER_EXCEEDED",
            OneRtt(RawQuicFrames.Start().Varint(0x06).Varint((1UL << 62) - 1).Varint(1).Bytes(0).ToArray(), encoding, QuicTransportErrorCode.CryptoBufferExceeded));
        c.Must(Transport, "19.7", "NEW_TOKEN from the client", "connection error PROTOCOL_VIOLATION",
            OneRtt(RawQuicFrames.Start().Varint(0x07).Varint(4).Bytes(1, 2, 3, 4).ToArray(), violation));
        c.Must(Transport, "19.15", "NEW_CONNECTION_ID with Retire Prior To 1001 above Sequence Number 1000", "connection error FRAME_ENCODING_ERROR",
            OneRtt(NewConnectionId(1000, 1001, 8, 0x21).ToArray(), encoding));
        c.Must(Transport, "19.15", "NEW_CONNECTION_ID with a zero-length connection ID", "connection error FRAME_ENCODING_ERROR",
            OneRtt(NewConnectionId(1000, 0, 0, 0x22).ToArray(), encoding));
        c.Must(Transport, "19.15", "NEW_CONNECTION_ID with a 21-byte connection ID", "connection error FRAME_ENCODING_ERROR",
            OneRtt(NewConnectionId(1000, 0, 21, 0x23).ToArray(), encoding));
        c.Must(Transport, "5.1.1", "NEW_CONNECTION_ID frames beyond the server's active_connection_id_limit", "connection error CONNECTION_ID_LIMIT_ERROR",
            OneRtt(p =>
            {
                if (p.ActiveConnectionIdLimit > 40)
                {
                    return (null, $"active_connection_id_limit {p.ActiveConnectionIdLimit} is too many to exceed in one packet");
                }

                // With the handshake's ID (and any hxi issued itself, at sequences from 1) that is more than the limit.
                var frames = RawQuicFrames.Start();
                for (ulong i = 0; i < p.ActiveConnectionIdLimit; i++)
                {
                    frames.Bytes(NewConnectionId(1000 + i, 0, 8, (byte)(0x30 + i)).ToArray());
                }

                return (frames.ToArray(), null);
            }, QuicTransportErrorCode.ConnectionIdLimitError));
        c.Must(Transport, "19.15", "NEW_CONNECTION_ID from a client whose own connection ID is zero-length", "connection error PROTOCOL_VIOLATION",
            async context =>
            {
                await using var peer = await RawQuicPeer.ConnectAsync(context, o => o with { ConnectionIdLength = 0 });
                EnsureConfirmed(context, peer);
                context.MarkTrigger();
                peer.SendOneRtt(NewConnectionId(1000, 0, 8, 0x41).ToArray());
                return await ExpectCloseAsync(context, peer, violation);
            });
        c.Must(Transport, "19.16", "RETIRE_CONNECTION_ID of sequence number 1000, never issued", "connection error PROTOCOL_VIOLATION",
            OneRtt(RawQuicFrames.Start().Varint(0x19).Varint(1000).ToArray(), violation));
        c.Must(Transport, "19.20", "HANDSHAKE_DONE from the client", "connection error PROTOCOL_VIOLATION",
            OneRtt(RawQuicFrames.Start().Varint(0x1e).ToArray(), violation));
    }

    /// <summary>NEW_CONNECTION_ID (type 0x18) with a connection ID of <paramref name="length"/> bytes of <paramref name="fill"/> and a token of the same.</summary>
    private static RawQuicFrames NewConnectionId(ulong sequence, ulong retirePriorTo, int length, byte fill) =>
        RawQuicFrames.Start().Varint(0x18).Varint(sequence).Varint(retirePriorTo).Bytes((byte)length)
            .Bytes(Enumerable.Repeat(fill, length).ToArray()).Bytes(Enumerable.Repeat(fill, 16).ToArray());
}
