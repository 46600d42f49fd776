using Hxi.Protocols.Http3.Qpack;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Quic.Connection;

namespace Hxi.Net.Tests.Conformance;

/// <summary>
/// The two nonconforming servers, in raw HTTP/3 bytes. <b>Lax</b> accepts everything: it never resets or closes,
/// answers every request HEADERS with 200 whatever surrounds it, and is careless in what it sends (a GREASE frame
/// before SETTINGS, SETTINGS with an HTTP/2 identifier and a repeated one, an encoder instruction although the
/// client allows no table, a response with an uppercase name, a connection field and :status after a regular
/// field). <b>Brittle</b> rejects anything unusual: it closes the connection with H3_GENERAL_PROTOCOL_ERROR on an
/// unknown stream type, frame or setting, a reset, a QPACK stream; it resets a request with any field beyond the
/// four pseudo-header fields; and its responses have no :status.
/// </summary>
internal sealed class SloppyH3Session(bool brittle) : IScriptedH3Session
{
    private const ulong GeneralProtocolError = 0x101, MessageError = 0x10e;

    private readonly Dictionary<long, List<byte>> _received = [];
    private readonly HashSet<long> _answered = [];
    private readonly byte[] _readBuffer = new byte[65_536];
    private readonly QpackDecoder _decoder = new(0, 0);

    public static IScriptedH3Session Lax() => new SloppyH3Session(brittle: false);

    public static IScriptedH3Session Brittle() => new SloppyH3Session(brittle: true);

    public void Handle(QuicConnection quic, QuicEvent e, TimeSpan now)
    {
        switch (e)
        {
            case QuicHandshakeCompleted:
                Open(quic);
                break;
            case QuicStreamReadable readable:
                Read(quic, readable.StreamId, now);
                break;
            case QuicStreamResetReceived when brittle:
                quic.Close(GeneralProtocolError, "brittle: a stream was reset", now);
                break;
        }
    }

    public void Flush(QuicConnection quic, TimeSpan now)
    {
    }

    private void Open(QuicConnection quic)
    {
        var control = quic.OpenStream(bidirectional: false);
        byte[] settings = brittle
            ? Frame(0x04, 0x01, 0x00, 0x07, 0x00)
            : [.. Frame(0x21, 0x61, 0x62), .. Frame(0x04, 0x01, 0x50, 0x00, 0x07, 0x02, 0x02, 0x00, 0x06, 0x40, 0x64, 0x06, 0x40, 0x64)];
        quic.WriteStream(control, [0x00, .. settings], fin: false);
        if (!brittle)
        {
            // SETTINGS_QPACK_MAX_TABLE_CAPACITY 0x1000 (4096), BLOCKED_STREAMS 2, then the client is sent an instruction it forbade.
            var encoder = quic.OpenStream(bidirectional: false);
            quic.WriteStream(encoder, [0x02, 0x20], fin: false);
        }
    }

    private void Read(QuicConnection quic, long streamId, TimeSpan now)
    {
        if (!_received.TryGetValue(streamId, out var bytes))
        {
            _received[streamId] = bytes = [];
        }

        int read;
        var finished = false;
        do
        {
            // A stream read to its end is forgotten at once: a later read says nothing of its end.
            read = quic.ReadStream(streamId, _readBuffer, out var ended);
            finished |= ended;
            bytes.AddRange(_readBuffer.AsSpan(0, read));
        }
        while (read > 0);

        if ((streamId & 0x3) == 0x2)
        {
            if (brittle && Unusual(bytes, finished) is { } problem)
            {
                quic.Close(GeneralProtocolError, $"brittle: {problem}", now);
            }

            return;
        }

        if ((streamId & 0x3) == 0 && FindHeaders(bytes, out var section, out var otherFrame) is true && !_answered.Contains(streamId))
        {
            if (brittle && otherFrame)
            {
                quic.Close(GeneralProtocolError, "brittle: a frame other than HEADERS or DATA on a request stream", now);
                return;
            }

            _answered.Add(streamId);
            if (brittle && !PlainRequest(streamId, section))
            {
                quic.ResetStream(streamId, MessageError);
                return;
            }

            quic.WriteStream(streamId, Response(), fin: true);
        }
    }

