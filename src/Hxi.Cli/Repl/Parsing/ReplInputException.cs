namespace Hxi.Cli.Repl.Parsing;

/// <summary>Input the REPL cannot act on; the message is the one clear line the user sees.</summary>
public sealed class ReplInputException(string message) : Exception(message);
