using Hxi.Net.Client;
using Hxi.Protocols.Trace;

namespace Hxi.Cli.Wire;

/// <summary>Where qlog files go (--qlog DIR, else the QLOGDIR variable that quic-go and aioquic read) and a writer per QUIC connection.</summary>
public static class QlogDirectory
{
    public const string EnvironmentVariable = "QLOGDIR";

    /// <summary>The directory asked for, or null when qlog is off.</summary>
    public static string? Resolve(string? option) =>
        option is { Length: > 0 } ? option
        : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : null;

    /// <summary>A factory of one writer per QUIC connection; the directory is made at the first one, so plain HTTP/1.1 and HTTP/2 runs never touch it.</summary>
    public static Func<IWireTap> WriterFactory(string directory, string title) => () =>
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new HxiException(FailureKind.Usage, $"qlog directory {directory} (--qlog or QLOGDIR): {ex.Message}", ex);
        }

        return new QlogWriter(
            name => new FileStream(Path.Combine(directory, name), FileMode.Create, FileAccess.Write, FileShare.Read),
            TimeProvider.System,
            title);
    };
}
