using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Ecn;
using Hxi.Protocols.Quic.Frames;
using QuicConnectionCore = Hxi.Protocols.Quic.Connection.QuicConnection;

namespace Hxi.Protocols.Tests.QuicConnection;

/// <summary>How the in-memory link mistreats datagrams going one way.</summary>
internal sealed record Link(double Loss = 0, double Reorder = 0, double Duplicate = 0, double Corrupt = 0)
{
    public static readonly Link Perfect = new();
}

/// <summary>
/// A QUIC client and server joined by an in-memory link on a virtual clock (quinn's Pair, in C#):
/// datagrams take <see cref="Latency"/> to cross, and the link can drop, reorder, duplicate and corrupt them.
/// </summary>
internal sealed class QuicPair
{
    internal static readonly Lazy<(X509Certificate2 Leaf, X509Certificate2Collection Roots)> Certificates = new(MakeCertificates);

    private readonly List<(TimeSpan Due, bool ToServer, byte[] Datagram, EcnCodepoint Ecn)> _inFlight = [];
    private readonly Random _random;
    private readonly List<QuicFrame> _clientSent = [];
    private readonly List<QuicFrame> _serverSent = [];

    public QuicPair(Link? toServer = null, Link? toClient = null, int seed = 1, Func<QuicConnectionOptions, QuicConnectionOptions>? client = null, Func<QuicConnectionOptions, QuicConnectionOptions>? server = null)
    {
        _random = new Random(seed);
        ToServer = toServer ?? Link.Perfect;
        ToClient = toClient ?? Link.Perfect;
        var clientOptions = new QuicConnectionOptions
        {
            Role = QuicRole.Client,
            ServerName = "localhost",
            CustomRoots = Certificates.Value.Roots,
            CertificateTime = DateTimeOffset.UtcNow,
            Random = new Random(seed + 1),
        };
        var serverOptions = new QuicConnectionOptions
        {
            Role = QuicRole.Server,
            Certificate = Certificates.Value.Leaf,
            Random = new Random(seed + 2),
        };
        Client = new QuicConnectionCore(client?.Invoke(clientOptions) ?? clientOptions, new TraceTap("client", Trace, () => Now, ClientMetrics, _clientSent));
        Server = new QuicConnectionCore(server?.Invoke(serverOptions) ?? serverOptions, new TraceTap("server", Trace, () => Now, sent: _serverSent));
        Client.Start(Now);
    }

    public QuicConnectionCore Client { get; }

    public QuicConnectionCore Server { get; }

    public Link ToServer { get; set; }

    public Link ToClient { get; set; }

    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Sees the frames of every datagram the client sends; true drops the datagram (on top of <see cref="ToServer"/>).</summary>
    public Func<IReadOnlyList<QuicFrame>, bool>? DropToServerWhen { get; set; }

    /// <summary>Sees the frames of every datagram the server sends; true drops the datagram.</summary>
    public Func<IReadOnlyList<QuicFrame>, bool>? DropToClientWhen { get; set; }

    public TimeSpan Now { get; private set; }

    /// <summary>With <see cref="RecordDatagrams"/>, every datagram either side wrote, before the link's mischief: its direction, size and frames.</summary>
    public List<(bool ToServer, int Length, QuicFrame[] Frames)> Datagrams { get; } = [];

    public bool RecordDatagrams { get; set; }

    /// <summary>What the path does to the ECN bits of a datagram (sent codepoint, towards the server?); null passes them unchanged.</summary>
    public Func<EcnCodepoint, bool, EcnCodepoint>? EcnPath { get; set; }

    /// <summary>Every packet both sides saw, one line each: printed when a test fails.</summary>
    public List<string> Trace { get; } = [];

    public List<QuicEvent> ClientEvents { get; } = [];

    /// <summary>The client's recovery metrics, as recorded on its tap for qlog.</summary>
    public List<QuicMetricsTrace> ClientMetrics { get; } = [];

    public List<QuicEvent> ServerEvents { get; } = [];

