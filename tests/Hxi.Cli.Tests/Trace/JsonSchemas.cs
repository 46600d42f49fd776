using System.Text.Json;
using Json.Schema;

namespace Hxi.Cli.Tests.Trace;

/// <summary>
/// The JSON Schemas the project's outputs are checked against, read from the repository: docs/trace.schema.json
/// for --trace lines and the HAR 1.2 schema for --har files. Shared with Hxi.Interop.Tests.
/// </summary>
public static class JsonSchemas
{
    /// <summary>Text that only a .NET ToString() leaves behind: type names, record braces, generic arity.</summary>
    public static readonly string[] DotNetMarkers = ["System.", "Hxi.", "{ ", "`1"];

    private static readonly Lazy<JsonSchema> TraceSchema = new(() => Load("docs/trace.schema.json"));

    private static readonly Lazy<JsonSchema> HarSchema = new(() => Load("tests/Hxi.Interop.Tests/Schemas/har-1.2.schema.json"));

    public static JsonSchema Trace => TraceSchema.Value;

    public static JsonSchema Har => HarSchema.Value;

    /// <summary>What is wrong with <paramref name="instance"/>, one line per failed keyword; empty when it is valid.</summary>
    public static IReadOnlyList<string> Problems(JsonSchema schema, JsonElement instance)
    {
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return [];
        }

        return [.. (result.Details ?? [result])
            .Where(detail => detail.Errors is { Count: > 0 })
            .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation} ({detail.SchemaLocation}): {error.Key}: {error.Value}"))];
    }

    /// <summary>Every line of a --trace file is one object valid against the schema and free of .NET type names.</summary>
    public static IReadOnlyList<JsonElement> AssertValidTrace(IEnumerable<string> lines, string source)
    {
        var parsed = new List<JsonElement>();
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            AssertNoDotNetNames(line, $"{source} line {number}");
            using var document = JsonDocument.Parse(line);
            var problems = Problems(Trace, document.RootElement);
            Assert.True(problems.Count == 0, $"{source} line {number} does not match docs/trace.schema.json:\n{string.Join("\n", problems.Take(12))}\n{line}");
            parsed.Add(document.RootElement.Clone());
        }

        Assert.NotEmpty(parsed);
        return parsed;
    }

    public static void AssertNoDotNetNames(string text, string source)
    {
        foreach (var marker in DotNetMarkers)
        {
            Assert.False(text.Contains(marker, StringComparison.Ordinal), $"{source} holds '{marker}', .NET ToString() text: {text}");
        }
    }

    private static JsonSchema Load(string relativePath) => JsonSchema.FromText(File.ReadAllText(RepositoryFile(relativePath)));

    /// <summary>A file of the repository, found by walking up from the test assembly to hxi.slnx.</summary>
    public static string RepositoryFile(string relativePath)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "hxi.slnx")))
            {
                return Path.Combine(directory.FullName, relativePath);
            }
        }

        throw new DirectoryNotFoundException($"no hxi.slnx above {AppContext.BaseDirectory}");
    }
}
