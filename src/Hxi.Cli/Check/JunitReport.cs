using System.Globalization;
using System.Xml;
using Hxi.Net.Conformance;

namespace Hxi.Cli.Check;

/// <summary>JUnit XML as CI systems read it: one testsuite per RFC section, one testcase per case.</summary>
public static class JunitReport
{
    public static void Write(Stream output, string target, IReadOnlyList<CaseResult> results)
    {
        using var xml = XmlWriter.Create(output, new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) });
        xml.WriteStartDocument();
        xml.WriteStartElement("testsuites");
        xml.WriteAttributeString("name", $"hxi check {target}");
        WriteCounts(xml, results);
        foreach (var section in results.GroupBy(r => (r.Case.Section.Rfc, r.Case.Section.Chapter)))
        {
            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", $"RFC {section.Key.Rfc} {section.Key.Chapter} {SectionTitles.Of(section.Key.Rfc, section.Key.Chapter)}".TrimEnd());
            WriteCounts(xml, section.ToList());
            foreach (var result in section)
            {
                WriteCase(xml, result);
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void WriteCase(XmlWriter xml, CaseResult result)
    {
        var c = result.Case;
        xml.WriteStartElement("testcase");
        xml.WriteAttributeString("classname", $"hxi.check.rfc{c.Section.Rfc}.{c.Section.Number}");
        xml.WriteAttributeString("name", $"{c.Id} {c.Sends}: {c.Requires}");
        xml.WriteAttributeString("time", result.Duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture));
        switch (result.Verdict.Outcome)
        {
            case CaseOutcome.Failed:
                xml.WriteStartElement("failure");
                xml.WriteAttributeString("message", result.Verdict.Detail);
                xml.WriteAttributeString("type", c.Level == RequirementLevel.Must ? "MUST" : "SHOULD");
                xml.WriteString(string.Join('\n', EvidenceText.Lines(result.Verdict.Evidence, all: true)));
                xml.WriteEndElement();
                break;
            case CaseOutcome.Skipped:
                xml.WriteStartElement("skipped");
                xml.WriteAttributeString("message", result.Verdict.Detail);
                xml.WriteEndElement();
                break;
        }

        xml.WriteEndElement();
    }

    private static void WriteCounts(XmlWriter xml, IReadOnlyCollection<CaseResult> results)
    {
        xml.WriteAttributeString("tests", results.Count.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("failures", results.Count(r => r.Verdict.Outcome == CaseOutcome.Failed).ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("errors", "0");
        xml.WriteAttributeString("skipped", results.Count(r => r.Verdict.Outcome == CaseOutcome.Skipped).ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("time", results.Sum(r => r.Duration.TotalSeconds).ToString("0.000", CultureInfo.InvariantCulture));
    }
}
