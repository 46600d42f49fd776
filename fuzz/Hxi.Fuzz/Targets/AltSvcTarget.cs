using System.Text;
using Hxi.Net.Client;

namespace Hxi.Fuzz.Targets;

/// <summary>The Alt-Svc field parser (RFC 7838 Section 3): each line one field value, as a response may carry several. It never throws.</summary>
public static class AltSvcTarget
{
    public static void Run(ReadOnlySpan<byte> data)
    {
        var values = Encoding.Latin1.GetString(data).Split('\n');
        foreach (var value in values)
        {
            _ = AltSvcParser.Parse(value).ToString();
        }

        foreach (var alternative in AltSvcParser.Parse(values).Alternatives)
        {
            _ = alternative.ToString();
        }
    }

    public static IEnumerable<byte[]> Seeds()
    {
        string[] fields =
        [
            "h3=\":443\"; ma=86400",
            "h3=\":443\"; ma=2592000,h3-29=\":443\"; ma=2592000, h2=\"alt.example.com:8443\"; persist=1",
            "clear",
            "h3=\"[2001:db8::1]:443\";ma=60, w%3Dx%3Ay=\"example.net:1234\"",
            "h2=\"new.example.org:80\"\nh3=\":8443\"; ma=\"3600\"; foo=bar",
            "h3=\"host\\\"quoted:443\"; ma=99999999999999999999",
        ];
        return fields.Select(Encoding.Latin1.GetBytes);
    }
}
