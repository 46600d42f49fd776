using System.Globalization;

namespace Hxi.Cli.Repl;

/// <summary>--record FILE: the session written as a script (one accepted line per line) that --script replays.</summary>
public sealed class ReplRecorder : IDisposable
{
    private readonly StreamWriter _writer;

    public ReplRecorder(string path, Uri url)
    {
        try
        {
            _writer = new StreamWriter(path, append: false) { AutoFlush = true, NewLine = "\n" };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new Net.Client.HxiException(Net.Client.FailureKind.Usage, $"--record {path}: {ex.Message}", ex);
        }

        _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# hxi repl session with {url}, recorded {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss zzz}"));
        _writer.WriteLine($"# replay: hxi repl {url} --script {Path.GetFileName(path)}");
    }

    public void Add(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            _writer.WriteLine(line);
        }
    }

    public void Dispose() => _writer.Dispose();
}
