using System.Globalization;
using System.Text;
using Hxi.Net.Client;

namespace Hxi.Cli.Output;

/// <summary>What `-w/--write-out` can print, measured over one run as curl measures it (seconds from the start).</summary>
public sealed record WriteOutValues
{
    public required ResponseHead Head { get; init; }

    public required ConnectionInfo Connection { get; init; }

    public required Uri EffectiveUrl { get; init; }

    public required string Method { get; init; }

    public double TimeNameLookup { get; init; }

    public double TimeConnect { get; init; }

    public double TimeAppConnect { get; init; }

    public double TimeStartTransfer { get; init; }

    public double TimeTotal { get; init; }

    public long SizeDownload { get; init; }

    public long SizeUpload { get; init; }

    public int Redirects { get; init; }
}

/// <summary>
/// curl's `-w/--write-out` templates: `%{variable}` with curl's names, `%%`, and the escapes `\n`, `\r`, `\t`, `\\`.
/// An unknown variable is a usage error before anything is sent, so a typo never costs a request.
/// </summary>
public static class WriteOut
{
    private static readonly Dictionary<string, Func<WriteOutValues, string>> Variables = new()
    {
        ["http_code"] = v => Integer(v.Head.StatusCode),
        ["response_code"] = v => Integer(v.Head.StatusCode),
        ["http_version"] = v => HttpVersion(v.Head.Protocol),
        ["method"] = v => v.Method,
        ["url"] = v => v.EffectiveUrl.AbsoluteUri,
        ["url_effective"] = v => v.EffectiveUrl.AbsoluteUri,
        ["scheme"] = v => v.EffectiveUrl.Scheme,
        ["content_type"] = v => v.Head["content-type"] ?? "",
        ["num_redirects"] = v => Integer(v.Redirects),
        ["remote_ip"] = v => Address(v.Connection.RemoteEndPoint).Ip,
        ["remote_port"] = v => Address(v.Connection.RemoteEndPoint).Port,
        ["local_ip"] = v => Address(v.Connection.LocalEndPoint).Ip,
        ["local_port"] = v => Address(v.Connection.LocalEndPoint).Port,
        ["size_download"] = v => Integer(v.SizeDownload),
        ["size_upload"] = v => Integer(v.SizeUpload),
        ["time_namelookup"] = v => Seconds(v.TimeNameLookup),
        ["time_connect"] = v => Seconds(v.TimeConnect),
        ["time_appconnect"] = v => Seconds(v.TimeAppConnect),
        ["time_starttransfer"] = v => Seconds(v.TimeStartTransfer),
        ["time_total"] = v => Seconds(v.TimeTotal),
        ["speed_download"] = v => v.TimeTotal > 0 ? Integer((long)(v.SizeDownload / v.TimeTotal)) : "0",
        ["ssl_verify_result"] = _ => "0",
        ["alpn"] = v => v.Connection.Tls?.AlpnChosen ?? "",
    };

    /// <summary>The variable names, for help and completion.</summary>
    public static IEnumerable<string> Names => Variables.Keys;

    /// <summary>Checks a template; the message names the first unknown variable or the unclosed `%{`.</summary>
    public static string? Validate(string template)
    {
        foreach (var (kind, text) in Tokens(template))
        {
            if (kind == TokenKind.Variable && !Variables.ContainsKey(text))
            {
                return $"-w: unknown variable '%{{{text}}}' (known: {string.Join(", ", Variables.Keys.Order())})";
            }

            if (kind == TokenKind.Unclosed)
            {
                return $"-w: '%{{{text}' is not closed with '}}'";
            }
        }

        return null;
    }

    public static string Format(string template, WriteOutValues values)
    {
        var output = new StringBuilder();
        foreach (var (kind, text) in Tokens(template))
        {
            output.Append(kind == TokenKind.Variable ? Variables[text](values) : text);
        }

        return output.ToString();
    }

    private enum TokenKind
    {
        Text,
        Variable,
        Unclosed,
    }

    private static IEnumerable<(TokenKind Kind, string Text)> Tokens(string template)
    {
        var text = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '%' && i + 1 < template.Length && template[i + 1] == '%')
            {
                text.Append('%');
                i++;
            }
            else if (c == '%' && i + 1 < template.Length && template[i + 1] == '{')
            {
                var close = template.IndexOf('}', i + 2);
                if (text.Length > 0)
                {
                    yield return (TokenKind.Text, text.ToString());
                    text.Clear();
                }

                if (close < 0)
                {
                    yield return (TokenKind.Unclosed, template[(i + 2)..]);
                    yield break;
                }

                yield return (TokenKind.Variable, template[(i + 2)..close]);
                i = close;
            }
            else if (c == '\\' && i + 1 < template.Length && template[i + 1] is 'n' or 'r' or 't' or '\\')
            {
                text.Append(template[i + 1] switch { 'n' => '\n', 'r' => '\r', 't' => '\t', _ => '\\' });
                i++;
            }
            else
            {
                text.Append(c);
            }
        }

        if (text.Length > 0)
        {
            yield return (TokenKind.Text, text.ToString());
        }
    }

    private static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(double value) => value.ToString("0.000000", CultureInfo.InvariantCulture);

    /// <summary>curl writes 1.1, 2 and 3.</summary>
    private static string HttpVersion(string protocol) => protocol switch
    {
        "HTTP/2.0" or "HTTP/2" => "2",
        "HTTP/3" or "HTTP/3.0" => "3",
        "HTTP/1.0" => "1.0",
        _ => "1.1",
    };

    private static (string Ip, string Port) Address(System.Net.EndPoint? endPoint) => endPoint switch
    {
        System.Net.IPEndPoint ip => (ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4().ToString() : ip.Address.ToString(), Integer(ip.Port)),
        _ => ("", ""),
    };
}
