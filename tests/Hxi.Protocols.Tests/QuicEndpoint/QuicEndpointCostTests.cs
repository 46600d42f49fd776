using Hxi.Protocols.Quic.Endpoint;

namespace Hxi.Protocols.Tests.QuicEndpoint;

/// <summary>
/// What a stranger's datagram costs the endpoint before anything in it has decrypted: no state kept, and no more than a
/// few hundred bytes allocated (issue 10: "nothing costs the server more than a few hundred bytes before a packet has
/// decrypted"). Bytes are counted on the test's thread, which is the endpoint's.
/// </summary>
public class QuicEndpointCostTests
{
    private const int Datagrams = 2_000;

    public static TheoryData<string> Kinds => ["undecryptable Initial", "unknown version", "short header to no one", "random bytes"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AStrangersDatagram_AllocatesAFewHundredBytesAtMost_AndLeavesNoState(string kind)
    {
        var harness = new EndpointHarness();
        var random = new Random(21);
        var datagrams = Enumerable.Range(0, Datagrams).Select(_ => Make(kind, random)).ToList();
        var from = harness.NextAddress();
        var buffer = new byte[65_536];
        // Warm up once (JIT, static tables, the crypto library's first contexts) before counting.
        Feed(harness, datagrams.Take(50), from, buffer);

        var before = GC.GetAllocatedBytesForCurrentThread();
        Feed(harness, datagrams, from, buffer);
        var perDatagram = (GC.GetAllocatedBytesForCurrentThread() - before) / Datagrams;

        // About 500 for an undecryptable Initial: the AesGcm context and the exception the BCL throws on a tag mismatch.
        // (A connection's keys, built before the endpoint learned to open Initials itself, cost 4,000.)
        Assert.True(perDatagram <= 640, $"{kind}: {perDatagram} bytes allocated per datagram");
        Assert.Equal(0, harness.Server.ConnectionCount);
        Assert.Equal(0, harness.Server.RoutedConnectionIds);
        Assert.Null(harness.Server.NextTimeout);
    }

    private static void Feed(EndpointHarness harness, IEnumerable<byte[]> datagrams, System.Net.IPEndPoint from, byte[] buffer)
    {
        foreach (var datagram in datagrams)
        {
            harness.Server.ReceiveDatagram(datagram, from, harness.Now);
            // Answers (Version Negotiation, resets) go out as they would from the driver; their budget runs out soon.
            while (harness.Server.WriteDatagram(buffer, harness.Now, out _) > 0)
            {
            }
        }
    }

    private static byte[] Make(string kind, Random random) => kind switch
    {
        "undecryptable Initial" => GarbageDatagrams.UndecryptableInitial(random),
        "unknown version" => GarbageDatagrams.UnknownVersion(random),
        "short header to no one" => GarbageDatagrams.ShortHeader(random, 1200),
        _ => RandomBytes(random),
    };

    private static byte[] RandomBytes(Random random)
    {
        var datagram = new byte[1 + random.Next(1400)];
        random.NextBytes(datagram);
        return datagram;
    }
}
