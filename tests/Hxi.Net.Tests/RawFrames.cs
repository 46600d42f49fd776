using System.Buffers.Binary;

namespace Hxi.Net.Tests;

/// <summary>One frame as it crossed the wire, read by the test's own code rather than the code under test.</summary>
public sealed record WireFrame(byte Type, byte Flags, int StreamId, byte[] Payload)
{
    public const byte Data = 0x0, Headers = 0x1, RstStream = 0x3, Settings = 0x4, GoAway = 0x7, WindowUpdate = 0x8, Continuation = 0x9;

    public const byte EndStream = 0x1, Ack = 0x1, EndHeaders = 0x4, Padded = 0x8;

    /// <summary>The error code of a GOAWAY (bytes 4..8) or RST_STREAM (bytes 0..4).</summary>
    public uint ErrorCode => Type switch
    {
        GoAway => BinaryPrimitives.ReadUInt32BigEndian(Payload.AsSpan(4)),
        RstStream => BinaryPrimitives.ReadUInt32BigEndian(Payload),
        _ => throw new InvalidOperationException($"frame type {Type} carries no error code"),
    };

    public override string ToString() => $"type={Type} flags=0x{Flags:x2} stream={StreamId} length={Payload.Length}";
}

/// <summary>Reads and writes raw HTTP/2 frames on a stream, with no validation: the server side of hostile tests.</summary>
public sealed class RawFrameStream(Stream stream)
{
    public static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    public bool IsClosed { get; private set; }

    /// <summary>Hangs up: the connection ends with no GOAWAY.</summary>
    public void Close()
    {
        IsClosed = true;
        stream.Dispose();
    }

    public async Task ReadPrefaceAsync(CancellationToken ct)
    {
        var preface = new byte[Preface.Length];
        await stream.ReadExactlyAsync(preface, ct);
        Assert.Equal(Preface, preface);
    }

    /// <summary>The next frame, or null at end of stream.</summary>
    public async Task<WireFrame?> ReadFrameAsync(CancellationToken ct)
    {
        var header = new byte[9];
        try
        {
            await stream.ReadExactlyAsync(header, ct);
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            var payload = new byte[length];
            await stream.ReadExactlyAsync(payload, ct);
            return new WireFrame(header[3], header[4], (int)(BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5)) & 0x7FFF_FFFF), payload);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException)
        {
            return null;
        }
    }

    public Task WriteFrameAsync(byte type, byte flags, int streamId, ReadOnlySpan<byte> payload, CancellationToken ct) =>
        WriteAsync(Frame(type, flags, streamId, payload), ct);

    public async Task WriteAsync(byte[] bytes, CancellationToken ct)
    {
        await stream.WriteAsync(bytes, ct);
        await stream.FlushAsync(ct);
    }

    /// <summary>A frame header with any length (even one that does not match the payload) followed by the payload.</summary>
    public static byte[] Frame(byte type, byte flags, int streamId, ReadOnlySpan<byte> payload, int? declaredLength = null)
    {
        var length = declaredLength ?? payload.Length;
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(length >> 16);
        frame[1] = (byte)(length >> 8);
        frame[2] = (byte)length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(5), (uint)streamId);
        payload.CopyTo(frame.AsSpan(9));
        return frame;
    }
}
