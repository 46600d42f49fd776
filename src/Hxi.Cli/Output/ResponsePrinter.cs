using System.Text;
using Hxi.Net.Client;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Output;

/// <summary>
/// Writes a response as it streams in: head to standard output, body to standard output or -o,
/// JSON pretty-printed and binary summarised on a terminal, Content-Encoding undone with --compressed.
/// </summary>
public sealed class ResponsePrinter : IResponseHandler, IAsyncDisposable
{
    // JSON is pretty-printed only when it fits here; past that it is streamed as it came.
    private const int MaxPrettyBytes = 8 * 1024 * 1024;

    private readonly OutputOptions _options;
    private readonly TextWriter _console;
    private readonly Stream _stdout;
    private Stream? _bodyOut;
    private MemoryStream? _held;
    private BodyKind _kind;
    private string? _encoding;
    private long _expected = -1;
    private long _written;
    private bool _binaryNoted;
    private ProgressBar? _progress;

    public ResponsePrinter(OutputOptions options, TextWriter console, Stream stdout)
    {
        _options = options;
        _console = console;
        _stdout = new LocalWriteStream(stdout, "standard output");
    }

    private enum BodyKind
    {
        Raw,
        Json,
        Binary,
        Compressed,
    }

    public ResponseHead? Head { get; private set; }

    /// <summary>True when this response is a redirect that will be followed: its body is not shown.</summary>
    public Func<ResponseHead, bool> IsIntermediate { get; set; } = _ => false;

    /// <summary>True when this response's body is withheld: `--fail` on a 4xx or 5xx, as curl writes no body then.</summary>
    public Func<ResponseHead, bool> IsWithheld { get; set; } = _ => false;

    /// <summary>Sees every response head, interim ones included (-v shows them on stderr).</summary>
    public Action<ResponseHead>? HeadObserver { get; set; }

    private bool _intermediate;

    public void OnInterimResponse(ResponseHead head)
    {
        HeadObserver?.Invoke(head);
        if (_options.ShowHead)
        {
            WriteHead(head);
        }
    }

    public void OnResponseHead(ResponseHead head)
    {
        Head = head;
        HeadObserver?.Invoke(head);
        _intermediate = IsIntermediate(head) || IsWithheld(head);
        if (_options.ShowHead)
        {
            WriteHead(head);
        }

        if (_intermediate || !_options.ShowBody)
        {
            return;
        }

        _encoding = head["content-encoding"];
        var contentType = head["content-type"] ?? "";
        if (long.TryParse(head["content-length"], out var length))
        {
            _expected = length;
        }

        if (_options.Decompress && ContentDecoder.CanDecode(_encoding))
        {
            _kind = BodyKind.Compressed;
            _held = new MemoryStream();
        }
        else if (_options.OutputFile is null && _options.Pretty && IsJson(contentType))
        {
            _kind = BodyKind.Json;
            _held = new MemoryStream();
        }
        else if (_options.OutputFile is null && _options.Pretty && IsBinaryType(contentType))
        {
            _kind = BodyKind.Binary;
        }

        _bodyOut = _options.OutputFile is { } path ? LocalWriteStream.OpenFile(path) : _stdout;
        if (_options.Progress && _options.OutputFile is not null)
        {
            _progress = new ProgressBar(Console.Error, _expected);
        }
    }

    public void OnBodyData(ReadOnlySpan<byte> data)
    {
        if (_intermediate || !_options.ShowBody)
        {
            return;
        }

        _written += data.Length;
        _progress?.Report(_written);
        switch (_kind)
        {
            case BodyKind.Binary:
                return;
            case BodyKind.Json or BodyKind.Compressed when _held is not null:
                _held.Write(data);
                if (_kind == BodyKind.Json && _held.Length > MaxPrettyBytes)
                {
                    _kind = BodyKind.Raw;
                    _bodyOut!.Write(_held.GetBuffer().AsSpan(0, (int)_held.Length));
                    _held = null;
                }

                return;
        }

        if (_options.OutputFile is null && _options.Pretty && !_binaryNoted && !LooksLikeText(data))
        {
            // Binary to a terminal would garble it; say what it is instead, as HTTPie does.
            _kind = BodyKind.Binary;
            return;
        }

        _binaryNoted = true;
        _bodyOut!.Write(data);
    }

    public void OnTrailers(IReadOnlyList<HeaderField> trailers)
    {
        if (_options.ShowHead)
        {
            _pendingTrailers = trailers;
        }
    }

    private IReadOnlyList<HeaderField>? _pendingTrailers;

