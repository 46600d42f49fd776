using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http3.Qpack;

/// <summary>A decoded field section and the stream it belongs to; <see cref="Trace"/> is set when tracing is on.</summary>
public sealed record QpackFieldSection(long StreamId, IReadOnlyList<HeaderField> Fields, QpackSectionTrace? Trace);
