using System.Text;
using Hxi.Cli.Repl.Parsing;

namespace Hxi.Fuzz.Targets;

/// <summary>The REPL's command parser: an entry of one or more lines, in the HTTP/2 or HTTP/3 dialect. Only ReplInputException may come out.</summary>
/// <remarks>
/// Input: one option byte (bit 0: HTTP/3 dialect), then UTF-8 text, lines split on LF. '@' is replaced before parsing:
/// "@FILE" reads a file, and a fuzzer must not read /dev/zero or block on /dev/stdin.
/// </remarks>
public static class ReplCommandTarget
{
    public static void Run(ReadOnlySpan<byte> data)
    {
        var input = new FuzzInput(data);
        var dialect = (input.TakeByte() & 1) != 0 ? ReplDialect.Http3 : ReplDialect.Http2;
        var lines = Encoding.UTF8.GetString(input.TakeAll()).Replace('@', '%').Split('\n');
        try
        {
            _ = ReplParser.StartsMultiLineEntry(lines[0]);
            _ = ReplParser.Parse(lines, dialect).ToString();
        }
        catch (ReplInputException)
        {
        }
    }

    public static IEnumerable<byte[]> Seeds()
    {
        string[] http2 =
        [
            "POST /echo HTTP/1.1\nHost: x\nContent-Length: 5\n\nhello",
            "get /a /b /c -H 'X-A: 1' --parallel 2 &",
            "post /echo 'hi there'",
            "rst 3 CANCEL",
            "window-update 0 1000",
            "goaway 0 NO_ERROR bye now",
            "settings MAX_CONCURRENT_STREAMS=5 SETTINGS_INITIAL_WINDOW_SIZE=0x10 9=1",
            "ping 0102030405060708",
            "raw 0x0 0x1 99 68656c6c6f",
            "raw headers END_STREAM|END_HEADERS 1",
            "headers --stream 5 --no-end-stream --priority 3:32:e --pad 4 --split 10 POST /echo -H 'A: b'",
            "headers --no-end-headers\nGET /json\nAccept: */*\n",
            "data 1 --end hi you",
            "data 1 hex:ab",
            "continuation 1 --end-headers -H 'a: b'",
            "priority 3 1 256",
            "wait stream 3 end 2s",
            "wait 200ms",
            "set hex on",
            "help raw",
        ];
        string[] http3 =
        [
            "raw-frame 0x0 68656c6c6f",
            "raw-frame SETTINGS --stream 14 --fin",
            "settings QPACK_MAX_TABLE_CAPACITY=0 SETTINGS_MAX_FIELD_SECTION_SIZE=0x100 0x21=7",
            "reset-stream 0 H3_REQUEST_CANCELLED",
            "connection-close PROTOCOL_VIOLATION --transport",
            "open-uni 0x54",
            "stream-bytes 14 0001 --fin",
            "priority-update 0 'u=1, i'",
            "headers --no-pseudo --literal --no-end-stream --stream 8 GET /json -H 'A: b'",
            "headers --literal\nPOST /echo\nX-A: 1\n",
            "wait frame GOAWAY 2s",
            "set qpack off",
        ];
        return http2.Select(line => (byte)0).Zip(http2).Concat(http3.Select(line => (byte)1).Zip(http3))
            .Select(pair => (byte[])[pair.First, .. Encoding.UTF8.GetBytes(pair.Second)]);
    }
}
