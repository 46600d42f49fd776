namespace Hxi.Cli.Repl.Parsing;

public static partial class ReplParser
{
    /// <summary>How long a wait for something to arrive lasts unless the script says otherwise.</summary>
    public static readonly TimeSpan DefaultWaitTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The wire view switches <c>set</c> knows.</summary>
    public static readonly string[] ViewSwitches = ["frames", "hex", "hpack", "quic", "qpack"];

    private static ReplInstruction Wait(IEnumerable<string> words)
    {
        var list = words.ToList();
        TimeSpan TimeoutAt(int index) => list.Count > index ? ReplValues.Duration(list[index]) : DefaultWaitTimeout;
        return list switch
        {
            ["frame", var type, ..] when list.Count <= 3 => new WaitFrameCommand(ReplValues.FrameType(type), TimeoutAt(2)),
            ["stream", var id, "end", ..] when list.Count <= 4 => new WaitStreamEndCommand(ReplValues.StreamId(id), TimeoutAt(3)),
            ["requests", ..] when list.Count <= 2 => new WaitRequestsCommand(TimeoutAt(1)),
            ["close", ..] when list.Count <= 2 => new WaitCloseCommand(TimeoutAt(1)),
            [var delay] => new WaitDelayCommand(ReplValues.Duration(delay)),
            _ => throw new ReplInputException("usage: wait 200ms | wait frame TYPE [TIMEOUT] | wait stream N end [TIMEOUT] | wait requests [TIMEOUT] | wait close [TIMEOUT]"),
        };
    }

    private static SetCommand Set(IEnumerable<string> words)
    {
        var list = words.ToList();
        return list switch
        {
            [] => new SetCommand("", null),
            [var name, var value] when ViewSwitches.Contains(name.ToLowerInvariant()) => new SetCommand(name.ToLowerInvariant(), ReplValues.OnOff(value)),
            _ => throw new ReplInputException("usage: set frames|hex|hpack|quic|qpack on|off"),
        };
    }

    private static StrictCommand Strict(IEnumerable<string> words) => words.ToList() switch
    {
        [] => new StrictCommand(null),
        [var value] => new StrictCommand(ReplValues.OnOff(value)),
        _ => throw new ReplInputException("usage: strict on|off"),
    };

    private static HistoryCommand History(IEnumerable<string> words) => words.ToList() switch
    {
        [] => new HistoryCommand(null),
        [var count] => new HistoryCommand(ReplValues.Count(count, "history", 1, 1000)),
        _ => throw new ReplInputException("usage: history [N]"),
    };

    private static HelpCommand Help(IEnumerable<string> words)
    {
        var list = words.ToList();
        if (list.Count > 1)
        {
            throw new ReplInputException("usage: help [COMMAND]");
        }

        if (list.Count == 1 && ReplHelp.Find(list[0], ReplDialect.Http3) is null && !IsRequestLine(list[0] + " / HTTP/1.1"))
        {
            throw new ReplInputException($"no help for '{list[0]}': type help for the list of commands");
        }

        return new HelpCommand(list.Count == 1 ? list[0] : null);
    }
}
