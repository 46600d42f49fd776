using System.Buffers;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http3.Qpack;

/// <summary>
/// The encoding side of QPACK (RFC 9204) for one connection: encodes field sections, writes encoder-stream
/// instructions, and tracks the peer decoder's acknowledgments so that it never blocks more streams than the peer
/// allows and never evicts an entry that an unacknowledged section still references.
/// </summary>
/// <remarks>
/// Policy: exact static matches are indexed; exact dynamic matches are indexed when the reference cannot block, or
/// when blocking is still allowed; other fields are inserted when they fit and are worth reusing, then referenced
/// (post-base) if blocking is allowed; everything else is a literal with the cheapest name reference. Sensitive
/// fields are literals with the N bit and never enter the table. With a capacity of 0 only the static table is used.
/// Split by concern: <c>.Instructions.cs</c> writes the encoder stream, <c>.DecoderStream.cs</c> reads the peer's
/// acknowledgments, <c>.Lines.cs</c> writes field lines.
/// </remarks>
public sealed partial class QpackEncoder
{
    /// <summary>Our default cap on the table, whatever the peer allows.</summary>
    public const int DefaultMaxTableCapacity = 4096;

    /// <summary>Values longer than this are not inserted: they would evict many entries and rarely repeat.</summary>
    public const int MaxIndexedValueLength = 512;

    /// <summary>Cookies shorter than this are never indexed: a short secret is cheap to guess (RFC 9204 Section 7.1).</summary>
    public const int MinIndexedCookieLength = 20;

    private readonly int _capacityCap;
    private long _peerMaxTableCapacity;
    private bool _peerSettingsApplied;

