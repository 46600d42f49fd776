using Hxi.Protocols.Http3;
using static Hxi.Net.Conformance.Http3.Http3CaseKit;

namespace Hxi.Net.Conformance.Http3;

public static partial class Http3Cases
{
    /// <summary>RFC 9204: the encoder and decoder streams, their instructions, field section prefixes and references, blocked streams.</summary>
    private static void AddQpackCases(CaseCatalog c)
    {
        AddQpackStreamRules(c);
        AddEncoderInstructionRules(c);
        AddFieldSectionRules(c);
        AddDecoderInstructionRules(c);
    }

    private static void AddQpackStreamRules(CaseCatalog c)
    {
        foreach (var (type, name) in new[] { (Http3StreamType.QpackEncoder, "encoder"), (Http3StreamType.QpackDecoder, "decoder") })
        {
            c.Must(Qpack, "4.2", $"a second QPACK {name} stream", "connection error H3_STREAM_CREATION_ERROR",
                Connected(async peer =>
                {
                    await peer.OpenUniAsync(type, [], framed: false);
                    peer.MarkTrigger();
                    await peer.OpenUniAsync(type, [], framed: false);
                    return await peer.ExpectConnectionErrorAsync(Http3ErrorCode.StreamCreationError);
                }));

            c.Must(Qpack, "4.2", $"the QPACK {name} stream ended (FIN)", "connection error H3_CLOSED_CRITICAL_STREAM",
                Connected(async peer =>
                {
                    var id = await peer.OpenUniAsync(type, [], framed: false);
                    peer.MarkTrigger();
                    await peer.SendAsync(id, [], fin: true);
                    return await peer.ExpectConnectionErrorAsync(Http3ErrorCode.ClosedCriticalStream);
                }));
        }

        c.Must(Qpack, "4.2", "the QPACK encoder stream reset (RESET_STREAM)", "connection error H3_CLOSED_CRITICAL_STREAM",
            Connected(async peer =>
            {
                var id = await peer.OpenUniAsync(Http3StreamType.QpackEncoder, [], framed: false);
                peer.MarkTrigger();
                await peer.ResetAsync(id, (ulong)Http3ErrorCode.NoError);
                return await peer.ExpectConnectionErrorAsync(Http3ErrorCode.ClosedCriticalStream);
            }));

        c.Must(Qpack, "4.2", "encoder and decoder streams opened while our SETTINGS allow no dynamic table", "allowed: a following request is answered",
            Connected(async peer =>
            {
                peer.MarkTrigger();
                await peer.OpenUniAsync(Http3StreamType.QpackEncoder, [], framed: false);
                await peer.OpenUniAsync(Http3StreamType.QpackDecoder, [], framed: false);
                return await peer.ExpectIgnoredAsync("the peer's encoder and decoder streams to be allowed");
            }));
    }

