namespace Hxi.Protocols.Quic.Endpoint;

/// <summary>
/// Compares connection IDs by value, and lets a table keyed by <c>byte[]</c> be searched with a span cut out of a
/// datagram, so routing a packet allocates nothing. The hash is seeded per process: client-chosen IDs cannot be
/// picked to collide.
/// </summary>
internal sealed class ConnectionIdComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    public static readonly ConnectionIdComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj) => Hash(obj);

    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);

    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

    private static int Hash(ReadOnlySpan<byte> connectionId)
    {
        var hash = default(HashCode);
        hash.AddBytes(connectionId);
        return hash.ToHashCode();
    }
}
