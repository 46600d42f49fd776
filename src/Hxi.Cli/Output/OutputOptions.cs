namespace Hxi.Cli.Output;

/// <summary>Where and how the response is written.</summary>
public sealed record OutputOptions
{
    /// <summary>Print the status line and headers (a terminal, -i, -I, or -v).</summary>
    public bool ShowHead { get; init; }

    /// <summary>Write the body (off with -I).</summary>
    public bool ShowBody { get; init; } = true;

    /// <summary>-o FILE; null means standard output.</summary>
    public string? OutputFile { get; init; }

    /// <summary>Pretty-print JSON and summarise binary: only for a terminal.</summary>
    public bool Pretty { get; init; }

    /// <summary>Decode Content-Encoding (gzip, deflate, br): --compressed.</summary>
    public bool Decompress { get; init; }

    /// <summary>Show a progress bar on stderr while writing to -o.</summary>
    public bool Progress { get; init; }

    public required Palette Colours { get; init; }
}
