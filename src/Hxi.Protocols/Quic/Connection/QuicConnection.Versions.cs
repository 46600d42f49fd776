using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Quic.Parameters;
using Hxi.Protocols.Quic.Protection;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Quic.Connection;

/// <summary>
/// Versions: the one in use (its packet protection and long header types, RFC 9369), compatible version negotiation
/// (RFC 9368: version_information, a server upgrading a v1 client to v2, and the downgrade checks) and Version
/// Negotiation packets (RFC 9000 Section 6).
/// </summary>
public sealed partial class QuicConnection
{
    // The version every packet we send now carries, and whose labels derive our keys.
    private uint _version = QuicVersion.Version1;

    // The version of the client's first Initial: what its version_information must name as chosen.
    private uint _originalVersion = QuicVersion.Version1;

    // Client: the version a Version Negotiation packet turned down (null if none came).
    private uint? _versionRejectedByNegotiation;

    // The Destination Connection ID the Initial keys are derived from: the client's first, or a Retry's.
    private byte[] _initialKeysConnectionId = [];

    // Server, after an upgrade: the client's original-version Initial keys, for Initials it sends before it switches.
    private QuicPacketKeys? _originalVersionInitialKeys;

    /// <summary>The QUIC version in use: the client's choice, or what compatible negotiation or Version Negotiation made it.</summary>
    public uint Version => _version;

    /// <summary>The version the client's first Initial carried.</summary>
    public uint OriginalVersion => _originalVersion;

    /// <summary>The peer's version_information, once its transport parameters arrived; null if it sent none.</summary>
    public QuicVersionInformation? PeerVersionInformation { get; private set; }

    private QuicVersionInformation LocalVersionInformation() => new(_version, AvailableVersions());

    // Available Versions start with the version in use: a client's own choice comes first in its list (RFC 9368 Section 3).
    private List<uint> AvailableVersions()
    {
        var available = new List<uint> { _version };
        available.AddRange(_options.Versions.Where(v => v != _version && QuicVersion.IsSupported(v)));
        return available;
    }

    private IReadOnlyList<QuicUnknownTransportParameter> VersionInformationParameters() => [LocalVersionInformation().ToParameter()];

    /// <summary>Client: the version of the first Initial, checked before anything is sent.</summary>
    private void StartVersion()
    {
        if (!QuicVersion.IsSupported(_options.Version))
        {
            throw new InvalidOperationException($"QUIC version {QuicVersion.Name(_options.Version)} is not one hxi speaks");
        }

        if (_versionRejectedByNegotiation is null)
        {
            _version = _originalVersion = _options.Version;
        }
    }

    /// <summary>
    /// Server: the transport parameters to answer a ClientHello with. Reads the client's version_information, upgrades to
    /// the most preferred version both support (RFC 9368 Section 2.3: v1 and v2 are compatible, so the client's first
    /// flight converts as it is), and names the result as chosen.
    /// </summary>
    private byte[] ServerTransportParametersFor(byte[]? clientParameters)
    {
        var client = clientParameters is null ? null : QuicVersionInformation.Find(clientParameters);
        if (client is not null)
        {
            // RFC 9368 Section 4: the client's Chosen Version is the version of the Initial that carried it.
            if (client.ChosenVersion != _originalVersion)
            {
                throw new QuicTransportException(QuicTransportErrorCode.VersionNegotiationError, (ulong)Frames.QuicFrameType.Crypto,
                    $"the client's version_information chooses {QuicVersion.Name(client.ChosenVersion)} in a {QuicVersion.Name(_originalVersion)} Initial");
            }

            // Only before our first packet: after a HelloRetryRequest went out in the original version, the client has
            // heard from us in it and will not switch any more.
            var upgrade = _options.Versions.FirstOrDefault(v => QuicVersion.IsSupported(v) && client.AvailableVersions.Contains(v));
            if (upgrade != 0 && upgrade != _version && _spaces[0].NextPacketNumber == 0)
            {
                SwitchVersion(upgrade, keepOriginalReceiveKeys: true);
            }
        }

        return LocalTransportParameters().ToArray();
    }

