namespace Hxi.Net.Conformance.Quic;

/// <summary>
/// The QUIC transport cases (RFC 9000 and RFC 9001) a client can provoke in a server, registered in code in section
/// order. They run with <c>hxi check --http3</c>, each on a fresh QUIC connection (ALPN h3).
/// </summary>
public static partial class QuicCases
{
    private const int Transport = 9000;
    private const int Tls = 9001;

    private static readonly Lazy<IReadOnlyList<ConformanceCase>> Catalog = new(Build);

    public static IReadOnlyList<ConformanceCase> All => Catalog.Value;

    private static IReadOnlyList<ConformanceCase> Build()
    {
        var catalog = new CaseCatalog(CheckProtocol.Quic);
        AddStreamCases(catalog);
        AddParameterCases(catalog);
        AddPacketCases(catalog);
        AddFrameCases(catalog);
        AddTlsCases(catalog);
        return catalog.Cases;
    }
}
