using System.Globalization;

namespace Hxi.Flood;

/// <summary>The flood's command line: <c>--name value</c> pairs, every one but --port, --pid and --ca with a default.</summary>
internal sealed record FloodOptions(int Port, int Pid, string CaPath)
{
    public int Garbage { get; init; } = 50_000;

    public int Initials { get; init; } = 20_000;

    public int Unknown { get; init; } = 20_000;

    public int Clients { get; init; } = 200;

    /// <summary>Flood datagrams per second (0: as fast as the sockets go).</summary>
    public int Rate { get; init; } = 5_000;

    /// <summary>Clients making requests throughout each flood.</summary>
    public int Probes { get; init; } = 4;

    /// <summary>Seconds to wait after a flood before reading the server's memory: past its handshake timeout (10 s).</summary>
    public int Settle { get; init; } = 12;

    public int SourcePorts { get; init; } = 512;

    public static FloodOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        int Int(string name, int fallback) =>
            values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

        string Required(string name) =>
            values.TryGetValue(name, out var text) ? text : throw new ArgumentException($"hxi-flood: --{name} is required");

        var defaults = new FloodOptions(0, 0, "");
        return new FloodOptions(int.Parse(Required("port"), CultureInfo.InvariantCulture), int.Parse(Required("pid"), CultureInfo.InvariantCulture), Required("ca"))
        {
            Garbage = Int("garbage", defaults.Garbage),
            Initials = Int("initials", defaults.Initials),
            Unknown = Int("unknown", defaults.Unknown),
            Clients = Int("clients", defaults.Clients),
            Rate = Int("rate", defaults.Rate),
            Probes = Int("probes", defaults.Probes),
            Settle = Int("settle", defaults.Settle),
            SourcePorts = Int("source-ports", defaults.SourcePorts),
        };
    }
}
