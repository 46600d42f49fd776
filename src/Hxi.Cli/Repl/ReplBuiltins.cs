using System.Globalization;
using System.Text;
using Hxi.Cli.Repl.Parsing;
using Hxi.Cli.Repl.Sessions;
using Hxi.Cli.Repl.Terminal;
using Hxi.Net.Client;

namespace Hxi.Cli.Repl;

/// <summary>The commands every protocol shares: help, set, stats and the waits that need no connection.</summary>
public static class ReplBuiltins
{
    public static void Help(ReplContext context, string? topic)
    {
        var colours = context.Colours;
        var text = new StringBuilder();
        if (topic is not null)
        {
            var entry = ReplHelp.Find(topic, context.Dialect) ?? ReplHelp.Find("GET")!;
            var only = entry.Http2Only ? " (HTTP/2 only.)" : ReplHelp.Http3Commands.Contains(entry) && ReplHelp.Find(topic) is null ? " (HTTP/3 only.)" : "";
            foreach (var line in TextWrap.Lines(entry.Synopsis, context.TerminalWidth()))
            {
                text.Append(colours.Bold(line)).Append('\n');
            }

            text.Append(TextWrap.Hanging("  ", 2, entry.Description + only, context.TerminalWidth()));
            context.Out.Write(text.ToString());
            return;
        }

        text.Append(colours.Bold("commands")).Append(" (help COMMAND for more; Tab completes; errors and settings take names or numbers)\n");
        foreach (var entry in ReplHelp.For(context.Dialect))
        {
            var name = entry.Name == "GET" ? "GET /path HTTP/1.1" : entry.Name;
            // The synopsis wraps under itself at the terminal's width: cut short, it would hide the options it lists.
            text.Append(TextWrap.Hanging("  " + colours.Cyan(name.PadRight(20)) + " ", 23, entry.Synopsis, context.TerminalWidth()));
        }

        context.Out.Write(text.ToString());
    }

    public static void Set(ReplContext context, SetCommand set)
    {
        var view = context.Renderer.View;
        if (set.Value is { } on)
        {
            view = set.Name switch
            {
                "frames" => view with { Frames = on },
                "hex" => view with { Hex = on },
                "quic" => view with { Quic = on },
                "qpack" => view with { Qpack = on },
                _ => view with { Hpack = on },
            };
            context.Renderer.View = view;
        }

        context.Note(context.Dialect == ReplDialect.Http3
            ? $"view: frames {OnOff(view.Frames)}, hex {OnOff(view.Hex)}, qpack {OnOff(view.Qpack)}, quic {OnOff(view.Quic)}"
            : $"view: frames {OnOff(view.Frames)}, hex {OnOff(view.Hex)}, hpack {OnOff(view.Hpack)}");
    }

    public static void Strict(ReplContext context, StrictCommand strict)
    {
        if (strict.On is { } on)
        {
            context.Strict = on;
        }

        context.Note(context.Strict
            ? "strict on: a malformed response resets its stream and fails the request (RFC 9113 8.1.1, RFC 9114 4.1.2)"
            : "strict off: a malformed response is a warning; hxi keeps the stream to show what the server sent");
    }

    public static void Stats(ReplContext context)
    {
        foreach (var line in context.Stats.Describe(context.Colours))
        {
            context.Out.WriteLine(line);
        }
    }

    /// <summary>The lines entered before, numbered from the oldest kept, as bash's history prints them.</summary>
    public static void History(ReplContext context, ReplHistory history, int? count)
    {
        var entries = history.Entries;
        var first = count is { } n ? Math.Max(0, entries.Count - n) : 0;
        var text = new StringBuilder();
        var width = entries.Count.ToString(CultureInfo.InvariantCulture).Length;
        for (var i = first; i < entries.Count; i++)
        {
            text.Append("  ").Append((i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(width)).Append("  ").Append(entries[i]).Append('\n');
        }

        context.Out.Write(text.ToString());
        if (history.FilePath is { } path)
        {
            context.Note($"kept in {path}");
        }
    }

    public static async Task WaitRequestsAsync(ReplContext context, TimeSpan timeout, CancellationToken ct)
    {
        var running = context.Background();
        if (running.Length == 0)
        {
            return;
        }

        try
        {
            await Task.WhenAll(running).WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            throw new ReplCommandException($"wait: {context.Background().Length} background request(s) still running after {timeout.TotalSeconds:0.###} s", FailureKind.Timeout);
        }
    }

    private static string OnOff(bool value) => value ? "on" : "off";
}
