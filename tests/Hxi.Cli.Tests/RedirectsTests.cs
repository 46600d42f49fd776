using System.Text;
using Hxi.Net.Client;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Tests;

public sealed class RedirectsTests
{
    private static readonly HxiRequest Post = new(
        "POST",
        new Uri("https://a.test/form"),
        [
            new HeaderField("Authorization", "Bearer secret"),
            new HeaderField("Cookie", "session=1"),
            new HeaderField("Content-Type", "text/plain"),
            new HeaderField("X-Keep", "yes"),
        ],
        RequestBody.FromBytes(Encoding.UTF8.GetBytes("payload")));

    private static ResponseHead Redirect(int status, string location) =>
        new("HTTP/2", status, "", [new HeaderField("location", location)], 1);

    [Fact]
    public void SeeOther_BecomesAGet_WithoutBodyOrContentHeaders()
    {
        var next = Redirects.Next(Post, Redirect(303, "/done"));

        Assert.NotNull(next);
        Assert.Equal("GET", next.Method);
        Assert.Equal(new Uri("https://a.test/done"), next.Url);
        Assert.Null(next.Body);
        Assert.DoesNotContain(next.Headers, h => h.Name == "Content-Type");
        Assert.Contains(new HeaderField("X-Keep", "yes"), next.Headers);
        Assert.Contains(new HeaderField("Authorization", "Bearer secret"), next.Headers);
    }

    [Theory]
    [InlineData(307)]
    [InlineData(308)]
    public void TemporaryAndPermanentRedirect_KeepTheMethodAndBody(int status)
    {
        var next = Redirects.Next(Post, Redirect(status, "/again"));

        Assert.NotNull(next);
        Assert.Equal("POST", next.Method);
        Assert.Same(Post.Body, next.Body);
        Assert.Contains(new HeaderField("Content-Type", "text/plain"), next.Headers);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    public void MovedAndFound_TurnPostIntoGet(int status)
    {
        Assert.Equal("GET", Redirects.Next(Post, Redirect(status, "/x"))!.Method);
    }

    [Fact]
    public void Found_KeepsAPut()
    {
        Assert.Equal("PUT", Redirects.Next(Post with { Method = "PUT" }, Redirect(302, "/x"))!.Method);
    }

    [Fact]
    public void SeeOther_KeepsHead()
    {
        Assert.Equal("HEAD", Redirects.Next(Post with { Method = "HEAD", Body = null }, Redirect(303, "/x"))!.Method);
    }

    [Theory]
    [InlineData("https://b.test/elsewhere")]
    [InlineData("http://a.test/downgraded")]
    [InlineData("https://a.test:8443/other-port")]
    public void CrossOrigin_DropsAuthorizationAndCookie(string location)
    {
        var next = Redirects.Next(Post, Redirect(307, location));

        Assert.NotNull(next);
        Assert.Equal(new Uri(location), next.Url);
        Assert.DoesNotContain(next.Headers, h => h.Name is "Authorization" or "Cookie");
        Assert.Contains(new HeaderField("X-Keep", "yes"), next.Headers);
    }

    [Fact]
    public void SameOrigin_KeepsCredentials()
    {
        var next = Redirects.Next(Post, Redirect(307, "HTTPS://A.TEST/case"));

        Assert.Contains(new HeaderField("Authorization", "Bearer secret"), next!.Headers);
        Assert.Contains(new HeaderField("Cookie", "session=1"), next.Headers);
    }

    [Theory]
    [InlineData(200, "/x")]
    [InlineData(304, "/x")]
    [InlineData(302, "")]
    [InlineData(302, "ftp://a.test/file")]
    public void NoUsableRedirect_IsNull(int status, string location)
    {
        Assert.Null(Redirects.Next(Post, Redirect(status, location)));
    }

    [Fact]
    public void RelativeLocation_ResolvesAgainstTheRequestUrl()
    {
        var next = Redirects.Next(Post with { Url = new Uri("https://a.test/dir/page?q=1") }, Redirect(302, "../up?z=2"));

        Assert.Equal(new Uri("https://a.test/up?z=2"), next!.Url);
    }
}
