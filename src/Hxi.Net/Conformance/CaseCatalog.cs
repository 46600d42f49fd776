using System.Globalization;

namespace Hxi.Net.Conformance;

/// <summary>
/// Collects cases in code (no reflection, so Native AOT keeps them) and numbers them within their section in the
/// order they are added: <c>9113-6.5-1</c>, <c>9113-6.5-2</c>.
/// </summary>
public sealed class CaseCatalog(CheckProtocol protocol)
{
    private readonly List<ConformanceCase> _cases = [];
    private readonly Dictionary<RfcSection, int> _numbers = [];

    /// <summary>The cases by RFC (in the order first added) and section number; within a section, in the order added.</summary>
    public IReadOnlyList<ConformanceCase> Cases
    {
        get
        {
            var rfcOrder = _cases.Select(c => c.Section.Rfc).Distinct().ToList();
            return _cases
                .OrderBy(c => rfcOrder.IndexOf(c.Section.Rfc))
                .ThenBy(c => c.Section.Number, SectionNumberComparer.Instance)
                .ToList();
        }
    }

    public void Add(int rfc, string section, RequirementLevel level, string sends, string requires, Func<CaseContext, Task<CaseVerdict>> run)
    {
        var key = new RfcSection(rfc, section);
        var number = _numbers.GetValueOrDefault(key) + 1;
        _numbers[key] = number;
        var id = $"{rfc.ToString(CultureInfo.InvariantCulture)}-{section}-{number.ToString(CultureInfo.InvariantCulture)}";
        _cases.Add(new ConformanceCase(id, key, level, protocol, sends, requires, run));
    }

    public void Must(int rfc, string section, string sends, string requires, Func<CaseContext, Task<CaseVerdict>> run) =>
        Add(rfc, section, RequirementLevel.Must, sends, requires, run);

    public void Should(int rfc, string section, string sends, string requires, Func<CaseContext, Task<CaseVerdict>> run) =>
        Add(rfc, section, RequirementLevel.Should, sends, requires, run);
}

/// <summary>Orders section numbers part by part as numbers: 6.9 before 6.10, 5.1 before 5.1.1.</summary>
public sealed class SectionNumberComparer : IComparer<string>
{
    public static readonly SectionNumberComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        var left = (x ?? "").Split('.');
        var right = (y ?? "").Split('.');
        for (var i = 0; i < Math.Min(left.Length, right.Length); i++)
        {
            var order = int.Parse(left[i], CultureInfo.InvariantCulture).CompareTo(int.Parse(right[i], CultureInfo.InvariantCulture));
            if (order != 0)
            {
                return order;
            }
        }

        return left.Length.CompareTo(right.Length);
    }
}