    /// <summary>Moves to <paramref name="version"/>: new Initial keys from the same connection ID; later keys take its labels.</summary>
    private void SwitchVersion(uint version, bool keepOriginalReceiveKeys)
    {
        var initial = _spaces[0];
        if (keepOriginalReceiveKeys)
        {
            _originalVersionInitialKeys = initial.ReceiveKeys;
        }
        else
        {
            initial.ReceiveKeys?.Dispose();
        }

        initial.SendKeys?.Dispose();
        _version = version;
        InstallInitialKeys(_initialKeysConnectionId);
        var changed = new QuicVersionChanged(_originalVersion, version, "compatible version negotiation (RFC 9368)");
        _tap.Record(new WireRecord(Role == QuicRole.Client ? WireDirection.Received : WireDirection.Sent, WireLayer.Quic, ReadOnlyMemory<byte>.Empty,
            new QuicPacketTrace(QuicPacketType.Initial, version, _destinationConnectionId, _sourceConnectionId, -1, 0, false, [], changed.ToString())));
        Emit(changed);
    }

    /// <summary>
    /// Whether a long-header packet of <paramref name="header"/>'s version belongs to this connection; a client follows a
    /// server's compatible upgrade on its first Initial (RFC 9368 Section 2.3). False means drop it.
    /// </summary>
    private bool AcceptPacketVersion(QuicPacketHeader header, TimeSpan now)
    {
        if (header.Type == QuicPacketType.OneRtt || header.Version == _version)
        {
            return true;
        }

        if (Role == QuicRole.Client && !_receivedFirstPacket && header.Type == QuicPacketType.Initial
            && QuicVersion.IsSupported(header.Version) && AvailableVersions().Contains(header.Version))
        {
            SwitchVersion(header.Version, keepOriginalReceiveKeys: false);
            return true;
        }

        // A server that upgraded still takes the client's Initials of the original version until it switches too.
        if (Role == QuicRole.Server && header.Type == QuicPacketType.Initial && header.Version == _originalVersion && _originalVersionInitialKeys is not null)
        {
            return true;
        }

        // 0-RTT never changes version: the client sends it in the version it started in (RFC 9369 Section 4).
        if (Role == QuicRole.Server && header.Type == QuicPacketType.ZeroRtt && header.Version == _originalVersion)
        {
            return true;
        }

        Drop(header, $"a {QuicVersion.Name(header.Version)} packet on a {QuicVersion.Name(_version)} connection", now);
        return false;
    }

    /// <summary>The keys that open <paramref name="header"/>: the space's, or (server) the original version's Initial keys.</summary>
    private QuicPacketKeys? OriginalVersionKeysFor(QuicPacketHeader header) =>
        Role == QuicRole.Server && header.Type == QuicPacketType.Initial && header.Version != _version ? _originalVersionInitialKeys : null;

    /// <summary>
    /// RFC 9368 Section 4, at the end of the handshake: the peer's version_information must agree with the version in
    /// use, and a client that took a Version Negotiation packet checks that it was not tricked into a downgrade.
    /// </summary>
    private void ValidateVersionInformation(QuicTransportParameters parameters)
    {
        var info = QuicVersionInformation.From(parameters);
        PeerVersionInformation = info;
        if (Role == QuicRole.Server)
        {
            // Checked against the first Initial's version when the ClientHello arrived (ServerTransportParametersFor).
            return;
        }

        if (info is null)
        {
            // Only a server that implements RFC 9368 upgrades, and it must say so. A server without it (quic-go before
            // 0.37, say) may still have sent Version Negotiation: nothing can then prove it genuine, as in RFC 9000.
            if (_version != _originalVersion)
            {
                throw VersionError($"the server changed the version to {QuicVersion.Name(_version)} but sent no version_information");
            }

            return;
        }

        if (info.ChosenVersion != _version)
        {
            throw VersionError($"the server's version_information chooses {QuicVersion.Name(info.ChosenVersion)}, but the connection uses {QuicVersion.Name(_version)}");
        }

        if (_versionRejectedByNegotiation is not null)
        {
            // What we would have chosen had we known the server's real list; a Version Negotiation packet that steered us
            // elsewhere was forged (a downgrade), since the server's own parameters are authenticated by the handshake.
            var preferred = ClientPreference().FirstOrDefault(info.AvailableVersions.Contains);
            if (preferred != 0 && preferred != _version)
            {
                throw VersionError($"downgrade: a Version Negotiation packet led to {QuicVersion.Name(_version)}, but the server offers {QuicVersion.Name(preferred)}, which we prefer");
            }
        }
    }

