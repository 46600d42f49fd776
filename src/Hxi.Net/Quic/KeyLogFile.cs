namespace Hxi.Net.Quic;

/// <summary>
/// SSLKEYLOGFILE for hxi's own TLS (QUIC): appends NSS key-log lines so Wireshark and tshark can
/// decrypt a capture. SslStream writes its own lines to the same file for TCP connections.
/// </summary>
public static class KeyLogFile
{
    private static readonly Lock Gate = new();

    public static string? Path => Environment.GetEnvironmentVariable("SSLKEYLOGFILE") is { Length: > 0 } path ? path : null;

    public static void Append(string line)
    {
        if (Path is not { } path)
        {
            return;
        }

        lock (Gate)
        {
            try
            {
                File.AppendAllText(path, line + "\n");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A key log is a debugging aid: failing to write it must not fail the request.
            }
        }
    }
}
