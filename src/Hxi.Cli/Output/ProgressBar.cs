using System.Diagnostics;
using System.Globalization;

namespace Hxi.Cli.Output;

/// <summary>
/// A one-line download progress bar on stderr, redrawn at most ten times a second.
/// Hand-written on purpose: a console UI library would own the terminal and fight the frame view.
/// </summary>
public sealed class ProgressBar(TextWriter output, long total)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastDraw = -1000;

    public void Report(long done)
    {
        var now = _clock.ElapsedMilliseconds;
        if (now - _lastDraw < 100)
        {
            return;
        }

        _lastDraw = now;
        Draw(done);
    }

    public void Finish(long done)
    {
        Draw(done);
        output.WriteLine();
    }

    private void Draw(long done)
    {
        const int width = 30;
        var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        var rate = $"{Size(done / seconds)}/s";
        string line;
        if (total > 0)
        {
            var fraction = Math.Clamp((double)done / total, 0, 1);
            var filled = (int)(fraction * width);
            line = $"\r[{new string('#', filled)}{new string('.', width - filled)}] {fraction * 100,5:0.0}% {Size(done)} of {Size(total)} {rate}   ";
        }
        else
        {
            line = $"\r{Size(done)} {rate}   ";
        }

        output.Write(line);
        output.Flush();
    }

    private static string Size(double bytes) => bytes switch
    {
        >= 1 << 30 => (bytes / (1 << 30)).ToString("0.0 'GiB'", CultureInfo.InvariantCulture),
        >= 1 << 20 => (bytes / (1 << 20)).ToString("0.0 'MiB'", CultureInfo.InvariantCulture),
        >= 1 << 10 => (bytes / (1 << 10)).ToString("0.0 'KiB'", CultureInfo.InvariantCulture),
        _ => bytes.ToString("0 'B'", CultureInfo.InvariantCulture),
    };
}
