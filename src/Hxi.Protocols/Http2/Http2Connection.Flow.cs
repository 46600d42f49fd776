using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Messages;

namespace Hxi.Protocols.Http2;

public sealed partial class Http2Connection
{
    private long _connectionSendWindow = DefaultWindow;
    private long _connectionReceiveWindow;
    private int _connectionUnacknowledged;
    private int _roundRobinCursor;

    // Streams that may have body, END_STREAM or trailers waiting; 0 lets Transmit skip the scheduler.
    private int _queuedSends;

    /// <summary>Credit the peer has given us on the connection; for the REPL's stats.</summary>
    public long ConnectionSendWindow => _connectionSendWindow;

    public long ConnectionReceiveWindow => _connectionReceiveWindow;

    private void ApplyData(DataFrame frame)
    {
        var length = frame.FlowControlledLength;
        _connectionReceiveWindow -= length;
        if (_connectionReceiveWindow < 0)
        {
            throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, $"DATA of {length} bytes on stream {frame.StreamId} overflows the connection window");
        }

        // Connection credit is returned whatever happens to the stream, or the connection would starve.
        ReturnConnectionCredit(length);

        if (!ReceiveOnStream(frame.StreamId, Http2StreamInput.ReceiveData, "DATA") || !_streams.TryGetValue(frame.StreamId, out var stream))
        {
            return;
        }

        stream.ReceiveWindow -= length;
        if (stream.ReceiveWindow < 0)
        {
            throw new Http2StreamException(frame.StreamId, Http2ErrorCode.FlowControlError, $"DATA of {length} bytes overflows the window of stream {frame.StreamId}");
        }

        Judge(ReceivedMessage(stream).ReceiveData(frame.Data.Length, frame.EndStream));
        if (frame.EndStream)
        {
            Transition(stream, Http2StreamInput.ReceiveEndStream);
        }
        else
        {
            // Padding is never handed to the owner: its credit goes back at once.
            ReturnStreamCredit(stream, _options.StreamCreditOnConsume ? length - frame.Data.Length : length);
        }

