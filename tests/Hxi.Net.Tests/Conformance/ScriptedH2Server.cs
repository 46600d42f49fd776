using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Hxi.Net.Tests.Conformance;

/// <summary>
/// A loopback listener that hands every accepted connection (TLS with ALPN h2 when given a certificate) to a
/// per-connection script: the conforming, lax and brittle peers the conformance cases are checked against.
/// </summary>
internal sealed class ScriptedH2Server : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<Stream, CancellationToken, Task> _script;
    private readonly X509Certificate2? _certificate;
    private readonly Task _accepting;
    private readonly List<Task> _sessions = [];
    private readonly List<string> _errors = [];

    public ScriptedH2Server(Func<Stream, CancellationToken, Task> script, X509Certificate2? certificate = null)
    {
        _script = script;
        _certificate = certificate;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri Url => new($"{(_certificate is null ? "http" : "https")}://{(_certificate is null ? "127.0.0.1" : "localhost")}:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Exceptions the peer script threw (other than the client hanging up): each is a bug in the script.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_sessions)
            {
                _sessions.Add(Task.Run(() => ServeAsync(socket)));
            }
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var owned = socket;
        socket.NoDelay = true;
        Stream stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            if (_certificate is not null)
            {
                var tls = new SslStream(stream);
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = _certificate,
                    ApplicationProtocols = [SslApplicationProtocol.Http2],
                }, _stop.Token);
                stream = tls;
            }

            await _script(stream, _stop.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException or System.Security.Authentication.AuthenticationException)
        {
            // The client hung up, or the test is over: nothing to report.
        }
        catch (Exception ex)
        {
            // A bug in the peer script itself: kept for the test to show, not thrown from DisposeAsync.
            lock (_errors)
            {
                _errors.Add(ex.ToString());
            }
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] sessions;
        lock (_sessions)
        {
            sessions = [.. _sessions];
        }

        await Task.WhenAll(sessions);
        _stop.Dispose();
    }
}
