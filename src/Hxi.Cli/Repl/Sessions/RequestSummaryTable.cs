using System.Globalization;
using System.Text;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>The table after concurrent requests: which stream carried each, its status, size and duration.</summary>
public static class RequestSummaryTable
{
    public static string Render(IReadOnlyList<(string Target, ReplResponse? Response, string? Error)> rows)
    {
        var text = new StringBuilder();
        var width = Math.Max(6, rows.Max(r => r.Target.Length));
        text.Append(CultureInfo.InvariantCulture, $"{"#",-4} {"target".PadRight(width)} {"stream",6} {"status",6} {"bytes",9} {"time",11}\n");
        foreach (var (target, response, error) in rows)
        {
            if (response is null)
            {
                text.Append(CultureInfo.InvariantCulture, $"{"-",-4} {target.PadRight(width)} {"-",6} {"failed",6}  {error}\n");
                continue;
            }

            var stream = response.StreamId?.ToString(CultureInfo.InvariantCulture) ?? "-";
            text.Append(CultureInfo.InvariantCulture,
                $"{response.Number,-4} {target.PadRight(width)} {stream,6} {response.Status,6} {response.Body.Length,9} {ReplStats.Ms(response.Duration),11}\n");
        }

        return text.ToString();
    }
}
