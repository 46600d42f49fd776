using System.Buffers;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Http2.Frames;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Tests.Http2;

/// <summary>
/// RFC 9113 Section 6.5.3: the SETTINGS we send take effect when the peer acknowledges them, and from then on
/// we enforce them (issue #9: a connection that advertised MAX_FRAME_SIZE=65536 refused a 40,000-byte DATA frame).
/// </summary>
public class Http2LocalSettingsTests
{
    private static readonly HeaderField[] Request =
    [
        new(":method", "GET"), new(":scheme", "https"), new(":authority", "localhost"), new(":path", "/"),
    ];

    private static Http2Pair RespondWith(Http2Pair pair, byte[] body)
    {
        var id = pair.Client.OpenStream();
        pair.Client.SendHeaders(id, Request, endStream: true);
        pair.Pump(e =>
        {
            if (e is HeadersReceived h)
            {
                pair.Server.SendHeaders((int)h.StreamId, [new(":status", "200")], endStream: false);
                pair.Server.SendData((int)h.StreamId, body, endStream: true);
            }
        });
        return pair;
    }

    [Fact]
    public void AdvertisedMaxFrameSize_AcceptsA40000ByteDataFrame_OnceAcknowledged()
    {
        var pair = RespondWith(new Http2Pair(client: new Http2ConnectionOptions { MaxFrameSize = 65_536 }), new byte[40_000]);

        Assert.DoesNotContain(pair.ClientEvents, e => e is ConnectionFailed);
        Assert.DoesNotContain(pair.ServerEvents, e => e is GoAwayReceived);
        var data = Assert.Single(pair.ClientEvents.OfType<DataReceived>());
        Assert.Equal(40_000, data.Data.Length);
        Assert.Equal(65_536, pair.Client.LocalSettings.MaxFrameSize);
    }

    [Fact]
    public void FrameLargerThanTheDefault_BeforeOurSettingsAreAcknowledged_IsAFrameSizeError()
    {
        var client = new Http2Connection(new Http2ConnectionOptions { MaxFrameSize = 65_536 });
        client.Start();

        client.Receive(Frames(new SettingsFrame(false, []), new DataFrame(1, new byte[20_000], false, null)));

        Assert.Equal(16_384, client.LocalSettings.MaxFrameSize);
        Assert.Equal(Http2ErrorCode.FrameSizeError, Events(client).OfType<ConnectionFailed>().Single().Code);
    }

    [Fact]
    public void SettingsSentLater_ChangeNothingUntilTheAck()
    {
        var pair = new Http2Pair();
        pair.Pump();
        Assert.Equal(16_384, pair.Client.LocalSettings.MaxFrameSize);

        pair.Client.SendSettings([new Http2Setting(Http2SettingId.MaxFrameSize, 65_536), new Http2Setting(Http2SettingId.MaxHeaderListSize, 1000)]);
        Assert.Equal(16_384, pair.Client.LocalSettings.MaxFrameSize);
        Assert.Equal(1, pair.Client.UnacknowledgedSettingsFrames);

        pair.Pump();
        Assert.Equal(65_536, pair.Client.LocalSettings.MaxFrameSize);
        Assert.Equal(1000, pair.Client.LocalSettings.MaxHeaderListSize);
        Assert.Equal(0, pair.Client.UnacknowledgedSettingsFrames);

        RespondWith(pair, new byte[40_000]);
        Assert.Equal(40_000, Assert.Single(pair.ClientEvents.OfType<DataReceived>()).Data.Length);
    }

    [Fact]
    public void InitialWindowSize_ShiftsStreamsOpenedBeforeTheAck()
    {
        // The stream opens while our SETTINGS are in flight: it starts at 65,535 and grows by the difference on the ACK.
        // Without that shift, 200,000 bytes sent on the server's view of a 1 MB window would overflow ours.
        var pair = RespondWith(new Http2Pair(client: new Http2ConnectionOptions { InitialWindowSize = 1_000_000 }), new byte[200_000]);

        Assert.DoesNotContain(pair.ClientEvents, e => e is ConnectionFailed or StreamReset);
        Assert.Equal(200_000, pair.ClientEvents.OfType<DataReceived>().Sum(d => d.Data.Length));
        Assert.Equal(1_000_000, pair.Client.LocalSettings.InitialWindowSize);
    }

    [Fact]
    public void InitialWindowSize_SmallerAfterTheAck_IsEnforced()
    {
        var pair = new Http2Pair(client: new Http2ConnectionOptions { InitialWindowSize = 100 });
        pair.Pump();
        var id = pair.Client.OpenStream();
        pair.Client.SendHeaders(id, Request, endStream: true);
        pair.Pump();

        // A server that ignores the window it acknowledged: 101 bytes on a 100-byte window.
        pair.Client.Receive(Frames(new DataFrame(id, new byte[101], false, null)));

        var reset = Events(pair.Client).OfType<StreamReset>().Single();
        Assert.Equal((ulong)Http2ErrorCode.FlowControlError, reset.Code);
    }

    [Fact]
    public void HeaderTableSize_Zero_AppliesOnTheAck_AndTheServerEmptiesItsTable()
    {
        var pair = RespondWith(new Http2Pair(client: new Http2ConnectionOptions { HeaderTableSize = 0 }), "ok"u8.ToArray());

        Assert.DoesNotContain(pair.ClientEvents, e => e is ConnectionFailed);
        Assert.Equal(0, pair.Client.LocalSettings.HeaderTableSize);
        Assert.Equal(0, pair.Client.Hpack.DecoderTable.MaxSize);
        Assert.Equal(0, pair.Server.Hpack.EncoderTable.MaxSize);
    }

    [Fact]
    public void H2cUpgrade_TheHttp2SettingsHeaderIsAcknowledgedBy101()
    {
        var client = new Http2Connection(new Http2ConnectionOptions { MaxFrameSize = 65_536, InitialWindowSize = 1_000_000 });
        client.Start();
        client.AdoptUpgradedStream(1);

        // The server's answer to the upgraded request may use our settings before it has read our preface.
        client.Receive(Frames(new SettingsFrame(false, []), new HeadersFrame(1, EncodeStatus200(), false, true, null, null), new DataFrame(1, new byte[40_000], true, null)));

        var events = Events(client);
        Assert.DoesNotContain(events, e => e is ConnectionFailed or StreamReset);
        Assert.Equal(40_000, events.OfType<DataReceived>().Single().Data.Length);
    }

    private static ReadOnlyMemory<byte> EncodeStatus200() => new byte[] { 0x88 };

    private static byte[] Frames(params Http2Frame[] frames)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var frame in frames)
        {
            Http2FrameWriter.Write(frame, buffer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static List<HttpEvent> Events(Http2Connection connection)
    {
        var events = new List<HttpEvent>();
        while (connection.TryPollEvent(out var e))
        {
            events.Add(e);
        }

        return events;
    }
}
