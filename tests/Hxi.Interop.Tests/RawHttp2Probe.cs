using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Hxi.Interop.Tests;

/// <summary>One frame as it crossed the wire, before any library merged CONTINUATIONs into HEADERS.</summary>
public sealed record RawFrame(byte Type, byte Flags, int StreamId, int Length)
{
    public const byte Data = 0x0, Headers = 0x1, Continuation = 0x9;

    public const byte EndStream = 0x1, EndHeaders = 0x4;

    public bool Has(byte flag) => (Flags & flag) != 0;
}

/// <summary>
/// A deliberately tiny HTTP/2 client for the kit's own checks: one GET on stream 1 and the frame headers of what came
/// back. nghttp -nv cannot serve here because nghttp2 reports a HEADERS block as one frame even when it arrived split.
/// Independent of the hxi code under test, so it can prove what a peer sends.
/// </summary>
public static class RawHttp2Probe
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    public static async Task<IReadOnlyList<RawFrame>> GetOverTlsAsync(string host, int port, string path, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(host, port, cancellationToken);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions
            {
                TargetHost = host,
                ApplicationProtocols = [SslApplicationProtocol.Http2],
                CertificateChainPolicy = TestCertificates.CreateChainPolicy(),
            },
            cancellationToken);

        var request = new MemoryStream();
        request.Write(Preface);
        WriteFrameHeader(request, 0, 0x4, 0, 0); // empty SETTINGS: defaults, so a 16 KB max frame size
        var block = EncodeLiterals([(":method", "GET"), (":scheme", "https"), (":path", path), (":authority", $"{host}:{port}")]);
        WriteFrameHeader(request, block.Length, RawFrame.Headers, RawFrame.EndHeaders | RawFrame.EndStream, 1);
        request.Write(block);
        await tls.WriteAsync(request.ToArray(), cancellationToken);

        var frames = new List<RawFrame>();
        var header = new byte[9];
        while (true)
        {
            await tls.ReadExactlyAsync(header, cancellationToken);
            var frame = new RawFrame(
                header[3],
                header[4],
                (int)(BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5)) & 0x7FFF_FFFF),
                (header[0] << 16) | (header[1] << 8) | header[2]);
            await tls.ReadExactlyAsync(new byte[frame.Length], cancellationToken);
            frames.Add(frame);
            if (frame.StreamId == 1 && frame.Has(RawFrame.EndStream) && frame.Type is RawFrame.Data or RawFrame.Headers)
            {
                return frames;
            }
        }
    }

    private static void WriteFrameHeader(Stream output, int length, byte type, int flags, int streamId)
    {
        Span<byte> header = stackalloc byte[9];
        header[0] = (byte)(length >> 16);
        header[1] = (byte)(length >> 8);
        header[2] = (byte)length;
        header[3] = type;
        header[4] = (byte)flags;
        BinaryPrimitives.WriteUInt32BigEndian(header[5..], (uint)streamId);
        output.Write(header);
    }

    /// <summary>RFC 7541 6.2.2 literal without indexing, new name, no Huffman; every string here is under 127 bytes.</summary>
    private static byte[] EncodeLiterals(IEnumerable<(string Name, string Value)> fields)
    {
        var block = new MemoryStream();
        foreach (var (name, value) in fields)
        {
            block.WriteByte(0x00);
            foreach (var text in new[] { name, value })
            {
                var bytes = Encoding.ASCII.GetBytes(text);
                if (bytes.Length >= 127)
                {
                    throw new ArgumentException($"'{text}' needs a multi-byte HPACK length, which this probe doesn't write");
                }
                block.WriteByte((byte)bytes.Length);
                block.Write(bytes);
            }
        }
        return block.ToArray();
    }
}
