using Hxi.Cli.Wire;
using Hxi.Net.Client;

namespace Hxi.Cli.Repl;

/// <summary>How <c>hxi repl</c> was started: where to, how to connect, where lines come from and what to show.</summary>
public sealed record ReplSettings
{
    public required Uri Url { get; init; }

    public ProtocolMode Mode { get; init; } = ProtocolMode.Auto;

    /// <summary>--quic-version: the QUIC version of the first Initial (1 or 2).</summary>
    public uint QuicVersion { get; init; } = Protocols.Quic.Packets.QuicVersion.Version1;

    public string? CaCertificate { get; init; }

    public bool Insecure { get; init; }

    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary>Run these lines instead of reading a terminal.</summary>
    public string? ScriptFile { get; init; }

    /// <summary>Write every accepted line here, as a script that replays the session.</summary>
    public string? RecordFile { get; init; }

    /// <summary>The REPL shows frames unless told not to: watching them is what it is for.</summary>
    public WireViewOptions View { get; init; } = new(true, false, false);

    /// <summary>Start with <c>strict on</c>: malformed responses fail as in the one-shot CLI instead of being warnings.</summary>
    public bool Strict { get; init; }

    /// <summary>How long a request waits for its response unless --timeout says otherwise.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long a request may wait for its response.</summary>
    public TimeSpan RequestTimeout { get; init; } = DefaultRequestTimeout;

    /// <summary>--har FILE: the session's requests and responses as HAR 1.2, written when it ends.</summary>
    public string? HarFile { get; init; }
}
