using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Recovery;
using static Hxi.Net.Conformance.Quic.QuicCaseKit;

namespace Hxi.Net.Conformance.Quic;

public static partial class QuicCases
{
    private static void AddTlsCases(CaseCatalog c)
    {
        c.Must(Tls, "6", "a TLS KeyUpdate message in a 1-RTT CRYPTO frame", "connection error 0x10a (CRYPTO_ERROR unexpected_message)",
            OneRtt(RawQuicFrames.Start().Varint(0x06).Varint(0).Varint(5).Bytes(0x18, 0, 0, 1, 0).ToArray(), (QuicTransportErrorCode)0x10a));
        c.Must(Tls, "6.4", "a key update (packet N with the next keys), then packet N+1 with the old keys", "connection error KEY_UPDATE_ERROR",
            async context =>
            {
                await using var peer = await RawQuicPeer.ConnectAsync(context);
                EnsureConfirmed(context, peer);
                context.MarkTrigger();
                var ping = RawQuicFrames.Start().Ping().ToArray();
                peer.SendRaw(ping, new QuicRawPacketShape(QuicPacketNumberSpace.ApplicationData, NextKeyPhase: true));
                peer.SendRaw(ping, new QuicRawPacketShape(QuicPacketNumberSpace.ApplicationData));
                return await ExpectCloseAsync(context, peer, QuicTransportErrorCode.KeyUpdateError);
            });
        c.Must(Tls, "8.1", "a ClientHello offering only the application protocol \"hxi-check-none\"", "connection error 0x178 (CRYPTO_ERROR no_application_protocol)",
            WithOptions(o => o with { ApplicationProtocols = ["hxi-check-none"] }, (QuicTransportErrorCode)0x178));
    }
}
