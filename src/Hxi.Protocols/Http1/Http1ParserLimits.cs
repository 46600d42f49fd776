namespace Hxi.Protocols.Http1;

/// <summary>Bounds that keep a hostile or broken server from making the parser buffer without end.</summary>
/// <remarks>Lengths exclude the line end. Body sizes are not limited: body bytes are never buffered.</remarks>
public sealed record Http1ParserLimits
{
    public static Http1ParserLimits Default { get; } = new();

    public int MaxStatusLineLength { get; init; } = 8 * 1024;

    /// <summary>Bytes of the header section after the status line, line ends included.</summary>
    public int MaxHeaderBytes { get; init; } = 64 * 1024;

    /// <summary>Fields in one header section, and separately in one trailer section.</summary>
    public int MaxHeaderCount { get; init; } = 256;

    public int MaxChunkSizeLineLength { get; init; } = 1024;

    /// <summary>Bytes of the trailer section after the last chunk, line ends included.</summary>
    public int MaxTrailerBytes { get; init; } = 16 * 1024;
}
