using System.Text;
using Hxi.Cli.Output;
using Hxi.Net.Client;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Trace;

namespace Hxi.Cli.Wire;

/// <summary>
/// -v: connection details and the request exactly as it went out (pseudo-headers for HTTP/2 and HTTP/3,
/// the request line and Host for HTTP/1.1), on stderr with curl's "* " and "> " prefixes.
/// </summary>
public sealed class VerboseTap(TextWriter output, Palette palette) : IWireTap
{
    public void Record(in WireRecord record)
    {
        if (record.Direction != WireDirection.Sent)
        {
            return;
        }

        var text = new StringBuilder();
        switch (record.Decoded)
        {
            case Http2HeaderBlock block:
                foreach (var field in block.Fields)
                {
                    text.Append(palette.Dim("> ")).Append(palette.Cyan(field.Name)).Append(": ").Append(field.Value).Append('\n');
                }

                text.Append(palette.Dim($"> (HTTP/2 stream {block.StreamId})")).Append('\n');
                break;
            case Hxi.Protocols.Http3.Qpack.QpackSectionTrace section:
                foreach (var line in section.Lines)
                {
                    text.Append(palette.Dim("> ")).Append(palette.Cyan(line.Field.Name)).Append(": ").Append(line.Field.Value).Append('\n');
                }

                text.Append(palette.Dim($"> (HTTP/3 stream {section.StreamId})")).Append('\n');
                break;
            case Hxi.Net.Http1.Http1Text head:
                foreach (var line in head.Text.Split("\r\n"))
                {
                    if (line.Length > 0)
                    {
                        text.Append(palette.Dim("> ")).Append(line).Append('\n');
                    }
                }

                break;
        }

        if (text.Length > 0)
        {
            output.Write(text.ToString());
            output.Flush();
        }
    }

    /// <summary>A response head as curl -v shows it: `< ` lines on stderr, so stdout stays the body alone.</summary>
    public void ResponseHead(ResponseHead head)
    {
        var text = new StringBuilder();
        text.Append(palette.Dim("< ")).Append(ResponsePrinter.StatusLine(head)).Append('\n');
        foreach (var field in head.Headers)
        {
            text.Append(palette.Dim("< ")).Append(palette.Cyan(field.Name)).Append(": ").Append(field.Value).Append('\n');
        }

        text.Append(palette.Dim("<")).Append('\n');
        output.Write(text.ToString());
        output.Flush();
    }

    public void Info(string line)
    {
        output.WriteLine($"{palette.Dim("*")} {line}");
        output.Flush();
    }

    /// <summary>Address, TLS version and cipher, ALPN offered and chosen, the certificate.</summary>
    public void Connected(ConnectionInfo info)
    {
        var quic = info.Protocol == "h3";
        Info($"connected to {info.Host} ({info.RemoteEndPoint}) from {info.LocalEndPoint}{(quic ? " over QUIC (UDP)" : "")} in {Ms(info.ConnectTime)}");
        if (info.Tls is { } tls)
        {
            // QUIC carries TLS inside its own handshake: there is no separate TLS time to show.
            Info(quic ? $"TLS {tls.Version} inside QUIC, cipher {tls.CipherSuite}" : $"TLS {tls.Version}, cipher {tls.CipherSuite}, in {Ms(info.TlsTime)}");
            Info($"ALPN offered {string.Join(", ", tls.AlpnOffered)}; server chose {tls.AlpnChosen ?? "nothing"}");
            Info($"certificate subject: {tls.CertificateSubject}");
            Info($"certificate issuer: {tls.CertificateIssuer}");
            Info($"certificate valid {tls.CertificateNotBefore:yyyy-MM-dd HH:mm} to {tls.CertificateNotAfter:yyyy-MM-dd HH:mm} UTC{(tls.SubjectAlternativeNames.Count > 0 ? $"; names {string.Join(", ", tls.SubjectAlternativeNames)}" : "")}");
        }

        if (quic)
        {
            Info("using HTTP/3");
        }
    }

    private static string Ms(TimeSpan time) => $"{time.TotalMilliseconds:0.0} ms";
}
