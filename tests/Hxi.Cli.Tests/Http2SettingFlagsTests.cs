using Hxi.Cli.Commands;
using Hxi.Net.Client;

namespace Hxi.Cli.Tests;

/// <summary>The HTTP/2 settings flags read as nghttp's do: -w/-W as 2^N-1, or byte sizes, checked against RFC 9113's ranges.</summary>
public sealed class Http2SettingFlagsTests
{
    private static Http2SettingFlags Read(params string[] args)
    {
        var command = new RequestCommand();
        var root = new System.CommandLine.RootCommand();
        command.AddTo(root);
        var parsed = root.Parse([.. args, "https://localhost/"]);
        Assert.Empty(parsed.Errors);
        return Http2SettingFlags.From(parsed, command);
    }

    [Fact]
    public void WindowBits_AreTwoToTheNMinusOne_AsNghttp()
    {
        var flags = Read("--window-bits", "20", "--connection-window-bits", "30");

        Assert.Equal((1 << 20) - 1, flags.InitialWindowSize);
        Assert.Equal((1 << 30) - 1, flags.ConnectionWindowSize);
    }

    [Fact]
    public void ByteSizes_AreTakenAsTheyAre()
    {
        var flags = Read("--window-size", "100000", "--connection-window-size", "2147483647", "--max-frame-size", "65536", "--header-table-size", "0");

        Assert.Equal(100_000, flags.InitialWindowSize);
        Assert.Equal(int.MaxValue, flags.ConnectionWindowSize);
        Assert.Equal(65_536, flags.MaxFrameSize);
        Assert.Equal(0, flags.HeaderTableSize);
    }

    [Fact]
    public void NoFlags_KeepTheDefaults()
    {
        var options = Read().ApplyTo(new ClientOptions()).Http2ConnectionOptions();

        Assert.Equal(new Hxi.Protocols.Http2.Http2ConnectionOptions().InitialWindowSize, options.InitialWindowSize);
        Assert.Equal(65_536, options.MaxFrameSize);
        Assert.Equal(4096, options.HeaderTableSize);
    }

    [Fact]
    public void Flags_ReachTheSettingsTheConnectionAnnounces()
    {
        var settings = Read("--window-bits", "16", "--max-frame-size", "65536", "--header-table-size", "8192")
            .ApplyTo(new ClientOptions()).Http2ConnectionOptions().ToSettings();

        Assert.Contains(new Hxi.Protocols.Http2.Http2Setting(Hxi.Protocols.Http2.Http2SettingId.InitialWindowSize, 65_535), settings);
        Assert.Contains(new Hxi.Protocols.Http2.Http2Setting(Hxi.Protocols.Http2.Http2SettingId.MaxFrameSize, 65_536), settings);
        Assert.Contains(new Hxi.Protocols.Http2.Http2Setting(Hxi.Protocols.Http2.Http2SettingId.HeaderTableSize, 8192), settings);
    }

    [Theory]
    [InlineData("--window-bits", "31", "--window-bits takes N between 0 and 30")]
    [InlineData("--connection-window-bits", "-1", "--connection-window-bits takes N between 0 and 30")]
    [InlineData("--max-frame-size", "16383", "--max-frame-size takes a size in bytes between 16384 and 16777215, not 16383")]
    [InlineData("--max-frame-size", "16777216", "--max-frame-size takes a size in bytes between 16384 and 16777215")]
    [InlineData("--window-size", "2147483648", "--window-size takes a size in bytes between 0 and 2147483647")]
    [InlineData("--header-table-size", "-5", "--header-table-size takes a size in bytes between 0 and")]
    public void OutOfRange_IsAUsageError_NamingTheRange(string option, string value, string message)
    {
        var ex = Assert.Throws<HxiException>(() => Read(option, value));

        Assert.Equal(FailureKind.Usage, ex.Kind);
        Assert.StartsWith(message, ex.Message);
    }

    [Fact]
    public void BitsAndBytesForTheSameWindow_AreAUsageError()
    {
        var ex = Assert.Throws<HxiException>(() => Read("--window-bits", "16", "--window-size", "1000"));

        Assert.Equal(FailureKind.Usage, ex.Kind);
        Assert.Equal("use only one of --window-bits and --window-size", ex.Message);
    }
}
