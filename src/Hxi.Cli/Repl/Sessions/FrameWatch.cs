using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Http3;
using Hxi.Protocols.Trace;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>
/// Remembers the frames received so scripts can wait for them: <c>wait frame SETTINGS</c> waits for one
/// that arrived after the last command, <c>wait stream 3 end</c> for END_STREAM or RST_STREAM on stream 3.
/// </summary>
public sealed class FrameWatch : IWireTap
{
    private readonly Lock _gate = new();
    private readonly List<(long Sequence, long Type)> _received = [];
    private readonly HashSet<int> _endedStreams = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sequence;
    private long _mark;

    public void Record(in WireRecord record)
    {
        if (record is { Layer: WireLayer.Http3, Direction: WireDirection.Received, Decoded: Http3FrameTrace http3 })
        {
            Received(http3.Frame.Type);
            return;
        }

        if (record.Layer != WireLayer.Http2 || record.Decoded is not Http2Frame frame)
        {
            return;
        }

        TaskCompletionSource changed;
        lock (_gate)
        {
            if (record.Direction == WireDirection.Received)
            {
                _received.Add((++_sequence, frame.TypeCode));
            }

            if (frame is RstStreamFrame || (record.Direction == WireDirection.Received && frame is DataFrame { EndStream: true } or HeadersFrame { EndStream: true }))
            {
                _endedStreams.Add(frame.StreamId);
            }

            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>An HTTP/3 stream ended (FIN or reset): its end is a QUIC fact, not a frame, so the session reports it.</summary>
    public void StreamEnded(long streamId)
    {
        lock (_gate)
        {
            _endedStreams.Add((int)Math.Min(streamId, int.MaxValue));
        }

        Changed();
    }

    private void Received(long type)
    {
        lock (_gate)
        {
            _received.Add((++_sequence, type));
        }

        Changed();
    }

    private void Changed()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>A new command starts: later <c>wait frame</c>s look only at frames from here on.</summary>
    public void MarkCommand()
    {
        lock (_gate)
        {
            _mark = _sequence;
        }
    }

    /// <summary>True once a frame of the type arrived after the mark; the mark moves past it so the next wait needs a new one.</summary>
    public Task<bool> WaitForFrameAsync(long type, TimeSpan timeout, CancellationToken ct) =>
        WaitAsync(() =>
        {
            foreach (var (sequence, received) in _received)
            {
                if (sequence > _mark && received == type)
                {
                    _mark = sequence;
                    return true;
                }
            }

            return false;
        }, timeout, ct);

    /// <summary>Any frame of the type so far, mark or not: how a new connection waits for the server's first SETTINGS.</summary>
    public Task<bool> WaitForAnyAsync(long type, long after, TimeSpan timeout, CancellationToken ct) =>
        WaitAsync(() => _received.Any(r => r.Sequence > after && r.Type == type), timeout, ct);

    public long Sequence
    {
        get
        {
            lock (_gate)
            {
                return _sequence;
            }
        }
    }

    /// <summary>True once stream <paramref name="streamId"/> has ended (END_STREAM, a reset, or QUIC's FIN).</summary>
    public bool HasEnded(long streamId)
    {
        lock (_gate)
        {
            return _endedStreams.Contains((int)Math.Min(streamId, int.MaxValue));
        }
    }

    public Task<bool> WaitForStreamEndAsync(int streamId, TimeSpan timeout, CancellationToken ct) =>
        WaitAsync(() => _endedStreams.Contains(streamId), timeout, ct);

    private async Task<bool> WaitAsync(Func<bool> done, TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (done())
                {
                    return true;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return false;
            }
        }
    }
}
