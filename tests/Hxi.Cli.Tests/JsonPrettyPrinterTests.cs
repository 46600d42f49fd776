using System.Text;
using Hxi.Cli.Output;

namespace Hxi.Cli.Tests;

public sealed class JsonPrettyPrinterTests
{
    private static string? Format(string json, Palette? palette = null) =>
        JsonPrettyPrinter.TryFormat(Encoding.UTF8.GetBytes(json), palette ?? Palette.None);

    [Fact]
    public void NestedObjectsAndArrays_AreIndentedByFour()
    {
        var text = Format("{\"a\":1,\"b\":[true,null,\"x\"],\"c\":{\"d\":-2.5e3},\"e\":[],\"f\":{}}");

        Assert.Equal(
            """
            {
                "a": 1,
                "b": [
                    true,
                    null,
                    "x"
                ],
                "c": {
                    "d": -2.5e3
                },
                "e": [],
                "f": {}
            }
            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public void Scalars_AtTheTop_AreKept()
    {
        Assert.Equal("42", Format("42"));
        Assert.Equal("\"hi\"", Format(" \"hi\" "));
    }

    [Fact]
    public void Strings_AreReEscaped()
    {
        Assert.Equal("{\n    \"q\": \"say \\\"hi\\\"\\n\"\n}", Format("{\"q\":\"say \\\"hi\\\"\\n\"}"));
    }

    [Fact]
    public void NonAsciiAndHtmlCharacters_AreShownAsThemselves()
    {
        Assert.Equal("[\n    \"café <b> & 'ü' 😀\"\n]", Format("[\"caf\\u00e9 <b> & 'ü' 😀\"]"));
    }

    [Fact]
    public void ControlCharacters_StayEscaped()
    {
        Assert.Equal("\"tab\\tnul\\u0000bs\\\\\"", Format("\"tab\\tnul\\u0000bs\\\\\""));
    }

    [Theory]
    [InlineData("{\"a\":")]
    [InlineData("not json")]
    [InlineData("[1,2")]
    [InlineData("")]
    public void InvalidJson_IsNull_SoTheBodyIsShownAsItCame(string json)
    {
        Assert.Null(Format(json));
    }

    [Fact]
    public void Colours_WrapKeysStringsNumbersAndLiterals()
    {
        var text = Format("{\"k\":\"v\",\"n\":1,\"t\":true}", new Palette(true));

        Assert.Equal(
            "{\n    \u001b[34m\"k\"\u001b[0m: \u001b[32m\"v\"\u001b[0m,\n    \u001b[34m\"n\"\u001b[0m: \u001b[33m1\u001b[0m,\n    \u001b[34m\"t\"\u001b[0m: \u001b[35mtrue\u001b[0m\n}",
            text);
    }
}
