using Hxi.Protocols.Http3;
using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Trace;

namespace Hxi.Net.Load;

/// <summary>Counts the encoded size of every response header block a connection receives: HPACK blocks, HTTP/3 HEADERS payloads.</summary>
internal sealed class CompressionTap(LoadStatistics statistics, IWireTap inner) : IWireTap
{
    public void Record(in WireRecord record)
    {
        if (record.Direction == WireDirection.Received)
        {
            if (record.Layer == WireLayer.Hpack)
            {
                statistics.CompressionSample(record.Bytes.Length, 0);
            }
            else if (record is { Layer: WireLayer.Http3, Decoded: Http3FrameTrace { Frame: HeadersFrame } headers })
            {
                statistics.CompressionSample(headers.PayloadLength, 0);
            }
        }

        inner.Record(record);
    }
}
