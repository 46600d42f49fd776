using System.Net;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Endpoint;
using Hxi.Protocols.Tests.QuicConnection;
using QuicConnectionCore = Hxi.Protocols.Quic.Connection.QuicConnection;

namespace Hxi.Protocols.Tests.QuicEndpoint;

/// <summary>
/// A server <see cref="global::Hxi.Protocols.Quic.Endpoint.QuicEndpoint"/> and any number of client connections on a virtual clock, each
/// client at its own address; datagrams cross in <see cref="Latency"/>. Records everything the server sends.
/// </summary>
internal sealed class EndpointHarness
{
    private readonly List<(TimeSpan Due, IPEndPoint From, IPEndPoint To, byte[] Datagram)> _inFlight = [];
    private int _nextPort = 40_000;

    public EndpointHarness(Func<QuicEndpointOptions, QuicEndpointOptions>? configure = null, int seed = 1)
    {
        var options = new QuicEndpointOptions
        {
            Connection = new QuicConnectionOptions
            {
                Role = QuicRole.Server,
                Certificate = QuicPair.Certificates.Value.Leaf,
                Random = new Random(seed),
            },
            StaticKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(),
        };
        Options = configure?.Invoke(options) ?? options;
        Server = new global::Hxi.Protocols.Quic.Endpoint.QuicEndpoint(Options);
    }

    public static readonly IPEndPoint ServerAddress = new(IPAddress.Loopback, 443);

    public QuicEndpointOptions Options { get; }

    public global::Hxi.Protocols.Quic.Endpoint.QuicEndpoint Server { get; private set; }

    public TimeSpan Now { get; set; }

    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(5);

    public Dictionary<IPEndPoint, QuicConnectionCore> Clients { get; } = [];

    /// <summary>Every datagram the server sent, in order.</summary>
    public List<(IPEndPoint To, byte[] Datagram)> ServerSent { get; } = [];

    public List<QuicEndpointEvent> Events { get; } = [];

    /// <summary>True drops a client's datagram on its way to the server.</summary>
    public Func<IPEndPoint, byte[], bool>? DropToServer { get; set; }

    public IPEndPoint NextAddress() => new(IPAddress.Parse("192.0.2.7"), _nextPort++);

    public (IPEndPoint Address, QuicConnectionCore Client) AddClient(Func<QuicConnectionOptions, QuicConnectionOptions>? configure = null)
    {
        var options = new QuicConnectionOptions
        {
            Role = QuicRole.Client,
            ServerName = "localhost",
            CustomRoots = QuicPair.Certificates.Value.Roots,
            CertificateTime = DateTimeOffset.UtcNow,
            Random = new Random(_nextPort),
        };
        var client = new QuicConnectionCore(configure?.Invoke(options) ?? options);
        var address = NextAddress();
        Clients[address] = client;
        client.Start(Now);
        return (address, client);
    }

    /// <summary>A datagram from <paramref name="from"/> reaches the server now; returns the connection it went to.</summary>
    public QuicEndpointConnection? Inject(byte[] datagram, IPEndPoint from)
    {
        var connection = Server.ReceiveDatagram(datagram, from, Now);
        DrainEvents();
        return connection;
    }

    /// <summary>Collects what the server has to send now (delivered to clients after the latency).</summary>
    public List<(IPEndPoint To, byte[] Datagram)> FlushServer()
    {
        var sent = new List<(IPEndPoint, byte[])>();
        var buffer = new byte[65_536];
        int length;
        while ((length = Server.WriteDatagram(buffer, Now, out var to)) > 0)
        {
            var datagram = buffer.AsSpan(0, length).ToArray();
            sent.Add((to!, datagram));
            ServerSent.Add((to!, datagram));
            _inFlight.Add((Now + Latency, ServerAddress, to!, datagram));
        }

        DrainEvents();
        return sent;
    }

    /// <summary>Runs everything until <paramref name="done"/> holds or <paramref name="limit"/> of virtual time passes.</summary>
    public bool RunUntil(Func<bool> done, TimeSpan? limit = null)
    {
        var end = Now + (limit ?? TimeSpan.FromSeconds(30));
        var buffer = new byte[65_536];
        while (Now < end)
        {
            foreach (var (address, client) in Clients)
            {
                int length;
                while ((length = client.WriteDatagram(buffer, Now)) > 0)
                {
                    var datagram = buffer.AsSpan(0, length).ToArray();
                    if (DropToServer?.Invoke(address, datagram) != true)
                    {
                        _inFlight.Add((Now + Latency, address, ServerAddress, datagram));
                    }
                }
            }

            FlushServer();
            if (done())
            {
                return true;
            }

            var next = Clients.Values.Select(c => c.NextTimeout).Append(Server.NextTimeout).Append(_inFlight.Count > 0 ? _inFlight.Min(d => d.Due) : null)
                .Where(t => t is not null).Select(t => t!.Value).DefaultIfEmpty(end).Min();
            Now = next > Now ? next : Now + TimeSpan.FromMicroseconds(1);
            foreach (var item in _inFlight.Where(d => d.Due <= Now).OrderBy(d => d.Due).ToList())
            {
                _inFlight.Remove(item);
                if (item.To.Equals(ServerAddress))
                {
                    Server.ReceiveDatagram(item.Datagram, item.From, Now);
                }
                else if (Clients.TryGetValue(item.To, out var client))
                {
                    client.ReceiveDatagram(item.Datagram, Now);
                }
            }

            foreach (var client in Clients.Values.Where(c => c.NextTimeout <= Now))
            {
                client.HandleTimeout(Now);
            }

            if (Server.NextTimeout is { } due && due <= Now)
            {
                Server.HandleTimeout(Now);
            }

            DrainEvents();
        }

        return done();
    }

    /// <summary>Replaces the server by a fresh endpoint with the same options: every connection is lost, the key kept.</summary>
    public void RestartServer() => Server = new global::Hxi.Protocols.Quic.Endpoint.QuicEndpoint(Options);

    private void DrainEvents()
    {
        while (Server.TryPollEvent(out var e))
        {
            Events.Add(e);
        }
    }
}
