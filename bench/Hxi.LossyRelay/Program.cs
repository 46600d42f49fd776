using System.Globalization;
using System.Net;
using Hxi.Net.Tests;

// The test kit's lossy UDP relay as a program, for bench/loss.sh: the same conditions each way.
//
//   hxi-lossy-relay SERVER-PORT [--loss P] [--reorder P] [--duplicate P] [--corrupt P] [--seed N]
//
// Prints the port it listens on (127.0.0.1), then relays until stdin closes; then prints what it did to stderr.
if (args.Length < 1 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var serverPort))
{
    Console.Error.WriteLine("usage: hxi-lossy-relay SERVER-PORT [--loss P] [--reorder P] [--duplicate P] [--corrupt P] [--seed N]");
    return 2;
}

double Share(string name)
{
    var index = Array.IndexOf(args, name);
    return index > 0 && index + 1 < args.Length ? double.Parse(args[index + 1], CultureInfo.InvariantCulture) : 0;
}

var conditions = new LinkConditions
{
    Loss = Share("--loss"),
    Reorder = Share("--reorder"),
    Duplicate = Share("--duplicate"),
    Corrupt = Share("--corrupt"),
};
var seed = (int)Share("--seed");
await using var relay = new UdpRelay(new IPEndPoint(IPAddress.Loopback, serverPort), conditions, conditions, seed == 0 ? 1 : seed);
Console.WriteLine(relay.EndPoint.Port);
Console.Out.Flush();
await Console.In.ReadToEndAsync();
Console.Error.WriteLine(relay.ToString());
return 0;
