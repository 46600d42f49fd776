namespace Hxi.Protocols.Tls;

/// <summary>One extension as it crossed the wire; the typed views on each message decode the known ones.</summary>
public sealed record TlsExtension(ushort Type, byte[] Data)
{
    public string Name => TlsExtensionTypes.Name(Type);

    public TlsExtension(TlsExtensionType type, byte[] data)
        : this((ushort)type, data)
    {
    }
}
