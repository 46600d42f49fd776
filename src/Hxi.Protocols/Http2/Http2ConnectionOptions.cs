using Hxi.Protocols.Messages;

namespace Hxi.Protocols.Http2;

/// <summary>Which end of the connection this is: it decides stream id parity and the preface.</summary>
public enum Http2Role
{
    Client,
    Server,
}

/// <summary>Local settings and limits of an <see cref="Http2Connection"/>.</summary>
public sealed record Http2ConnectionOptions
{
    public Http2Role Role { get; init; } = Http2Role.Client;

    /// <summary>SETTINGS_HEADER_TABLE_SIZE's initial value (RFC 9113 Section 6.5.2).</summary>
    public const int DefaultHeaderTableSize = 4096;

    /// <summary>SETTINGS_HEADER_TABLE_SIZE we advertise: the most HPACK state the peer may make us keep.</summary>
    public int HeaderTableSize { get; init; } = DefaultHeaderTableSize;

    /// <summary>SETTINGS_ENABLE_PUSH; a client keeps push off unless asked (--push).</summary>
    public bool EnablePush { get; init; }

    /// <summary>SETTINGS_MAX_CONCURRENT_STREAMS we advertise, or null to leave it unlimited.</summary>
    public int? MaxConcurrentStreams { get; init; }

    /// <summary>SETTINGS_INITIAL_WINDOW_SIZE: per-stream receive window.</summary>
    public int InitialWindowSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// A stream's DATA credit goes back to the peer only when the owner says the bytes were consumed
    /// (<see cref="Http2Connection.ConsumeData"/>), so a slow reader slows the sender; otherwise on arrival.
    /// Connection credit always goes back on arrival, so one slow stream cannot starve the others.
    /// </summary>
    public bool StreamCreditOnConsume { get; init; }

    /// <summary>The connection receive window, raised from 65,535 with a WINDOW_UPDATE after the preface.</summary>
    public int ConnectionWindowSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>SETTINGS_MAX_FRAME_SIZE: the largest frame payload we accept.</summary>
    public int MaxFrameSize { get; init; } = 16_384;

    /// <summary>SETTINGS_MAX_HEADER_LIST_SIZE: decoded header list limit (name + value + 32 per field).</summary>
    public int MaxHeaderListSize { get; init; } = 256 * 1024;

    /// <summary>How many CONTINUATION frames one field block may use before we call it a flood.</summary>
    public int MaxContinuationFrames { get; init; } = 512;

    /// <summary>What the connection does with a malformed request or response it receives; the RFC says reject.</summary>
    public MalformedMessagePolicy MalformedMessages { get; init; } = MalformedMessagePolicy.Reject;

    /// <summary>Extra settings to send as they are, for experiments (unknown ids included).</summary>
    public IReadOnlyList<Http2Setting> ExtraSettings { get; init; } = [];

    /// <summary>The settings frame this endpoint opens with.</summary>
    public IReadOnlyList<Http2Setting> ToSettings()
    {
        var settings = new List<Http2Setting>();

        // The RFC default is left unsaid, as curl and nghttp do: saying it anyway makes a peer apply a "change",
        // and Go's server (Caddy) then races its HPACK encoder on an h2c Upgrade, putting a table size update in
        // the middle of the response's header block, which we must refuse with COMPRESSION_ERROR.
        if (HeaderTableSize != DefaultHeaderTableSize)
        {
            settings.Add(new(Http2SettingId.HeaderTableSize, (uint)HeaderTableSize));
        }

        if (Role == Http2Role.Client)
        {
            settings.Add(new(Http2SettingId.EnablePush, EnablePush ? 1u : 0u));
        }

        if (MaxConcurrentStreams is { } max)
        {
            settings.Add(new(Http2SettingId.MaxConcurrentStreams, (uint)max));
        }

        settings.Add(new(Http2SettingId.InitialWindowSize, (uint)InitialWindowSize));
        settings.Add(new(Http2SettingId.MaxFrameSize, (uint)MaxFrameSize));
        settings.Add(new(Http2SettingId.MaxHeaderListSize, (uint)MaxHeaderListSize));
        settings.AddRange(ExtraSettings);
        return settings;
    }
}

/// <summary>The settings the peer has told us, with the RFC 9113 Section 6.5.2 defaults.</summary>
public sealed class Http2PeerSettings
{
    public int HeaderTableSize { get; internal set; } = 4096;

    public bool EnablePush { get; internal set; } = true;

    public int MaxConcurrentStreams { get; internal set; } = int.MaxValue;

    public int InitialWindowSize { get; internal set; } = 65_535;

    public int MaxFrameSize { get; internal set; } = 16_384;

    public int MaxHeaderListSize { get; internal set; } = int.MaxValue;
}