    /// <summary>What the brittle server will not accept on a client unidirectional stream.</summary>
    private static string? Unusual(List<byte> bytes, bool finished)
    {
        if (bytes.Count == 0)
        {
            return finished ? "a stream ended before its type" : null;
        }

        if (bytes[0] != 0x00)
        {
            return $"stream type 0x{bytes[0]:x}";
        }

        // The control stream: SETTINGS first, known identifiers only, and nothing after it.
        var frames = Frames([.. bytes.Skip(1)]);
        if (finished)
        {
            return "the control stream ended";
        }

        if (frames.Count == 0)
        {
            return null;
        }

        if (frames[0].Type != 0x04 || frames.Count > 1)
        {
            return "a frame other than one SETTINGS on the control stream";
        }

        for (var payload = frames[0].Payload.AsSpan(); !payload.IsEmpty;)
        {
            if (!QuicVarint.TryRead(payload, out var id, out var idLength) || !QuicVarint.TryRead(payload[idLength..], out _, out var valueLength)
                || id is not (0x01 or 0x06 or 0x07))
            {
                return "an unknown or broken setting";
            }

            payload = payload[(idLength + valueLength)..];
        }

        return null;
    }

    private bool PlainRequest(long streamId, byte[] section)
    {
        try
        {
            return _decoder.TryDecode(streamId, section, out var decoded)
                && decoded!.Fields.All(f => f.Name is ":method" or ":scheme" or ":path" or ":authority");
        }
        catch (QpackException)
        {
            return false;
        }
    }

    private byte[] Response()
    {
        var fields = brittle
            ? new List<HeaderField> { new("x-status", "200"), new("content-type", "text/plain") }
            : [new("x-first", "1"), new(":status", "200"), new("X-Lax", "yes"), new("connection", "close")];
        var section = new System.Buffers.ArrayBufferWriter<byte>();
        QpackEncoder.EncodeLiteralFieldSection(fields, section);
        return [.. Frame(0x01, section.WrittenSpan.ToArray()), .. Frame(0x00, ConformingH3Session.Body)];
    }

    /// <summary>The first HEADERS frame's section, once whole; <paramref name="otherFrame"/> when a frame that is neither HEADERS nor DATA came.</summary>
    private static bool FindHeaders(List<byte> bytes, out byte[] section, out bool otherFrame)
    {
        section = [];
        otherFrame = false;
        foreach (var (type, payload) in Frames([.. bytes]))
        {
            if (type == 0x01)
            {
                section = payload;
                otherFrame |= Frames([.. bytes]).Any(f => f.Type is not (0x00 or 0x01));
                return true;
            }

            otherFrame |= type != 0x00;
        }

        return false;
    }

    private static List<(long Type, byte[] Payload)> Frames(byte[] bytes)
    {
        var frames = new List<(long, byte[])>();
        var rest = bytes.AsSpan();
        while (QuicVarint.TryRead(rest, out var type, out var typeLength) && QuicVarint.TryRead(rest[typeLength..], out var length, out var lengthLength)
            && (ulong)(rest.Length - typeLength - lengthLength) >= length)
        {
            frames.Add(((long)type, rest.Slice(typeLength + lengthLength, (int)length).ToArray()));
            rest = rest[(typeLength + lengthLength + (int)length)..];
        }

        return frames;
    }

    private static byte[] Frame(long type, params byte[] payload)
    {
        var header = new byte[16];
        var written = QuicVarint.Write(header, (ulong)type);
        written += QuicVarint.Write(header.AsSpan(written), (ulong)payload.Length);
        return [.. header.AsSpan(0, written), .. payload];
    }
}
