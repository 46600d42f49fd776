namespace Hxi.Fuzz;

/// <summary>
/// Takes a fuzz input apart: option bytes first, then length-prefixed pieces, so one byte string can drive
/// several decoder calls (blocks sharing a dynamic table, bytes on several streams, a stream split anywhere).
/// </summary>
/// <remarks>Running out of input is never an error: reads past the end give zeros and empty pieces.</remarks>
public ref struct FuzzInput(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    public readonly bool IsEmpty => _rest.IsEmpty;

    public readonly ReadOnlySpan<byte> Rest => _rest;

    public byte TakeByte()
    {
        if (_rest.IsEmpty)
        {
            return 0;
        }

        byte value = _rest[0];
        _rest = _rest[1..];
        return value;
    }

    /// <summary>A piece whose length is the next byte (0..255), cut short at the end of the input.</summary>
    public ReadOnlySpan<byte> TakePiece()
    {
        int length = Math.Min(TakeByte(), _rest.Length);
        var piece = _rest[..length];
        _rest = _rest[length..];
        return piece;
    }

    /// <summary>A piece whose length is the next two bytes, big-endian (0..65535), cut short at the end.</summary>
    public ReadOnlySpan<byte> TakeLongPiece()
    {
        int length = Math.Min((TakeByte() << 8) | TakeByte(), _rest.Length);
        var piece = _rest[..length];
        _rest = _rest[length..];
        return piece;
    }

    public ReadOnlySpan<byte> TakeAll()
    {
        var all = _rest;
        _rest = [];
        return all;
    }

    /// <summary>Feeds <paramref name="data"/> in pieces of <paramref name="chunk"/> bytes (0 = whole), as a transport would.</summary>
    public static void Feed(ReadOnlySpan<byte> data, int chunk, FuzzRun receive)
    {
        if (chunk <= 0 || chunk >= data.Length)
        {
            receive(data);
            return;
        }

        for (int offset = 0; offset < data.Length; offset += chunk)
        {
            receive(data.Slice(offset, Math.Min(chunk, data.Length - offset)));
        }
    }

    /// <summary>The chunk size an option byte selects: whole input half of the time, else 1..127 bytes.</summary>
    public static int ChunkSize(byte option) => (option & 0x80) == 0 ? 0 : (option & 0x7f) + 1;
}
