using System.Text;

namespace Hxi.Protocols.Tls;

/// <summary>application_layer_protocol_negotiation (RFC 7301 Section 3.1).</summary>
/// <remarks>
/// <code>
///    opaque ProtocolName&lt;1..2^8-1&gt;;
///
///    struct {
///        ProtocolName protocol_name_list&lt;2..2^16-1&gt;
///    } ProtocolNameList;
/// </code>
/// Protocol names are bytes; Latin-1 maps them to strings one to one, so nothing is lost.
/// </remarks>
internal static class AlpnExtension
{
    public static TlsExtension Create(IEnumerable<string> protocols)
    {
        var writer = new TlsWriter();
        var list = writer.BeginVector(2);
        foreach (var protocol in protocols)
        {
            writer.WriteVector8(Encoding.Latin1.GetBytes(protocol));
        }

        writer.EndVector(list);
        return new TlsExtension(TlsExtensionType.ApplicationLayerProtocolNegotiation, writer.ToArray());
    }

    public static IReadOnlyList<string> Read(ref TlsReader reader)
    {
        var list = new TlsReader(reader.ReadVector16(2, ushort.MaxValue, "protocol_name_list"));
        var protocols = new List<string>();
        while (!list.IsEmpty)
        {
            protocols.Add(Encoding.Latin1.GetString(list.ReadVector8(1, byte.MaxValue, "protocol name")));
        }

        return protocols;
    }
}