        Emit(new DataReceived(frame.StreamId, frame.Data, frame.EndStream));
        ForgetIfClosed(stream);
    }

    /// <summary>
    /// The owner consumed <paramref name="length"/> bytes of a stream's DATA: with <see cref="Http2ConnectionOptions.StreamCreditOnConsume"/>,
    /// that is when their credit goes back (a stream the peer has finished, or that is gone, needs none).
    /// </summary>
    public void ConsumeData(int streamId, int length)
    {
        if (_options.StreamCreditOnConsume && length > 0 && _streams.TryGetValue(streamId, out var stream)
            && Http2StreamStateMachine.CanReceiveData(stream.State))
        {
            ReturnStreamCredit(stream, length);
        }
    }

    // Credit goes back once a quarter of the window is used: early enough that the peer never
    // stalls on a fast link, rarely enough that WINDOW_UPDATE frames stay a small fraction.
    private void ReturnConnectionCredit(int length)
    {
        _connectionUnacknowledged += length;
        if (_connectionUnacknowledged >= Math.Max(1, _options.ConnectionWindowSize / 4))
        {
            _connectionReceiveWindow += _connectionUnacknowledged;
            WriteFrame(new WindowUpdateFrame(0, _connectionUnacknowledged));
            _connectionUnacknowledged = 0;
        }
    }

    private void ReturnStreamCredit(Http2Stream stream, int length)
    {
        stream.UnacknowledgedBytes += length;
        if (stream.UnacknowledgedBytes >= Math.Max(1, LocalSettings.InitialWindowSize / 4))
        {
            stream.ReceiveWindow += stream.UnacknowledgedBytes;
            WriteFrame(new WindowUpdateFrame(stream.Id, stream.UnacknowledgedBytes));
            stream.UnacknowledgedBytes = 0;
        }
    }

    private void ApplyWindowUpdate(WindowUpdateFrame frame)
    {
        if (frame.StreamId == 0)
        {
            _connectionSendWindow += frame.Increment;
            if (_connectionSendWindow > MaxWindow)
            {
                throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, $"WINDOW_UPDATE of {frame.Increment} takes the connection window past 2^31-1");
            }

            return;
        }

        if (ReceiveOnStream(frame.StreamId, Http2StreamInput.ReceiveWindowUpdate, "WINDOW_UPDATE") && _streams.TryGetValue(frame.StreamId, out var stream))
        {
            stream.SendWindow += frame.Increment;
            if (stream.SendWindow > MaxWindow)
            {
                throw new Http2StreamException(frame.StreamId, Http2ErrorCode.FlowControlError, $"WINDOW_UPDATE of {frame.Increment} takes the window of stream {frame.StreamId} past 2^31-1");
            }
        }
    }

    /// <summary>A new SETTINGS_INITIAL_WINDOW_SIZE shifts every open stream's window by the difference (Section 6.9.2).</summary>
    private void AdjustStreamSendWindows(int delta)
    {
        foreach (var stream in _streams.Values)
        {
            stream.SendWindow += delta;
            if (stream.SendWindow > MaxWindow)
            {
                throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, $"SETTINGS_INITIAL_WINDOW_SIZE change takes the window of stream {stream.Id} past 2^31-1");
            }
        }
    }

    private bool CanFlush(Http2Stream stream) =>
        stream.SendQueue.Count == 0 || (stream.SendWindow > 0 && _connectionSendWindow > 0);

    /// <summary>Sends queued body data, round-robin over streams, as far as both windows allow.</summary>
    private void FlushStreams()
    {
        if (_queuedSends == 0)
        {
            return;
        }

        var progress = true;
        while (progress)
        {
            progress = false;
            var ready = _streams.Values.Where(s => s.HasPendingSend).OrderBy(s => s.Id).ToList();
            _queuedSends = ready.Count;
            if (ready.Count == 0)
            {
                return;
            }

            for (var i = 0; i < ready.Count; i++)
            {
                var stream = ready[(i + _roundRobinCursor) % ready.Count];
                progress |= FlushOneFrame(stream);
            }

            _roundRobinCursor++;
        }
    }

    private bool FlushOneFrame(Http2Stream stream)
    {
        if (stream.SendQueue.Count > 0)
        {
            var allowed = (int)Math.Min(Math.Min(stream.SendWindow, _connectionSendWindow), PeerSettings.MaxFrameSize);
            if (allowed <= 0)
            {
                return false;
            }

            var chunk = stream.SendQueue.Peek()[stream.HeadOffset..];
            var take = Math.Min(allowed, chunk.Length);
            if (take == chunk.Length)
            {
                stream.SendQueue.Dequeue();
                stream.HeadOffset = 0;
            }
            else
            {
                stream.HeadOffset += take;
            }

            stream.QueuedBytes -= take;
            stream.SendWindow -= take;
            _connectionSendWindow -= take;
            var last = stream.SendQueue.Count == 0 && stream.EndStreamQueued && stream.QueuedTrailers is null;
            WriteFrame(new DataFrame(stream.Id, chunk[..take], last));
            if (last)
            {
                stream.EndStreamQueued = false;
                stream.State = Http2StreamStateMachine.Send(stream.State, Http2StreamInput.SendEndStream);
                ForgetIfClosed(stream);
            }

            return true;
        }

        if (stream.QueuedTrailers is { } trailers)
        {
            stream.QueuedTrailers = null;
            stream.EndStreamQueued = false;
            WriteHeaderBlock(stream, trailers, endStream: true, new Http2HeadersOptions());
            ForgetIfClosed(stream);
            return true;
        }

        if (stream.EndStreamQueued)
        {
            stream.EndStreamQueued = false;
            WriteFrame(new DataFrame(stream.Id, ReadOnlyMemory<byte>.Empty, true));
            stream.State = Http2StreamStateMachine.Send(stream.State, Http2StreamInput.SendEndStream);
            ForgetIfClosed(stream);
            return true;
        }

        return false;
    }
}
