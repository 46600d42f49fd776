using System.Buffers.Binary;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Quic.Recovery;
using static Hxi.Net.Conformance.Quic.QuicCaseKit;

namespace Hxi.Net.Conformance.Quic;

public static partial class QuicCases
{
    /// <summary>A reserved version (RFC 9000 Section 15): no server supports it.</summary>
    private const uint UnknownVersion = 0x1a2a3a4a;

    private static void AddPacketCases(CaseCatalog c)
    {
        c.Must(Transport, "5.2.2", "an Initial of unknown version 0x1a2a3a4a in a 1100-byte datagram", "dropped without a Version Negotiation packet",
            context => UnansweredAsync(context, initials => initials.WithVersion(UnknownVersion, truncateTo: 1100), "a 1100-byte datagram of an unknown version"));
        c.Should(Transport, "6.1", "an Initial of unknown version 0x1a2a3a4a in a 1200-byte datagram", "a Version Negotiation packet",
            context => VersionNegotiationAsync(context, requireAnswer: true));
        c.Must(Transport, "14.1", "a client Initial with its ClientHello in a datagram under 1200 bytes", "dropped: no answer",
            context => UnansweredAsync(context, initials => initials.Unpadded(), "an Initial datagram under 1200 bytes"));
        c.Must(Transport, "17.2.1", "an Initial of unknown version 0x1a2a3a4a in a 1200-byte datagram", "if answered: Version 0, the client's connection IDs swapped, not the client's version listed",
            context => VersionNegotiationAsync(context, requireAnswer: false));
        c.Must(Transport, "12.4", "a 1-RTT packet with no frames (empty payload)", "connection error PROTOCOL_VIOLATION",
            async context =>
            {
                await using var peer = await RawQuicPeer.ConnectAsync(context);
                EnsureConfirmed(context, peer);
                context.MarkTrigger();
                peer.SendRaw([], new QuicRawPacketShape(QuicPacketNumberSpace.ApplicationData, PacketNumberLength: 4));
                return await ExpectCloseAsync(context, peer, QuicTransportErrorCode.ProtocolViolation);
            });
        c.Must(Transport, "17.2", "a Handshake packet with both reserved header bits set", "connection error PROTOCOL_VIOLATION",
            DuringHandshake(RawQuicFrames.Start().Ping().ToArray(), new QuicRawPacketShape(QuicPacketNumberSpace.Handshake, ReservedBits: 3), QuicTransportErrorCode.ProtocolViolation));
        c.Must(Transport, "17.3.1", "a 1-RTT packet with both reserved header bits set", "connection error PROTOCOL_VIOLATION",
            async context =>
            {
                await using var peer = await RawQuicPeer.ConnectAsync(context);
                EnsureConfirmed(context, peer);
                context.MarkTrigger();
                peer.SendRaw(RawQuicFrames.Start().Ping().ToArray(), new QuicRawPacketShape(QuicPacketNumberSpace.ApplicationData, ReservedBits: 3));
                return await ExpectCloseAsync(context, peer, QuicTransportErrorCode.ProtocolViolation);
            });
    }

