using Hxi.Net.Conformance;
using Hxi.Net.Conformance.Http2;
using Hxi.Server.Http2;

namespace Hxi.Server.Tests;

/// <summary>
/// The HTTP/2 rules Kestrel leaves open, closed by <see cref="Http2InboundGuard"/> and <see cref="Http2RequestRules"/>:
/// the <c>hxi check</c> cases of those sections (preface, field validity, connection-specific fields, CONNECT, HPACK
/// index 0, and the SHOULD case of a stream that depends on itself) pass against the embedded server over h2c and TLS.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class Http2ConformanceTests(ServerFixture fixture)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheCasesKestrelAloneFails_PassAgainstTheEmbeddedServer(bool tls)
    {
        RfcSection[] sections = [new(9113, "3.4"), new(9113, "8.2"), new(9113, "8.5"), new(7541, "6.1")];
        var cases = new CaseSelection(CheckProtocol.Http2, sections, ["9113-5.3.2-1"], Strict: false).Apply(Http2Cases.All);
        var target = new ConformanceTarget(tls ? fixture.Server.HttpsUri : fixture.Server.H2cUri, tls, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(250))
        {
            CaCertificatePath = fixture.Server.CaCertificatePath,
        };
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        var results = await ConformanceRunner.RunAsync(cases, target, onResult: null, limit.Token);

        Assert.Contains(results, r => r.Case.Id == "7541-6.1-1");
        Assert.Contains(results, r => r.Case.Id == "9113-3.4-2");
        Assert.Contains(results, r => r.Case.Id == "9113-5.3.2-1");
        Assert.All(results, r => Assert.True(r.Verdict.Outcome == CaseOutcome.Passed, $"{r.Case.Id} ({r.Case.Sends}): {r.Verdict.Outcome}: {r.Verdict.Detail}"));
    }

    [Theory]
    [InlineData(new byte[] { 0x80 }, true)]
    [InlineData(new byte[] { 0x82, 0x86, 0x80 }, true)]
    // A literal (new name "x", value 0x80 0x80): the 0x80 bytes are string octets, not representations.
    [InlineData(new byte[] { 0x00, 0x01, 0x78, 0x02, 0x80, 0x80 }, false)]
    // Incremental indexing with name index 1 (:authority), value "a"; then index 62.
    [InlineData(new byte[] { 0x41, 0x01, 0x61, 0xbe }, false)]
    // A size update, then a Huffman-flagged literal whose bytes include 0x80.
    [InlineData(new byte[] { 0x3f, 0xe1, 0x1f, 0x00, 0x81, 0x80, 0x81, 0x80 }, false)]
    // Cut off in the middle of a string: not judged here (Kestrel's decoder reports it).
    [InlineData(new byte[] { 0x00, 0x05, 0x78 }, false)]
    public void TheBlockScan_FindsIndexZero_OnlyWhereARepresentationStarts(byte[] block, bool expected) =>
        Assert.Equal(expected, HpackBlockScan.HasIndexZero(block));
}
