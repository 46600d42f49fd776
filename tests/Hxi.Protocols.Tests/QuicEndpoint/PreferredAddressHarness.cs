using System.Net;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Endpoint;
using Hxi.Protocols.Tests.QuicConnection;
using QuicConnectionCore = Hxi.Protocols.Quic.Connection.QuicConnection;

namespace Hxi.Protocols.Tests.QuicEndpoint;

/// <summary>
/// One client core and a server endpoint with two sockets, the listening one and the preferred address's (RFC 9000
/// Section 9.6), on a virtual clock. The client has two sockets too, as hxi's driver does: its first, connected to the
/// listening address, and a second one connected to the preferred address for the probe, which becomes its only one
/// when the probe succeeds. Records from which server socket every datagram left.
/// </summary>
internal sealed class PreferredAddressHarness
{
    public static readonly IPEndPoint Listening = new(IPAddress.Parse("192.0.2.1"), 443);
    public static readonly IPEndPoint Preferred = new(IPAddress.Parse("198.51.100.1"), 4433);
    public static readonly IPEndPoint ClientFirst = new(IPAddress.Parse("203.0.113.9"), 50_000);
    public static readonly IPEndPoint ClientSecond = new(IPAddress.Parse("203.0.113.9"), 50_001);

    private readonly List<(TimeSpan Due, IPEndPoint From, IPEndPoint To, byte[] Datagram)> _inFlight = [];

    public PreferredAddressHarness(Func<QuicConnectionOptions, QuicConnectionOptions>? client = null, Func<QuicConnectionOptions, QuicConnectionOptions>? server = null)
    {
        var serverOptions = new QuicConnectionOptions
        {
            Role = QuicRole.Server,
            Certificate = QuicPair.Certificates.Value.Leaf,
            Random = new Random(1),
            PreferredAddress = Preferred,
        };
        Server = new global::Hxi.Protocols.Quic.Endpoint.QuicEndpoint(new QuicEndpointOptions
        {
            Connection = server?.Invoke(serverOptions) ?? serverOptions,
            StaticKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(),
        });
        var options = new QuicConnectionOptions
        {
            Role = QuicRole.Client,
            ServerName = "localhost",
            CustomRoots = QuicPair.Certificates.Value.Roots,
            CertificateTime = DateTimeOffset.UtcNow,
            Random = new Random(2),
        };
        Client = new QuicConnectionCore(client?.Invoke(options) ?? options);
        Client.Start(Now);
    }

    public global::Hxi.Protocols.Quic.Endpoint.QuicEndpoint Server { get; }

    public QuicConnectionCore Client { get; }

    public TimeSpan Now { get; private set; }

    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>True once the client moved: its first socket is closed and everything goes to the preferred address.</summary>
    public bool ClientMoved { get; private set; }

    /// <summary>True drops every datagram on its way to the preferred address (a server address that never answers).</summary>
    public bool PreferredUnreachable { get; set; }

    public List<QuicEvent> ClientEvents { get; } = [];

    public List<QuicEndpointEvent> ServerEvents { get; } = [];

    /// <summary>Every datagram the server sent: to whom, from which socket.</summary>
    public List<(IPEndPoint To, bool FromPreferred, int Length)> ServerSent { get; } = [];

    /// <summary>Datagrams that reached the server's preferred socket.</summary>
    public int ReceivedAtPreferred { get; private set; }

    public QuicEndpointConnection Accepted => Assert.Single(ServerEvents.OfType<QuicConnectionAccepted>()).Connection;

    public bool RunUntil(Func<bool> done, TimeSpan? limit = null)
    {
        var end = Now + (limit ?? TimeSpan.FromSeconds(30));
        var buffer = new byte[65_536];
        while (Now < end)
        {
            int length;
            while ((length = Client.WriteProbeDatagram(buffer, Now)) > 0)
            {
                Send(ClientSecond, Preferred, buffer[..length]);
            }

            while ((length = Client.WriteDatagram(buffer, Now)) > 0)
            {
                Send(ClientMoved ? ClientSecond : ClientFirst, ClientMoved ? Preferred : Listening, buffer[..length]);
            }

            while ((length = Server.WriteDatagram(buffer, Now, out var to, out var fromPreferred, out _)) > 0)
            {
                ServerSent.Add((to!, fromPreferred, length));
                Send(fromPreferred ? Preferred : Listening, to!, buffer[..length]);
            }

            Drain();
            if (done())
            {
                return true;
            }

            var next = new[] { Client.NextTimeout, Server.NextTimeout, _inFlight.Count > 0 ? _inFlight.Min(d => d.Due) : null }
                .Where(t => t is not null).Select(t => t!.Value).DefaultIfEmpty(end).Min();
            Now = next > Now ? next : Now + TimeSpan.FromMicroseconds(1);
            foreach (var item in _inFlight.Where(d => d.Due <= Now).OrderBy(d => d.Due).ToList())
            {
                _inFlight.Remove(item);
                Deliver(item.From, item.To, item.Datagram);
            }

            if (Client.NextTimeout <= Now)
            {
                Client.HandleTimeout(Now);
            }

            if (Server.NextTimeout is { } due && due <= Now)
            {
                Server.HandleTimeout(Now);
            }

            Drain();
        }

        return done();
    }

    private void Send(IPEndPoint from, IPEndPoint to, byte[] datagram)
    {
        if (!(PreferredUnreachable && to.Equals(Preferred)))
        {
            _inFlight.Add((Now + Latency, from, to, datagram));
        }
    }

    private void Deliver(IPEndPoint from, IPEndPoint to, byte[] datagram)
    {
        if (to.Equals(Listening) || to.Equals(Preferred))
        {
            ReceivedAtPreferred += to.Equals(Preferred) ? 1 : 0;
            Server.ReceiveDatagram(datagram, from, atPreferredAddress: to.Equals(Preferred), Now);
        }
        else if (to.Equals(ClientSecond) && from.Equals(Preferred))
        {
            // The second socket is connected to the preferred address: before the move it carries only the probe path.
            if (ClientMoved)
            {
                Client.ReceiveDatagram(datagram, Now);
            }
            else
            {
                Client.ReceiveProbeDatagram(datagram, Now);
            }
        }
        else if (to.Equals(ClientFirst) && from.Equals(Listening) && !ClientMoved)
        {
            Client.ReceiveDatagram(datagram, Now);
        }
    }

    private void Drain()
    {
        while (Client.TryPollEvent(out var e))
        {
            ClientEvents.Add(e);
            ClientMoved |= e is QuicPathProbeValidated { Migrated: true };
        }

        while (Server.TryPollEvent(out var e))
        {
            ServerEvents.Add(e);
        }
    }
}
