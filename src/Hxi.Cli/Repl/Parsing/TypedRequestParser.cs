using System.Globalization;
using System.Text;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Repl.Parsing;

/// <summary>Reads a request typed as HTTP/1.1 text: request line, header lines, empty line, optional body.</summary>
public static class TypedRequestParser
{
    public static TypedRequest Parse(IReadOnlyList<string> lines)
    {
        var parts = lines[0].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3)
        {
            throw new ReplInputException($"'{lines[0].Trim()}' is not a request line: type METHOD /path HTTP/1.1");
        }

        var (method, target, version) = (parts[0], parts[1], parts[2]);
        ReplParser.CheckTarget(target);
        var headers = new List<HeaderField>();
        var index = 1;
        for (; index < lines.Count && lines[index].Length > 0; index++)
        {
            headers.Add(ReplValues.HeaderLine(lines[index]));
        }

        var bodyLines = lines.Skip(index + 1).ToList();
        var body = Encoding.UTF8.GetBytes(string.Join("\r\n", bodyLines) + (IsChunked(headers) && bodyLines.Count > 0 ? "\r\n" : ""));
        var raw = new StringBuilder();
        foreach (var line in lines.Take(index))
        {
            raw.Append(line).Append("\r\n");
        }

        raw.Append("\r\n");
        var head = Encoding.UTF8.GetBytes(raw.ToString());
        return new TypedRequest(method, target, version, headers, body, [.. head, .. body]);
    }

    /// <summary>How many body bytes the typed head announces; null when it is chunked, 0 when there is no body.</summary>
    public static long? ExpectedBodyLength(IEnumerable<string> headerLines)
    {
        var headers = headerLines.Where(l => l.Contains(':')).Select(ReplValues.HeaderLine).ToList();
        if (IsChunked(headers))
        {
            return null;
        }

        var length = headers.LastOrDefault(h => h.Name.Equals("content-length", StringComparison.OrdinalIgnoreCase)).Value;
        return long.TryParse(length, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
    }

    private static bool IsChunked(IEnumerable<HeaderField> headers) =>
        headers.Any(h => h.Name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase)
            && h.Value.Contains("chunked", StringComparison.OrdinalIgnoreCase));
}
