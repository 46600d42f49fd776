namespace Hxi.Cli.Repl.Parsing;

/// <summary>A parsed command by the name a person types for it (window-update, settings ack), for messages about it.</summary>
public static class ReplCommandNames
{
    public static string Typed(ReplInstruction command) => command switch
    {
        SettingsAckCommand => "settings ack",
        SettingsCommand or Http3SettingsCommand => "settings",
        HeadersCommand or Http3HeadersCommand => "headers",
        GoAwayCommand or Http3GoAwayCommand => "goaway",
        RawFrameCommand => "raw",
        Http3RawFrameCommand => "raw-frame",
        RstCommand => "rst",
        WaitFrameCommand or Http3WaitFrameCommand => "wait frame",
        WaitStreamEndCommand => "wait stream",
        WaitCloseCommand => "wait close",
        _ => Kebab(command.GetType().Name.Replace("Command", "")),
    };

    /// <summary>True for the commands only HTTP/3 has (QUIC streams and frames, push ids).</summary>
    public static bool IsHttp3Only(ReplInstruction command) => command is MaxPushIdCommand or CancelPushCommand or PriorityUpdateCommand
        or Http3RawFrameCommand or OpenUniCommand or StreamBytesCommand or ResetStreamCommand or StopSendingCommand or ConnectionCloseCommand or WaitCloseCommand
        or KeyUpdateCommand or MigrateCommand;

    // "WindowUpdate" is typed window-update, "MaxPushId" max-push-id.
    private static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
