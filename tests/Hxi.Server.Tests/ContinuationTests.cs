using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Hxi.Server.Tests;

/// <summary>Frame-level proof over raw h2c, where HttpClient would hide how the header block was split.</summary>
[Collection(ServerCollection.Name)]
public sealed class ContinuationTests(ServerFixture fixture)
{
    private const byte HeadersType = 0x1;
    private const byte ContinuationType = 0x9;
    private const byte EndStream = 0x1;
    private const byte EndHeaders = 0x4;

    [Fact]
    public async Task BigHeaders_HeaderBlockContinuesInContinuationFrames()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(fixture.Server.H2cUri.Host, fixture.Server.H2cUri.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Request(fixture.Server.H2cUri.Authority, "/bigheaders"));

        var types = new List<byte>();
        byte flags;
        do
        {
            (var type, flags, var streamId) = await ReadFrameAsync(stream);
            if (streamId == 1)
            {
                types.Add(type);
            }
        }
        while (types.Count == 0 || (flags & EndHeaders) == 0);

        Assert.Equal(HeadersType, types[0]);
        Assert.True(types.Count > 1, "the header block fit in one frame");
        Assert.All(types.Skip(1), type => Assert.Equal(ContinuationType, type));
    }

    /// <summary>Preface, empty SETTINGS, then GET as one HEADERS frame on stream 1 (RFC 9113 §3.4, §6.2).</summary>
    private static byte[] Request(string authority, string path)
    {
        var block = new List<byte>
        {
            0x82, // :method GET, static index 2
            0x86, // :scheme http, static index 6
        };
        AddLiteral(block, 4, path);      // :path, literal without indexing (RFC 7541 §6.2.2)
        AddLiteral(block, 1, authority); // :authority

        var bytes = new List<byte>(Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
        bytes.AddRange(FrameHeader(0, 0x4, 0, 0));
        bytes.AddRange(FrameHeader(block.Count, HeadersType, EndStream | EndHeaders, 1));
        bytes.AddRange(block);
        return [.. bytes];
    }

    private static void AddLiteral(List<byte> block, byte nameIndex, string value)
    {
        block.Add(nameIndex);
        block.Add(checked((byte)value.Length)); // no Huffman, and short enough for a one-byte length
        block.AddRange(Encoding.ASCII.GetBytes(value));
    }

    /// <summary>Length (24) | Type (8) | Flags (8) | R (1) Stream Identifier (31), RFC 9113 §4.1.</summary>
    private static byte[] FrameHeader(int length, byte type, int flags, int streamId)
    {
        var header = new byte[9];
        header[0] = (byte)(length >> 16);
        header[1] = (byte)(length >> 8);
        header[2] = (byte)length;
        header[3] = type;
        header[4] = (byte)flags;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(5), streamId);
        return header;
    }

    private static async Task<(byte Type, byte Flags, int StreamId)> ReadFrameAsync(NetworkStream stream)
    {
        var header = new byte[9];
        await stream.ReadExactlyAsync(header).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var length = (header[0] << 16) | (header[1] << 8) | header[2];
        await stream.ReadExactlyAsync(new byte[length]);
        return (header[3], header[4], BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & int.MaxValue);
    }
}
