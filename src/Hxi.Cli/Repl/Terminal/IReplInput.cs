namespace Hxi.Cli.Repl.Terminal;

/// <summary>What reading a line gave: text, the end of input (Ctrl-D, end of script), or Ctrl-C.</summary>
public readonly record struct ReplLine(ReplLineKind Kind, string Text = "")
{
    public static readonly ReplLine EndOfInput = new(ReplLineKind.EndOfInput);

    public static readonly ReplLine Interrupted = new(ReplLineKind.Interrupted);
}

public enum ReplLineKind
{
    Text,
    EndOfInput,
    Interrupted,
}

/// <summary>Where the REPL's lines come from: a person at a terminal, or a script.</summary>
public interface IReplInput
{
    /// <summary>A terminal: prompts are drawn, and lines are not echoed again.</summary>
    bool IsInteractive { get; }

    Task<ReplLine> ReadLineAsync(string prompt, CancellationToken ct);
}
