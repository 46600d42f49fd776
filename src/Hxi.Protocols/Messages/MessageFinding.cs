namespace Hxi.Protocols.Messages;

/// <summary>A rule broken and what was wrong, before the version names its section.</summary>
internal readonly record struct MessageFinding(MessageRule Rule, string Detail);
