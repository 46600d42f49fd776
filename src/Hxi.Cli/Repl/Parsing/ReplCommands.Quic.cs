using System.Net;

namespace Hxi.Cli.Repl.Parsing;

/// <summary>migrate [ADDR]: move the QUIC connection to a new local port (or address), RFC 9000 Section 9.</summary>
public sealed record MigrateCommand(IPAddress? LocalAddress) : ReplInstruction;
