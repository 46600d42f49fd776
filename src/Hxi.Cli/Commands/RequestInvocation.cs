using System.CommandLine;
using Hxi.Cli.Wire;
using Hxi.Net.Client;

namespace Hxi.Cli.Commands;

/// <summary>A parsed one-shot command line: the request and how to send and show it.</summary>
public sealed record RequestInvocation
{
    public required RequestSpec Spec { get; init; }

    public ProtocolMode Protocol { get; init; }

    public bool Follow { get; init; }

    public int MaxRedirects { get; init; } = 20;

    public bool Include { get; init; }

    public string? OutputFile { get; init; }

    public TimeSpan? Timeout { get; init; }

    public TimeSpan? ConnectTimeout { get; init; }

    public bool Silent { get; init; }

    public bool Fail { get; init; }

    public bool Verbose { get; init; }

    public bool Timing { get; init; }

    /// <summary>More URLs after the first (items that start with a scheme): fetched concurrently, printed in order.</summary>
    public IReadOnlyList<string> ExtraUrls { get; init; } = [];

    /// <summary>--stat: the per-request summary table on stderr, as nghttp -s.</summary>
    public bool Stat { get; init; }

    public WireViewOptions View { get; init; } = new(false, false, false);

    public string? TraceFile { get; init; }

    /// <summary>--har: the HAR 1.2 file to write at the end of the run; null without the option.</summary>
    public string? HarFile { get; init; }

    public bool Insecure { get; init; }

    public string? CaCertificate { get; init; }

    public bool Push { get; init; }

    public int QpackCapacity { get; init; } = 4096;

    /// <summary>The HTTP/2 SETTINGS and windows the flags ask for (--window-bits, --max-frame-size...).</summary>
    public Http2SettingFlags Http2Settings { get; init; } = new();

    /// <summary>--key-update-after, --tls-ciphers.</summary>
    public QuicSettings QuicSettings { get; init; } = new();

    /// <summary>--alt-svc: the cache file to read and update; null without the option.</summary>
    public string? AltSvcFile { get; init; }

    /// <summary>-w: the write-out template, already read from @FILE and checked.</summary>
    public string? WriteOut { get; init; }

    /// <summary>-b: cookies to send (name=value pairs) or a cookie file to read.</summary>
    public string? Cookie { get; init; }

    /// <summary>-c: where to write the cookies at the end.</summary>
    public string? CookieJarFile { get; init; }

    /// <summary>--session FILE: TLS tickets kept between runs.</summary>
    public string? SessionFile { get; init; }

    /// <summary>--0rtt: send the request early when the ticket allows.</summary>
    public bool EarlyData { get; init; }

    /// <summary>--quic-version, --rebind-after, --rebind-address.</summary>
    public Hxi.Net.Quic.QuicPathOptions QuicPath { get; init; } = Hxi.Net.Quic.QuicPathOptions.Default;

    /// <summary>Directory for qlog files: --qlog, else QLOGDIR; null for none.</summary>
    public string? QlogDirectory { get; init; }

