using System.Globalization;
using System.Net;
using System.Text;
using Hxi.Net.Client;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Commands;

/// <summary>
/// curl's cookie engine: `-b 'name=value; n2=v2'` or `-b FILE` (Netscape format) to send, `-c FILE` to save what the
/// servers set. Set-Cookie answers are kept across redirects, so a login that redirects carries its session on.
/// </summary>
public sealed class CookieJar
{
    private readonly CookieContainer _cookies = new();
    private readonly string? _literal;

    private CookieJar(string? literal) => _literal = literal;

    /// <summary>The jar for `-b` and `-c`; null when neither was given.</summary>
    public static CookieJar? From(string? cookie, string? jarFile)
    {
        if (cookie is null && jarFile is null)
        {
            return null;
        }

        // As curl: a -b argument with '=' is the cookies themselves, anything else a file to read.
        if (cookie is not null && cookie.Contains('='))
        {
            return new CookieJar(cookie.Trim());
        }

        var jar = new CookieJar(null);
        if (cookie is not null)
        {
            if (!File.Exists(cookie))
            {
                throw new HxiException(FailureKind.Usage, $"-b {cookie}: no such file (a cookie is given as name=value)");
            }

            jar.Load(File.ReadAllLines(cookie));
        }

        return jar;
    }

    /// <summary>Adds the Cookie header for <paramref name="request"/>'s URL, unless the user gave one with -H.</summary>
    public HxiRequest Apply(HxiRequest request)
    {
        if (request.Headers.Any(h => h.Name.Equals("cookie", StringComparison.OrdinalIgnoreCase)))
        {
            return request;
        }

        var stored = _cookies.GetCookieHeader(request.Url);
        var value = string.Join("; ", new[] { _literal, stored }.Where(v => !string.IsNullOrEmpty(v)));
        return value.Length == 0 ? request : request with { Headers = [.. request.Headers, new HeaderField("Cookie", value)] };
    }

    /// <summary>Keeps the cookies a response sets; a malformed Set-Cookie is skipped, as curl skips it.</summary>
    public void Store(Uri url, ResponseHead head)
    {
        foreach (var field in head.Headers.Where(h => h.Name.Equals("set-cookie", StringComparison.OrdinalIgnoreCase)))
        {
            try
            {
                _cookies.SetCookies(url, field.Value);
            }
            catch (CookieException)
            {
            }
        }
    }

    /// <summary>Writes every cookie in curl's Netscape format (`-c FILE`).</summary>
    public void Save(string path)
    {
        var text = new StringBuilder("# Netscape HTTP Cookie File\n# Written by hxi. Edit at your own risk.\n\n");
        foreach (var cookie in _cookies.GetAllCookies().Where(c => !c.Expired))
        {
            var domain = cookie.Domain;
            var subdomains = domain.StartsWith('.');
            var expires = cookie.Expires == DateTime.MinValue ? 0 : new DateTimeOffset(cookie.Expires.ToUniversalTime()).ToUnixTimeSeconds();
            text.Append(cookie.HttpOnly ? "#HttpOnly_" : "").Append(domain).Append('\t')
                .Append(subdomains ? "TRUE" : "FALSE").Append('\t')
                .Append(string.IsNullOrEmpty(cookie.Path) ? "/" : cookie.Path).Append('\t')
                .Append(cookie.Secure ? "TRUE" : "FALSE").Append('\t')
                .Append(expires.ToString(CultureInfo.InvariantCulture)).Append('\t')
                .Append(cookie.Name).Append('\t').Append(cookie.Value).Append('\n');
        }

        try
        {
            File.WriteAllText(path, text.ToString());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HxiException(FailureKind.Usage, $"-c {path}: {ex.Message}", ex);
        }
    }

    /// <summary>Reads curl's Netscape format: domain, subdomains, path, secure, expiry, name, value, tab-separated.</summary>
    private void Load(IEnumerable<string> lines)
    {
        foreach (var raw in lines)
        {
            var httpOnly = raw.StartsWith("#HttpOnly_", StringComparison.Ordinal);
            var line = httpOnly ? raw["#HttpOnly_".Length..] : raw;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length < 7 || !long.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out var expiry))
            {
                continue;
            }

            var cookie = new Cookie(fields[5], fields[6], fields[2], fields[0])
            {
                Secure = fields[3] == "TRUE",
                HttpOnly = httpOnly,
            };
            if (expiry > 0)
            {
                cookie.Expires = DateTimeOffset.FromUnixTimeSeconds(Math.Min(expiry, 253402300799)).UtcDateTime;
            }

            try
            {
                _cookies.Add(cookie);
            }
            catch (CookieException)
            {
            }
        }
    }
}
