using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Hxi.Server.Http2;

/// <summary>
/// A Kestrel connection middleware in front of its HTTP/2 that enforces two connection rules Kestrel does not
/// (as of .NET 10): the client preface must be followed by SETTINGS (RFC 9113 Section 3.4), and an HPACK index 0 is
/// a COMPRESSION_ERROR (RFC 7541 Section 6.1; Kestrel sends INTERNAL_ERROR). It also drops the RFC 7540 error for a
/// stream that depends on itself, which RFC 9113 (Section 5.3.2) no longer has. It passes what the client sends through
/// frame by frame, and replaces an offending frame with one that Kestrel answers with the connection error the RFC
/// requires, so Kestrel still writes the GOAWAY and closes: the middleware never writes to the client itself.
/// </summary>
/// <remarks>
/// A field block (HEADERS and its CONTINUATIONs) is held until END_HEADERS, so that it can be replaced before Kestrel
/// decodes any of it. A connection that does not start with the HTTP/2 preface (HTTP/1.1 on the TLS port) passes
/// through untouched, and so does everything after a frame larger than Kestrel's SETTINGS_MAX_FRAME_SIZE (Kestrel
/// ends the connection over it).
/// </remarks>
internal sealed class Http2InboundGuard(int maxFrameSize)
{
    private const int FrameHeaderSize = 9;
    private const byte DataType = 0x0, HeadersType = 0x1, PriorityType = 0x2, SettingsType = 0x4, ContinuationType = 0x9;
    private const byte EndStreamFlag = 0x1, AckFlag = 0x1, EndHeadersFlag = 0x4, PaddedFlag = 0x8, PriorityFlag = 0x20;

    // A field block held longer than this goes through as it is: Kestrel's own header limits end such a request.
    private const int MaxHeldBytes = 256 * 1024;

    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    // DATA on stream 0: Kestrel answers it with a connection error PROTOCOL_ERROR (RFC 9113 Section 6.1).
    private static readonly byte[] ProtocolErrorFrame = [0, 0, 0, DataType, 0, 0, 0, 0, 0];

    // Indexed field 16,383: past any dynamic table, which Kestrel answers with a connection error COMPRESSION_ERROR.
    private static readonly byte[] CompressionErrorBlock = [0xff, 0x80, 0x7f];

    private readonly List<byte[]> _held = [];
    private readonly ArrayBufferWriter<byte> _heldBlock = new();
    private Phase _phase = Phase.Preface;

    private enum Phase
    {
        Preface,
        FirstFrame,
        Frames,
        PassThrough,
    }

    /// <summary>Adds the guard to a listener; after UseHttps, so that it sees the decrypted bytes.</summary>
    public static void Use(ListenOptions listen, int maxFrameSize) =>
        listen.Use(next => connection => new Http2InboundGuard(maxFrameSize).RunAsync(connection, next));

