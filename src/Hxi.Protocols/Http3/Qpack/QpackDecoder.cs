using System.Buffers;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http3.Qpack;

/// <summary>
/// The decoding side of QPACK (RFC 9204) for one connection: applies encoder-stream instructions to the dynamic
/// table, decodes field sections (holding those that must wait for inserts), and produces decoder-stream instructions.
/// </summary>
/// <remarks>
/// Split by concern: this file decodes field sections, <c>.EncoderStream.cs</c> parses the peer's encoder stream,
/// <c>.DecoderStream.cs</c> writes our acknowledgments. Every error is a <see cref="QpackException"/>, a connection error.
/// </remarks>
public sealed partial class QpackDecoder
{
    /// <summary>Our default SETTINGS_QPACK_MAX_TABLE_CAPACITY.</summary>
    public const int DefaultMaxTableCapacity = 4096;

    /// <summary>Our default SETTINGS_QPACK_BLOCKED_STREAMS.</summary>
    public const int DefaultMaxBlockedStreams = 100;

    // Blocked sections keyed by stream; HTTP/3 decodes a stream's frames in order, so each stream has at most one.
    private readonly Dictionary<long, BlockedSection> _blocked = [];
    private readonly Queue<QpackFieldSection> _unblocked = new();

    /// <param name="maxTableCapacity">The SETTINGS_QPACK_MAX_TABLE_CAPACITY we advertise; 0 turns the dynamic table off.</param>
    /// <param name="maxBlockedStreams">The SETTINGS_QPACK_BLOCKED_STREAMS we advertise.</param>
    public QpackDecoder(int maxTableCapacity = DefaultMaxTableCapacity, int maxBlockedStreams = DefaultMaxBlockedStreams)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTableCapacity);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBlockedStreams);
        MaxTableCapacity = maxTableCapacity;
        MaxBlockedStreams = maxBlockedStreams;
    }

    public int MaxTableCapacity { get; }

    public int MaxBlockedStreams { get; }

    public QpackDynamicTable Table { get; } = new(supportsLookup: false);

    /// <summary>Build a <see cref="QpackSectionTrace"/> for every section; off by default to spare the copies.</summary>
    public bool TraceEnabled { get; set; }

    /// <summary>Streams holding a field section that waits for inserts.</summary>
    public int BlockedStreamCount => _blocked.Count;

    public bool IsBlocked(long streamId) => _blocked.ContainsKey(streamId);

    /// <summary>The Required Insert Count a blocked stream waits for, or -1.</summary>
    public long GetRequiredInsertCount(long streamId) => _blocked.TryGetValue(streamId, out var b) ? b.RequiredInsertCount : -1;

    /// <summary>
    /// Decodes a complete field section. Returns false when it needs inserts that have not arrived: the section is kept
    /// and comes back from <see cref="TryPollUnblocked"/> once they do.
    /// </summary>
    /// <exception cref="QpackException">QPACK_DECOMPRESSION_FAILED: malformed section, bad reference, too many blocked streams.</exception>
    public bool TryDecode(long streamId, ReadOnlySpan<byte> section, out QpackFieldSection? result)
    {
        if (_blocked.ContainsKey(streamId))
        {
            throw new InvalidOperationException($"Stream {streamId} already has a blocked field section; decode its frames in order.");
        }

        var prefix = ReadPrefix(section);
        if (prefix.RequiredInsertCount > Table.InsertCount)
        {
            if (_blocked.Count >= MaxBlockedStreams)
            {
                throw new QpackException(
                    Http3ErrorCode.QpackDecompressionFailed,
                    $"stream {streamId} would be blocked stream number {_blocked.Count + 1}, over our SETTINGS_QPACK_BLOCKED_STREAMS of {MaxBlockedStreams}");
            }

            _blocked[streamId] = new BlockedSection(section.ToArray(), prefix.RequiredInsertCount);
            result = null;
            return false;
        }

        result = DecodeLines(streamId, section, prefix, wasBlocked: false);
        return true;
    }

    /// <summary>A section that became decodable after encoder-stream inserts.</summary>
    public bool TryPollUnblocked(out QpackFieldSection section) => _unblocked.TryDequeue(out section!);

    /// <summary>
    /// The stream was reset or abandoned: forget its blocked section and tell the encoder (Stream Cancellation,
    /// Section 4.4.2) so it releases the references. With a table capacity of 0 there is nothing to release.
    /// </summary>
    public void CancelStream(long streamId)
    {
        _blocked.Remove(streamId);
        if (MaxTableCapacity > 0)
        {
            QueueStreamCancellation(streamId);
        }
    }

    private readonly record struct BlockedSection(byte[] Section, long RequiredInsertCount);

    private readonly record struct Prefix(long EncodedInsertCount, long RequiredInsertCount, long Base, int Length);

    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // |   Required Insert Count (8+)  |
    // +---+---------------------------+
    // | S |      Delta Base (7+)      |
    // +---+---------------------------+
    // |      Encoded Field Lines    ...
    // +-------------------------------+
    private Prefix ReadPrefix(ReadOnlySpan<byte> section)
    {
        int position = 0;
        long encoded = ReadInteger(section, ref position, 8, "the Required Insert Count");
        if (position == section.Length)
        {
            throw Failed("field section ends before the Base");
        }

        bool negative = (section[position] & 0x80) != 0;
        long deltaBase = ReadInteger(section, ref position, 7, "the Delta Base");
        long required = QpackRequiredInsertCount.Decode(encoded, MaxTableCapacity, Table.InsertCount);
        long @base;
        if (negative)
        {
            // Section 4.5.1.2: a negative Base is invalid.
            if (required <= deltaBase)
            {
                throw Failed($"Base is negative (Required Insert Count {required}, sign 1, Delta Base {deltaBase})");
            }

            @base = required - deltaBase - 1;
        }
        else
        {
            @base = required + deltaBase;
        }

        return new Prefix(encoded, required, @base, position);
    }

    private void ReleaseUnblocked()
    {
        if (_blocked.Count == 0)
        {
            return;
        }

        foreach (var (streamId, blocked) in _blocked.Where(b => b.Value.RequiredInsertCount <= Table.InsertCount).ToList())
        {
            _blocked.Remove(streamId);
            var prefix = ReadPrefix(blocked.Section);
            _unblocked.Enqueue(DecodeLines(streamId, blocked.Section, prefix, wasBlocked: true));
        }
    }

    private QpackFieldSection DecodeLines(long streamId, ReadOnlySpan<byte> section, Prefix prefix, bool wasBlocked)
    {
        var fields = new List<HeaderField>();
        List<QpackFieldTrace>? lines = TraceEnabled ? [] : null;
        long highestReference = -1;
        int position = prefix.Length;
        while (position < section.Length)
        {
            int start = position;
            var line = DecodeLine(section, ref position, prefix);
            if (line.AbsoluteIndex >= 0)
            {
                highestReference = Math.Max(highestReference, line.AbsoluteIndex);
            }

            fields.Add(line.Field);
            lines?.Add(line with { Encoded = section[start..position].ToArray() });
        }

        // Section 2.2.3: the count must be the smallest that works; smaller is caught per reference, larger is caught here.
        if (prefix.RequiredInsertCount > 0 && highestReference + 1 != prefix.RequiredInsertCount)
        {
            throw Failed(
                $"Required Insert Count is {prefix.RequiredInsertCount} but the highest reference needs only {highestReference + 1}");
        }

        if (prefix.RequiredInsertCount > 0)
        {
            QueueSectionAcknowledgment(streamId, prefix.RequiredInsertCount);
        }

        QpackSectionTrace? trace = lines is null ? null : new QpackSectionTrace(
            streamId, prefix.EncodedInsertCount, prefix.RequiredInsertCount, prefix.Base, section[..prefix.Length].ToArray(), lines, wasBlocked);
        return new QpackFieldSection(streamId, fields, trace);
    }

    // The trace's Encoded is filled by the caller, which knows where the line ended.
    private QpackFieldTrace DecodeLine(ReadOnlySpan<byte> section, ref int position, Prefix prefix)
    {
        byte first = section[position];
        if ((first & 0x80) != 0)
        {
            //   0   1   2   3   4   5   6   7
            // +---+---+---+---+---+---+---+---+
            // | 1 | T |      Index (6+)       |
            // +---+---+-----------------------+
            bool isStatic = (first & 0x40) != 0;
            long index = ReadInteger(section, ref position, 6, "an index");
            if (isStatic)
            {
                return new QpackFieldTrace(QpackRepresentation.IndexedStatic, StaticEntry(index), index, -1, false, false, false, default);
            }

            long absolute = prefix.Base - index - 1;
            return new QpackFieldTrace(QpackRepresentation.IndexedDynamic, DynamicEntry(absolute, prefix), index, absolute, false, false, false, default);
        }

        if ((first & 0xf0) == 0x10)
        {
            //   0   1   2   3   4   5   6   7
            // +---+---+---+---+---+---+---+---+
            // | 0 | 0 | 0 | 1 |  Index (4+)   |
            // +---+---+---+---+---------------+
            long index = ReadInteger(section, ref position, 4, "a post-base index");
            long absolute = prefix.Base + index;
            return new QpackFieldTrace(QpackRepresentation.IndexedPostBase, DynamicEntry(absolute, prefix), index, absolute, false, false, false, default);
        }

        if ((first & 0xc0) == 0x40)
        {
            //   0   1   2   3   4   5   6   7
            // +---+---+---+---+---+---+---+---+
            // | 0 | 1 | N | T |Name Index (4+)|
            // +---+---+---+---+---------------+
            // | H |     Value Length (7+)     |
            // +---+---------------------------+
            // |  Value String (Length bytes)  |
            // +-------------------------------+
            bool never = (first & 0x20) != 0;
            bool isStatic = (first & 0x10) != 0;
            long index = ReadInteger(section, ref position, 4, "a name index");
            long absolute = isStatic ? -1 : prefix.Base - index - 1;
            string name = isStatic ? StaticEntry(index).Name : DynamicEntry(absolute, prefix).Name;
            string value = ReadString(section, ref position, 7, out bool valueHuffman);
            var representation = isStatic ? QpackRepresentation.LiteralStaticName : QpackRepresentation.LiteralDynamicName;
            return new QpackFieldTrace(representation, new HeaderField(name, value), index, absolute, never, false, valueHuffman, default);
        }

        if ((first & 0xe0) == 0x20)
        {
            //   0   1   2   3   4   5   6   7
            // +---+---+---+---+---+---+---+---+
            // | 0 | 0 | 1 | N | H |NameLen(3+)|
            // +---+---+---+---+---+-----------+
            // |  Name String (Length bytes)   |
            // +---+---------------------------+
            // | H |     Value Length (7+)     |
            // +---+---------------------------+
            // |  Value String (Length bytes)  |
            // +-------------------------------+
            bool never = (first & 0x10) != 0;
            string name = ReadString(section, ref position, 3, out bool nameHuffman);
            string value = ReadString(section, ref position, 7, out bool valueHuffman);
            return new QpackFieldTrace(
                QpackRepresentation.LiteralLiteralName, new HeaderField(name, value), -1, -1, never, nameHuffman, valueHuffman, default);
        }

        {
            //   0   1   2   3   4   5   6   7
            // +---+---+---+---+---+---+---+---+
            // | 0 | 0 | 0 | 0 | N |NameIdx(3+)|
            // +---+---+---+---+---+-----------+
            // | H |     Value Length (7+)     |
            // +---+---------------------------+
            // |  Value String (Length bytes)  |
            // +-------------------------------+
            bool never = (first & 0x08) != 0;
            long index = ReadInteger(section, ref position, 3, "a post-base name index");
            long absolute = prefix.Base + index;
            string name = DynamicEntry(absolute, prefix).Name;
            string value = ReadString(section, ref position, 7, out bool valueHuffman);
            return new QpackFieldTrace(
                QpackRepresentation.LiteralPostBaseName, new HeaderField(name, value), index, absolute, never, false, valueHuffman, default);
        }
    }

    private static HeaderField StaticEntry(long index) =>
        index < QpackStaticTable.Count ? QpackStaticTable.Get((int)index)
        : throw Failed($"static table index {index} is past the last entry ({QpackStaticTable.Count - 1})");

    // Section 2.2.3: a reference at or above the Required Insert Count, or to an evicted entry, is an error.
    private HeaderField DynamicEntry(long absolute, Prefix prefix)
    {
        if (absolute < 0 || absolute >= prefix.RequiredInsertCount)
        {
            throw Failed($"dynamic reference to absolute index {absolute} is outside the Required Insert Count {prefix.RequiredInsertCount}");
        }

        return Table.TryGet(absolute, out var field) ? field
            : throw Failed($"dynamic reference to absolute index {absolute}, which was evicted (oldest entry is {Table.FirstAbsoluteIndex})");
    }

    private static long ReadInteger(ReadOnlySpan<byte> section, ref int position, int prefixBits, string what)
    {
        if (position >= section.Length)
        {
            throw Failed($"field section ends before {what}");
        }

        switch (PrefixInteger.Read(section[position..], prefixBits, out int value, out int consumed))
        {
            case OperationStatus.Done:
                position += consumed;
                return value;
            case OperationStatus.NeedMoreData:
                throw Failed($"field section ends inside {what}");
            default:
                throw Failed($"integer for {what} overflows");
        }
    }

    private static string ReadString(ReadOnlySpan<byte> section, ref int position, int prefixBits, out bool huffman)
    {
        if (position >= section.Length)
        {
            throw Failed("field section ends before a string literal");
        }

        var status = QpackString.Read(
            section[position..], prefixBits, Http3ErrorCode.QpackDecompressionFailed, int.MaxValue, out string text, out huffman, out int consumed);
        if (status != OperationStatus.Done)
        {
            throw Failed("field section ends inside a string literal");
        }

        position += consumed;
        return text;
    }

    private static QpackException Failed(string reason) => new(Http3ErrorCode.QpackDecompressionFailed, reason);
}
