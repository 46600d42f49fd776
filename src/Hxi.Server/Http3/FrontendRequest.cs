using Hxi.Protocols.Primitives;

namespace Hxi.Server.Http3;

/// <summary>An HTTP/3 request as it arrived, turned into a request for the h2c backend.</summary>
internal sealed class FrontendRequest(long streamId, RequestHead head, IReadOnlyList<HeaderField> fields)
{
    /// <summary>Tells the routes that the client really spoke HTTP/3, since the backend hop is h2c.</summary>
    public const string FrontendHeader = "x-hxi-frontend";

    public long StreamId { get; } = streamId;

    public MemoryStream Body { get; } = new();

    public string Method => head.Method;

    public string Path => head.Path;

    public HttpRequestMessage ToBackendRequest(Uri backend)
    {
        // The backend's scheme, host and port, then the client's path as a path: never new Uri(backend, Path), which
        // resolves "//host:port/x" to another server.
        var message = new HttpRequestMessage(new HttpMethod(Method), new Uri(backend.GetLeftPart(UriPartial.Authority) + Path))
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
        if (head.Authority is { } authority)
        {
            message.Headers.Host = authority;
        }

        return message;
    }
}
