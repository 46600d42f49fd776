namespace Hxi.Cli.Output;

/// <summary>ANSI colours, on only for a terminal and never when NO_COLOR is set (https://no-color.org).</summary>
public sealed class Palette(bool enabled)
{
    public static readonly Palette None = new(false);

    public bool Enabled { get; } = enabled;

    /// <summary>Colour when the stream is a terminal, NO_COLOR is unset or empty, and TERM is not "dumb".</summary>
    public static Palette For(bool redirected) =>
        new(!redirected
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
            && Environment.GetEnvironmentVariable("TERM") != "dumb");

    public string Dim(string text) => Wrap("2", text);

    public string Bold(string text) => Wrap("1", text);

    public string Red(string text) => Wrap("31", text);

    public string Green(string text) => Wrap("32", text);

    public string Yellow(string text) => Wrap("33", text);

    public string Blue(string text) => Wrap("34", text);

    public string Magenta(string text) => Wrap("35", text);

    public string Cyan(string text) => Wrap("36", text);

    private string Wrap(string code, string text) => Enabled ? $"\u001b[{code}m{text}\u001b[0m" : text;
}
