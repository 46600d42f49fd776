using System.Globalization;
using System.Text;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Primitives;

namespace Hxi.Cli.Repl.Parsing;

/// <summary>Reads the values commands take (stream ids, codes, hex, durations), each failure one clear line.</summary>
public static class ReplValues
{
    public static int StreamId(string text, string what = "stream id")
    {
        if (!NumberText.TryParseUInt32(text, out var value) || value > int.MaxValue)
        {
            throw new ReplInputException($"{what} '{text}' is not a number between 0 and 2147483647");
        }

        return (int)value;
    }

    public static uint UInt(string text, string what)
    {
        if (!NumberText.TryParseUInt32(text, out var value))
        {
            throw new ReplInputException($"{what} '{text}' is not a number (decimal, or hex with 0x)");
        }

        return value;
    }

    public static uint ErrorCode(string text) =>
        Http2ErrorCodes.TryParse(text, out var code)
            ? code
            : throw new ReplInputException($"unknown error code '{text}' (try a name like PROTOCOL_ERROR or CANCEL, or a number)");

    public static byte FrameType(string text) =>
        Http2FrameNames.TryParse(text, out var type)
            ? type
            : throw new ReplInputException($"unknown frame type '{text}' (a name like DATA or WINDOW_UPDATE, or a number 0-255)");

    /// <summary>Flags as a number (0x5) or names joined with | (END_STREAM|END_HEADERS).</summary>
    public static byte Flags(string text)
    {
        if (NumberText.TryParseUInt32(text, out var number))
        {
            return number <= byte.MaxValue ? (byte)number : throw new ReplInputException($"flags '{text}' do not fit in one byte");
        }

        byte flags = 0;
        foreach (var name in text.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            flags |= name.ToUpperInvariant().Replace('-', '_') switch
            {
                "END_STREAM" or "ACK" => 0x1,
                "END_HEADERS" => 0x4,
                "PADDED" => 0x8,
                "PRIORITY" => 0x20,
                _ => throw new ReplInputException($"unknown flag '{name}' (END_STREAM, ACK, END_HEADERS, PADDED, PRIORITY or a number)"),
            };
        }

        return flags;
    }

    /// <summary>Hex digits, optionally with a hex: or 0x prefix and spaces or colons between bytes.</summary>
    public static byte[] Hex(string text)
    {
        var digits = text.StartsWith("hex:", StringComparison.OrdinalIgnoreCase) ? text[4..]
            : text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..]
            : text;
        digits = digits.Replace(" ", "").Replace(":", "");
        try
        {
            return Convert.FromHexString(digits);
        }
        catch (FormatException)
        {
            throw new ReplInputException($"'{text}' is not hex: use pairs of hex digits, like 68656c6c6f");
        }
    }

    /// <summary>A body: hex:..., @file, or text as typed (UTF-8).</summary>
    public static byte[] Payload(string text)
    {
        if (text.StartsWith("hex:", StringComparison.OrdinalIgnoreCase))
        {
            return Hex(text);
        }

        if (text.StartsWith('@') && text.Length > 1)
        {
            try
            {
                return File.ReadAllBytes(text[1..]);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ReplInputException($"cannot read {text[1..]}: {ex.Message}");
            }
        }

        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>PING data: 16 hex digits (or hex:...), else up to 8 characters of text, zero-padded.</summary>
    public static ulong PingData(string text)
    {
        var bytes = text.StartsWith("hex:", StringComparison.OrdinalIgnoreCase) || (text.Length == 16 && text.All(char.IsAsciiHexDigit))
            ? Hex(text)
            : Encoding.ASCII.GetBytes(text);
        if (bytes.Length > 8)
        {
            throw new ReplInputException($"PING carries exactly 8 bytes; '{text}' is {bytes.Length}");
        }

        var padded = new byte[8];
        bytes.CopyTo(padded, 0);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(padded);
    }

    /// <summary>200ms, 2s, 1.5s, 1m, or a bare number of milliseconds.</summary>
    public static TimeSpan Duration(string text)
    {
        var (number, scale) = text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (text[..^2], 1.0)
            : text.EndsWith('s') ? (text[..^1], 1000.0)
            : text.EndsWith('m') ? (text[..^1], 60_000.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value * scale > 3_600_000)
        {
            throw new ReplInputException($"'{text}' is not a duration (like 200ms, 2s or 1.5s, at most an hour)");
        }

        return TimeSpan.FromMilliseconds(value * scale);
    }

    public static bool OnOff(string text) => text.ToLowerInvariant() switch
    {
        "on" or "true" or "yes" or "1" => true,
        "off" or "false" or "no" or "0" => false,
        _ => throw new ReplInputException($"expected on or off, not '{text}'"),
    };

    /// <summary>"Name: value"; the name must be a token so the line cannot break the framing.</summary>
    public static HeaderField HeaderLine(string line)
    {
        var colon = line.IndexOf(':', line.StartsWith(':') ? 1 : 0);
        if (colon <= 0)
        {
            throw new ReplInputException($"bad header line '{line}': expected 'Name: value'");
        }

        var name = line[..colon];
        if (name.Any(c => c <= ' ' || c >= 0x7f))
        {
            throw new ReplInputException($"bad header line '{line}': the name may not contain spaces or control characters");
        }

        return new HeaderField(name, line[(colon + 1)..].Trim());
    }

    /// <summary>DEP[:WEIGHT[:e]], weight 1-256 as RFC 7540 counts it.</summary>
    public static Http2PriorityFields Priority(string dependency, string? weight, bool exclusive)
    {
        var dep = StreamId(dependency, "stream dependency");
        var w = weight is null ? 16u : UInt(weight, "weight");
        if (w is < 1 or > 256)
        {
            throw new ReplInputException($"weight {w} is out of range: 1 to 256");
        }

        return new Http2PriorityFields(exclusive, dep, (byte)(w - 1));
    }

    public static Http2PriorityFields PriorityOption(string text)
    {
        var parts = text.Split(':');
        return parts.Length switch
        {
            1 => Priority(parts[0], null, false),
            2 => Priority(parts[0], parts[1], false),
            3 when parts[2] is "e" or "exclusive" => Priority(parts[0], parts[1], true),
            _ => throw new ReplInputException($"--priority '{text}': expected DEP[:WEIGHT[:exclusive]]"),
        };
    }

    public static int Count(string text, string what, int min, int max)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ReplInputException($"{what} '{text}' must be a number from {min} to {max}");
        }

        return value;
    }
}
