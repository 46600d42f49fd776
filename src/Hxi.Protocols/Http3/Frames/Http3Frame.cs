namespace Hxi.Protocols.Http3.Frames;

/// <summary>A decoded HTTP/3 frame (RFC 9114 Section 7.1). One sealed record per frame type.</summary>
/// <remarks>
/// <code>
/// HTTP/3 Frame Format {
///   Type (i),
///   Length (i),
///   Frame Payload (..),
/// }
/// </code>
/// </remarks>
public abstract record Http3Frame
{
    /// <summary>The type code on the wire.</summary>
    public abstract long Type { get; }

    public string TypeName => Http3FrameType.Name(Type);
}
