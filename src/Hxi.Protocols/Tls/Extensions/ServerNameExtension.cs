using System.Text;

namespace Hxi.Protocols.Tls;

/// <summary>server_name (RFC 6066 Section 3): the host name the client wants.</summary>
/// <remarks>
/// <code>
///    struct {
///        NameType name_type;            /* host_name(0) */
///        select (name_type) {
///            case host_name: HostName;  /* opaque HostName&lt;1..2^16-1&gt; */
///        } name;
///    } ServerName;
///
///    struct {
///        ServerName server_name_list&lt;1..2^16-1&gt;
///    } ServerNameList;
/// </code>
/// The server's acknowledgement in EncryptedExtensions has empty extension_data.
/// </remarks>
internal static class ServerNameExtension
{
    public static TlsExtension Create(string hostName)
    {
        var writer = new TlsWriter();
        var list = writer.BeginVector(2);
        writer.WriteUInt8(0);
        writer.WriteVector16(Encoding.ASCII.GetBytes(hostName));
        writer.EndVector(list);
        return new TlsExtension(TlsExtensionType.ServerName, writer.ToArray());
    }

    public static string? Read(ref TlsReader reader)
    {
        var list = new TlsReader(reader.ReadVector16(1, ushort.MaxValue, "server_name_list"));
        string? hostName = null;
        while (!list.IsEmpty)
        {
            var nameType = list.ReadUInt8();
            var name = list.ReadVector16(1, ushort.MaxValue, "server name");
            if (nameType != 0)
            {
                continue;
            }

            if (hostName is not null)
            {
                throw TlsAlertException.Illegal("server_name lists two host names");
            }

            hostName = Encoding.Latin1.GetString(name);
        }

        return hostName;
    }
}
