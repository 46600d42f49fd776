namespace Hxi.Cli.Repl.Terminal;

/// <summary>
/// Lines from a script file or a non-terminal standard input, read plainly; each is echoed after its
/// prompt so the output reads as a transcript of the session.
/// </summary>
public sealed class ScriptInput(TextReader reader, TextWriter transcript) : IReplInput
{
    public bool IsInteractive => false;

    public async Task<ReplLine> ReadLineAsync(string prompt, CancellationToken ct)
    {
        var line = await reader.ReadLineAsync(ct);
        if (line is null)
        {
            return ReplLine.EndOfInput;
        }

        transcript.WriteLine(prompt + line);
        return new ReplLine(ReplLineKind.Text, line);
    }
}
