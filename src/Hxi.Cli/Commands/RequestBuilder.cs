using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hxi.Net.Client;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Commands;

/// <summary>Turns command-line words into an <see cref="HxiRequest"/>, or a one-line usage error.</summary>
public static class RequestBuilder
{
    public const string AcceptEncodingCompressed = "gzip, deflate, br";

    /// <summary>Builds the request; <paramref name="askPassword"/> asks for the password of `-u user` (null: not on a terminal).</summary>
    public static async Task<HxiRequest> BuildAsync(RequestSpec spec, CancellationToken ct, Func<string, string?>? askPassword = null)
    {
        var url = ParseUrl(spec.Url);
        var headers = new List<HeaderField>();
        var removed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var query = new List<(string Name, string Value)>();
        var dataFields = new JsonObject();
        foreach (var text in spec.Headers)
        {
            AddHeader(headers, removed, text, "-H");
        }

        foreach (var text in spec.Items)
        {
            if (!RequestItem.TryParse(text, out var item) || item is null)
            {
                throw Usage($"request item '{text}' is not Name:value, name==value, field=value or field:=json");
            }

            switch (item.Kind)
            {
                case RequestItemKind.Header:
                    AddHeader(headers, removed, $"{item.Name}:{item.Value}", "request item");
                    break;
                case RequestItemKind.Query:
                    query.Add((item.Name, item.Value));
                    break;
                case RequestItemKind.DataField:
                    dataFields[item.Name] = item.Value;
                    break;
                case RequestItemKind.JsonField:
                    dataFields[item.Name] = ParseJson(item.Value, $"request item '{text}'");
                    break;
            }
        }

        if (query.Count > 0)
        {
            url = AddQuery(url, query);
        }

        if (spec.User is { } user)
        {
            if (!user.Contains(':'))
            {
                // As curl: `-u alice` asks for the password on the terminal.
                var password = (askPassword ?? PasswordPrompt.Ask)(user)
                    ?? throw Usage($"-u {user}: no password, and standard input is not a terminal to ask for one (use -u {user}:PASSWORD)");
                user = $"{user}:{password}";
            }

            headers.Add(new HeaderField("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user))));
        }

        if (spec.Compressed && !Has(headers, "accept-encoding"))
        {
            headers.Add(new HeaderField("Accept-Encoding", AcceptEncodingCompressed));
        }

        var body = await BuildBodyAsync(spec, dataFields, headers, ct);
        var method = spec.Method?.ToUpperInvariant() ?? (spec.Head ? "HEAD" : body is null ? "GET" : "POST");
        if (method.Length == 0 || method.Any(c => c <= ' ' || c >= 0x7f || "()<>@,;:\\\"/[]?={}".Contains(c)))
        {
            throw Usage($"'{spec.Method}' is not a valid method token");
        }

        AddDefaults(headers, removed);
        headers.RemoveAll(h => removed.Contains(h.Name));
        return new HxiRequest(method, url, headers, body);
    }

    /// <summary>
    /// curl's defaults, first as curl sends them: `User-Agent: hxi/VERSION` and `Accept: */*`, unless the user gave
    /// the header or removed it with `-H 'Name:'`.
    /// </summary>
    private static void AddDefaults(List<HeaderField> headers, HashSet<string> removed)
    {
        var defaults = new List<HeaderField>();
        foreach (var field in new[] { new HeaderField("User-Agent", ProductVersion.UserAgent), new HeaderField("Accept", "*/*") })
        {
            if (!Has(headers, field.Name) && !removed.Contains(field.Name))
            {
                defaults.Add(field);
            }
        }

        headers.InsertRange(0, defaults);
    }

    /// <summary>
    /// Adds one `-H` header with curl's two special forms: `Name:` with nothing after the colon removes the header
    /// (hxi's defaults included), `Name;` sends it with an empty value.
    /// </summary>
    private static void AddHeader(List<HeaderField> headers, HashSet<string> removed, string text, string source)
    {
        var trimmed = text.Trim();
        if (trimmed.EndsWith(';') && !trimmed.Contains(':'))
        {
            var field = ParseHeader(trimmed[..^1] + ":", source);
            removed.Remove(field.Name);
            headers.Add(field);
            return;
        }

        var parsed = ParseHeader(text, source);
        if (parsed.Value.Length == 0)
        {
            removed.Add(parsed.Name);
            headers.RemoveAll(h => h.Name.Equals(parsed.Name, StringComparison.OrdinalIgnoreCase));
            return;
        }

        removed.Remove(parsed.Name);
        headers.Add(parsed);
    }

    public static Uri ParseUrl(string text)
    {
        // Like curl and httpx: a bare host or host:port means http.
        var candidate = text.Contains("://", StringComparison.Ordinal) ? text
            : text.StartsWith(':') ? $"http://localhost{text}"
            : $"http://{text}";
        if (!Uri.TryCreate(candidate, UriKind.Absolute, out var url) || string.IsNullOrEmpty(url.Host))
        {
            throw Usage($"'{text}' is not a valid URL");
        }

        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            throw Usage($"unsupported URL scheme '{url.Scheme}' in '{text}' (use http or https)");
        }

        return url;
    }

    public static HeaderField ParseHeader(string text, string source)
    {
        var colon = text.IndexOf(':');
        if (colon <= 0)
        {
            throw Usage($"{source} '{text}' is not 'Name: value'");
        }

        var name = text[..colon].Trim();
        var value = text[(colon + 1)..].Trim();
        if (name.Any(c => c <= ' ' || c >= 0x7f || "()<>@,;:\\\"/[]?={}".Contains(c)))
        {
            throw Usage($"{source} '{text}': '{name}' is not a valid header name");
        }

        if (value.Any(c => c is '\r' or '\n' or '\0'))
        {
            throw Usage($"{source} '{name}': the value contains CR, LF or NUL");
        }

        return new HeaderField(name, value);
    }

    private static async Task<RequestBody?> BuildBodyAsync(RequestSpec spec, JsonObject dataFields, List<HeaderField> headers, CancellationToken ct)
    {
        var sources = new[] { spec.Data is not null, spec.Json is not null, spec.Form.Count > 0, dataFields.Count > 0 }.Count(x => x);
        if (sources > 1)
        {
            throw Usage("use only one of -d/--data, --json, -F/--form and data request items");
        }

        if (spec.Data is { } data)
        {
            // curl's default for -d; `-H 'Content-Type: ...'` overrides it and `-H 'Content-Type:'` drops it.
            SetDefault(headers, "Content-Type", "application/x-www-form-urlencoded");
            return ReadTextOrFile(data, "-d");
        }

        if (spec.Json is { } json)
        {
            var body = ReadTextOrFile(json, "--json");
            using var stream = body.Open();
            ParseJson(Encoding.UTF8.GetString(ReadAll(stream)), "--json");
            SetDefault(headers, "Content-Type", "application/json");
            SetDefault(headers, "Accept", "application/json");
            return body;
        }

        if (dataFields.Count > 0)
        {
            SetDefault(headers, "Content-Type", "application/json");
            SetDefault(headers, "Accept", "application/json, */*;q=0.5");
            return RequestBody.FromBytes(Encoding.UTF8.GetBytes(dataFields.ToJsonString()));
        }

        if (spec.Form.Count > 0)
        {
            return await BuildMultipartAsync(spec.Form, headers, ct);
        }

        return null;
    }

    private static async Task<RequestBody> BuildMultipartAsync(IReadOnlyList<string> form, List<HeaderField> headers, CancellationToken ct)
    {
        using var content = new MultipartFormDataContent($"hxi-{Guid.NewGuid():N}");
        foreach (var entry in form)
        {
            var equals = entry.IndexOf('=');
            if (equals <= 0)
            {
                throw Usage($"-F '{entry}' is not name=value or name=@file");
            }

            var name = entry[..equals];
            var value = entry[(equals + 1)..];
            if (value.StartsWith('@'))
            {
                var path = value[1..];
                var file = new ByteArrayContent(ReadFile(path, "-F"));
                file.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.ForFileName(path));
                AddFormPart(content, file, name, Path.GetFileName(path));
            }
            else
            {
                AddFormPart(content, new ByteArrayContent(Encoding.UTF8.GetBytes(value)), name, fileName: null);
            }
        }

        var bytes = await content.ReadAsByteArrayAsync(ct);
        SetDefault(headers, "Content-Type", content.Headers.ContentType!.ToString());
        return RequestBody.FromBytes(bytes);
    }

