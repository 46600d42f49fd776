using Hxi.Protocols.Http2.Frames;

namespace Hxi.Protocols.Http2;

/// <summary>
/// The settings this endpoint enforces on what it receives: the values the peer has acknowledged
/// (RFC 9113 Section 6.5.3), starting from the Section 6.5.2 defaults.
/// </summary>
public sealed class Http2LocalSettings
{
    public int HeaderTableSize { get; internal set; } = Http2ConnectionOptions.DefaultHeaderTableSize;

    public int InitialWindowSize { get; internal set; } = 65_535;

    public int MaxFrameSize { get; internal set; } = 16_384;

    /// <summary>
    /// The RFC's initial value is "unlimited", but the limit is advisory and ours to keep (Section 10.5.1):
    /// the configured value holds from the start, and a later SETTINGS changes it once acknowledged.
    /// </summary>
    public int MaxHeaderListSize { get; internal set; }
}

public sealed partial class Http2Connection
{
    // SETTINGS frames we sent that the peer has not acknowledged yet, oldest first: each ACK applies one.
    private readonly Queue<IReadOnlyList<Http2Setting>> _unacknowledgedSettings = new();

    /// <summary>The settings in force on our receive side: what the peer has acknowledged.</summary>
    public Http2LocalSettings LocalSettings { get; }

    /// <summary>SETTINGS frames sent and not yet acknowledged.</summary>
    public int UnacknowledgedSettingsFrames => _unacknowledgedSettings.Count;

    private void NoteSettingsSent(SettingsFrame frame)
    {
        if (!frame.Ack)
        {
            _unacknowledgedSettings.Enqueue(frame.Settings);
        }
    }

    /// <summary>The peer's ACK: from now on it honours the oldest SETTINGS we had outstanding.</summary>
    private void ApplyAcknowledgedSettings()
    {
        if (_unacknowledgedSettings.TryDequeue(out var settings))
        {
            ApplyLocalSettings(settings);
        }

        Emit(new SettingsAcknowledged());
    }

    /// <summary>
    /// h2c Upgrade: the 101 response acknowledges the HTTP2-Settings header implicitly (RFC 7540 Section 3.2.1),
    /// so the settings it carried, which are our preface's, hold before the server's first frame.
    /// </summary>
    private void ApplyUpgradeSettings() => ApplyLocalSettings(_options.ToSettings());

    private void ApplyLocalSettings(IReadOnlyList<Http2Setting> settings)
    {
        foreach (var setting in settings)
        {
            var value = setting.Value;
            switch (setting.Id)
            {
                case Http2SettingId.HeaderTableSize:
                    LocalSettings.HeaderTableSize = (int)Math.Min(value, int.MaxValue);
                    _decoder.MaxTableSize = LocalSettings.HeaderTableSize;
                    break;
                case Http2SettingId.InitialWindowSize when value <= MaxWindow:
                    // Section 6.9.2: the peer shifted its view of every stream window by the difference; so do we.
                    var delta = (int)value - LocalSettings.InitialWindowSize;
                    foreach (var stream in _streams.Values)
                    {
                        stream.ReceiveWindow += delta;
                    }

                    LocalSettings.InitialWindowSize = (int)value;
                    break;
                case Http2SettingId.MaxFrameSize when value is >= 16_384 and <= 16_777_215:
                    LocalSettings.MaxFrameSize = (int)value;
                    break;
                case Http2SettingId.MaxHeaderListSize:
                    LocalSettings.MaxHeaderListSize = (int)Math.Min(value, int.MaxValue);
                    _decoder.MaxHeaderListSize = LocalSettings.MaxHeaderListSize;
                    break;
                default:
                    // Out-of-range values sent by hand (the REPL) were refused by the peer; the rest change nothing we enforce.
                    break;
            }
        }
    }
}
