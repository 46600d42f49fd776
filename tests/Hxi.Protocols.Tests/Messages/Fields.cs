using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Tests.Messages;

/// <summary>Field sections written as lines, "name: value" (the name may start with ':'), to keep tests readable.</summary>
internal static class Fields
{
    public static HeaderField[] Of(params string[] lines) =>
        [.. lines.Select(line =>
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            return colon < 0 ? new HeaderField(line, "") : new HeaderField(line[..colon], line[(colon + 2)..]);
        })];
}
