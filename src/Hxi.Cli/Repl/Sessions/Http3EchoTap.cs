using Hxi.Protocols.Http3;
using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Http3.Qpack;
using Hxi.Protocols.Trace;

namespace Hxi.Cli.Repl.Sessions;

/// <summary>
/// Sits in front of the wire view so a HEADERS frame hxi sends reads like one it receives: the QPACK core
/// reports the encoded field section before the frame that carries it, so the section is held until that frame.
/// </summary>
/// <remarks>Both records come from the driver thread, one after the other, so no lock is needed.</remarks>
public sealed class Http3EchoTap(IWireTap view) : IWireTap
{
    private WireRecord? _heldSection;

    public void Record(in WireRecord record)
    {
        if (record is { Direction: WireDirection.Sent, Layer: WireLayer.Qpack, Decoded: QpackSectionTrace })
        {
            _heldSection = record with { Bytes = record.Bytes.ToArray() };
            return;
        }

        view.Record(record);
        if (_heldSection is { } section && record is { Direction: WireDirection.Sent, Decoded: Http3FrameTrace { Frame: HeadersFrame } })
        {
            _heldSection = null;
            view.Record(section);
        }
    }
}
