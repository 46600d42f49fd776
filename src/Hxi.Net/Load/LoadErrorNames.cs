using System.Net.Sockets;
using System.Text.RegularExpressions;
using Hxi.Net.Client;

namespace Hxi.Net.Load;

/// <summary>
/// Names a failed request the way a load report counts it: the RFC code a reset or GOAWAY carried
/// (<c>RST_STREAM REFUSED_STREAM</c>, <c>GOAWAY NO_ERROR</c>, <c>RESET_STREAM H3_REQUEST_REJECTED</c>),
/// the socket error a connect failed with, <c>TLS handshake failed</c>, <c>timeout</c>.
/// </summary>
public static partial class LoadErrorNames
{
    public const string Timeout = "timeout";

    public static string Name(Exception ex) => ex switch
    {
        HxiException { Kind: FailureKind.StreamReset } reset => ResetName(reset.Message),
        HxiException { Kind: FailureKind.Timeout } => Timeout,
        HxiException { Kind: FailureKind.Tls } => "TLS handshake failed",
        HxiException { Kind: FailureKind.Connect } connect => ConnectName(connect),
        HxiException { Kind: FailureKind.Protocol } protocol => ProtocolName(protocol.Message),
        HxiException other => other.Kind.ToString(),
        OperationCanceledException => Timeout,
        SocketException socket => $"connect: {Snake(socket.SocketErrorCode.ToString())}",
        IOException => "connection lost",
        _ => $"hxi bug: {ex.GetType().Name}",
    };

    private static string ResetName(string message)
    {
        var code = CodeAfterWith().Match(message);
        var name = code.Success ? code.Groups[1].Value : "unknown code";
        return name.StartsWith("H3_", StringComparison.Ordinal) ? $"RESET_STREAM {name}" : $"RST_STREAM {name}";
    }

    private static string ConnectName(HxiException ex)
    {
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return $"connect: {Snake(socket.SocketErrorCode.ToString())}";
            }
        }

        return ex.Message.Contains("resolve", StringComparison.Ordinal) ? "connect: name not resolved" : "connect failed";
    }

    private static string ProtocolName(string message)
    {
        var goAway = GoAwayCode().Match(message);
        if (goAway.Success)
        {
            return $"GOAWAY {goAway.Groups[1].Value}";
        }

        var h3 = Http3Code().Match(message);
        if (h3.Success)
        {
            return h3.Groups[1].Value;
        }

        if (message.Contains("connection lost", StringComparison.Ordinal) || message.Contains("closed the connection", StringComparison.Ordinal))
        {
            return "connection closed";
        }

        return message.Contains("malformed", StringComparison.OrdinalIgnoreCase) || message.Contains("RFC", StringComparison.Ordinal)
            ? "malformed response"
            : "protocol error";
    }

    /// <summary>ConnectionRefused becomes "connection refused".</summary>
    private static string Snake(string pascal) => PascalWord().Replace(pascal, " $1").Trim().ToLowerInvariant();

    [GeneratedRegex(@"\bwith ([A-Z0-9_]+|0x[0-9a-f]+)")]
    private static partial Regex CodeAfterWith();

    [GeneratedRegex(@"GOAWAY ([A-Z0-9_]+|\d+)")]
    private static partial Regex GoAwayCode();

    [GeneratedRegex(@"\b(H3_[A-Z_]+|QPACK_[A-Z_]+)\b")]
    private static partial Regex Http3Code();

    [GeneratedRegex("([A-Z])")]
    private static partial Regex PascalWord();
}
