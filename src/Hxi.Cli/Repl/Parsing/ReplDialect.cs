namespace Hxi.Cli.Repl.Parsing;

/// <summary>Which frame vocabulary the commands speak: HTTP/2's (also used on HTTP/1.1, which rejects frames) or HTTP/3's.</summary>
/// <remarks><c>settings</c>, <c>headers</c>, <c>goaway</c> and <c>wait frame</c> mean different frames in each.</remarks>
public enum ReplDialect
{
    Http2,
    Http3,
}
