namespace Hxi.Net.Conformance;

/// <summary>Which cases a run includes: the protocol's, narrowed to the given sections or case ids, SHOULD cases only when strict.</summary>
public sealed record CaseSelection(CheckProtocol Protocol, IReadOnlyList<RfcSection> Sections, IReadOnlyList<string> Ids, bool Strict)
{
    /// <summary>Splits command-line words into sections (<c>9113/6.5</c>) and case ids (<c>9113-6.5-2</c>); false names the first bad word.</summary>
    public static bool TryParse(CheckProtocol protocol, IEnumerable<string> words, bool strict, out CaseSelection selection, out string? badWord)
    {
        var sections = new List<RfcSection>();
        var ids = new List<string>();
        badWord = null;
        foreach (var word in words)
        {
            if (word.Contains('-', StringComparison.Ordinal))
            {
                ids.Add(word);
            }
            else if (RfcSection.TryParse(word, out var section))
            {
                sections.Add(section);
            }
            else
            {
                badWord ??= word;
            }
        }

        selection = new CaseSelection(protocol, sections, ids, strict);
        return badWord is null;
    }

    public IReadOnlyList<ConformanceCase> Apply(IEnumerable<ConformanceCase> cases) =>
        cases.Where(Includes).ToList();

    public bool Includes(ConformanceCase c)
    {
        // QUIC transport cases run with the HTTP/3 ones: --http3 reaches the server over QUIC.
        if (c.Protocol != Protocol && !(Protocol == CheckProtocol.Http3 && c.Protocol == CheckProtocol.Quic))
        {
            return false;
        }

        // A case named by id runs even when it is a SHOULD case: naming it is asking for it.
        if (Ids.Contains(c.Id, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        if (c.Level == RequirementLevel.Should && !Strict)
        {
            return false;
        }

        if (Sections.Count == 0 && Ids.Count == 0)
        {
            return true;
        }

        return Sections.Any(s => c.Section.IsWithin(s));
    }
}
