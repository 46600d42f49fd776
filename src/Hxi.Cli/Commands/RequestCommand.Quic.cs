using System.CommandLine;
using System.Net;
using Hxi.Net.Client;
using Hxi.Net.Quic;
using Hxi.Protocols.Quic.Packets;

namespace Hxi.Cli.Commands;

/// <summary>The QUIC version and path-migration options (RFC 9369, RFC 9368, RFC 9000 Section 9); also parsed by the REPL.</summary>
public sealed partial class RequestCommand
{
    public Option<string?> QuicVersion { get; } = new("--quic-version")
    {
        Description = "QUIC version of the first Initial: 1 (RFC 9000) or 2 (RFC 9369); a server may still upgrade 1 to 2 (RFC 9368)",
        HelpName = "1|2",
    };

    public Option<long?> RebindAfter { get; } = new("--rebind-after")
    {
        Description = "move the QUIC connection to a new local UDP port after N packets received (a migration test: PATH_CHALLENGE, new connection ID)",
        HelpName = "N",
    };

    public Option<string?> RebindAddress { get; } = new("--rebind-address")
    {
        Description = "with --rebind-after, bind the new socket to this local address (e.g. 127.0.0.2) instead of changing only the port",
        HelpName = "ADDR",
    };

    public Option<bool> NoPreferredAddress { get; } = new("--no-preferred-address")
    {
        Description = "stay on the server's address even when it offers a preferred address (RFC 9000 9.6); by default hxi validates it and moves there",
    };

    /// <summary>The QUIC version named on a command line ("1", "2", "v2" or a hex number): one hxi speaks, or a usage error.</summary>
    public static uint ParseQuicVersion(string text)
    {
        var value = text.Trim().ToLowerInvariant() switch
        {
            "1" or "v1" => Protocols.Quic.Packets.QuicVersion.Version1,
            "2" or "v2" => Protocols.Quic.Packets.QuicVersion.Version2,
            var hex when hex.StartsWith("0x", StringComparison.Ordinal) && uint.TryParse(hex[2..], System.Globalization.NumberStyles.HexNumber, null, out var number) => number,
            _ => 0u,
        };
        return Protocols.Quic.Packets.QuicVersion.IsSupported(value)
            ? value
            : throw new HxiException(FailureKind.Usage, $"--quic-version takes 1 or 2 (QUIC v1, RFC 9000; v2, RFC 9369), not '{text}'");
    }

    /// <summary>--quic-version, --rebind-after, --rebind-address and --no-preferred-address, checked.</summary>
    public QuicPathOptions QuicPathFrom(ParseResult result)
    {
        var rebindAfter = result.GetValue(RebindAfter);
        if (rebindAfter is <= 0)
        {
            throw new HxiException(FailureKind.Usage, $"--rebind-after takes a number of packets above 0, not {rebindAfter}");
        }

        IPAddress? address = null;
        if (result.GetValue(RebindAddress) is { } text)
        {
            if (!IPAddress.TryParse(text, out address))
            {
                throw new HxiException(FailureKind.Usage, $"--rebind-address takes a local IP address such as 127.0.0.2, not '{text}'");
            }

            if (rebindAfter is null)
            {
                throw new HxiException(FailureKind.Usage, "--rebind-address goes with --rebind-after N (when to move)");
            }
        }

        return new QuicPathOptions
        {
            Version = result.GetValue(QuicVersion) is { } version ? ParseQuicVersion(version) : Protocols.Quic.Packets.QuicVersion.Version1,
            RebindAfterPackets = rebindAfter ?? 0,
            RebindAddress = address,
            UsePreferredAddress = !result.GetValue(NoPreferredAddress),
        };
    }

    private IEnumerable<Option> QuicPathOptionList => [QuicVersion, RebindAfter, RebindAddress, NoPreferredAddress];
}
