using System.Security.Cryptography;
using Hxi.Protocols.Tls;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Tests.Tls;

/// <summary>A client and a server handshake wired back to back in memory, with a knob to split or tamper with bytes.</summary>
internal sealed class TlsPair
{
    public TlsPair(TlsClientOptions? client = null, TlsServerOptions? server = null)
    {
        ClientOptions = client ?? DefaultClient();
        ServerOptions = server ?? DefaultServer();
        Client = new TlsClientHandshake(ClientOptions, ClientObserver);
        Server = new TlsServerHandshake(ServerOptions, ServerObserver);
    }

    public TlsClientOptions ClientOptions { get; }

    public TlsServerOptions ServerOptions { get; }

    public TlsClientHandshake Client { get; }

    public TlsServerHandshake Server { get; }

    public RecordingObserver ClientObserver { get; } = new();

    public RecordingObserver ServerObserver { get; } = new();

    public List<TlsEvent> ClientEvents { get; } = [];

    public List<TlsEvent> ServerEvents { get; } = [];

    /// <summary>Feeds each run of bytes whole, or one byte at a time.</summary>
    public bool OneByteAtATime { get; init; }

    /// <summary>Rewrites bytes in flight: (from client?, level, bytes) -> bytes.</summary>
    public Func<bool, TlsEncryptionLevel, byte[], byte[]>? Tamper { get; init; }

    public static TlsClientOptions DefaultClient() => new()
    {
        ServerName = "localhost",
        ApplicationProtocols = ["h3"],
        TransportParameters = [0x01, 0x02, 0x03],
        CustomRoots = TlsTestCertificates.Default.Roots,
        Now = TlsTestCertificates.Now,
    };

    public static TlsServerOptions DefaultServer() => new()
    {
        Certificate = TlsTestCertificates.Default.IssueEcdsa("localhost", ECCurve.NamedCurves.nistP256),
        ApplicationProtocols = ["h3"],
        TransportParameters = [0x0a, 0x0b],
    };

    /// <summary>Runs the handshake until neither side has anything more to say.</summary>
    public void Run()
    {
        Client.Start();
        var progress = true;
        while (progress)
        {
            progress = Deliver(Client, Server, fromClient: true) | Deliver(Server, Client, fromClient: false);
            Drain();
        }

        Drain();
    }

    private void Drain()
    {
        while (Client.TryPollEvent(out var e))
        {
            ClientEvents.Add(e);
        }

        while (Server.TryPollEvent(out var e))
        {
            ServerEvents.Add(e);
        }
    }

    private bool Deliver(TlsHandshake from, TlsHandshake to, bool fromClient)
    {
        var any = false;
        while (from.TryGetOutput(out var level, out var bytes))
        {
            any = true;
            var data = bytes.ToArray();
            if (Tamper is not null)
            {
                data = Tamper(fromClient, level, data);
            }

            if (OneByteAtATime)
            {
                foreach (var b in data)
                {
                    to.ReceiveHandshakeBytes(level, [b]);
                }
            }
            else
            {
                to.ReceiveHandshakeBytes(level, data);
            }
        }

        return any;
    }
}

/// <summary>Keeps every message and key-log line an endpoint reported.</summary>
internal sealed class RecordingObserver : ITlsObserver
{
    public List<(WireDirection Direction, TlsEncryptionLevel Level, TlsHandshakeMessage Message)> Messages { get; } = [];

    public List<string> KeyLog { get; } = [];

    public void HandshakeMessage(WireDirection direction, TlsEncryptionLevel level, TlsHandshakeMessage message, ReadOnlySpan<byte> bytes) =>
        Messages.Add((direction, level, message));

    public void KeyLogLine(string line) => KeyLog.Add(line);
}
