using Hxi.Protocols.Primitives;

namespace Hxi.Server.Http3;

/// <summary>An HTTP/3 request as it arrived, turned into a request for the h2c backend.</summary>
internal sealed class FrontendRequest(long streamId, IReadOnlyList<HeaderField> fields)
{
    /// <summary>Tells the routes that the client really spoke HTTP/3, since the backend hop is h2c.</summary>
    public const string FrontendHeader = "x-hxi-frontend";

    public long StreamId { get; } = streamId;

    public MemoryStream Body { get; } = new();

    public string Method => Pseudo(":method") ?? "GET";

    public string Path => Pseudo(":path") ?? "/";

    public HttpRequestMessage ToBackendRequest(Uri backend)
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), new Uri(backend, Path))
        {
            // The backend endpoint speaks only h2c (prior knowledge); a message defaults to HTTP/1.1.
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (Body.Length > 0)
        {
            message.Content = new DuplexBodyContent(Body.ToArray());
        }

        foreach (var field in fields.Where(f => !f.IsPseudo))
        {
            if (!message.Headers.TryAddWithoutValidation(field.Name, field.Value))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(field.Name, field.Value);
            }
        }

        message.Headers.TryAddWithoutValidation(FrontendHeader, "HTTP/3");
        if (Pseudo(":authority") is { } authority)
        {
            message.Headers.Host = authority;
        }

        return message;
    }

    private string? Pseudo(string name) => fields.FirstOrDefault(f => f.Name == name).Value;
}
