using Hxi.Cli.Output;

namespace Hxi.Cli.Tests;

public sealed class HexDumpTests
{
    [Fact]
    public void FullLine_MatchesXxd()
    {
        // printf '\0\0\x0c\x04\0\0\0\0\0\0\x03\0\0\0\x64\0' | xxd
        byte[] settings = [0x00, 0x00, 0x0c, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x64, 0x00];

        Assert.Equal("00000000: 0000 0c04 0000 0000 0000 0300 0000 6400  ..............d.", HexDump.Line(settings, 0));
    }

    [Fact]
    public void Lines_ShortLastLine_IsPaddedLikeXxd()
    {
        // printf 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n' | xxd
        var lines = HexDump.Lines("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray()).ToList();

        Assert.Equal(
        [
            "00000000: 5052 4920 2a20 4854 5450 2f32 2e30 0d0a  PRI * HTTP/2.0..",
            "00000010: 0d0a 534d 0d0a 0d0a                      ..SM....",
        ], lines);
    }

    [Fact]
    public void Lines_OfNothing_IsNothing()
    {
        Assert.Empty(HexDump.Lines(ReadOnlyMemory<byte>.Empty));
    }

    [Fact]
    public void NonAscii_IsShownAsDots()
    {
        // printf '\x7f\x80\xff\x20\x7e' | xxd
        Assert.Equal("00000000: 7f80 ff20 7e                             ... ~", HexDump.Line([0x7f, 0x80, 0xff, 0x20, 0x7e], 0));
    }
}
