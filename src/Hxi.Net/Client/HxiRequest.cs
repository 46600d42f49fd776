using Hxi.Protocols.Primitives;

namespace Hxi.Net.Client;

/// <summary>A request as the user means it, before any protocol has dressed it.</summary>
/// <param name="Headers">Ordinary header fields; pseudo-headers and Host are derived from the URL.</param>
public sealed record HxiRequest(string Method, Uri Url, IReadOnlyList<HeaderField> Headers, RequestBody? Body = null)
{
    /// <summary>The request target: path and query, never empty.</summary>
    public string Target => string.IsNullOrEmpty(Url.PathAndQuery) ? "/" : Url.PathAndQuery;

    /// <summary>host[:port], the port omitted when it is the scheme's default.</summary>
    public string Authority => Url.IsDefaultPort ? Url.IdnHost : $"{HostForAuthority(Url)}:{Url.Port}";

    private static string HostForAuthority(Uri url) =>
        url.HostNameType == UriHostNameType.IPv6 ? $"[{url.IdnHost.Trim('[', ']')}]" : url.IdnHost;
}

/// <summary>A request body that can be opened more than once (redirects and retries resend it).</summary>
public abstract class RequestBody
{
    /// <summary>The length when known up front; null sends chunked on HTTP/1.1.</summary>
    public abstract long? Length { get; }

    public abstract Stream Open();

    public static RequestBody FromBytes(byte[] bytes) => new BytesBody(bytes);

    public static RequestBody FromFile(string path) => new FileBody(path);

    private sealed class BytesBody(byte[] bytes) : RequestBody
    {
        public override long? Length => bytes.Length;

        public override Stream Open() => new MemoryStream(bytes, writable: false);
    }

    private sealed class FileBody(string path) : RequestBody
    {
        public override long? Length => new FileInfo(path).Length;

        public override Stream Open() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
    }
}
