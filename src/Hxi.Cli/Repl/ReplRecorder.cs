using System.Globalization;
using Hxi.Net.Client;

namespace Hxi.Cli.Repl;

/// <summary>
/// --record FILE: the session written as a script that --script replays: one accepted line per line, a wait for each
/// answer that came on a stream opened by hand, and a first comment with the whole command line to replay it
/// (every option, paths made absolute).
/// </summary>
public sealed class ReplRecorder : IDisposable
{
    private readonly StreamWriter _writer;

    public ReplRecorder(string path, ReplSettings settings)
    {
        try
        {
            _writer = new StreamWriter(path, append: false) { AutoFlush = true, NewLine = "\n" };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HxiException(FailureKind.Usage, $"--record {path}: {ex.Message}", ex);
        }

        _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# hxi repl session with {settings.Url}, recorded {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss zzz}"));
        _writer.WriteLine($"# replay: {ReplayCommand(settings, path)}");
    }

    /// <summary>The command line that replays the session as it was started, reading this file.</summary>
    public static string ReplayCommand(ReplSettings settings, string recordPath)
    {
        var words = new List<string> { "hxi", "repl" };
        words.AddRange(settings.Mode switch
        {
            ProtocolMode.Http11 => ["--http1.1"],
            ProtocolMode.Http2PriorKnowledge => ["--http2-prior-knowledge"],
            ProtocolMode.Http3 => ["--http3"],
            ProtocolMode.Http3Only => ["--http3-only"],
            _ => [],
        });
        if (settings.CaCertificate is { } ca)
        {
            words.AddRange(["--cacert", Quote(Path.GetFullPath(ca))]);
        }

        if (settings.Insecure)
        {
            words.Add("-k");
        }

        if (settings.ConnectTimeout is { } connect)
        {
            words.AddRange(["--connect-timeout", connect.TotalSeconds.ToString(CultureInfo.InvariantCulture)]);
        }

        if (settings.RequestTimeout != ReplSettings.DefaultRequestTimeout)
        {
            words.AddRange(["--timeout", settings.RequestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)]);
        }

        if (settings.Strict)
        {
            words.Add("--strict");
        }

        var view = settings.View;
        words.AddRange(new[] { (!view.Frames, "--no-frames"), (view.Hex, "--hex"), (view.Hpack, "--hpack"), (view.Quic, "--quic"), (view.Qpack, "--qpack") }
            .Where(o => o.Item1).Select(o => o.Item2));
        if (settings.HarFile is { } har)
        {
            words.AddRange(["--har", Quote(Path.GetFullPath(har))]);
        }

        words.AddRange([Quote(settings.Url.ToString()), "--script", Quote(Path.GetFullPath(recordPath))]);
        return string.Join(' ', words);
    }

    public void Add(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            _writer.WriteLine(line);
        }
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>Single quotes for a shell when a word holds anything but the plain characters of paths and URLs.</summary>
    private static string Quote(string word) =>
        word.All(c => char.IsAsciiLetterOrDigit(c) || "/._-:+=@%,".Contains(c)) ? word : "'" + word.Replace("'", "'\\''") + "'";
}
