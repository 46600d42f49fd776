using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hxi.Interop.Tests;

/// <summary>
/// A headless Chromium with one page open on an HTTP/3 origin (QUIC forced on it, the server key pinned by SPKI), driven
/// over the DevTools protocol: the tests run JavaScript in the page, so its fetches are same-origin requests that
/// Chromium's own network stack makes over its own QUIC.
/// </summary>
/// <remarks>
/// --dump-dom only shows a page once it has loaded; fetches that outlive the load (a 10 MB upload, 50 at once) need a
/// live page, hence DevTools. Port 0 lets Chromium pick its DevTools port and write it to DevToolsActivePort.
/// </remarks>
public sealed class ChromiumPage : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly PeerProcess _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private int _nextId;

    private ChromiumPage(PeerProcess process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>What Chromium printed so far, for failure messages.</summary>
    public string Log => _process.Log;

    /// <summary>Starts Chromium on <paramref name="startPath"/> of https://<paramref name="origin"/> and waits until that page has loaded.</summary>
    public static async Task<ChromiumPage> OpenAsync(string origin, string serverSpki, string startPath)
    {
        var profile = Directory.CreateTempSubdirectory("hxi-chromium-").FullName;
        PeerProcess? process = null;
        try
        {
            process = PeerProcess.Start(
                "chromium",
                PeerBinaries.Require("chromium"),
                [
                    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-extensions", $"--user-data-dir={profile}",
                    "--remote-debugging-port=0",
                    "--enable-quic", $"--origin-to-force-quic-on={origin}",
                    $"--ignore-certificate-errors-spki-list={serverSpki}",
                    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
                    $"https://{origin}{startPath}",
                ],
                ports: []);
            var page = new ChromiumPage(process, profile);
            try
            {
                await page.ConnectAsync(origin);
                return page;
            }
            catch
            {
                await page.DisposeAsync();
                throw;
            }
        }
        catch when (process is null)
        {
            Directory.Delete(profile, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="expression"/> (which may be a promise) in the page and returns its string result; a
    /// JavaScript exception fails the test with Chromium's description of it.
    /// </summary>
    public async Task<string> EvaluateAsync(string expression, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var id = ++_nextId;
        var request = new JsonObject
        {
            ["id"] = id,
            ["method"] = "Runtime.evaluate",
            ["params"] = new JsonObject { ["expression"] = expression, ["awaitPromise"] = true, ["returnByValue"] = true },
        };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(request.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, cancel.Token);
        while (true)
        {
            var reply = JsonNode.Parse(await ReceiveMessageAsync(cancel.Token))!;
            if (reply["id"]?.GetValue<int>() != id)
            {
                // An event, or the answer to an earlier evaluation that timed out.
                continue;
            }

            if (reply["error"] is { } error)
            {
                throw new InvalidOperationException($"DevTools refused the evaluation: {error.ToJsonString()}");
            }

            var result = reply["result"]!;
            if (result["exceptionDetails"] is { } exception)
            {
                throw new InvalidOperationException($"the page's script failed: {exception["exception"]?["description"] ?? exception.ToJsonString()}");
            }

            return result["result"]?["value"]?.GetValue<string>() ?? "";
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be writing its profile as it dies; a temp directory left behind does no harm.
        }
    }

    private async Task ConnectAsync(string origin)
    {
        var deadline = Stopwatch.StartNew();
        var portFile = Path.Combine(_profile, "DevToolsActivePort");
        while (!File.Exists(portFile) || File.ReadAllLines(portFile).Length < 2)
        {
            Fail(deadline, "Chromium wrote no DevToolsActivePort");
            await Task.Delay(100);
        }

        var port = int.Parse(File.ReadAllLines(portFile)[0], System.Globalization.CultureInfo.InvariantCulture);
        using var http = new HttpClient();
        string? pageSocket = null;
        while (pageSocket is null)
        {
            var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
            pageSocket = targets.FirstOrDefault(target => target?["type"]?.GetValue<string>() == "page")?["webSocketDebuggerUrl"]?.GetValue<string>();
            if (pageSocket is null)
            {
                Fail(deadline, "Chromium opened no page");
                await Task.Delay(100);
            }
        }

        await _socket.ConnectAsync(new Uri(pageSocket), CancellationToken.None);

        // The first page must have come from the server (over QUIC: the origin forces it) before scripts run there.
        var expected = $"https://{origin}";
        while (await EvaluateAsync("document.readyState === 'complete' ? location.origin : ''", StartTimeout) != expected)
        {
            Fail(deadline, $"the start page on {expected} did not load");
            await Task.Delay(100);
        }
    }

    private void Fail(Stopwatch deadline, string problem)
    {
        if (_process.HasExited || deadline.Elapsed > StartTimeout)
        {
            throw new TimeoutException($"{problem} within {StartTimeout.TotalSeconds:F0} s\n{_process}");
        }
    }

    private async Task<string> ReceiveMessageAsync(CancellationToken cancel)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var received = await _socket.ReceiveAsync(buffer, cancel);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"Chromium closed the DevTools connection\n{_process}");
            }

            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            }
        }
    }
}
