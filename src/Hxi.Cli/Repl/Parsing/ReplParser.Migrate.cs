using System.Net;

namespace Hxi.Cli.Repl.Parsing;

public static partial class ReplParser
{
    private static MigrateCommand Migrate(IEnumerable<string> words)
    {
        var args = ReplArguments.Parse("migrate", words, NoOptions, NoOptions);
        if (args.Positionals.Count > 1)
        {
            throw new ReplInputException("migrate takes at most one local address: migrate [ADDR]");
        }

        if (args.Positionals.Count == 0)
        {
            return new MigrateCommand(null);
        }

        return IPAddress.TryParse(args.Positionals[0], out var address)
            ? new MigrateCommand(address)
            : throw new ReplInputException($"migrate: '{args.Positionals[0]}' is not a local IP address (such as 127.0.0.2)");
    }
}