    /// <summary>Finishes the body: pretty JSON, decompression, the binary summary, trailers.</summary>
    public async Task CompleteAsync()
    {
        _progress?.Finish(_written);
        if (_intermediate)
        {
            return;
        }

        if (_kind == BodyKind.Compressed && _held is not null && _encoding is not null)
        {
            await DecodeAsync(_encoding, _held);
        }
        else if (_kind == BodyKind.Json && _held is not null)
        {
            WriteJson(_held.ToArray());
        }
        else if (_kind == BodyKind.Binary)
        {
            WriteNote($"<{_written} bytes of binary data>");
        }

        if (_pendingTrailers is { Count: > 0 } trailers)
        {
            await _bodyOut!.FlushAsync();
            WriteConsole(string.Concat(trailers.Select(field => $"{_options.Colours.Cyan(field.Name)}: {field.Value}\n")));
        }

        if (_bodyOut is not null)
        {
            await _bodyOut.FlushAsync();
        }
    }

    /// <summary>--compressed: a body that does not decode is the server's fault (exit 6), not a bug in hxi.</summary>
    private async Task DecodeAsync(string encoding, MemoryStream held)
    {
        try
        {
            held.Position = 0;
            await using var decoded = ContentDecoder.Open(encoding, held);
            if (_options.OutputFile is null && _options.Pretty && IsJson(Head?["content-type"] ?? ""))
            {
                using var plain = new MemoryStream();
                await decoded.CopyToAsync(plain);
                WriteJson(plain.ToArray());
            }
            else
            {
                await decoded.CopyToAsync(_bodyOut!);
            }
        }
        catch (InvalidDataException ex)
        {
            throw new HxiException(FailureKind.Protocol, $"the body is not valid {encoding.Trim().ToLowerInvariant()} (Content-Encoding: {encoding}): {ex.Message}", ex);
        }
    }

    private void WriteJson(byte[] json)
    {
        var pretty = JsonPrettyPrinter.TryFormat(json, _options.Colours);
        if (pretty is null)
        {
            _bodyOut!.Write(json);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(pretty + "\n");
        _bodyOut!.Write(bytes);
    }

    private void WriteNote(string note)
    {
        _bodyOut?.Flush();
        WriteConsole(_options.Colours.Dim(note) + "\n");
    }

    /// <summary>The status line as users see it: `HTTP/2 200`, `HTTP/3 200`, `HTTP/1.1 200 OK`.</summary>
    public static string StatusLine(ResponseHead head) =>
        $"{DisplayVersion(head)} {head.StatusCode}{(head.Reason.Length > 0 ? " " + head.Reason : "")}";

    private static string DisplayVersion(ResponseHead head) => head.Protocol == "HTTP/2.0" ? "HTTP/2" : head.Protocol;

    private void WriteHead(ResponseHead head)
    {
        var colours = _options.Colours;
        var version = DisplayVersion(head);
        var statusColour = head.StatusCode switch
        {
            < 200 => colours.Dim(head.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            < 300 => colours.Green(head.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            < 400 => colours.Yellow(head.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            _ => colours.Red(head.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        var reason = head.Reason.Length > 0 ? " " + head.Reason : "";
        var text = new StringBuilder();
        text.Append(colours.Bold(version)).Append(' ').Append(statusColour).Append(reason).Append('\n');
        foreach (var field in head.Headers)
        {
            text.Append(colours.Cyan(field.Name)).Append(": ").Append(field.Value).Append('\n');
        }

        text.Append('\n');
        WriteConsole(text.ToString());
    }

    /// <summary>The head and notes go to the console writer; a refused write there is a local failure too.</summary>
    private void WriteConsole(string text)
    {
        try
        {
            _console.Write(text);
            _console.Flush();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw LocalWriteStream.Failed("standard output", ex);
        }
    }

    private static bool IsJson(string contentType)
    {
        var media = contentType.Split(';')[0].Trim().ToLowerInvariant();
        return media == "application/json" || media.EndsWith("+json", StringComparison.Ordinal);
    }

    private static bool IsBinaryType(string contentType)
    {
        var media = contentType.Split(';')[0].Trim().ToLowerInvariant();
        return media.StartsWith("image/", StringComparison.Ordinal) || media.StartsWith("audio/", StringComparison.Ordinal)
            || media.StartsWith("video/", StringComparison.Ordinal) || media is "application/octet-stream" or "application/zip"
            or "application/gzip" or "application/pdf" or "application/grpc";
    }

    private static bool LooksLikeText(ReadOnlySpan<byte> data) =>
        data[..Math.Min(data.Length, 1024)].IndexOf((byte)0) < 0;

    public async ValueTask DisposeAsync()
    {
        if (_bodyOut is not null && _bodyOut != _stdout)
        {
            await _bodyOut.DisposeAsync();
        }
    }
}
