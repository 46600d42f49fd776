using System.Buffers;
using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Http3.Qpack;
using Hxi.Protocols.Messages;

namespace Hxi.Protocols.Http3;

/// <summary>Which end of the connection this endpoint is; it decides stream id parity and which frames are legal.</summary>
public enum Http3Role
{
    Client,
    Server,
}

/// <summary>Local settings and behaviour of an <see cref="Http3Connection"/>.</summary>
public sealed record Http3ConnectionOptions
{
    /// <summary>Our SETTINGS_QPACK_MAX_TABLE_CAPACITY (--qpack-capacity); 0 turns the peer's dynamic table off.</summary>
    public int QpackMaxTableCapacity { get; init; } = QpackDecoder.DefaultMaxTableCapacity;

    /// <summary>Our SETTINGS_QPACK_BLOCKED_STREAMS.</summary>
    public int QpackBlockedStreams { get; init; } = QpackDecoder.DefaultMaxBlockedStreams;

    /// <summary>Our cap on the dynamic table we encode into, whatever the peer allows; 0 uses static + literals only.</summary>
    public int QpackEncoderCapacity { get; init; } = QpackEncoder.DefaultMaxTableCapacity;

    /// <summary>SETTINGS_MAX_FIELD_SECTION_SIZE to advertise; null leaves it out (unlimited).</summary>
    public long? MaxFieldSectionSize { get; init; }

    /// <summary>Advertise SETTINGS_ENABLE_CONNECT_PROTOCOL=1 (RFC 9220).</summary>
    public bool EnableConnectProtocol { get; init; }

    /// <summary>Advertise SETTINGS_H3_DATAGRAM=1 (RFC 9297).</summary>
    public bool EnableDatagrams { get; init; }

    /// <summary>Client: the MAX_PUSH_ID sent at the start, allowing push ids 0 to this; null sends none, so pushes wait for <see cref="Http3Connection.SendMaxPushId"/>.</summary>
    public long? MaxPushId { get; init; }

    /// <summary>Send a GREASE setting, a GREASE frame on the control stream and a GREASE unidirectional stream (RFC 9114 Section 9).</summary>
    public bool SendGrease { get; init; }

    /// <summary>Extra settings to send as they are, for testing peers (unknown ids included).</summary>
    public IReadOnlyList<Http3Setting> ExtraSettings { get; init; } = [];

    /// <summary>What the connection does with a malformed request or response it receives; the RFC says reject (H3_MESSAGE_ERROR).</summary>
    public MalformedMessagePolicy MalformedMessages { get; init; } = MalformedMessagePolicy.Reject;

    /// <summary>
    /// Where each DATA chunk is copied for its <see cref="DataReceived"/> event, which owns the array (its consumer may
    /// give it back to this pool when done); null: a new array per chunk.
    /// </summary>
    public ArrayPool<byte>? DataBufferPool { get; init; }

    /// <summary>The largest HEADERS, SETTINGS or other non-DATA frame payload we buffer; larger is H3_EXCESSIVE_LOAD.</summary>
    public int MaxFramePayload { get; init; } = Http3FrameReader.DefaultMaxFramePayload;
}
