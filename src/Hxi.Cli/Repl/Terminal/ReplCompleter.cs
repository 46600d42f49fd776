using Hxi.Cli.Repl.Parsing;
using Hxi.Protocols.Http2;

namespace Hxi.Cli.Repl.Terminal;

/// <summary>Tab completion: command names first, then frame types, setting names, error codes and switches by position.</summary>
public static class ReplCompleter
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"];

    /// <summary>Where the word being completed starts, and what it could become.</summary>
    public static (int Start, IReadOnlyList<string> Candidates) Complete(string beforeCursor)
    {
        var start = beforeCursor.LastIndexOf(' ') + 1;
        var word = beforeCursor[start..];
        var previous = beforeCursor[..start].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var choices = Choices(previous);
        var matches = choices
            .Where(c => c.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        return (start, matches);
    }

    /// <summary>The longest text every candidate starts with.</summary>
    public static string CommonPrefix(IReadOnlyList<string> candidates)
    {
        if (candidates.Count == 0)
        {
            return "";
        }

        var prefix = candidates[0];
        foreach (var candidate in candidates.Skip(1))
        {
            var length = 0;
            while (length < prefix.Length && length < candidate.Length && char.ToLowerInvariant(prefix[length]) == char.ToLowerInvariant(candidate[length]))
            {
                length++;
            }

            prefix = prefix[..length];
        }

        return prefix;
    }

    private static IEnumerable<string> Choices(string[] previous) => previous switch
    {
        [] => ReplHelp.Names.Concat(Methods),
        ["help"] => ReplHelp.Names,
        ["raw"] or ["wait", "frame"] => Http2FrameNames.AllNames.Concat(Http3Values.FrameTypes.Keys),
        ["raw", _] => ["0x0", "END_STREAM", "END_HEADERS", "ACK", "PADDED", "PRIORITY"],
        ["settings", ..] => Http2SettingNames.AllNames.Select(n => n["SETTINGS_".Length..] + "=").Concat(Http3Values.Settings.Keys.Select(n => n + "=")).Append("ack"),
        ["rst", _] or ["goaway", _] => Http2ErrorCodes.AllNames,
        // HTTP/3 (the completer does not know the dialect, so both vocabularies are offered where they share a command).
        ["raw-frame"] => Http3Values.FrameTypes.Keys,
        ["raw-frame", ..] or ["stream-bytes", _, ..] => ["--stream", "--fin"],
        ["open-uni"] => Http3Values.StreamTypes.Keys,
        ["reset-stream", _] or ["stop-sending", _] or ["connection-close"] => Http3Values.ErrorCodeNames,
        ["priority-update", _] => ["'u=3'", "'u=0, i'", "--push"],
        ["connection-close", ..] => ["--transport"],
        ["set"] => ReplParser.ViewSwitches,
        ["set", _] or ["strict"] => ["on", "off"],
        ["wait"] => ["frame", "stream", "requests", "close", "200ms", "1s"],
        ["wait", "stream", _] => ["end"],
        ["headers", ..] => ["--stream", "--no-end-stream", "--no-end-headers", "--priority", "--pad", "--split", "-H", "--no-pseudo", "--literal"],
        ["data", _, ..] => ["--end", "--pad", "hex:"],
        _ => [],
    };
}
