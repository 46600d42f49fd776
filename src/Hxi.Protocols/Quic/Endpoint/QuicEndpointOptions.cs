using System.Net;
using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Quic.Endpoint;

/// <summary>What a server <see cref="QuicEndpoint"/> accepts, and how much it lets strangers cost it.</summary>
public sealed record QuicEndpointOptions
{
    /// <summary>Every accepted connection's options (the role must be server, with a certificate).</summary>
    public required QuicConnectionOptions Connection { get; init; }

    /// <summary>Answer every first Initial with a Retry, so no handshake starts before the client's address is proven (hxi serve --retry).</summary>
    public bool AlwaysRetry { get; init; }

    /// <summary>With this many handshakes in progress, new clients must first prove their address with a Retry.</summary>
    public int RetryAboveHandshakes { get; init; } = 64;

    /// <summary>Handshakes in progress at most; beyond, new clients are refused (CONNECTION_REFUSED).</summary>
    public int MaxHandshakes { get; init; } = 512;

    /// <summary>Connections at most, handshakes included; beyond, new clients are refused.</summary>
    public int MaxConnections { get; init; } = 4096;

    /// <summary>A server connection whose handshake has not completed this long after its first Initial is dropped.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a Retry token stays good (a client answers a Retry within one round trip).</summary>
    public TimeSpan RetryTokenLifetime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Version Negotiation, Retry, stateless reset and refusal packets sent per second at most.</summary>
    public int StatelessPacketsPerSecond { get; init; } = 2000;

    /// <summary>
    /// The endpoint's secret for Retry tokens and stateless reset tokens (32 bytes). Null draws one at random, which
    /// is right for one process; a fixed key lets a restarted server reset its old connections.
    /// </summary>
    public byte[]? StaticKey { get; init; }

    /// <summary>A wire tap for each accepted connection (the server's wire view); null for none.</summary>
    public Func<IPEndPoint, IWireTap?>? ConnectionTap { get; init; }

    /// <summary>Sees the packets the endpoint sends and drops without a connection (Version Negotiation, Retry, reset).</summary>
    public IWireTap? Tap { get; init; }
}
