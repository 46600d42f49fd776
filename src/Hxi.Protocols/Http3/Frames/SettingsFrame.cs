namespace Hxi.Protocols.Http3.Frames;

/// <summary>One SETTINGS parameter; unknown and GREASE identifiers are kept so the wire view can show them.</summary>
public readonly record struct Http3Setting(long Id, long Value)
{
    public string Name => Http3SettingId.Name(Id);

    public override string ToString() => $"{Name}={Value}";
}

/// <summary>SETTINGS (type 0x04, RFC 9114 Section 7.2.4): sent once, first on the control stream.</summary>
public sealed record SettingsFrame(IReadOnlyList<Http3Setting> Settings) : Http3Frame
{
    public override long Type => Http3FrameType.Settings;

    /// <summary>The value of <paramref name="id"/>, or <paramref name="defaultValue"/> when absent (all defaults are 0).</summary>
    public long Get(long id, long defaultValue = 0)
    {
        foreach (var setting in Settings)
        {
            if (setting.Id == id)
            {
                return setting.Value;
            }
        }

        return defaultValue;
    }

    public bool Equals(SettingsFrame? other) => other is not null && Settings.SequenceEqual(other.Settings);

    public override int GetHashCode() => Settings.Count;
}
