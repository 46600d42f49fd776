namespace Hxi.Cli.Check;

/// <summary>The RFC's own headings for the sections the summary groups by.</summary>
public static class SectionTitles
{
    private static readonly Dictionary<string, string> Titles = new()
    {
        ["9113/3.4"] = "HTTP/2 Connection Preface",
        ["9113/4.1"] = "Frame Format",
        ["9113/4.2"] = "Frame Size",
        ["9113/4.3"] = "Field Section Compression and Decompression",
        ["9113/5.1"] = "Stream States",
        ["9113/5.3"] = "Prioritization",
        ["9113/5.4"] = "Error Handling",
        ["9113/5.5"] = "Extending HTTP/2",
        ["9113/6.1"] = "DATA",
        ["9113/6.2"] = "HEADERS",
        ["9113/6.3"] = "PRIORITY",
        ["9113/6.4"] = "RST_STREAM",
        ["9113/6.5"] = "SETTINGS",
        ["9113/6.6"] = "PUSH_PROMISE",
        ["9113/6.7"] = "PING",
        ["9113/6.8"] = "GOAWAY",
        ["9113/6.9"] = "WINDOW_UPDATE",
        ["9113/6.10"] = "CONTINUATION",
        ["9113/8.1"] = "HTTP Message Framing",
        ["9113/8.2"] = "HTTP Fields",
        ["9113/8.3"] = "HTTP Control Data",
        ["9113/8.5"] = "The CONNECT Method",
        ["9114/4.1"] = "HTTP Message Framing",
        ["9114/4.2"] = "HTTP Fields",
        ["9114/4.3"] = "HTTP Control Data",
        ["9114/4.4"] = "The CONNECT Method",
        ["9114/5.2"] = "Connection Shutdown",
        ["9114/6.2"] = "Unidirectional Streams",
        ["9114/7.1"] = "Frame Layout",
        ["9114/7.2"] = "Frame Definitions",
        ["9114/8"] = "Error Handling",
        ["9114/9"] = "Extensions to HTTP/3",
        ["9204/2.1"] = "Encoder",
        ["9204/2.2"] = "Decoder",
        ["9204/3.1"] = "Static Table",
        ["9204/3.2"] = "Dynamic Table",
        ["9204/4.1"] = "Primitives",
        ["9204/4.2"] = "Encoder and Decoder Streams",
        ["9204/4.3"] = "Encoder Instructions",
        ["9204/4.4"] = "Decoder Instructions",
        ["9204/4.5"] = "Field Line Representations",
        ["7541/2.3"] = "Indexing Tables",
        ["7541/4.2"] = "Maximum Table Size",
        ["7541/5.1"] = "Integer Representation",
        ["7541/5.2"] = "String Literal Representation",
        ["7541/6.1"] = "Indexed Header Field Representation",
    };

    public static string Of(int rfc, string chapter) => Titles.GetValueOrDefault($"{rfc}/{chapter}", "");
}
