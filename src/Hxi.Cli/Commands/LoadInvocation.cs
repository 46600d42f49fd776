using Hxi.Net.Client;

namespace Hxi.Cli.Commands;

/// <summary>A parsed <c>hxi load</c> command line, before it is checked.</summary>
public sealed record LoadInvocation
{
    public required IReadOnlyList<string> Urls { get; init; }

    public long? RequestCount { get; init; }

    public double? Duration { get; init; }

    public int Clients { get; init; } = 1;

    public int StreamsPerClient { get; init; } = 1;

    public int? Threads { get; init; }

    public double? RequestsPerSecond { get; init; }

    public double? WarmUp { get; init; }

    public double? Timeout { get; init; }

    public double? ConnectTimeout { get; init; }

    public string? Method { get; init; }

    public IReadOnlyList<string> Headers { get; init; } = [];

    public string? Data { get; init; }

    public string? Json { get; init; }

    public ProtocolMode Protocol { get; init; }

    public bool Insecure { get; init; }

    public string? CaCertificate { get; init; }

    public string? OutputFile { get; init; }

    public bool Silent { get; init; }
}