    private static void AddEncoderInstructionRules(CaseCatalog c)
    {
        c.Must(Qpack, "4.3.1", "Set Dynamic Table Capacity one above the server's SETTINGS_QPACK_MAX_TABLE_CAPACITY", "connection error QPACK_ENCODER_STREAM_ERROR",
            OnEncoder(peer => QpackInstructions.SetCapacity(ServerCapacity(peer) + 1)));

        c.Must(Qpack, "3.2.2", "Insert with Literal Name while the table capacity is still 0", "connection error QPACK_ENCODER_STREAM_ERROR",
            OnEncoder(_ => QpackInstructions.InsertLiteral("x-entry", "1")));

        c.Must(Qpack, "3.2.2", "Set Dynamic Table Capacity 33, then an insert of 79 bytes", "connection error QPACK_ENCODER_STREAM_ERROR",
            OnEncoder(peer => ServerCapacity(peer) < 33
                ? throw new Http3CaseSkippedException($"the server's SETTINGS_QPACK_MAX_TABLE_CAPACITY is {ServerCapacity(peer)}, below 33")
                : Concat(QpackInstructions.SetCapacity(33), QpackInstructions.InsertLiteral("x-large", new string('v', 40)))));

        c.Must(Qpack, "2.2.3", "Duplicate of relative index 0 in an empty dynamic table", "connection error QPACK_ENCODER_STREAM_ERROR",
            OnEncoder(peer => Concat(SetUsableCapacity(peer), QpackInstructions.Duplicate(0))));

        c.Must(Qpack, "2.2.3", "Insert with Name Reference to dynamic index 0 in an empty table", "connection error QPACK_ENCODER_STREAM_ERROR",
            OnEncoder(peer => Concat(SetUsableCapacity(peer), QpackInstructions.InsertWithNameReference(0, isStatic: false, "v"))));

        c.Must(Qpack, "3.1", "Insert with Name Reference to static index 99 (the table ends at 98)", "connection error QPACK_ENCODER_STREAM_ERROR",
            OnEncoder(peer => Concat(SetUsableCapacity(peer), QpackInstructions.InsertWithNameReference(99, isStatic: true, "v"))));
    }

    private static void AddFieldSectionRules(CaseCatalog c)
    {
        c.Must(Qpack, "3.1", "a field line with static index 99 (the table ends at 98)", "connection error QPACK_DECOMPRESSION_FAILED",
            OnSection(_ => QpackSectionBuilder.WithPrefix(0).Indexed(99).ToArray()));

        c.Must(Qpack, "2.2.3", "a field line with a dynamic index in a section whose Required Insert Count is 0", "connection error QPACK_DECOMPRESSION_FAILED",
            OnSection(peer => Concat(QpackSectionBuilder.Plain(Request(peer.Context)), QpackSectionBuilder.WithPrefix(0).Indexed(0, isStatic: false).ToArray()[2..])));

        c.Must(Qpack, "4.5.1.1", "an Encoded Required Insert Count above 2 * MaxEntries", "connection error QPACK_DECOMPRESSION_FAILED",
            OnSection(peer => QpackSectionBuilder.WithPrefix((2 * (ServerCapacity(peer) / 32)) + 1).Indexed(17).ToArray()));

        c.Must(Qpack, "4.5.1.2", "a negative Base: Required Insert Count 1, Sign 1, Delta Base 1", "connection error QPACK_DECOMPRESSION_FAILED",
            Connected(async peer =>
            {
                var capacity = ServerCapacity(peer);
                if (capacity < 64)
                {
                    throw new Http3CaseSkippedException($"the server's SETTINGS_QPACK_MAX_TABLE_CAPACITY is {capacity}: no entry to refer to");
                }

                peer.MarkTrigger();
                await peer.OpenUniAsync(Http3StreamType.QpackEncoder, Concat(QpackInstructions.SetCapacity(64), QpackInstructions.InsertLiteral("x-a", "b")), framed: false);
                await peer.OpenRequestAsync(Headers(QpackSectionBuilder.WithPrefix(2, negativeBase: true, deltaBase: 1).Indexed(0, isStatic: false).ToArray()));
                return await peer.ExpectConnectionErrorAsync(Http3ErrorCode.QpackDecompressionFailed);
            }));

        c.Must(Qpack, "4.1.2", "a Huffman-coded value that contains EOS (32 one bits)", "connection error QPACK_DECOMPRESSION_FAILED",
            OnSection(peer => Concat(QpackSectionBuilder.Plain(Request(peer.Context)), [0x52, 0x84, 0xff, 0xff, 0xff, 0xff])));

        c.Must(Qpack, "4.1.2", "a Huffman-coded value padded with more than 7 bits", "connection error QPACK_DECOMPRESSION_FAILED",
            OnSection(peer => Concat(QpackSectionBuilder.Plain(Request(peer.Context)), [0x52, 0x82, 0x1f, 0xff])));

        c.Must(Qpack, "2.1.2", "one blocked stream more than the server's SETTINGS_QPACK_BLOCKED_STREAMS", "connection error QPACK_DECOMPRESSION_FAILED",
            Connected(async peer =>
            {
                var capacity = ServerCapacity(peer);
                var blocked = peer.ServerSetting(Http3SettingId.QpackBlockedStreams);
                if (capacity < 32)
                {
                    throw new Http3CaseSkippedException($"the server's SETTINGS_QPACK_MAX_TABLE_CAPACITY is {capacity}: no stream can block");
                }

                // Every section needs the table's first insert, which never comes: each stream blocks.
                await peer.OpenUniAsync(Http3StreamType.QpackEncoder, QpackInstructions.SetCapacity(capacity), framed: false);
                var section = Headers(QpackSectionBuilder.WithPrefix(2).Indexed(0, isStatic: false).ToArray());
                peer.MarkTrigger();
                for (var i = 0; i <= blocked; i++)
                {
                    if (!await peer.CanOpenAsync(bidirectional: true))
                    {
                        throw new Http3CaseSkippedException($"{blocked + 1} blocked streams are needed; the server's MAX_STREAMS allows {i} request streams");
                    }

                    await peer.OpenRequestAsync(section);
                }

                return await peer.ExpectConnectionErrorAsync(Http3ErrorCode.QpackDecompressionFailed);
            }));
    }

