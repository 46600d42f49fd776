using Hxi.Protocols.Quic.Parameters;
using Hxi.Protocols.Quic.Protection;
using Hxi.Protocols.Quic.Recovery;
using Hxi.Protocols.Tls;

namespace Hxi.Protocols.Quic.Connection;

public sealed partial class QuicConnection
{
    /// <summary>
    /// A client and a server connection that start where a completed and confirmed handshake leaves them: each sends
    /// to the other's connection ID, holds the other's transport parameters (encoded, decoded and checked as the
    /// handshake would), has 1-RTT keys from the two given traffic secrets, has discarded its Initial and Handshake
    /// spaces, and has queued NEW_CONNECTION_ID frames. No TLS runs: CRYPTO data at 1-RTT is buffered and goes no further.
    /// </summary>
    /// <remarks>
    /// For the fuzz harness only (the quic-connection target): a real handshake per input (key agreement, a signature
    /// and its check, fourteen AEAD contexts) held the target to a few hundred inputs a second, none of it spent on the
    /// frames under test. Nothing outside the harness and its tests builds a connection this way.
    /// </remarks>
    internal static (QuicConnection Client, QuicConnection Server) CreateEstablishedPair(
        QuicConnectionOptions clientOptions,
        QuicConnectionOptions serverOptions,
        QuicCipherSuite suite,
        ReadOnlySpan<byte> clientSecret,
        ReadOnlySpan<byte> serverSecret,
        TimeSpan now)
    {
        if (clientOptions.Role != QuicRole.Client || serverOptions.Role != QuicRole.Server)
        {
            throw new InvalidOperationException("an established pair is a client's options and a server's");
        }

        var client = new QuicConnection(clientOptions);
        var server = new QuicConnection(serverOptions);

        // As after the server's first Initial: the server saw the client's first Destination Connection ID, and each
        // side now sends to the ID the other chose.
        server._originalDestinationConnectionId = client._originalDestinationConnectionId;
        server._destinationConnectionId = client._sourceConnectionId;
        client._destinationConnectionId = server._sourceConnectionId;

        client.EnterOneRtt(server.LocalTransportParameters(), suite, clientSecret, serverSecret, now);
        server.EnterOneRtt(client.LocalTransportParameters(), suite, serverSecret, clientSecret, now);
        return (client, server);
    }

    private void EnterOneRtt(QuicTransportParameters peer, QuicCipherSuite suite, ReadOnlySpan<byte> writeSecret, ReadOnlySpan<byte> readSecret, TimeSpan now)
    {
        var parameters = QuicTransportParametersCodec.Decode(peer.ToArray(), Role == QuicRole.Client ? QuicRole.Server : QuicRole.Client);
        if (Role == QuicRole.Client)
        {
            QuicConnectionIdAuthentication.ValidateServer(parameters, _originalDestinationConnectionId, _destinationConnectionId, null);
        }
        else
        {
            QuicConnectionIdAuthentication.ValidateClient(parameters, _destinationConnectionId);
        }

        var application = _spaces[(int)QuicPacketNumberSpace.ApplicationData];
        application.SendKeys = new QuicPacketKeys(suite, writeSecret);
        application.ReceiveKeys = new QuicPacketKeys(suite, readSecret);
        _applicationReceiveSecret = readSecret.ToArray();
        _applicationSuite = suite;
        _nextReceiveKeys = application.ReceiveKeys.NextGeneration();
        _loss.HasHandshakeKeys = true;
        DiscardSpace(QuicPacketNumberSpace.Initial, now);
        _receivedFirstPacket = true;
        _idleDeadline = now + _idleTimeout;

        ApplyPeerParameters(parameters);
        IsHandshakeComplete = true;
        ApplicationProtocol = _options.ApplicationProtocols.Count > 0 ? _options.ApplicationProtocols[0] : null;
        Emit(new QuicHandshakeCompleted(ApplicationProtocol, parameters, TlsCipherSuites.Name((ushort)suite), "none (no handshake ran)"));
        ConfirmHandshake(now);
        IssueConnectionIds();
    }
}
