namespace Hxi.Net.Conformance.Http2;

/// <summary>The HTTP/2 cases (RFC 9113 and RFC 7541), registered in code in section order.</summary>
public static partial class Http2Cases
{
    private static readonly Lazy<IReadOnlyList<ConformanceCase>> Catalog = new(Build);

    public static IReadOnlyList<ConformanceCase> All => Catalog.Value;

    private static IReadOnlyList<ConformanceCase> Build()
    {
        var catalog = new CaseCatalog(CheckProtocol.Http2);
        AddConnectionCases(catalog);
        AddStreamCases(catalog);
        AddFrameCases(catalog);
        AddSettingsCases(catalog);
        AddFlowControlCases(catalog);
        AddMessageCases(catalog);
        AddHpackCases(catalog);
        // Added later: after the first cases, so that their numbers within each section stay stable.
        AddFrameFormatCases(catalog);
        AddStreamAndWindowCases(catalog);
        AddMoreMessageCases(catalog);
        AddMoreHpackCases(catalog);
        return catalog.Cases;
    }
}
