namespace Hxi.Cli.Commands;

/// <summary>Everything the one-shot command line says about the request and how to show it.</summary>
public sealed record RequestSpec
{
    public required string Url { get; init; }

    public string? Method { get; init; }

    public IReadOnlyList<string> Headers { get; init; } = [];

    public IReadOnlyList<string> Items { get; init; } = [];

    public string? Data { get; init; }

    public string? Json { get; init; }

    public IReadOnlyList<string> Form { get; init; } = [];

    public string? User { get; init; }

    public bool Head { get; init; }

    public bool Compressed { get; init; }
}