    private static void AddDecoderInstructionRules(CaseCatalog c)
    {
        c.Must(Qpack, "4.4.1", "Section Acknowledgment for stream 0, which has no section to acknowledge", "connection error QPACK_DECODER_STREAM_ERROR",
            OnDecoder(QpackInstructions.SectionAcknowledgment(0)));

        c.Must(Qpack, "4.4.3", "Insert Count Increment of 0", "connection error QPACK_DECODER_STREAM_ERROR",
            OnDecoder(QpackInstructions.InsertCountIncrement(0)));

        c.Must(Qpack, "4.4.3", "Insert Count Increment of 5 while the server has inserted nothing", "connection error QPACK_DECODER_STREAM_ERROR",
            OnDecoder(QpackInstructions.InsertCountIncrement(5)));
    }

    private static long ServerCapacity(RawHttp3Peer peer) => peer.ServerSetting(Http3SettingId.QpackMaxTableCapacity);

    /// <summary>Set Dynamic Table Capacity to what the server allows (up to 4096), so that only the instruction after it is at fault.</summary>
    private static byte[] SetUsableCapacity(RawHttp3Peer peer) =>
        ServerCapacity(peer) > 0 ? QpackInstructions.SetCapacity(Math.Min(ServerCapacity(peer), 4096)) : [];

    private static Func<CaseContext, Task<CaseVerdict>> OnEncoder(Func<RawHttp3Peer, byte[]> instructions) =>
        Connected(async peer =>
        {
            var bytes = instructions(peer);
            peer.MarkTrigger();
            await peer.OpenUniAsync(Http3StreamType.QpackEncoder, bytes, framed: false);
            return await peer.ExpectConnectionErrorAsync(Http3ErrorCode.QpackEncoderStreamError);
        });

    private static Func<CaseContext, Task<CaseVerdict>> OnDecoder(byte[] instructions) =>
        Connected(async peer =>
        {
            peer.MarkTrigger();
            await peer.OpenUniAsync(Http3StreamType.QpackDecoder, instructions, framed: false);
            return await peer.ExpectConnectionErrorAsync(Http3ErrorCode.QpackDecoderStreamError);
        });

    private static Func<CaseContext, Task<CaseVerdict>> OnSection(Func<RawHttp3Peer, byte[]> section) =>
        Connected(async peer =>
        {
            var bytes = section(peer);
            peer.MarkTrigger();
            await peer.OpenRequestAsync(Headers(bytes));
            return await peer.ExpectConnectionErrorAsync(Http3ErrorCode.QpackDecompressionFailed);
        });
}
