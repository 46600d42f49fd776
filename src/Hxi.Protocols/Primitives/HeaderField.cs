namespace Hxi.Protocols.Primitives;

/// <summary>One header field (name and value) as it appears in HTTP/2, HTTP/3 or HTTP/1.1.</summary>
/// <remarks>Names and values are Latin-1 strings so that every byte on the wire round-trips.</remarks>
public readonly record struct HeaderField(string Name, string Value)
{
    /// <summary>The size RFC 7541 Section 4.1 charges for an entry: name + value + 32.</summary>
    public int HpackSize => Name.Length + Value.Length + 32;

    public bool IsPseudo => Name.Length > 0 && Name[0] == ':';

    public override string ToString() => $"{Name}: {Value}";
}
