using System.CommandLine;
using Hxi.Net.Client;
using Hxi.Protocols.Tls;

namespace Hxi.Cli.Commands;

/// <summary>
/// The QUIC knobs of a one-shot request (the interop runner's keyupdate and chacha20 cases): when hxi starts its own
/// key update, and which TLS 1.3 cipher suites its QUIC handshake offers.
/// </summary>
public sealed record QuicFlags
{
    public Option<long?> KeyUpdateAfter { get; } = new("--key-update-after")
    {
        Description = "HTTP/3: start a QUIC key update (RFC 9001 6) after every N 1-RTT packets sent",
        HelpName = "N",
    };

    public Option<string?> TlsCiphers { get; } = new("--tls-ciphers")
    {
        Description = "HTTP/3: the TLS 1.3 cipher suites QUIC offers, in order, ':' or ',' separated (e.g. TLS_CHACHA20_POLY1305_SHA256)",
        HelpName = "LIST",
    };

    public Option<string?> CongestionControl { get; } = new("--cc")
    {
        Description = "HTTP/3: QUIC congestion control, cubic (RFC 9438, the default) or newreno (RFC 9002)",
        HelpName = "cubic|newreno",
    };

    public Option<bool> NoEcn { get; } = new("--no-ecn")
    {
        Description = "HTTP/3: send datagrams unmarked (Not-ECT) instead of ECT(0) and skip ECN validation; received ECN marks are still counted and reported (RFC 9000 13.4)",
    };

    public IEnumerable<Option> All => [KeyUpdateAfter, TlsCiphers, CongestionControl, NoEcn];

    /// <summary>What the flags asked for, checked; a bad value is a usage error naming the flag.</summary>
    public QuicSettings Read(ParseResult result) => new()
    {
        KeyUpdateAfter = result.GetValue(KeyUpdateAfter) switch
        {
            null => 0,
            >= 1 and var n => n,
            var n => throw new HxiException(FailureKind.Usage, $"--key-update-after takes a packet count of at least 1, not {n}"),
        },
        CipherSuites = result.GetValue(TlsCiphers) is { } list ? ParseCipherSuites(list) : null,
        CongestionControl = result.GetValue(CongestionControl)?.ToLowerInvariant() switch
        {
            null or "cubic" => Hxi.Protocols.Quic.Recovery.CongestionControl.Cubic,
            "newreno" or "reno" => Hxi.Protocols.Quic.Recovery.CongestionControl.NewReno,
            var other => throw new HxiException(FailureKind.Usage, $"--cc takes cubic or newreno, not '{other}'"),
        },
        Ecn = !result.GetValue(NoEcn),
    };

    /// <summary>Names as in RFC 9846 Appendix B.4 (TLS_AES_128_GCM_SHA256...), or the hex code (0x1303).</summary>
    public static IReadOnlyList<TlsCipherSuite> ParseCipherSuites(string list)
    {
        var suites = new List<TlsCipherSuite>();
        foreach (var name in list.Split([':', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var suite = TlsCipherSuites.All.FirstOrDefault(s => string.Equals(TlsCipherSuites.Name(s), name, StringComparison.OrdinalIgnoreCase)
                || string.Equals($"0x{(ushort)s:x4}", name, StringComparison.OrdinalIgnoreCase));
            if (suite == default)
            {
                throw new HxiException(FailureKind.Usage,
                    $"--tls-ciphers: '{name}' is not a TLS 1.3 cipher suite QUIC can use ({string.Join(", ", TlsCipherSuites.All.Select(TlsCipherSuites.Name))})");
            }

            if (!suites.Contains(suite))
            {
                suites.Add(suite);
            }
        }

        return suites.Count > 0 ? suites : throw new HxiException(FailureKind.Usage, "--tls-ciphers needs at least one cipher suite");
    }
}

/// <summary>The checked values of <see cref="QuicFlags"/>.</summary>
public sealed record QuicSettings
{
    /// <summary>0: hxi only follows the peer's key updates.</summary>
    public long KeyUpdateAfter { get; init; }

    /// <summary>Null keeps hxi's default offer (all three).</summary>
    public IReadOnlyList<TlsCipherSuite>? CipherSuites { get; init; }

    public Hxi.Protocols.Quic.Recovery.CongestionControl CongestionControl { get; init; } = Hxi.Protocols.Quic.Recovery.CongestionControl.Cubic;

    /// <summary>False with --no-ecn: datagrams go out Not-ECT.</summary>
    public bool Ecn { get; init; } = true;

    public ClientOptions ApplyTo(ClientOptions options) => options with
    {
        QuicEcn = Ecn,
        QuicCongestionControl = CongestionControl,
        QuicKeyUpdateInterval = KeyUpdateAfter,
        QuicCipherSuites = CipherSuites ?? options.QuicCipherSuites,
    };
}
