using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hxi.Cli.Tests.Repl;
using Hxi.Cli.Tests.Trace;

namespace Hxi.Cli.Tests;

/// <summary>
/// Every README example that needs no outside network, run as the README tells users to: against the embedded server
/// (the ports it picked in place of hxi serve's 8443, 8080 and 8082, its CA for ca.pem), files written to a temporary
/// folder. An example that is not true of hxi fails here.
/// </summary>
[Collection(EmbeddedServerCollection.Name)]
public sealed partial class ReadmeExamplesTests(EmbeddedServerFixture fixture) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly string _folder = Directory.CreateTempSubdirectory("hxi-readme-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The README's command lines that talk to hxi serve's ports or run the demo, as written there.</summary>
    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var line in CodeBlockLines(File.ReadAllLines(JsonSchemas.RepositoryFile("README.md"))))
        {
            var command = line.StartsWith("./hxi ", StringComparison.Ordinal) ? line[2..] : line;
            if (command.StartsWith("hxi ", StringComparison.Ordinal) && (LocalServer().IsMatch(command) || Uncommented(command) == "hxi demo"))
            {
                data.Add(Uncommented(command));
            }
        }

        return data;
    }

    [Fact]
    public void TheReadmeHasExamplesToRun() => Assert.True(Examples().Count >= 8, $"only {Examples().Count} examples found in README.md");

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Example_RunsAgainstTheEmbeddedServer_AndSucceeds(string example)
    {
        var hxiPart = example.Split(" && ")[0];
        var args = Shortened(Words(hxiPart[4..]).Select(Substitute).ToList());
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var body = new MemoryStream();

        var exit = await Program.RunAsync(args, stdout, stderr, body).WaitAsync(Patience);

        Assert.True(exit == 0, $"'{example}' exited {exit}:\n{stderr}");
        Assert.DoesNotContain("hxi: error", stderr.ToString());
        CheckShape(example, stdout + Encoding.UTF8.GetString(body.ToArray()), stderr.ToString());
    }

    /// <summary>What a few examples promise besides success, checked as their comments say.</summary>
    private void CheckShape(string example, string output, string diagnostics)
    {
        if (example.Contains("count:=3", StringComparison.Ordinal))
        {
            Assert.Matches("\"count\":\\s*3", output);
            Assert.Contains("\"name\"", output);
        }

        if (example.Contains("--http2 -v http://", StringComparison.Ordinal))
        {
            Assert.Contains("Upgrade: h2c", diagnostics);
            Assert.Contains("answered 200 over HTTP/1.1", diagnostics);
        }

        if (example.Contains("--har run.har", StringComparison.Ordinal))
        {
            using var har = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "run.har")));
            Assert.Empty(JsonSchemas.Problems(JsonSchemas.Har, har.RootElement));
            Assert.Equal(3, har.RootElement.GetProperty("log").GetProperty("entries").GetArrayLength());
        }

        if (example.Contains("--trace trace.jsonl", StringComparison.Ordinal))
        {
            // The README pipes the file through jq: every line must be one JSON object.
            JsonSchemas.AssertValidTrace(File.ReadAllLines(Path.Combine(_folder, "trace.jsonl")), "trace.jsonl");
        }

        if (example.Contains("-o big.bin", StringComparison.Ordinal))
        {
            Assert.Equal(10_000_000, new FileInfo(Path.Combine(_folder, "big.bin")).Length);
        }

        if (example.Contains("--frames", StringComparison.Ordinal))
        {
            Assert.Contains("frame <length=", diagnostics);
        }
    }

    /// <summary>
    /// hxi load's examples show real run lengths (100,000 requests, 30 s); here they run the same command with the
    /// count and durations cut, which proves the same thing (the command line is true) in a second or two.
    /// </summary>
    private static List<string> Shortened(List<string> args)
    {
        if (args is not ["load", ..])
        {
            return args;
        }

        var caps = new Dictionary<string, int> { ["-n"] = 2000, ["-D"] = 2, ["--warm-up"] = 1 };
        for (var i = 1; i < args.Count - 1; i++)
        {
            if (caps.TryGetValue(args[i], out var cap) && int.TryParse(args[i + 1], out var value) && value > cap)
            {
                args[i + 1] = cap.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return args;
    }

    /// <summary>hxi serve's well-known ports become the embedded server's; ca.pem its CA; a bare file name lands in the test's folder.</summary>
    private string Substitute(string word)
    {
        var server = fixture.Server;
        word = word
            .Replace("localhost:8443", $"localhost:{server.HttpsUri.Port}", StringComparison.Ordinal)
            .Replace("localhost:8080", $"localhost:{server.HttpUri.Port}", StringComparison.Ordinal)
            .Replace("localhost:8082", $"localhost:{server.H2cUri.Port}", StringComparison.Ordinal);
        if (word == "ca.pem")
        {
            return server.CaCertificatePath;
        }

        return OutputFile().IsMatch(word) ? Path.Combine(_folder, word) : word;
    }

    private static IEnumerable<string> CodeBlockLines(IEnumerable<string> lines)
    {
        var inBlock = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inBlock = !inBlock;
            }
            else if (inBlock)
            {
                yield return line;
            }
        }
    }

    /// <summary>The command without its trailing "# comment".</summary>
    private static string Uncommented(string line) => line.Split(" #")[0].Trim();

    /// <summary>Words as a shell splits them: spaces separate, single or double quotes hold a word together.</summary>
    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        char? quote = null;
        var any = false;
        foreach (var c in text)
        {
            if (quote is { } open)
            {
                if (c == open)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                any = true;
            }
            else if (c == ' ')
            {
                if (any || word.Length > 0)
                {
                    words.Add(word.ToString());
                }

                word.Clear();
                any = false;
            }
            else
            {
                word.Append(c);
            }
        }

        if (any || word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    [GeneratedRegex(@"https?://localhost:(8443|8080|8082)/")]
    private static partial Regex LocalServer();

    [GeneratedRegex(@"^[\w-]+\.(bin|jsonl|har|txt|json|cookies)$")]
    private static partial Regex OutputFile();
}
