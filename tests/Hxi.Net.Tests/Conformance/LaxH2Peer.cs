using System.Buffers.Binary;

namespace Hxi.Net.Tests.Conformance;

/// <summary>
/// A nonconforming server that is too lenient: it opens with WINDOW_UPDATE before SETTINGS, acknowledges only the
/// first SETTINGS, answers every PING (ACKs included), ignores flow control, and answers every complete field block
/// with 200 and a body, whatever it holds, on whatever stream. Cases that check what a server must reject fail against it.
/// </summary>
internal static class LaxH2Peer
{
    private static readonly byte[] Body = new byte[64];

    public static async Task RunAsync(Stream stream, CancellationToken ct)
    {
        var preface = new byte[24];
        await stream.ReadExactlyAsync(preface, ct);
        await WriteFrameAsync(stream, 0x8, 0, 0, [0, 0, 0, 1], ct);
        // It announces SETTINGS_MAX_CONCURRENT_STREAMS = 10, and does not hold to it.
        await WriteFrameAsync(stream, 0x4, 0, 0, [0, 3, 0, 0, 0, 10], ct);
        var settingsSeen = false;
        var header = new byte[9];
        while (true)
        {
            await stream.ReadExactlyAsync(header, ct);
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            var payload = new byte[length];
            await stream.ReadExactlyAsync(payload, ct);
            var (type, flags, streamId) = (header[3], header[4], BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & 0x7fff_ffff);
            switch (type)
            {
                case 0x4 when (flags & 0x1) == 0 && !settingsSeen:
                    settingsSeen = true;
                    await WriteFrameAsync(stream, 0x4, 0x1, 0, [], ct);
                    break;
                case 0x6 when payload.Length == 8:
                    await WriteFrameAsync(stream, 0x6, 0x1, 0, payload, ct);
                    break;
                case 0x1 or 0x9 when (flags & 0x4) != 0:
                    await WriteFrameAsync(stream, 0x1, 0x4, streamId, [0x88], ct);
                    await WriteFrameAsync(stream, 0x0, 0x1, streamId, Body, ct);
                    break;
            }
        }
    }

    private static async Task WriteFrameAsync(Stream stream, byte type, byte flags, int streamId, byte[] payload, CancellationToken ct)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), streamId);
        payload.CopyTo(frame, 9);
        await stream.WriteAsync(frame, ct);
    }
}
