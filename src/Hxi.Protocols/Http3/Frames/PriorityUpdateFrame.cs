namespace Hxi.Protocols.Http3.Frames;

/// <summary>PRIORITY_UPDATE (RFC 9218 Section 7.2): 0xF0700 for a request stream, 0xF0701 for a push.</summary>
/// <param name="IsPush">The element is a push id (type 0xF0701) rather than a request stream id.</param>
/// <param name="ElementId">The stream id or push id being reprioritized.</param>
/// <param name="PriorityFieldValue">The Priority field value in ASCII, e.g. "u=1, i".</param>
public sealed record PriorityUpdateFrame(bool IsPush, long ElementId, string PriorityFieldValue) : Http3Frame
{
    public override long Type => IsPush ? Http3FrameType.PriorityUpdatePush : Http3FrameType.PriorityUpdateRequest;
}