    /// <summary>
    /// One part, as curl writes it (RFC 7578 Section 4.2): quoted name and filename, no RFC 5987 filename*
    /// (which RFC 7578 Section 4.2 says not to use) and no Content-Type on plain fields.
    /// </summary>
    private static void AddFormPart(MultipartFormDataContent content, HttpContent part, string name, string? fileName)
    {
        part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data")
        {
            Name = QuotedString(name),
            FileName = fileName is null ? null : QuotedString(fileName),
        };
        content.Add(part);
    }

    private static string QuotedString(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static RequestBody ReadTextOrFile(string value, string option) =>
        value.StartsWith('@') ? FileBody(value[1..], option) : RequestBody.FromBytes(Encoding.UTF8.GetBytes(value));

    private static RequestBody FileBody(string path, string option)
    {
        if (path == "-")
        {
            using var stdin = Console.OpenStandardInput();
            return RequestBody.FromBytes(ReadAll(stdin));
        }

        if (!File.Exists(path))
        {
            throw Usage($"{option} @{path}: no such file");
        }

        return RequestBody.FromFile(path);
    }

    private static byte[] ReadFile(string path, string option) =>
        File.Exists(path) ? File.ReadAllBytes(path) : throw Usage($"{option} @{path}: no such file");

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static JsonNode? ParseJson(string text, string source)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw Usage($"{source} is not valid JSON: {ex.Message}");
        }
    }

    private static Uri AddQuery(Uri url, List<(string Name, string Value)> query)
    {
        var extra = string.Join('&', query.Select(q => $"{Uri.EscapeDataString(q.Name)}={Uri.EscapeDataString(q.Value)}"));
        var builder = new UriBuilder(url) { Query = string.IsNullOrEmpty(url.Query) ? extra : $"{url.Query.TrimStart('?')}&{extra}" };
        return builder.Uri;
    }

    private static bool Has(List<HeaderField> headers, string name) =>
        headers.Any(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    private static void SetDefault(List<HeaderField> headers, string name, string value)
    {
        if (!Has(headers, name))
        {
            headers.Add(new HeaderField(name, value));
        }
    }

    private static HxiException Usage(string message) => new(FailureKind.Usage, message);
}
