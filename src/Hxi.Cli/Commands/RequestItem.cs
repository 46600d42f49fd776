namespace Hxi.Cli.Commands;

/// <summary>The kinds of HTTPie-style request items.</summary>
public enum RequestItemKind
{
    /// <summary><c>Name:value</c></summary>
    Header,

    /// <summary><c>name==value</c></summary>
    Query,

    /// <summary><c>field=value</c>, a JSON string field.</summary>
    DataField,

    /// <summary><c>field:=json</c>, a raw JSON value.</summary>
    JsonField,
}

/// <summary>One HTTPie-style item from the command line, e.g. <c>X-Api-Key:abc</c> or <c>page==2</c>.</summary>
public sealed record RequestItem(RequestItemKind Kind, string Name, string Value)
{
    private static readonly (string Separator, RequestItemKind Kind)[] Separators =
    [
        (":=", RequestItemKind.JsonField),
        ("==", RequestItemKind.Query),
        ("=", RequestItemKind.DataField),
        (":", RequestItemKind.Header),
    ];

    /// <summary>The earliest separator wins; at the same position the longest one does (HTTPie's rule).</summary>
    public static bool TryParse(string text, out RequestItem? item)
    {
        item = null;
        var bestPosition = int.MaxValue;
        foreach (var (separator, kind) in Separators)
        {
            var position = text.IndexOf(separator, StringComparison.Ordinal);
            if (position > 0 && position < bestPosition)
            {
                bestPosition = position;
                item = new RequestItem(kind, text[..position], text[(position + separator.Length)..]);
            }
        }

        return item is not null;
    }
}
