using System.CommandLine;
using Hxi.Net.Client;

namespace Hxi.Cli.Commands;

/// <summary>
/// The HTTP/2 settings a one-shot request announces, from nghttp's flags (-w/-W: a window of 2^N-1 bytes)
/// or byte sizes; null keeps hxi's default.
/// </summary>
public sealed record Http2SettingFlags
{
    /// <summary>RFC 9113 Section 6.9.1: a flow-control window is at most 2^31-1.</summary>
    private const long MaxWindow = int.MaxValue;

    public int? InitialWindowSize { get; init; }

    public int? ConnectionWindowSize { get; init; }

    public int? MaxFrameSize { get; init; }

    public int? HeaderTableSize { get; init; }

    public static Http2SettingFlags From(ParseResult result, RequestCommand c) => new()
    {
        InitialWindowSize = Window(result.GetValue(c.WindowBits), "--window-bits", result.GetValue(c.WindowSize), "--window-size"),
        ConnectionWindowSize = Window(result.GetValue(c.ConnectionWindowBits), "--connection-window-bits", result.GetValue(c.ConnectionWindowSize), "--connection-window-size"),
        // Section 6.5.2: SETTINGS_MAX_FRAME_SIZE outside 2^14..2^24-1 is a PROTOCOL_ERROR for the peer.
        MaxFrameSize = Bytes(result.GetValue(c.MaxFrameSize), "--max-frame-size", 16_384, 16_777_215),
        HeaderTableSize = Bytes(result.GetValue(c.HeaderTableSize), "--header-table-size", 0, 1 << 30),
    };

    public ClientOptions ApplyTo(ClientOptions options) => options with
    {
        Http2InitialWindowSize = InitialWindowSize,
        Http2ConnectionWindowSize = ConnectionWindowSize,
        Http2MaxFrameSize = MaxFrameSize,
        Http2HeaderTableSize = HeaderTableSize,
    };

    private static int? Window(int? bits, string bitsOption, long? bytes, string bytesOption)
    {
        if (bits is not null && bytes is not null)
        {
            throw new HxiException(FailureKind.Usage, $"use only one of {bitsOption} and {bytesOption}");
        }

        if (bits is { } n)
        {
            // nghttp takes 0..30: 2^31-1 would need N=31, which nghttp refuses too.
            return n is >= 0 and <= 30
                ? (int)((1L << n) - 1)
                : throw new HxiException(FailureKind.Usage, $"{bitsOption} takes N between 0 and 30 (a window of 2^N-1 bytes), not {n}");
        }

        return Bytes(bytes, bytesOption, 0, MaxWindow);
    }

    private static int? Bytes(long? value, string option, long min, long max) => value switch
    {
        null => null,
        var v when v >= min && v <= max => (int)v,
        _ => throw new HxiException(FailureKind.Usage, $"{option} takes a size in bytes between {min} and {max}, not {value}"),
    };
}
