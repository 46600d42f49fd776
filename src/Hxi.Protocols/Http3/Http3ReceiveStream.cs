using System.Buffers;
using Hxi.Protocols.Messages;

namespace Hxi.Protocols.Http3;

/// <summary>What a peer-opened or request stream carries, once its type is known.</summary>
internal enum Http3StreamKind
{
    /// <summary>A unidirectional stream whose type varint has not fully arrived.</summary>
    PendingType,

    /// <summary>A push stream whose push id varint has not fully arrived.</summary>
    PendingPushId,
    Request,
    Push,
    Control,
    QpackEncoder,
    QpackDecoder,

    /// <summary>Unknown or GREASE type: read and dropped.</summary>
    Ignored,
}

/// <summary>Receive-side state of one stream.</summary>
internal sealed class Http3ReceiveStream(long id, Http3StreamKind kind, int maxFramePayload)
{
    public long Id { get; } = id;

    public Http3StreamKind Kind { get; set; } = kind;

    public Http3FrameReader Reader { get; } = new(maxFramePayload);

    public Http3MessageState MessageState { get; set; } = Http3MessageState.AwaitingHeaders;

    public long PushId { get; set; } = -1;

    /// <summary>The method of the request we sent on this stream: a response to HEAD has no content.</summary>
    public string? RequestMethod { get; set; }

    /// <summary>Judges the message the peer sends on this stream; created with its first HEADERS or DATA.</summary>
    public MessageValidator? Received { get; set; }

    /// <summary>The partial varint of a unidirectional stream's type or a push stream's id.</summary>
    public byte[] Prefix { get; } = new byte[8];

    public int PrefixLength { get; set; }

    /// <summary>The bytes of the stream type, kept until a push stream's push id completes its header.</summary>
    public byte[] TypePrefix { get; set; } = [];

    /// <summary>Set while a field section waits for QPACK inserts; later bytes wait in <see cref="Pending"/>.</summary>
    public bool Blocked { get; set; }

    /// <summary>The blocked frame was a PUSH_PROMISE with this push id, or -1 for HEADERS.</summary>
    public long BlockedPushPromiseId { get; set; } = -1;

    public ArrayBufferWriter<byte>? Pending { get; set; }

    public bool PendingFin { get; set; }

    public bool Finished { get; set; }

    /// <summary>The peer's control stream has delivered its SETTINGS.</summary>
    public bool SettingsSeen { get; set; }
}
