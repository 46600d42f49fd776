using Hxi.Protocols.Http3;
using static Hxi.Net.Conformance.Http3.Http3CaseKit;

namespace Hxi.Net.Conformance.Http3;

public static partial class Http3Cases
{
    /// <summary>Section 6.2: unidirectional streams, the control stream, push streams from a client, unknown stream types.</summary>
    private static void AddStreamCases(CaseCatalog c)
    {
        c.Must(Rfc, "6.2.1", "a control stream whose first frame is MAX_PUSH_ID, not SETTINGS", "connection error H3_MISSING_SETTINGS",
            Raw(async peer =>
            {
                peer.MarkTrigger();
                await peer.OpenUniAsync(Http3StreamType.Control, IdFrame(Http3FrameType.MaxPushId, 0));
                return await peer.ExpectConnectionErrorAsync(Http3ErrorCode.MissingSettings);
            }));

        // Section 9: an unknown type does not satisfy "SETTINGS first" and SHOULD be treated as an error.
        c.Should(Rfc, "6.2.1", "a control stream whose first frame is a reserved (GREASE) frame, then SETTINGS", "connection error H3_MISSING_SETTINGS",
            Raw(async peer =>
            {
                peer.MarkTrigger();
                await peer.OpenUniAsync(Http3StreamType.Control, Concat(Frame(Grease(2), Bytes(3)), Settings()));
                return await peer.ExpectConnectionErrorAsync(Http3ErrorCode.MissingSettings);
            }));

        c.Must(Rfc, "6.2.1", "a second control stream", "connection error H3_STREAM_CREATION_ERROR",
            Connected(async peer =>
            {
                peer.MarkTrigger();
                await peer.OpenUniAsync(Http3StreamType.Control, Settings());
                return await peer.ExpectConnectionErrorAsync(Http3ErrorCode.StreamCreationError);
            }));

        c.Must(Rfc, "6.2.1", "the control stream ended (FIN) after SETTINGS", "connection error H3_CLOSED_CRITICAL_STREAM",
            Connected(async peer =>
            {
                peer.MarkTrigger();
                await peer.SendAsync(peer.ControlStreamId, [], fin: true);
                return await peer.ExpectConnectionErrorAsync(Http3ErrorCode.ClosedCriticalStream);
            }));

        c.Must(Rfc, "6.2.1", "the control stream reset (RESET_STREAM) after SETTINGS", "connection error H3_CLOSED_CRITICAL_STREAM",
            Connected(async peer =>
            {
                peer.MarkTrigger();
                await peer.ResetAsync(peer.ControlStreamId, (ulong)Http3ErrorCode.NoError);
                return await peer.ExpectConnectionErrorAsync(Http3ErrorCode.ClosedCriticalStream);
            }));

        c.Must(Rfc, "6.2.2", "a push stream (type 0x01) opened by the client", "connection error H3_STREAM_CREATION_ERROR",
            Connected(async peer =>
            {
                peer.MarkTrigger();
                await peer.OpenUniAsync(Http3StreamType.Push, RawHttp3Peer.Varint(0));
                return await peer.ExpectConnectionErrorAsync(Http3ErrorCode.StreamCreationError);
            }));

        c.Must(Rfc, "6.2", "a unidirectional stream of unknown type 0x54 with 8 bytes", "ignored: the stream is discarded, a following request is answered",
            Connected(async peer =>
            {
                peer.MarkTrigger();
                await peer.OpenUniAsync(0x54, Bytes(8, 0x55), framed: false);
                return await peer.ExpectIgnoredAsync("the unknown stream type to be ignored");
            }));

        c.Must(Rfc, "6.2.3", "a reserved (GREASE) unidirectional stream type with 8 bytes and FIN", "ignored: a following request is answered",
            Connected(async peer =>
            {
                peer.MarkTrigger();
                await peer.OpenUniAsync(Grease(5), Bytes(8, 0x47), fin: true, framed: false);
                return await peer.ExpectIgnoredAsync("the reserved stream type to have no meaning");
            }));

        c.Must(Rfc, "6.2", "a unidirectional stream ended (FIN) before its stream type", "tolerated: a following request is answered",
            Connected(async peer =>
            {
                peer.MarkTrigger();
                await peer.OpenEmptyUniAsync(reset: false);
                return await peer.ExpectIgnoredAsync("a stream closed before its header to be tolerated");
            }));

        c.Must(Rfc, "6.2", "a unidirectional stream reset before its stream type", "tolerated: a following request is answered",
            Connected(async peer =>
            {
                peer.MarkTrigger();
                await peer.OpenEmptyUniAsync(reset: true);
                return await peer.ExpectIgnoredAsync("a stream reset before its header to be tolerated");
            }));
    }
}