    /// <param name="maxTableCapacity">Our own cap on the dynamic table; 0 uses only the static table and literals.</param>
    public QpackEncoder(int maxTableCapacity = DefaultMaxTableCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTableCapacity);
        _capacityCap = maxTableCapacity;
    }

    public QpackDynamicTable Table { get; } = new(supportsLookup: true);

    /// <summary>Huffman-code strings when that makes them shorter.</summary>
    public bool UseHuffman { get; set; } = true;

    /// <summary>Build a <see cref="QpackSectionTrace"/> for each section and keep encoder-stream instruction traces.</summary>
    public bool TraceEnabled { get; set; }

    /// <summary>The peer's SETTINGS_QPACK_MAX_TABLE_CAPACITY, which sizes the Required Insert Count encoding.</summary>
    public long PeerMaxTableCapacity => _peerMaxTableCapacity;

    /// <summary>The peer's SETTINGS_QPACK_BLOCKED_STREAMS.</summary>
    public long MaxBlockedStreams { get; private set; }

    /// <summary>
    /// Takes the peer decoder's SETTINGS_QPACK_MAX_TABLE_CAPACITY and SETTINGS_QPACK_BLOCKED_STREAMS, and sets the
    /// table capacity to the smaller of that and our cap (a Set Dynamic Table Capacity on the encoder stream).
    /// </summary>
    public void ApplyPeerSettings(long maxTableCapacity, long blockedStreams)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTableCapacity);
        ArgumentOutOfRangeException.ThrowIfNegative(blockedStreams);
        if (_peerSettingsApplied)
        {
            throw new InvalidOperationException("The peer's SETTINGS arrive once per connection.");
        }

        _peerSettingsApplied = true;
        _peerMaxTableCapacity = maxTableCapacity;
        MaxBlockedStreams = blockedStreams;
        int chosen = (int)Math.Min(_capacityCap, maxTableCapacity);
        if (chosen > 0)
        {
            SetCapacity(chosen);
        }
    }

    /// <summary>Encodes one field section for <paramref name="streamId"/> into <paramref name="output"/>; the trace when enabled.</summary>
    /// <exception cref="ArgumentException">A name or value has a character above U+00FF; nothing is written.</exception>
    public QpackSectionTrace? EncodeFieldSection(long streamId, IReadOnlyList<HeaderField> fields, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(output);
        foreach (var field in fields)
        {
            Latin1.Validate(field.Name, nameof(fields));
            Latin1.Validate(field.Value, nameof(fields));
        }

        var section = new SectionBuilder(streamId, Table.InsertCount, MayBlock(streamId), TraceEnabled);
        foreach (var field in fields)
        {
            EncodeField(field, section);
        }

        return FinishSection(section, output);
    }

    /// <summary>Encodes a field section with literal names and values only (the REPL's "literal QPACK"); no table is touched.</summary>
    public static void EncodeLiteralFieldSection(IReadOnlyList<HeaderField> fields, IBufferWriter<byte> output, bool useHuffman = false)
    {
        var section = new SectionBuilder(0, 0, false, false);
        ReadOnlySpan<byte> prefix = [0x00, 0x00];
        output.Write(prefix);
        foreach (var field in fields)
        {
            WriteLiteralName(field, never: false, useHuffman, section);
        }

        output.Write(section.Lines.WrittenSpan);
    }

    private void EncodeField(HeaderField field, SectionBuilder section)
    {
        if (IsSensitive(field))
        {
            WriteLiteral(field, never: true, allowDynamicName: false, section);
            return;
        }

        if (QpackStaticTable.TryGetIndex(field, out int staticIndex))
        {
            WriteIndexedStatic(field, staticIndex, section);
            return;
        }

        bool inTable = Table.TryFind(field, out long absolute);
        if (inTable && CanReference(absolute, section))
        {
            // An entry about to be evicted would pin the table; a fresh copy keeps the old one evictable.
            if (IsDraining(absolute) && TryDuplicate(absolute, out long copy))
            {
                absolute = copy;
            }

            WriteIndexedDynamic(field, absolute, section);
            return;
        }

        // A second copy of an entry we may not reference yet would only take space.
        if (!inTable && ShouldIndex(field) && TryInsert(field, out long inserted) && CanReference(inserted, section))
        {
            WriteIndexedDynamic(field, inserted, section);
            return;
        }

        WriteLiteral(field, never: false, allowDynamicName: true, section);
    }

    private static bool IsSensitive(HeaderField field) =>
        field.Name.Equals("authorization", StringComparison.OrdinalIgnoreCase)
        || field.Name.Equals("proxy-authorization", StringComparison.OrdinalIgnoreCase)
        || field.Name.Equals("set-cookie", StringComparison.OrdinalIgnoreCase)
        || (field.Name.Equals("cookie", StringComparison.OrdinalIgnoreCase) && field.Value.Length < MinIndexedCookieLength);

    private bool ShouldIndex(HeaderField field) =>
        Table.Capacity > 0
        && !(field.Name == ":path" && field.Value.Contains('?'))
        && field.Value.Length <= MaxIndexedValueLength
        && field.HpackSize <= Table.Capacity;

    // An acknowledged entry never blocks; an unacknowledged one may, within SETTINGS_QPACK_BLOCKED_STREAMS.
    private bool CanReference(long absolute, SectionBuilder section) => absolute < KnownReceivedCount || section.MayBlock;

    // Entries in the oldest quarter of a table that is over three quarters full are the next to go.
    private bool IsDraining(long absolute)
    {
        if (Table.Size * 4 < Table.Capacity * 3)
        {
            return false;
        }

        int olderBytes = 0;
        foreach (var entry in Table.Entries)
        {
            olderBytes += entry.Size;
            if (entry.AbsoluteIndex == absolute)
            {
                return olderBytes * 4 <= Table.Capacity;
            }
        }

        return false;
    }

    private QpackSectionTrace? FinishSection(SectionBuilder section, IBufferWriter<byte> output)
    {
        long required = section.HighestReference + 1;
        long encodedInsertCount = QpackRequiredInsertCount.Encode(required, _peerMaxTableCapacity);

        //   0   1   2   3   4   5   6   7
        // +---+---+---+---+---+---+---+---+
        // |   Required Insert Count (8+)  |
        // +---+---------------------------+
        // | S |      Delta Base (7+)      |
        // +---+---------------------------+
        // |      Encoded Field Lines    ...
        // +-------------------------------+
        bool negative = required > section.Base;
        long deltaBase = required == 0 ? 0 : negative ? required - section.Base - 1 : section.Base - required;
        int encodedCount = checked((int)encodedInsertCount);
        int delta = checked((int)deltaBase);
        int prefixLength = PrefixInteger.GetByteCount(encodedCount, 8) + PrefixInteger.GetByteCount(delta, 7);
        Span<byte> prefix = output.GetSpan(prefixLength);
        int written = PrefixInteger.Write(prefix, encodedCount, 8, 0);
        written += PrefixInteger.Write(prefix[written..], delta, 7, negative ? (byte)0x80 : (byte)0);
        byte[]? prefixBytes = section.Trace is null ? null : prefix[..written].ToArray();
        output.Advance(written);
        output.Write(section.Lines.WrittenSpan);

        if (required > 0)
        {
            TrackSection(section.StreamId, required, section.References);
        }

        return section.Trace is null ? null : new QpackSectionTrace(
            section.StreamId, encodedInsertCount, required, required == 0 ? 0 : section.Base, prefixBytes, section.Trace, false);
    }

    /// <summary>The field lines of one section while it is being encoded; the prefix is written once they are known.</summary>
    private sealed class SectionBuilder(long streamId, long @base, bool mayBlock, bool trace)
    {
        public long StreamId { get; } = streamId;

        /// <summary>The Insert Count when the section started: entries inserted while encoding it are post-base.</summary>
        public long Base { get; } = @base;

        public bool MayBlock { get; } = mayBlock;

        public ArrayBufferWriter<byte> Lines { get; } = new();

        public List<QpackFieldTrace>? Trace { get; } = trace ? [] : null;

        public long HighestReference { get; set; } = -1;

        public HashSet<long> References { get; } = [];
    }
}
