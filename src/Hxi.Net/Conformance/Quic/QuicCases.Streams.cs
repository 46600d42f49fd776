using Hxi.Protocols.Quic;
using static Hxi.Net.Conformance.Quic.QuicCaseKit;

namespace Hxi.Net.Conformance.Quic;

public static partial class QuicCases
{
    // Stream IDs by their two low bits (RFC 9000 Section 2.1): 0 client bidi, 1 server bidi, 2 client uni, 3 server uni.
    private const ulong ServerBidi = 1;
    private const ulong ClientUni = 2;
    private const ulong ServerUni = 3;

    private static void AddStreamCases(CaseCatalog c)
    {
        c.Must(Transport, "4.1", "STREAM on stream 0 one byte past initial_max_stream_data_bidi_remote", "connection error FLOW_CONTROL_ERROR",
            OneRtt(p => (RawQuicFrames.Start().Stream(0, p.InitialMaxStreamDataBidiRemote, [0]).ToArray(), null), QuicTransportErrorCode.FlowControlError));
        c.Must(Transport, "4.1", "STREAM frames on several streams whose highest offsets add up past initial_max_data", "connection error FLOW_CONTROL_ERROR",
            OneRtt(p =>
            {
                var perStream = p.InitialMaxStreamDataBidiRemote;
                if (perStream == 0 || p.InitialMaxData / perStream + 1 > Math.Min(p.InitialMaxStreamsBidi, 40))
                {
                    return (null, "initial_max_data cannot be exceeded within the stream limits in one packet");
                }

                var frames = RawQuicFrames.Start();
                for (ulong i = 0; i <= p.InitialMaxData / perStream; i++)
                {
                    frames.Stream(i * 4, perStream - 1, [0]);
                }

                return (frames.ToArray(), null);
            }, QuicTransportErrorCode.FlowControlError));
        c.Must(Transport, "4.5", "RESET_STREAM on stream 0 with a final size past initial_max_stream_data_bidi_remote", "connection error FLOW_CONTROL_ERROR",
            OneRtt(p => (RawQuicFrames.Start().Varint(0x04).Varint(0).Varint(0).Varint(p.InitialMaxStreamDataBidiRemote + 1000).ToArray(), null),
                QuicTransportErrorCode.FlowControlError, QuicTransportErrorCode.FinalSizeError));
        c.Should(Transport, "4.5", "STREAM with FIN at offset 10, then a byte at offset 12 of the same stream", "connection error FINAL_SIZE_ERROR",
            OneRtt(RawQuicFrames.Start().Stream(0, 10, [], fin: true).Stream(0, 12, [0]).ToArray(), QuicTransportErrorCode.FinalSizeError));
        c.Should(Transport, "4.5", "STREAM with FIN at offset 10, then STREAM with FIN at offset 20 (a changed final size)", "connection error FINAL_SIZE_ERROR",
            OneRtt(RawQuicFrames.Start().Stream(0, 10, [], fin: true).Stream(0, 20, [], fin: true).ToArray(), QuicTransportErrorCode.FinalSizeError));
        c.Must(Transport, "4.6", "STREAM on the first client bidirectional stream past initial_max_streams_bidi", "connection error STREAM_LIMIT_ERROR",
            OneRtt(p => (RawQuicFrames.Start().Stream(p.InitialMaxStreamsBidi * 4, 0, []).ToArray(), null), QuicTransportErrorCode.StreamLimitError));
        c.Must(Transport, "4.6", "STREAM on the first client unidirectional stream past initial_max_streams_uni", "connection error STREAM_LIMIT_ERROR",
            OneRtt(p => (RawQuicFrames.Start().Stream(p.InitialMaxStreamsUni * 4 + ClientUni, 0, []).ToArray(), null), QuicTransportErrorCode.StreamLimitError));
        c.Must(Transport, "19.4", "RESET_STREAM on stream 3 (server unidirectional: send-only for the server)", "connection error STREAM_STATE_ERROR",
            OneRtt(RawQuicFrames.Start().Varint(0x04).Varint(ServerUni).Varint(0).Varint(0).ToArray(), QuicTransportErrorCode.StreamStateError));
        c.Must(Transport, "19.5", "STOP_SENDING on stream 2 (client unidirectional: receive-only for the server)", "connection error STREAM_STATE_ERROR",
            OneRtt(RawQuicFrames.Start().Varint(0x05).Varint(ClientUni).Varint(0).ToArray(), QuicTransportErrorCode.StreamStateError));
        c.Must(Transport, "19.5", "STOP_SENDING on stream 1 (server bidirectional, never opened)", "connection error STREAM_STATE_ERROR",
            OneRtt(RawQuicFrames.Start().Varint(0x05).Varint(ServerBidi).Varint(0).ToArray(), QuicTransportErrorCode.StreamStateError));
        c.Must(Transport, "19.8", "STREAM on stream 3 (server unidirectional: send-only for the server)", "connection error STREAM_STATE_ERROR",
            OneRtt(RawQuicFrames.Start().Stream(ServerUni, 0, [0]).ToArray(), QuicTransportErrorCode.StreamStateError));
        c.Must(Transport, "19.8", "STREAM on stream 1 (server bidirectional, never opened)", "connection error STREAM_STATE_ERROR",
            OneRtt(RawQuicFrames.Start().Stream(ServerBidi, 0, [0]).ToArray(), QuicTransportErrorCode.StreamStateError));
        c.Must(Transport, "19.8", "STREAM on stream 0 whose offset plus length is 2^62", "connection error FRAME_ENCODING_ERROR or FLOW_CONTROL_ERROR",
            OneRtt(RawQuicFrames.Start().Stream(0, (1UL << 62) - 1, [0]).ToArray(), QuicTransportErrorCode.FrameEncodingError, QuicTransportErrorCode.FlowControlError));
        c.Must(Transport, "19.10", "MAX_STREAM_DATA on stream 2 (client unidirectional: receive-only for the server)", "connection error STREAM_STATE_ERROR",
            OneRtt(RawQuicFrames.Start().Varint(0x11).Varint(ClientUni).Varint(1000).ToArray(), QuicTransportErrorCode.StreamStateError));
        c.Must(Transport, "19.10", "MAX_STREAM_DATA on stream 1 (server bidirectional, never opened)", "connection error STREAM_STATE_ERROR",
            OneRtt(RawQuicFrames.Start().Varint(0x11).Varint(ServerBidi).Varint(1000).ToArray(), QuicTransportErrorCode.StreamStateError));
        c.Must(Transport, "19.11", "MAX_STREAMS (bidirectional) of 2^60 + 1", "connection error FRAME_ENCODING_ERROR",
            OneRtt(RawQuicFrames.Start().Varint(0x12).Varint((1UL << 60) + 1).ToArray(), QuicTransportErrorCode.FrameEncodingError));
        c.Must(Transport, "19.13", "STREAM_DATA_BLOCKED on stream 3 (server unidirectional: send-only for the server)", "connection error STREAM_STATE_ERROR",
            OneRtt(RawQuicFrames.Start().Varint(0x15).Varint(ServerUni).Varint(0).ToArray(), QuicTransportErrorCode.StreamStateError));
        c.Must(Transport, "19.14", "STREAMS_BLOCKED (unidirectional) of 2^60 + 1", "connection error FRAME_ENCODING_ERROR or STREAM_LIMIT_ERROR",
            OneRtt(RawQuicFrames.Start().Varint(0x17).Varint((1UL << 60) + 1).ToArray(), QuicTransportErrorCode.FrameEncodingError, QuicTransportErrorCode.StreamLimitError));
    }
}
