namespace Hxi.Protocols.Trace;

/// <summary>
/// Received bytes a core could not parse, recorded before it fails, so the wire view shows what broke it
/// (the record's bytes) and why (<paramref name="Reason"/>).
/// </summary>
public sealed record UnparsedBytes(string Reason);
