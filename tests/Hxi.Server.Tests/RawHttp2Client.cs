using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using Hxi.Protocols.Http2.Hpack;
using Hxi.Protocols.Primitives;

namespace Hxi.Server.Tests;

/// <summary>
/// Prior-knowledge HTTP/2 over cleartext TCP, written frame by frame so a test can send any fields in any order
/// (HttpClient would refuse most malformed requests) and see how the server answered one stream.
/// </summary>
internal sealed class RawHttp2Client : IDisposable
{
    private const byte Data = 0x0, Headers = 0x1, ResetStream = 0x3, Settings = 0x4, GoAway = 0x7;
    private const byte EndStream = 0x1, EndHeaders = 0x4;

    private readonly TcpClient _tcp = new();
    private readonly HpackEncoder _encoder = new() { UseHuffman = false };
    private readonly HpackDecoder _decoder = new();
    private NetworkStream _stream = null!;

    /// <summary>How the server answered one stream: its response head, or the code of its RST_STREAM or GOAWAY.</summary>
    public sealed record Answer(string? Status, uint? ResetCode, uint? GoAwayCode);

    public static async Task<RawHttp2Client> ConnectAsync(Uri h2c)
    {
        var client = new RawHttp2Client();
        await client._tcp.ConnectAsync(h2c.Host, h2c.Port);
        client._stream = client._tcp.GetStream();
        var start = new MemoryStream();
        start.Write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8);
        WriteFrame(start, Settings, 0, 0, []);
        await client._stream.WriteAsync(start.ToArray());
        return client;
    }

    /// <summary>Sends HEADERS (and DATA, then trailers, if given) on <paramref name="streamId"/> exactly as given, ending the stream.</summary>
    public async Task SendAsync(int streamId, IReadOnlyList<HeaderField> fields, byte[]? body = null, IReadOnlyList<HeaderField>? trailers = null)
    {
        var output = new MemoryStream();
        var last = body is null && trailers is null;
        WriteFrame(output, Headers, (byte)(EndHeaders | (last ? EndStream : 0)), streamId, Encode(fields));
        if (body is not null)
        {
            WriteFrame(output, Data, trailers is null ? EndStream : (byte)0, streamId, body);
        }

        if (trailers is not null)
        {
            WriteFrame(output, Headers, EndHeaders | EndStream, streamId, Encode(trailers));
        }

        await _stream.WriteAsync(output.ToArray());
    }

    /// <summary>Reads frames until the server answers <paramref name="streamId"/> (a response head, RST_STREAM) or closes the connection.</summary>
    public async Task<Answer> ReadAnswerAsync(int streamId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var header = new byte[9];
        while (true)
        {
            await _stream.ReadExactlyAsync(header, timeout.Token);
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            var type = header[3];
            var id = (int)(BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5)) & 0x7fff_ffff);
            var payload = new byte[length];
            await _stream.ReadExactlyAsync(payload, timeout.Token);
            switch (type)
            {
                case Headers:
                    // Every HEADERS is decoded, whatever its stream, to keep the HPACK table in step.
                    var fields = _decoder.Decode(payload);
                    if (id == streamId)
                    {
                        return new Answer(fields.FirstOrDefault(f => f.Name == ":status").Value, null, null);
                    }

                    break;
                case ResetStream when id == streamId:
                    return new Answer(null, BinaryPrimitives.ReadUInt32BigEndian(payload), null);
                case GoAway:
                    return new Answer(null, null, BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(4)));
                case Settings when (header[4] & 0x1) == 0:
                    var ack = new MemoryStream();
                    WriteFrame(ack, Settings, 0x1, 0, []);
                    await _stream.WriteAsync(ack.ToArray(), timeout.Token);
                    break;
            }
        }
    }

    public void Dispose() => _tcp.Dispose();

    private byte[] Encode(IReadOnlyList<HeaderField> fields)
    {
        var block = new ArrayBufferWriter<byte>();
        _encoder.Encode(fields, block);
        return block.WrittenSpan.ToArray();
    }

    private static void WriteFrame(Stream output, byte type, byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[9];
        header[0] = (byte)(payload.Length >> 16);
        header[1] = (byte)(payload.Length >> 8);
        header[2] = (byte)payload.Length;
        header[3] = type;
        header[4] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(header[5..], (uint)streamId);
        output.Write(header);
        output.Write(payload);
    }
}
