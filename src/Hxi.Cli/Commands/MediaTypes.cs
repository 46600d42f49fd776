namespace Hxi.Cli.Commands;

/// <summary>The Content-Type of a `-F name=@file` part, from the file's extension, as curl's own table does.</summary>
public static class MediaTypes
{
    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".avif"] = "image/avif",
        [".css"] = "text/css",
        [".csv"] = "text/csv",
        [".gif"] = "image/gif",
        [".gz"] = "application/gzip",
        [".htm"] = "text/html",
        [".html"] = "text/html",
        [".jpeg"] = "image/jpeg",
        [".jpg"] = "image/jpeg",
        [".js"] = "application/javascript",
        [".json"] = "application/json",
        [".md"] = "text/markdown",
        [".mp3"] = "audio/mpeg",
        [".mp4"] = "video/mp4",
        [".pdf"] = "application/pdf",
        [".png"] = "image/png",
        [".svg"] = "image/svg+xml",
        [".txt"] = "text/plain",
        [".wasm"] = "application/wasm",
        [".webp"] = "image/webp",
        [".xml"] = "application/xml",
        [".zip"] = "application/zip",
    };

    /// <summary>The type for <paramref name="fileName"/>; application/octet-stream when the extension says nothing.</summary>
    public static string ForFileName(string fileName) =>
        ByExtension.TryGetValue(Path.GetExtension(fileName), out var type) ? type : "application/octet-stream";
}
