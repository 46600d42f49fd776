namespace Hxi.Net.Conformance.Http3;

/// <summary>The HTTP/3 cases (RFC 9114) and QPACK cases (RFC 9204), registered in code in section order.</summary>
public static partial class Http3Cases
{
    private const int Rfc = 9114;
    private const int Qpack = 9204;

    private static readonly Lazy<IReadOnlyList<ConformanceCase>> Catalog = new(Build);

    public static IReadOnlyList<ConformanceCase> All => Catalog.Value;

    private static IReadOnlyList<ConformanceCase> Build()
    {
        var catalog = new CaseCatalog(CheckProtocol.Http3);
        AddMessageCases(catalog);
        AddStreamCases(catalog);
        AddFrameCases(catalog);
        AddServerOutputCases(catalog);
        AddQpackCases(catalog);
        return catalog.Cases;
    }
}
