using System.Net;
using Hxi.Protocols.Quic;
using Hxi.Protocols.Quic.Parameters;

namespace Hxi.Protocols.Tests.Quic;

public class QuicTransportParametersTests
{
    private static readonly byte[] Token = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();

    private static QuicTransportParameters ServerParameters() => new()
    {
        OriginalDestinationConnectionId = Hex.Parse("8394c8f03e515708"),
        MaxIdleTimeout = 30_000,
        StatelessResetToken = Token,
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
            new IPEndPoint(IPAddress.Parse("192.0.2.1"), 443), new IPEndPoint(IPAddress.Parse("2001:db8::1"), 8443), [1, 2, 3, 4], Token),
        ActiveConnectionIdLimit = 8,
        InitialSourceConnectionId = Hex.Parse("f067a5502a4262b5"),
        RetrySourceConnectionId = [],
        UnknownParameters = [new QuicUnknownTransportParameter(27 + 31 * 5, [0xde, 0xad])],
    };

    [Fact]
    public void Rfc9000_18_2_EveryParameterRoundTrips()
    {
        var parameters = ServerParameters();
        var bytes = parameters.ToArray();
        var decoded = QuicTransportParametersCodec.Decode(bytes, QuicRole.Server);
        Assert.Equal(parameters, decoded);
        Assert.Equal(parameters.PreferredAddress, decoded.PreferredAddress);
        Assert.Equal(8UL, decoded.ActiveConnectionIdLimit);
        Assert.NotNull(decoded.RetrySourceConnectionId);
        Assert.Empty(decoded.RetrySourceConnectionId);
    }

    [Fact]
    public void Rfc9000_18_2_AbsentParametersTakeTheirDefaults()
    {
        var decoded = QuicTransportParametersCodec.Decode([], QuicRole.Client);
        Assert.Equal(65527UL, decoded.MaxUdpPayloadSize);
        Assert.Equal(3UL, decoded.AckDelayExponent);
        Assert.Equal(25UL, decoded.MaxAckDelay);
        Assert.Equal(2UL, decoded.ActiveConnectionIdLimit);
        Assert.Null(decoded.InitialSourceConnectionId);
        Assert.Empty(new QuicTransportParameters().ToArray());
    }

    [Fact]
    public void Rfc9000_18_1_ReservedAndUnknownParametersAreKeptNotRejected()
    {
        var decoded = QuicTransportParametersCodec.Decode(Hex.Parse("1b 02 abcd 4052 00 0104 80007530"), QuicRole.Client);
        Assert.Equal(30_000UL, decoded.MaxIdleTimeout);
        Assert.Equal(
            [new QuicUnknownTransportParameter(27, [0xab, 0xcd]), new QuicUnknownTransportParameter(0x52, [])],
            decoded.UnknownParameters);
        Assert.True(QuicTransportParameterIds.IsReserved(27));
        Assert.True(QuicTransportParameterIds.IsReserved(27 + 31 * 1000));
        Assert.False(QuicTransportParameterIds.IsReserved(0x52));
        Assert.Equal("max_idle_timeout=30000ms\nreserved(0x1b)=abcd\nunknown(0x52)=(empty)", decoded.ToString());
    }

    [Theory]
    [InlineData("0302 44af", "max_udp_payload_size")] // 1199
    [InlineData("0a01 15", "ack_delay_exponent")] // 21
    [InlineData("0b04 80004000", "max_ack_delay")] // 2^14
    [InlineData("0e01 01", "active_connection_id_limit")] // 1
    [InlineData("0808 d000000000000001", "initial_max_streams_bidi")]
    [InlineData("0908 d000000000000001", "initial_max_streams_uni")]
    [InlineData("0202 0000", "stateless_reset_token")] // not 16 bytes
    [InlineData("0c01 00", "disable_active_migration")] // not empty
    [InlineData("0f15 000000000000000000000000000000000000000000", "initial_source_connection_id")] // 21 bytes
    [InlineData("0102 05", "length")] // value runs past the end
    [InlineData("0102 0505", "max_idle_timeout")] // two varints in one value
    [InlineData("0100 ", "max_idle_timeout")] // empty integer
    [InlineData("0101 05 0101 06", "duplicate")]
    [InlineData("40", "Transport Parameter ID")] // truncated id
    public void Rfc9000_18_2_InvalidValuesAreTransportParameterError(string hex, string reason)
    {
        var error = Assert.Throws<QuicTransportException>(() => QuicTransportParametersCodec.Decode(Hex.Parse(hex), QuicRole.Server));
        Assert.Equal(QuicTransportErrorCode.TransportParameterError, error.Code);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rfc9000_18_2_MaxAckDelayOf2To14IsInvalidAndJustBelowIsFine()
    {
        var over = new QuicTransportParameters { MaxAckDelay = 1 << 14 }.ToArray();
        Assert.Throws<QuicTransportException>(() => QuicTransportParametersCodec.Decode(over, QuicRole.Client));
        var under = new QuicTransportParameters { MaxAckDelay = (1 << 14) - 1 }.ToArray();
        Assert.Equal((1UL << 14) - 1, QuicTransportParametersCodec.Decode(under, QuicRole.Client).MaxAckDelay);
        var limit = new QuicTransportParameters { ActiveConnectionIdLimit = 2, AckDelayExponent = 20, MaxUdpPayloadSize = 1200 }.ToArray();
        Assert.Equal(1200UL, QuicTransportParametersCodec.Decode(limit, QuicRole.Client).MaxUdpPayloadSize);
    }

    [Theory]
    [InlineData(QuicTransportParameterId.OriginalDestinationConnectionId)]
    [InlineData(QuicTransportParameterId.StatelessResetToken)]
    [InlineData(QuicTransportParameterId.PreferredAddress)]
    [InlineData(QuicTransportParameterId.RetrySourceConnectionId)]
    public void Rfc9000_18_2_ServerOnlyParametersFromAClientAreRejected(QuicTransportParameterId id)
    {
        var server = ServerParameters() with { UnknownParameters = [] };
        var all = QuicTransportParametersCodec.Decode(server.ToArray(), QuicRole.Server);
        var only = id switch
        {
            QuicTransportParameterId.OriginalDestinationConnectionId => new QuicTransportParameters { OriginalDestinationConnectionId = all.OriginalDestinationConnectionId },
            QuicTransportParameterId.StatelessResetToken => new QuicTransportParameters { StatelessResetToken = all.StatelessResetToken },
            QuicTransportParameterId.PreferredAddress => new QuicTransportParameters { PreferredAddress = all.PreferredAddress },
            _ => new QuicTransportParameters { RetrySourceConnectionId = [9] },
        };
        var error = Assert.Throws<QuicTransportException>(() => QuicTransportParametersCodec.Decode(only.ToArray(), QuicRole.Client));
        Assert.Equal(QuicTransportErrorCode.TransportParameterError, error.Code);
        Assert.Contains("only be sent by a server", error.Reason);
    }

    [Theory]
    [InlineData("0d19 c0000201 01bb 20010db8000000000000000000000001 20fb 00 ", "1..20")] // zero-length CID
    [InlineData("0d06 c0000201 01bb", "truncated")]
    public void Rfc9000_18_2_MalformedPreferredAddressIsRejected(string hex, string reason)
    {
        var error = Assert.Throws<QuicTransportException>(() => QuicTransportParametersCodec.Decode(Hex.Parse(hex), QuicRole.Server));
        Assert.Equal(QuicTransportErrorCode.TransportParameterError, error.Code);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rfc9000_7_3_ConnectionIdAuthentication()
    {
        var odcid = Hex.Parse("8394c8f03e515708");
        var serverScid = Hex.Parse("f067a5502a4262b5");
        var server = new QuicTransportParameters { OriginalDestinationConnectionId = odcid, InitialSourceConnectionId = serverScid };
        QuicConnectionIdAuthentication.ValidateServer(server, odcid, serverScid, null);

        AssertRejected(() => QuicConnectionIdAuthentication.ValidateServer(server with { OriginalDestinationConnectionId = null }, odcid, serverScid, null), "missing");
        AssertRejected(() => QuicConnectionIdAuthentication.ValidateServer(server, odcid, [1, 2, 3], null), "does not match");
        AssertRejected(() => QuicConnectionIdAuthentication.ValidateServer(server, odcid, serverScid, new byte[] { 7 }), "retry_source_connection_id is missing");
        AssertRejected(() => QuicConnectionIdAuthentication.ValidateServer(server with { RetrySourceConnectionId = [7] }, odcid, serverScid, null), "no Retry");
        QuicConnectionIdAuthentication.ValidateServer(server with { RetrySourceConnectionId = [7] }, odcid, serverScid, new byte[] { 7 });

        var client = new QuicTransportParameters { InitialSourceConnectionId = [] };
        QuicConnectionIdAuthentication.ValidateClient(client, []);
        AssertRejected(() => QuicConnectionIdAuthentication.ValidateClient(new QuicTransportParameters(), []), "missing");
    }

    private static void AssertRejected(Action check, string reason)
    {
        var error = Assert.Throws<QuicTransportException>(check);
        Assert.Equal(QuicTransportErrorCode.TransportParameterError, error.Code);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }
}
