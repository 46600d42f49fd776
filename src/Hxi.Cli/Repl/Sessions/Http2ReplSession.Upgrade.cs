using System.Diagnostics;
using Hxi.Net.Client;
using Hxi.Net.Http1;
using Hxi.Net.Http2;
using Hxi.Net.Transport;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>
/// h2c by HTTP/1.1 Upgrade (RFC 7540 Section 3.2; RFC 9113 Section 3.1 deprecates it, yet servers such as Caddy
/// still switch): <c>hxi repl --http2 http://...</c> asks with a GET of the URL, as <c>nghttp -u</c> does, and the
/// answer to that GET arrives on stream 1 of the new HTTP/2 connection.
/// </summary>
public sealed partial class Http2ReplSession
{
    /// <summary>--http2 on a cleartext URL: no ALPN to ask, so HTTP/1.1 asks to switch; prior knowledge skips that.</summary>
    private bool UpgradesByHttp1(TransportConnection transport) => _mode == ProtocolMode.Http2 && transport.Info.Tls is null;

    private async Task<H2cUpgrade> AskToSwitchAsync(TransportConnection transport, CancellationToken ct)
    {
        var http1 = new Http1ClientConnection(transport, _options, transport.Info);
        var settings = _options.Http2ConnectionOptions().ToSettings();
        var request = new HxiRequest("GET", _context.BaseUrl,
        [
            new HeaderField("Connection", "Upgrade, HTTP2-Settings"),
            new HeaderField("Upgrade", "h2c"),
            new HeaderField("HTTP2-Settings", Http2SettingsHeader.Encode(settings)),
        ], null);
        var target = _context.BaseUrl.PathAndQuery;
        _context.Note($"asking to switch to h2c: GET {target} over HTTP/1.1 with Upgrade: h2c and our SETTINGS in HTTP2-Settings (RFC 7540 3.2)");
        var printer = new LiveResponsePrinter(_context, printHead: !_context.Renderer.View.Frames, "HTTP/2");
        var clock = Stopwatch.StartNew();
        ResponseSummary summary;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(_context.RequestTimeout);
            summary = await http1.SendUpgradeAsync(request, new BufferingResponseHandler(), timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            await transport.DisposeAsync();
            throw new ReplCommandException($"the server did not answer the Upgrade request within {_context.RequestTimeout.TotalSeconds:0} s", FailureKind.Timeout);
        }
        catch (HxiException)
        {
            await transport.DisposeAsync();
            throw;
        }

        if (http1.SwitchedProtocols is null)
        {
            await transport.DisposeAsync();
            throw new H2cUpgradeRefusedException($"the server ignored Upgrade: h2c and answered {summary.Head.StatusCode} over HTTP/1.1");
        }

        _context.Note($"101 Switching Protocols: the connection speaks h2c now; the answer to GET {target} comes on stream 1");
        return new H2cUpgrade(http1.TakeBytesAfterSwitch(), clock, printer);
    }

    /// <summary>Prints stream 1's answer to its end, so the prompt comes back after it, as after any request.</summary>
    private async Task ShowUpgradeAnswerAsync(H2cUpgrade upgrade, PendingResponse answer, CancellationToken ct)
    {
        if (!await _context.Watch.WaitForStreamEndAsync(1, _context.RequestTimeout, ct))
        {
            _context.Note($"stream 1 (the Upgrade request) did not end within {_context.RequestTimeout.TotalSeconds:0} s");
            return;
        }

        await CatchUpWithReaderAsync();

        // The printer runs on the connection's delivery task, behind the reader: let it print what arrived. A reset
        // stream faults the task, which is fine here (the reset was shown as it came); WhenAny does not throw.
        await Task.WhenAny(answer.Delivered, Task.Delay(_context.RequestTimeout, ct));
        upgrade.Printer.Finish();
    }

    /// <summary>What the switch leaves to the HTTP/2 connection: bytes already read past the 101, and the printer of stream 1's answer.</summary>
    private sealed record H2cUpgrade(ReadOnlyMemory<byte> BytesAfterSwitch, Stopwatch Clock, LiveResponsePrinter Printer);
}

/// <summary>The server answered the h2c Upgrade request over HTTP/1.1: the REPL goes on as an HTTP/1.1 session.</summary>
public sealed class H2cUpgradeRefusedException(string message) : Exception(message);
