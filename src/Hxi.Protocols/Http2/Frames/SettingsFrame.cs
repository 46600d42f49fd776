namespace Hxi.Protocols.Http2.Frames;

/// <summary>SETTINGS (type 0x4, RFC 9113 Section 6.5); an ACK carries no parameters.</summary>
public sealed record SettingsFrame(bool Ack, IReadOnlyList<Http2Setting> Settings) : Http2Frame(0)
{
    public static readonly SettingsFrame Acknowledgement = new(true, []);

    public override Http2FrameType Type => Http2FrameType.Settings;

    public override Http2FrameFlags Flags => Ack ? Http2FrameFlags.Ack : Http2FrameFlags.None;

    public bool Equals(SettingsFrame? other) =>
        other is not null && Ack == other.Ack && Settings.SequenceEqual(other.Settings);

    public override int GetHashCode() => HashCode.Combine(Ack, Settings.Count);
}
