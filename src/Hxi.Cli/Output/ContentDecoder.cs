using System.IO.Compression;

namespace Hxi.Cli.Output;

/// <summary>Undoes Content-Encoding for --compressed: gzip, deflate (zlib or raw) and br.</summary>
public static class ContentDecoder
{
    public static bool CanDecode(string? encoding) => encoding?.Trim().ToLowerInvariant() is "gzip" or "x-gzip" or "deflate" or "br";

    public static Stream Open(string encoding, Stream compressed) => encoding.Trim().ToLowerInvariant() switch
    {
        "gzip" or "x-gzip" => new GZipStream(compressed, CompressionMode.Decompress),
        "br" => new BrotliStream(compressed, CompressionMode.Decompress),
        // "deflate" is zlib-wrapped by the RFC, but some servers send raw deflate; look at the first byte.
        _ => LooksLikeZlib(compressed) ? new ZLibStream(compressed, CompressionMode.Decompress) : new DeflateStream(compressed, CompressionMode.Decompress),
    };

    private static bool LooksLikeZlib(Stream stream)
    {
        if (!stream.CanSeek || stream.Length < 2)
        {
            return true;
        }

        var position = stream.Position;
        var cmf = stream.ReadByte();
        var flg = stream.ReadByte();
        stream.Position = position;
        return (cmf & 0x0f) == 8 && ((cmf << 8) | flg) % 31 == 0;
    }
}