    /// <summary>
    /// Sends what <paramref name="make"/> builds from a fresh Initial, then a genuine Initial of another client on the same
    /// socket: passes when the genuine one is answered and the first is not (answers name their client's connection ID).
    /// </summary>
    private static async Task<CaseVerdict> UnansweredAsync(CaseContext context, Func<QuicInitials, byte[]> make, string what)
    {
        using var socket = await RawQuicPeer.OpenSocketAsync(context.Target, context.Cancellation);
        var probed = QuicInitials.Create(context.Target);
        var genuine = QuicInitials.Create(context.Target);
        var input = make(probed);
        context.MarkTrigger();
        context.Record(new QuicDatagramEvidence(true, what, input.Length));
        await socket.SendAsync(input, context.Cancellation);
        context.Record(new QuicDatagramEvidence(true, "a genuine 1200-byte Initial from another client, to show the server is there", genuine.Datagram.Length));
        await socket.SendAsync(genuine.Datagram, context.Cancellation);

        bool AnswersProbe(byte[] d) => (d.Length >= 5 && (d[0] & 0x80) != 0 && BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(1)) == 0)
            || QuicInitials.LongHeaderDestination(d)?.AsSpan().SequenceEqual(probed.SourceConnectionId) == true;
        bool AnswersGenuine(byte[] d) => QuicInitials.LongHeaderDestination(d)?.AsSpan().SequenceEqual(genuine.SourceConnectionId) == true
            && BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(1)) != 0;

        var received = await QuicInitials.ReceiveAsync(socket, context.Target.CaseTimeout, got => got.Any(AnswersGenuine), context.Cancellation);
        // An answer to the first datagram may still be on its way behind the second's.
        received.AddRange(await QuicInitials.ReceiveAsync(socket, context.Target.Grace, got => got.Any(AnswersProbe), context.Cancellation));
        foreach (var datagram in received)
        {
            context.Record(new QuicDatagramEvidence(false, AnswersProbe(datagram) ? "an answer to the datagram under test" : "an answer to the genuine Initial", datagram.Length));
        }

        if (received.Any(AnswersProbe))
        {
            return context.Fail($"expected {what} to be dropped, the server answered it");
        }

        return received.Any(AnswersGenuine)
            ? context.Pass()
            : context.Fail($"the server answered neither {what} nor a genuine Initial within {context.Target.CaseTimeout.TotalSeconds:0.#} s");
    }

    private static async Task<CaseVerdict> VersionNegotiationAsync(CaseContext context, bool requireAnswer)
    {
        using var socket = await RawQuicPeer.OpenSocketAsync(context.Target, context.Cancellation);
        var initials = QuicInitials.Create(context.Target);
        var input = initials.WithVersion(UnknownVersion);
        context.MarkTrigger();
        context.Record(new QuicDatagramEvidence(true, $"an Initial of version 0x{UnknownVersion:x8}", input.Length));
        await socket.SendAsync(input, context.Cancellation);
        var received = await QuicInitials.ReceiveAsync(socket, context.Target.CaseTimeout, got => got.Count > 0, context.Cancellation);
        if (received.Count == 0)
        {
            return requireAnswer
                ? context.Fail($"no Version Negotiation packet within {context.Target.CaseTimeout.TotalSeconds:0.#} s")
                : context.Skip("the server sent no Version Negotiation packet (RFC 9000 Section 6.1 SHOULD; see the --strict case)");
        }

        var datagram = received[0];
        if (!QuicPacketParser.TryParse(datagram, 0, out var header, out var error) || header.Type != QuicPacketType.VersionNegotiation)
        {
            context.Record(new QuicDatagramEvidence(false, "not a Version Negotiation packet", datagram.Length));
            return context.Fail($"expected a Version Negotiation packet (Version 0), got {(header is null ? error : $"a {header.Type} packet of version 0x{header.Version:x8}")}");
        }

        context.Record(new QuicDatagramEvidence(false, $"Version Negotiation offering {string.Join(", ", header.SupportedVersions.Select(v => $"0x{v:x8}"))}", datagram.Length));
        if (!header.DestinationConnectionId.Span.SequenceEqual(initials.SourceConnectionId) || !header.SourceConnectionId.Span.SequenceEqual(initials.DestinationConnectionId))
        {
            return context.Fail("the Version Negotiation packet does not echo the client's connection IDs (RFC 9000 Section 17.2.1: Destination = the client's Source, Source = the client's Destination)");
        }

        if (header.SupportedVersions.Contains(UnknownVersion))
        {
            return context.Fail($"the Version Negotiation packet lists 0x{UnknownVersion:x8}, the version it refuses");
        }

        return context.Pass();
    }
}
