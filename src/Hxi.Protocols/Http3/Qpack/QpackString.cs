using System.Buffers;
using System.Text;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http3.Qpack;

/// <summary>QPACK string literals (RFC 9204 Section 4.1.2): an H bit just above an N-bit length prefix, then the octets.</summary>
/// <remarks>
/// <code>
///   0   1   2   3   4   5   6   7
/// +---+---+---+---+---+---+---+---+
/// | ? | ? | H |  Length (5+)      |   N = 5 here; QPACK also uses N = 3 and N = 7
/// +---+---+---+-------------------+
/// |  String Data (Length octets)  |
/// +-------------------------------+
/// </code>
/// </remarks>
internal static class QpackString
{
    /// <summary>A string prepared for writing: its Latin-1 bytes and whether Huffman makes it shorter.</summary>
    internal readonly record struct Prepared(byte[] Raw, int DataLength, bool Huffman)
    {
        public int GetByteCount(int prefixBits) => PrefixInteger.GetByteCount(DataLength, prefixBits) + DataLength;
    }

    public static Prepared Prepare(string text, bool useHuffman)
    {
        byte[] raw = new byte[text.Length];
        Latin1.Write(text, raw);
        if (useHuffman)
        {
            int huffmanLength = Huffman.GetEncodedLength(raw);
            if (huffmanLength < raw.Length)
            {
                return new Prepared(raw, huffmanLength, true);
            }
        }

        return new Prepared(raw, raw.Length, false);
    }

    /// <summary>Writes the string; <paramref name="flags"/> carries the representation's bits above the H bit.</summary>
    public static int Write(Span<byte> destination, Prepared text, int prefixBits, byte flags)
    {
        byte huffmanBit = text.Huffman ? (byte)(1 << prefixBits) : (byte)0;
        int written = PrefixInteger.Write(destination, text.DataLength, prefixBits, (byte)(flags | huffmanBit));
        if (text.Huffman)
        {
            written += Huffman.Encode(text.Raw, destination[written..]);
        }
        else
        {
            text.Raw.CopyTo(destination[written..]);
            written += text.Raw.Length;
        }

        return written;
    }

    /// <summary>
    /// Reads a string whose length prefix is the low <paramref name="prefixBits"/> bits of <c>source[0]</c>.
    /// <see cref="OperationStatus.NeedMoreData"/> when the input ends inside it; invalid input throws with <paramref name="errorCode"/>.
    /// </summary>
    public static OperationStatus Read(
        ReadOnlySpan<byte> source, int prefixBits, Http3ErrorCode errorCode, int maxLength, out string text, out bool huffman, out int consumed)
    {
        text = "";
        huffman = false;
        consumed = 0;
        if (source.IsEmpty)
        {
            return OperationStatus.NeedMoreData;
        }

        huffman = (source[0] & (1 << prefixBits)) != 0;
        OperationStatus status = PrefixInteger.Read(source, prefixBits, out int length, out int lengthBytes);
        if (status == OperationStatus.InvalidData)
        {
            throw new QpackException(errorCode, "string length overflows the integer limit");
        }

        if (status == OperationStatus.NeedMoreData)
        {
            return status;
        }

        // Checked before the data arrives, so a huge announced length cannot make us buffer it.
        if (length > maxLength)
        {
            throw new QpackException(errorCode, $"string of {length} bytes exceeds the limit of {maxLength}");
        }

        if (source.Length - lengthBytes < length)
        {
            return OperationStatus.NeedMoreData;
        }

        ReadOnlySpan<byte> data = source.Slice(lengthBytes, length);
        consumed = lengthBytes + length;
        if (!huffman)
        {
            text = Encoding.Latin1.GetString(data);
            return OperationStatus.Done;
        }

        byte[] decoded = ArrayPool<byte>.Shared.Rent(Math.Max(1, Huffman.GetMaxDecodedLength(length)));
        try
        {
            if (!Huffman.TryDecode(data, decoded, out int written, out HuffmanError error))
            {
                throw new QpackException(errorCode, $"Huffman string is invalid ({error})");
            }

            text = Encoding.Latin1.GetString(decoded, 0, written);
            return OperationStatus.Done;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(decoded);
        }
    }
}