    // The client's order of preference: the version it chose first, then the others it accepts.
    private IEnumerable<uint> ClientPreference() =>
        new[] { _options.Version }.Concat(_options.Versions).Where(QuicVersion.IsSupported).Distinct();

    private static QuicTransportException VersionError(string reason) =>
        new(QuicTransportErrorCode.VersionNegotiationError, (ulong)Frames.QuicFrameType.Crypto, reason);

    /// <summary>
    /// RFC 9000 Section 6.2: a client's answer to Version Negotiation. One listing the version we used is ignored (Section
    /// 6.2); otherwise the attempt starts again in a version both speak, once; with none in common it ends with one
    /// clear reason.
    /// </summary>
    private void ReceiveVersionNegotiation(QuicPacketHeader header, TimeSpan now)
    {
        var offered = string.Join(", ", header.SupportedVersions.Select(QuicVersion.Name));
        _tap.Record(new WireRecord(WireDirection.Received, WireLayer.Quic, header.Packet,
            new QuicPacketTrace(header.Type, header.Version, header.DestinationConnectionId, header.SourceConnectionId, -1, header.Packet.Length, false, [],
                $"Version Negotiation: the server offers {offered}")));
        if (Role != QuicRole.Client || _receivedFirstPacket || _versionRejectedByNegotiation is not null
            || !header.DestinationConnectionId.Span.SequenceEqual(_sourceConnectionId))
        {
            Drop(header, "Version Negotiation after the attempt took or for another connection", now);
            return;
        }

        if (header.SupportedVersions.Contains(_version))
        {
            Drop(header, $"Version Negotiation lists {QuicVersion.Name(_version)}, the version we used (RFC 9000 Section 6.2)", now);
            return;
        }

        var next = ClientPreference().FirstOrDefault(v => v != _version && header.SupportedVersions.Contains(v));
        if (next == 0)
        {
            TerminateWith(new QuicConnectionClosed(true, false, 0, 0,
                $"the server does not support QUIC {QuicVersion.Name(_version)}, and offers no version this client accepts (it offers {offered})"));
            return;
        }

        // A new attempt in the other version (RFC 9368 Section 2.1): a fresh ClientHello naming it as chosen.
        _versionRejectedByNegotiation = _version;
        Emit(new QuicVersionChanged(_version, next, "Version Negotiation (RFC 9000 Section 6)"));
        _version = _originalVersion = next;
        var initial = _spaces[0];
        _loss.DiscardSpace(Recovery.QuicPacketNumberSpace.Initial, now);
        initial.CryptoOut = new Streams.SendBuffer();
        initial.SendKeys?.Dispose();
        initial.ReceiveKeys?.Dispose();
        _tls = null;
        Start(now);
    }

    /// <summary>
    /// Opens a packet with <paramref name="keys"/> (its space's, or 0-RTT's), or with a server's original-version
    /// Initial keys for a client that has not yet switched to the negotiated version.
    /// </summary>
    private bool TryUnprotectInVersion(QuicPacketSpace space, QuicPacketKeys keys, QuicPacketHeader header, Span<byte> packet, out QuicUnprotectedPacket result) =>
        TryUnprotect(space, OriginalVersionKeysFor(header) ?? keys, header.Type, header.PacketNumberOffset, packet, out result);
}
