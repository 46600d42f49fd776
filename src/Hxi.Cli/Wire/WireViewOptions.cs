namespace Hxi.Cli.Wire;

/// <summary>Which parts of the wire to show: the --frames, --hex and --hpack switches.</summary>
public sealed record WireViewOptions(bool Frames, bool Hex, bool Hpack)
{
    public bool Any => Frames || Hex || Hpack;
}
