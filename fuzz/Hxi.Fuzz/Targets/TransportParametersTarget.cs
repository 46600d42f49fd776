using System.Net;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Parameters;
using Hxi.Protocols.Tests.Quic;

namespace Hxi.Fuzz.Targets;

/// <summary>QUIC transport parameters (RFC 9000 Section 18) from a client or a server, decoded, shown and encoded again.</summary>
/// <remarks>Input: one option byte (bit 0: sent by the server), then the extension data.</remarks>
public static class TransportParametersTarget
{
    public static void Run(ReadOnlySpan<byte> data)
    {
        var input = new FuzzInput(data);
        var sender = (input.TakeByte() & 1) != 0 ? QuicRole.Server : QuicRole.Client;
        try
        {
            var parameters = QuicTransportParametersCodec.Decode(input.TakeAll(), sender);
            _ = parameters.ToString();
            _ = QuicTransportParametersCodec.Decode(parameters.ToArray(), sender);
        }
        catch (QuicTransportException)
        {
        }
    }

    public static IEnumerable<byte[]> Seeds()
    {
        yield return [0, .. SeedBuilder.Hex(QuicVectors.ClientTransportParameters)];
        byte[] token = [.. Enumerable.Range(0, 16).Select(i => (byte)i)];
        var server = new QuicTransportParameters
        {
            OriginalDestinationConnectionId = SeedBuilder.Hex(Rfc9001Vectors.ClientDestinationConnectionId),
            MaxIdleTimeout = 30_000,
            StatelessResetToken = token,
            MaxUdpPayloadSize = 1452,
            InitialMaxData = 1 << 20,
            InitialMaxStreamDataBidiLocal = 1 << 18,
            InitialMaxStreamDataBidiRemote = 1 << 17,
            InitialMaxStreamDataUni = 1 << 16,
            InitialMaxStreamsBidi = 100,
            InitialMaxStreamsUni = 3,
            AckDelayExponent = 8,
            MaxAckDelay = 26,
            DisableActiveMigration = true,
            PreferredAddress = new QuicPreferredAddress(
                new IPEndPoint(IPAddress.Parse("192.0.2.1"), 443), new IPEndPoint(IPAddress.Parse("2001:db8::1"), 8443), [1, 2, 3, 4], token),
            ActiveConnectionIdLimit = 8,
            InitialSourceConnectionId = SeedBuilder.Hex(Rfc9001Vectors.ServerSourceConnectionId),
            RetrySourceConnectionId = [],
            UnknownParameters = [new QuicUnknownTransportParameter(27 + 31 * 5, [0xde, 0xad])],
        };
        yield return [1, .. server.ToArray()];
        yield return [0, .. SeedBuilder.Hex("1b 02 abcd 4052 00 0104 80007530")];
    }
}