    public static RequestInvocation From(ParseResult result, RequestCommand c)
    {
        var modes = new[] { result.GetValue(c.Http11), result.GetValue(c.Http2), result.GetValue(c.Http2PriorKnowledge), result.GetValue(c.Http3), result.GetValue(c.Http3Only) }.Count(x => x);
        if (modes > 1)
        {
            throw new HxiException(FailureKind.Usage, "use only one of --http1.1, --http2, --http2-prior-knowledge, --http3 and --http3-only");
        }

        if (result.GetValue(c.QpackCapacity) is < 0 or > 1 << 30)
        {
            throw new HxiException(FailureKind.Usage, "--qpack-capacity takes a size in bytes between 0 and 2^30");
        }

        // System.CommandLine hands a token it doesn't know, such as "--no-such-option", to the URL or ITEMS
        // argument; without this check it would be looked up as a host name.
        var url = result.GetValue(c.Url)!;
        var tokens = result.GetValue(c.Items) ?? [];
        // An item with a scheme is another URL (hxi URL1 URL2 ..., as curl and nghttp take several); the rest are items.
        var extraUrls = tokens.Where(LooksLikeUrl).ToArray();
        var items = tokens.Where(token => !LooksLikeUrl(token)).ToArray();
        if (items.Prepend(url).FirstOrDefault(token => token.Length > 1 && token.StartsWith('-')) is { } unknown)
        {
            throw new HxiException(FailureKind.Usage, $"unknown option '{unknown}' (see hxi --help)");
        }

        return new RequestInvocation
        {
            Spec = new RequestSpec
            {
                Url = url,
                Items = items,
                Method = result.GetValue(c.Method),
                Headers = result.GetValue(c.Header) ?? [],
                Data = result.GetValue(c.Data),
                Json = result.GetValue(c.Json),
                Form = result.GetValue(c.Form) ?? [],
                User = result.GetValue(c.User),
                Head = result.GetValue(c.Head),
                Compressed = result.GetValue(c.Compressed),
            },
            Protocol = result.GetValue(c.Http11) ? ProtocolMode.Http11
                : result.GetValue(c.Http2) ? ProtocolMode.Http2
                : result.GetValue(c.Http2PriorKnowledge) ? ProtocolMode.Http2PriorKnowledge
                : result.GetValue(c.Http3) ? ProtocolMode.Http3
                : result.GetValue(c.Http3Only) ? ProtocolMode.Http3Only
                : ProtocolMode.Auto,
            Follow = result.GetValue(c.Follow),
            MaxRedirects = result.GetValue(c.MaxRedirects),
            Include = result.GetValue(c.Include),
            OutputFile = result.GetValue(c.Output),
            Timeout = Seconds(result.GetValue(c.Timeout), "--timeout"),
            ConnectTimeout = Seconds(result.GetValue(c.ConnectTimeout), "--connect-timeout"),
            Silent = result.GetValue(c.Silent),
            Fail = result.GetValue(c.Fail),
            Verbose = result.GetValue(c.Verbose),
            Timing = result.GetValue(c.Timing),
            ExtraUrls = extraUrls,
            Stat = result.GetValue(c.Stat),
            View = new WireViewOptions(result.GetValue(c.Frames), result.GetValue(c.Hex), result.GetValue(c.Hpack))
            {
                Quic = result.GetValue(c.Quic),
                Qpack = result.GetValue(c.Qpack),
            },
            QpackCapacity = result.GetValue(c.QpackCapacity),
            TraceFile = result.GetValue(c.Trace),
            HarFile = result.GetValue(c.Har),
            Insecure = result.GetValue(c.Insecure),
            CaCertificate = result.GetValue(c.CaCert),
            Push = result.GetValue(c.Push),
            AltSvcFile = result.GetResult(c.AltSvc) is null ? null : result.GetValue(c.AltSvc) ?? AltSvcCache.DefaultPath(),
            QlogDirectory = Wire.QlogDirectory.Resolve(result.GetValue(c.Qlog)),
            WriteOut = WriteOutTemplate(result.GetValue(c.WriteOut)),
            Cookie = result.GetValue(c.Cookie),
            CookieJarFile = result.GetValue(c.CookieJar),
            SessionFile = result.GetValue(c.Session),
            EarlyData = result.GetValue(c.EarlyData) && (result.GetValue(c.Session) is not null
                ? true
                : throw new HxiException(FailureKind.Usage, "--0rtt needs --session FILE: the ticket that early data is sent with")),
            Http2Settings = Http2SettingFlags.From(result, c),
            QuicSettings = c.QuicOptions.Read(result),
            QuicPath = c.QuicPathFrom(result),
        };
    }

    private static bool LooksLikeUrl(string token) =>
        token.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || token.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    private static string? WriteOutTemplate(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var template = value;
        if (value.StartsWith('@'))
        {
            var path = value[1..];
            template = path == "-" ? Console.In.ReadToEnd()
                : File.Exists(path) ? File.ReadAllText(path)
                : throw new HxiException(FailureKind.Usage, $"-w @{path}: no such file");
        }

        return Output.WriteOut.Validate(template) is { } problem ? throw new HxiException(FailureKind.Usage, problem) : template;
    }

    private static TimeSpan? Seconds(double? value, string option) => value switch
    {
        null => null,
        > 0 and < 86_400 => TimeSpan.FromSeconds(value.Value),
        _ => throw new HxiException(FailureKind.Usage, $"{option} takes seconds between 0 and 86400, not {value}"),
    };
}
