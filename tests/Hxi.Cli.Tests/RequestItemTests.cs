using Hxi.Cli.Commands;

namespace Hxi.Cli.Tests;

public sealed class RequestItemTests
{
    [Theory]
    [InlineData("X-Api-Key:abc", RequestItemKind.Header, "X-Api-Key", "abc")]
    [InlineData("page==2", RequestItemKind.Query, "page", "2")]
    [InlineData("name=value", RequestItemKind.DataField, "name", "value")]
    [InlineData("count:=42", RequestItemKind.JsonField, "count", "42")]
    [InlineData("tags:=[\"a\",\"b\"]", RequestItemKind.JsonField, "tags", "[\"a\",\"b\"]")]
    [InlineData("url=http://x/?a=b", RequestItemKind.DataField, "url", "http://x/?a=b")]
    [InlineData("q==a=b", RequestItemKind.Query, "q", "a=b")]
    [InlineData("Accept:a=b", RequestItemKind.Header, "Accept", "a=b")]
    [InlineData("empty=", RequestItemKind.DataField, "empty", "")]
    public void TryParse_EarliestSeparatorWins_LongestAtTheSamePosition(string text, RequestItemKind kind, string name, string value)
    {
        Assert.True(RequestItem.TryParse(text, out var item));

        Assert.Equal(new RequestItem(kind, name, value), item);
    }

    [Theory]
    [InlineData("justaword")]
    [InlineData("=value")]
    [InlineData(":value")]
    [InlineData("")]
    public void TryParse_RefusesTextWithoutANameAndSeparator(string text)
    {
        Assert.False(RequestItem.TryParse(text, out var item));
        Assert.Null(item);
    }
}
