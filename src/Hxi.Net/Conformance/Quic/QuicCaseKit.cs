using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Parameters;
using Hxi.Protocols.Quic.Recovery;

namespace Hxi.Net.Conformance.Quic;

/// <summary>The shapes QUIC cases share: connect, send the input under test at the right moment, judge the server's CONNECTION_CLOSE.</summary>
internal static class QuicCaseKit
{
    private static readonly byte[] Ping = [0x01];

    /// <summary>After the handshake is confirmed, one 1-RTT packet with the frames <paramref name="build"/> makes (null: skip with the reason it returns).</summary>
    public static Func<CaseContext, Task<CaseVerdict>> OneRtt(Func<QuicTransportParameters, (byte[]? Frames, string? Skip)> build, params QuicTransportErrorCode[] codes) =>
        async context =>
        {
            await using var peer = await RawQuicPeer.ConnectAsync(context);
            EnsureConfirmed(context, peer);

            var (frames, skip) = build(peer.Core.PeerParameters!);
            if (frames is null)
            {
                return context.Skip(skip ?? "not applicable to this server");
            }

            context.MarkTrigger();
            peer.SendOneRtt(frames);
            return await ExpectCloseAsync(context, peer, codes);
        };

    /// <summary>A 1-RTT packet with fixed frames.</summary>
    public static Func<CaseContext, Task<CaseVerdict>> OneRtt(byte[] frames, params QuicTransportErrorCode[] codes) =>
        OneRtt(_ => (frames, null), codes);

    /// <summary>
    /// A packet of <paramref name="shape"/>'s space (Initial or Handshake) sent in the middle of the handshake: as soon
    /// as the client has Handshake keys, before its own Finished, while the server still reads both spaces.
    /// </summary>
    public static Func<CaseContext, Task<CaseVerdict>> DuringHandshake(byte[] frames, QuicRawPacketShape shape, params QuicTransportErrorCode[] codes) =>
        async context =>
        {
            var sent = false;
            // A client's Initial travels in a datagram of at least 1200 bytes (RFC 9000 Section 14.1), or it is dropped unread.
            var padded = shape.Space == QuicPacketNumberSpace.Initial ? shape with { MinimumLength = Math.Max(shape.MinimumLength, 1200) } : shape;
            await using var peer = await RawQuicPeer.ConnectAsync(
                context,
                beforeFlush: p =>
                {
                    if (!sent && p.Core.CanWriteRawPacket(QuicPacketNumberSpace.Handshake) && p.Core.CanWriteRawPacket(shape.Space))
                    {
                        sent = true;
                        context.MarkTrigger();
                        p.SendRaw(frames, padded);
                    }
                },
                waitFor: _ => sent);
            if (!sent)
            {
                return peer.ClosedByPeer is { } closed
                    ? context.Fail($"the handshake failed before the test input could be sent: the server closed with {closed.Describe()}")
                    : context.Fail("the handshake did not get as far as Handshake keys");
            }

            peer.BeforeFlush = null;
            return await ExpectCloseAsync(context, peer, codes);
        };

    /// <summary>A handshake whose ClientHello carries the transport parameters <paramref name="rewrite"/> makes of ours.</summary>
    public static Func<CaseContext, Task<CaseVerdict>> WithParameters(Func<QuicTransportParameters, QuicTransportParameters> rewrite, params QuicTransportErrorCode[] codes) =>
        WithOptions(options => options with { RewriteTransportParameters = rewrite }, codes);

    /// <summary>A handshake with client options that break a rule (the input under test is the ClientHello itself).</summary>
    public static Func<CaseContext, Task<CaseVerdict>> WithOptions(Func<QuicConnectionOptions, QuicConnectionOptions> adjust, params QuicTransportErrorCode[] codes) =>
        async context =>
        {
            context.MarkTrigger();
            await using var peer = await RawQuicPeer.ConnectAsync(context, adjust, waitFor: p => p.Core.IsHandshakeComplete);
            return await ExpectCloseAsync(context, peer, codes);
        };

    /// <summary>
    /// Runs until the server closes, or acknowledges a PING sent behind the test input without closing, or the case's
    /// time runs out: passes only on a CONNECTION_CLOSE with one of <paramref name="codes"/>.
    /// </summary>
    public static async Task<CaseVerdict> ExpectCloseAsync(CaseContext context, RawQuicPeer peer, params QuicTransportErrorCode[] codes)
    {
        var expected = string.Join(" or ", codes.Select(QuicTransportErrorCodes.Name));
        long? probe = null;
        TimeSpan? acknowledgedAt = null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await peer.RunUntilAsync(
            p =>
            {
                if (p.Core.CloseReason is not null)
                {
                    return true;
                }

                if (probe is null && p.Core.IsHandshakeComplete && p.Core.CanWriteRawPacket(QuicPacketNumberSpace.ApplicationData))
                {
                    probe = p.SendOneRtt(Ping);
                }

                if (probe is { } number && p.WasAcknowledged(number))
                {
                    acknowledgedAt ??= clock.Elapsed;
                    return clock.Elapsed - acknowledgedAt >= context.Target.Grace;
                }

                return false;
            },
            context.Target.CaseTimeout);

        if (peer.ClosedByPeer is { } closed)
        {
            return !closed.IsApplicationError && codes.Any(c => (ulong)c == closed.ErrorCode)
                ? context.Pass($"closed with {closed.Describe()}")
                : context.Fail($"expected CONNECTION_CLOSE with {expected}, the server closed with {closed.Describe()}");
        }

        if (peer.ClosedByUs is { } ours)
        {
            return context.Fail($"expected CONNECTION_CLOSE with {expected}; before that the server broke another rule and hxi closed with {ours.Describe()}");
        }

        return acknowledgedAt is not null
            ? context.Fail($"expected CONNECTION_CLOSE with {expected}, the server acknowledged a later packet and kept the connection open")
            : context.Fail($"expected CONNECTION_CLOSE with {expected}, nothing came within {context.Target.CaseTimeout.TotalSeconds:0.#} s");
    }

    /// <summary>A case whose input goes in 1-RTT needs a confirmed handshake first; without one the server failed the setup.</summary>
    public static void EnsureConfirmed(CaseContext context, RawQuicPeer peer)
    {
        if (peer.Core.IsHandshakeConfirmed)
        {
            return;
        }

        if (peer.Core.CloseReason is { } closed)
        {
            throw new CaseSetupException($"the handshake failed: {(closed.ByPeer ? "the server closed with " : "")}{closed.Describe()}");
        }

        throw new CaseSetupException($"the handshake was not confirmed (no HANDSHAKE_DONE) within {(context.Target.CaseTimeout + TimeSpan.FromSeconds(5)).TotalSeconds:0.#} s");
    }
}