    /// <summary>Runs the pair until <paramref name="done"/> holds or <paramref name="limit"/> of virtual time passes.</summary>
    public bool RunUntil(Func<bool> done, TimeSpan? limit = null, Action? onStep = null)
    {
        var end = Now + (limit ?? TimeSpan.FromSeconds(60));
        var buffer = new byte[65_536];
        while (Now < end)
        {
            Flush(Client, toServer: true, buffer);
            Flush(Server, toServer: false, buffer);
            Drain();
            onStep?.Invoke();
            if (done())
            {
                return true;
            }

            var next = new[] { Client.NextTimeout, Server.NextTimeout, _inFlight.Count > 0 ? _inFlight.Min(d => d.Due) : null }
                .Where(t => t is not null).Select(t => t!.Value).DefaultIfEmpty(end).Min();
            // Never past the limit: a test that waits a while must not see a far-off timer (the idle one) fire.
            Now = next > Now ? (next < end ? next : end) : Now + TimeSpan.FromMicroseconds(1);
            Deliver();
            if (Client.NextTimeout is { } ct && ct <= Now)
            {
                Client.HandleTimeout(Now);
            }

            if (Server.NextTimeout is { } st && st <= Now)
            {
                Server.HandleTimeout(Now);
            }
        }

        return done();
    }

    private void Flush(QuicConnectionCore from, bool toServer, byte[] buffer)
    {
        int length;
        var guard = 0;
        var sent = toServer ? _clientSent : _serverSent;
        sent.Clear();
        while ((length = from.WriteDatagram(buffer, Now, out var ecn)) > 0 && guard++ < 10_000)
        {
            var link = toServer ? ToServer : ToClient;
            var dropWhen = toServer ? DropToServerWhen : DropToClientWhen;
            var frames = sent.ToArray();
            if (RecordDatagrams)
            {
                Datagrams.Add((toServer, length, frames));
            }

            var dropped = dropWhen?.Invoke(frames) ?? false;
            sent.Clear();
            if (dropped || Chance(link.Loss))
            {
                continue;
            }

            var datagram = buffer.AsSpan(0, length).ToArray();
            if (Chance(link.Corrupt))
            {
                datagram[_random.Next(datagram.Length)] ^= 0x10;
            }

            var delay = Latency + (Chance(link.Reorder) ? Latency : TimeSpan.Zero);
            ecn = EcnPath?.Invoke(ecn, toServer) ?? ecn;
            _inFlight.Add((Now + delay, toServer, datagram, ecn));
            if (Chance(link.Duplicate))
            {
                _inFlight.Add((Now + delay + TimeSpan.FromMilliseconds(1), toServer, datagram.ToArray(), ecn));
            }
        }
    }

    private void Deliver()
    {
        foreach (var item in _inFlight.Where(d => d.Due <= Now).OrderBy(d => d.Due).ToList())
        {
            _inFlight.Remove(item);
            (item.ToServer ? Server : Client).ReceiveDatagram(item.Datagram, Now, item.Ecn);
        }
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

    private bool Chance(double p) => p > 0 && _random.NextDouble() < p;

    private static (X509Certificate2, X509Certificate2Collection) MakeCertificates()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=quic pair CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=localhost", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        leafRequest.CertificateExtensions.Add(names.Build());
        using var signed = leafRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), [7, 7, 7]);
        var leaf = signed.CopyWithPrivateKey(leafKey);
        return (leaf, [X509CertificateLoader.LoadCertificate(ca.RawData)]);
    }
}

/// <summary>Keeps a one-line transcript of every QUIC packet and frame, for failure messages.</summary>
/// <param name="sent">Collects the frames of packets sent since the pair last emptied it (one datagram's worth).</param>
internal sealed class TraceTap(string who, List<string> lines, Func<TimeSpan> now, List<QuicMetricsTrace>? metrics = null, List<QuicFrame>? sent = null) : Hxi.Protocols.Trace.IWireTap
{
    public void Record(in Hxi.Protocols.Trace.WireRecord record)
    {
        if (record.Decoded is QuicMetricsTrace recorded)
        {
            metrics?.Add(recorded);
        }

        if (sent is not null && record.Direction == Hxi.Protocols.Trace.WireDirection.Sent && record.Decoded is QuicPacketTrace sentPacket)
        {
            sent.AddRange(sentPacket.Frames);
        }

        if (record.Decoded is EcnStateChange or EcnCongestionExperienced)
        {
            // Kept whatever the length of the transcript: tests look for these.
            lines.Add($"{now().TotalMilliseconds,8:0.0} {who} {record.Decoded}");
        }

        if (lines.Count < 400 && record.Decoded is QuicPacketTrace packet)
        {
            lines.Add($"{now().TotalMilliseconds,8:0.0} {who} {record.Direction} {packet.Type} pn={packet.PacketNumber} {packet.Note} {string.Join(" | ", packet.Frames.Select(f => f.ToString()))}");
        }
    }
}
