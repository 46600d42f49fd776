using System.Buffers;
using Hxi.Protocols.Http3.Qpack;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Http3;

public sealed partial class Http3Connection
{
    private void ReceiveEncoderStream(Http3ReceiveStream stream, ReadOnlySpan<byte> data, bool fin)
    {
        var trace = _tracing ? new List<QpackInstructionTrace>() : null;
        try
        {
            _decoder.ReceiveEncoderStream(data, trace);
        }
        finally
        {
            TraceInstructions(WireDirection.Received, trace);
        }

        if (fin)
        {
            throw new Http3ConnectionException(Http3ErrorCode.ClosedCriticalStream, $"the peer closed its QPACK encoder stream {stream.Id}");
        }

        ResumeUnblockedStreams();
    }

    private void ReceiveDecoderStream(Http3ReceiveStream stream, ReadOnlySpan<byte> data, bool fin)
    {
        var trace = _tracing ? new List<QpackInstructionTrace>() : null;
        try
        {
            _encoder.ReceiveDecoderStream(data, trace);
        }
        finally
        {
            TraceInstructions(WireDirection.Received, trace);
        }

        if (fin)
        {
            throw new Http3ConnectionException(Http3ErrorCode.ClosedCriticalStream, $"the peer closed its QPACK decoder stream {stream.Id}");
        }
    }

    /// <summary>Sections released by new inserts: apply them, then replay the bytes their streams held back.</summary>
    private void ResumeUnblockedStreams()
    {
        while (_decoder.TryPollUnblocked(out var section))
        {
            if (!_streams.TryGetValue(section.StreamId, out var stream))
            {
                continue;
            }

            try
            {
                stream.Blocked = false;
                ApplyFieldSection(stream, section, stream.BlockedPushPromiseId, SectionBytes(section.Trace));
                var pending = stream.Pending;
                bool fin = stream.PendingFin;
                stream.Pending = null;
                stream.PendingFin = false;
                ReadMessageStream(stream, pending is null ? default : pending.WrittenSpan, fin);
            }
            catch (Http3StreamException e)
            {
                FailStream(e.StreamId, e.Code, e.Reason);
            }
        }
    }

    // The decoder kept the blocked section's bytes only inside its trace; the tap wants them whole.
    private static byte[] SectionBytes(QpackSectionTrace? trace) =>
        trace is null ? [] : [.. trace.Prefix.Span, .. trace.Lines.SelectMany(line => line.Encoded.ToArray())];

    private void FlushEncoderStream()
    {
        if (!_encoder.HasEncoderStreamOutput || EncoderStreamId < 0)
        {
            return;
        }

        var output = new ArrayBufferWriter<byte>();
        var trace = _tracing ? new List<QpackInstructionTrace>() : null;
        _encoder.TransmitEncoderStream(output, trace);
        TraceInstructions(WireDirection.Sent, trace);
        Write(EncoderStreamId, output.WrittenSpan, fin: false);
    }

    private void FlushDecoderStream()
    {
        if (!_decoder.HasDecoderStreamOutput || DecoderStreamId < 0)
        {
            return;
        }

        var output = new ArrayBufferWriter<byte>();
        var trace = _tracing ? new List<QpackInstructionTrace>() : null;
        _decoder.TransmitDecoderStream(output, trace);
        TraceInstructions(WireDirection.Sent, trace);
        Write(DecoderStreamId, output.WrittenSpan, fin: false);
    }

    private void TraceInstructions(WireDirection direction, List<QpackInstructionTrace>? trace)
    {
        if (trace is null)
        {
            return;
        }

        foreach (var instruction in trace)
        {
            _tap.Record(new WireRecord(direction, WireLayer.Qpack, instruction.Encoded, instruction));
        }
    }
}
