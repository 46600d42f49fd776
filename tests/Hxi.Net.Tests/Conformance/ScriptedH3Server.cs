using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Endpoint;

namespace Hxi.Net.Tests.Conformance;

/// <summary>What a scripted HTTP/3 server does on one QUIC connection; called on the server's loop, which owns the connection.</summary>
internal interface IScriptedH3Session
{
    /// <summary>One event of the QUIC core.</summary>
    void Handle(QuicConnection quic, QuicEvent e, TimeSpan now);

    /// <summary>After a batch of events: answer what is complete and hand the writes to QUIC.</summary>
    void Flush(QuicConnection quic, TimeSpan now);
}

/// <summary>
/// A loopback HTTP/3 server for the conformance cases: hxi's QUIC endpoint in the server role, each connection with a
/// fresh session from the factory. The endpoint routes by connection ID, as a real server does: keyed by the client's
/// address, a case whose socket got the port of an earlier case's (still open) connection would have had its Initial
/// fed to that connection and dropped. Errors in a session are kept for the test to assert on rather than lost.
/// </summary>
internal sealed class ScriptedH3Server : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly X509Certificate2 _certificate = MakeCertificate();
    private readonly QuicEndpoint _endpoint;
    private readonly Func<IScriptedH3Session> _sessions;
    private readonly HashSet<QuicEndpointConnection> _connections = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _errors = [];
    private readonly Task _loop;

    public ScriptedH3Server(Func<IScriptedH3Session> sessions)
    {
        _sessions = sessions;
        _endpoint = new QuicEndpoint(new QuicEndpointOptions
        {
            Connection = new QuicConnectionOptions
            {
                Role = QuicRole.Server,
                Certificate = _certificate,
                ApplicationProtocols = ["h3"],
            },
        });
        CaPath = Path.Combine(Path.GetTempPath(), $"hxi-check-h3-{Guid.NewGuid():N}.pem");
        File.WriteAllText(CaPath, _certificate.ExportCertificatePem());
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Url = new Uri($"https://127.0.0.1:{((IPEndPoint)_socket.LocalEndPoint!).Port}/check");
        _loop = Task.Run(RunAsync);
    }

    public Uri Url { get; }

    /// <summary>The server certificate as PEM (it is its own CA), for --cacert.</summary>
    public string CaPath { get; }

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

    private TimeSpan Now => _clock.Elapsed;

    private async Task RunAsync()
    {
        var buffer = new byte[65_536];
        EndPoint anyone = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            if (_endpoint.NextTimeout is { } due)
            {
                wake.CancelAfter(due > Now ? due - Now : TimeSpan.Zero);
            }

            try
            {
                var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, anyone, wake.Token);
                _endpoint.ReceiveDatagram(buffer.AsSpan(0, received.ReceivedBytes), (IPEndPoint)received.RemoteEndPoint, Now);
            }
            catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
            {
                // A QUIC timer is due.
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                // ICMP port unreachable from a client that has gone: nothing to do.
            }

            if (_endpoint.NextTimeout is { } next && next <= Now)
            {
                _endpoint.HandleTimeout(Now);
            }

            TrackConnections();
            foreach (var connection in _connections)
            {
                Serve(connection);
            }

            int length;
            while ((length = _endpoint.WriteDatagram(buffer, Now, out var remote)) > 0 && remote is not null)
            {
                _socket.SendTo(buffer.AsSpan(0, length), SocketFlags.None, remote);
            }

            TrackConnections();
        }
    }

    private void TrackConnections()
    {
        while (_endpoint.TryPollEvent(out var e))
        {
            switch (e)
            {
                case QuicConnectionAccepted accepted:
                    accepted.Connection.State = _sessions();
                    _connections.Add(accepted.Connection);
                    break;
                case QuicConnectionRemoved removed:
                    _connections.Remove(removed.Connection);
                    break;
            }
        }
    }

    private void Serve(QuicEndpointConnection connection)
    {
        var quic = connection.Connection;
        var session = (IScriptedH3Session)connection.State!;
        try
        {
            while (quic.TryPollEvent(out var e))
            {
                session.Handle(quic, e, Now);
            }

            session.Flush(quic, Now);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            lock (_errors)
            {
                _errors.Add($"{connection.Remote}: {ex}");
            }

            quic.Close(0x102, "scripted server failed", Now);
        }

        _endpoint.Wake(connection, Now);
    }

    /// <summary>Self-signed for 127.0.0.1, good for server authentication: the client trusts it as its own CA.</summary>
    private static X509Certificate2 MakeCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=hxi check h3", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
        _stop.Dispose();
        _endpoint.Dispose();
        _certificate.Dispose();
        File.Delete(CaPath);
    }
}