    private async Task RunAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var transport = connection.Transport;
        var filtered = new Pipe(new PipeOptions(useSynchronizationContext: false));
        connection.Transport = new GuardedTransport(filtered.Reader, transport.Output);
        var pump = PumpAsync(transport.Input, filtered.Writer);
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            // Kestrel is done with the connection: stop the pump whether it waits to read or to flush.
            transport.Input.CancelPendingRead();
            await filtered.Reader.CompleteAsync().ConfigureAwait(false);
            await pump.ConfigureAwait(false);
            connection.Transport = transport;
        }
    }

    private async Task PumpAsync(PipeReader input, PipeWriter output)
    {
        try
        {
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                if (result.IsCanceled)
                {
                    break;
                }

                var consumed = Process(result.Buffer, output, result.IsCompleted);
                input.AdvanceTo(consumed, result.Buffer.End);
                var flushed = await output.FlushAsync().ConfigureAwait(false);
                if (result.IsCompleted || flushed.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The client's side went away (reset, abort) or Kestrel is done with the connection: it sees the same end.
            await output.CompleteAsync(ex).ConfigureAwait(false);
            return;
        }

        await output.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Forwards every complete frame (or the preface) in <paramref name="buffer"/>; returns where the unread rest starts.</summary>
    private SequencePosition Process(ReadOnlySequence<byte> buffer, PipeWriter output, bool completed)
    {
        var rest = buffer;
        Span<byte> header = stackalloc byte[FrameHeaderSize];
        while (true)
        {
            if (_phase == Phase.PassThrough)
            {
                Write(output, rest);
                return rest.End;
            }

            if (_phase == Phase.Preface)
            {
                // Only a connection that opens with the HTTP/2 preface is inspected; HTTP/1.1 passes through.
                var seen = rest.Slice(0, Math.Min(rest.Length, Preface.Length)).ToArray();
                if (!Preface.AsSpan().StartsWith(seen) || (seen.Length < Preface.Length && completed))
                {
                    _phase = Phase.PassThrough;
                    continue;
                }

                if (seen.Length < Preface.Length)
                {
                    return rest.Start;
                }

                output.Write(Preface);
                rest = rest.Slice(Preface.Length);
                _phase = Phase.FirstFrame;
                continue;
            }

            if (rest.Length < FrameHeaderSize)
            {
                return completed ? PassRest(output, rest) : rest.Start;
            }

            rest.Slice(0, FrameHeaderSize).CopyTo(header);
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            if (length > maxFrameSize)
            {
                FlushHeld(output);
                _phase = Phase.PassThrough;
                continue;
            }

            if (rest.Length < FrameHeaderSize + length)
            {
                return completed ? PassRest(output, rest) : rest.Start;
            }

            var frame = rest.Slice(0, FrameHeaderSize + length).ToArray();
            rest = rest.Slice(FrameHeaderSize + length);
            Handle(frame, output);
        }
    }

    private SequencePosition PassRest(PipeWriter output, ReadOnlySequence<byte> rest)
    {
        FlushHeld(output);
        Write(output, rest);
        _phase = Phase.PassThrough;
        return rest.End;
    }

    private void Handle(byte[] frame, PipeWriter output)
    {
        var (type, flags) = (frame[3], frame[4]);
        var streamId = ((frame[5] & 0x7f) << 24) | (frame[6] << 16) | (frame[7] << 8) | frame[8];
        if (_phase == Phase.FirstFrame)
        {
            _phase = Phase.Frames;
            if (type != SettingsType || (flags & AckFlag) != 0)
            {
                // RFC 9113 Section 3.4: the preface's SETTINGS frame is missing.
                output.Write(ProtocolErrorFrame);
                _phase = Phase.PassThrough;
                return;
            }
        }

        DropSelfDependency(frame, type, flags, streamId);
        if (_held.Count > 0)
        {
            if (type == ContinuationType && streamId == HeldStreamId)
            {
                Hold(frame, frame.AsSpan(FrameHeaderSize), output);
                return;
            }

            // Anything else breaks the field block (Section 4.3): Kestrel sees it as sent and ends the connection.
            FlushHeld(output);
        }

        if (type == HeadersType && BlockFragment(frame) is { } fragment)
        {
            Hold(frame, fragment.Span, output);
            return;
        }

        output.Write(frame);
    }

    /// <summary>
    /// RFC 9113 deprecates the RFC 7540 priority scheme and dropped its rule that a stream depending on itself is a
    /// PROTOCOL_ERROR; Kestrel still applies it. A self-dependency becomes a dependency on stream 0, which Kestrel
    /// ignores like every other priority signal.
    /// </summary>
    private static void DropSelfDependency(byte[] frame, byte type, byte flags, int streamId)
    {
        var at = type switch
        {
            PriorityType when frame.Length == FrameHeaderSize + 5 => FrameHeaderSize,
            HeadersType when (flags & PriorityFlag) != 0 => FrameHeaderSize + ((flags & PaddedFlag) != 0 ? 1 : 0),
            _ => -1,
        };
        if (at < 0 || frame.Length < at + 5)
        {
            return;
        }

        var dependency = ((frame[at] & 0x7f) << 24) | (frame[at + 1] << 16) | (frame[at + 2] << 8) | frame[at + 3];
        if (dependency == streamId && streamId != 0)
        {
            frame[at] &= 0x80;
            frame[at + 1] = frame[at + 2] = frame[at + 3] = 0;
        }
    }

    private int HeldStreamId => ((_held[0][5] & 0x7f) << 24) | (_held[0][6] << 16) | (_held[0][7] << 8) | _held[0][8];

    private void Hold(byte[] frame, ReadOnlySpan<byte> fragment, PipeWriter output)
    {
        _held.Add(frame);
        _heldBlock.Write(fragment);
        if ((frame[4] & EndHeadersFlag) != 0)
        {
            Release(output);
        }
        else if (_heldBlock.WrittenCount > MaxHeldBytes)
        {
            FlushHeld(output);
            _phase = Phase.PassThrough;
        }
    }

    /// <summary>The field block is complete: forwarded as it came, or replaced when it holds index 0.</summary>
    private void Release(PipeWriter output)
    {
        if (!HpackBlockScan.HasIndexZero(_heldBlock.WrittenSpan))
        {
            FlushHeld(output);
            return;
        }

        var first = _held[0];
        byte[] replacement = [0, 0, (byte)CompressionErrorBlock.Length, HeadersType, (byte)(EndHeadersFlag | (first[4] & EndStreamFlag)), first[5], first[6], first[7], first[8], .. CompressionErrorBlock];
        output.Write(replacement);
        _held.Clear();
        _heldBlock.ResetWrittenCount();
        _phase = Phase.PassThrough;
    }

    private void FlushHeld(PipeWriter output)
    {
        foreach (var frame in _held)
        {
            output.Write(frame);
        }

        _held.Clear();
        _heldBlock.ResetWrittenCount();
    }

    /// <summary>The field block fragment of a HEADERS frame, without padding and priority fields; null when they do not fit (Kestrel reports that).</summary>
    private static ReadOnlyMemory<byte>? BlockFragment(byte[] frame)
    {
        var flags = frame[4];
        var payload = frame.AsMemory(FrameHeaderSize);
        var start = 0;
        var padding = 0;
        if ((flags & PaddedFlag) != 0)
        {
            if (payload.Length < 1)
            {
                return null;
            }

            padding = payload.Span[0];
            start = 1;
        }

        if ((flags & PriorityFlag) != 0)
        {
            start += 5;
        }

        return start + padding > payload.Length ? null : payload[start..(payload.Length - padding)];
    }

    private static void Write(PipeWriter output, ReadOnlySequence<byte> bytes)
    {
        foreach (var segment in bytes)
        {
            output.Write(segment.Span);
        }
    }

    private sealed class GuardedTransport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
