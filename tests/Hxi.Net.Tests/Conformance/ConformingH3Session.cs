using Hxi.Protocols.Http3;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Quic.Connection;

namespace Hxi.Net.Tests.Conformance;

/// <summary>
/// The conforming server: the project's own sans-IO <see cref="Http3Connection"/> in the server role (a dynamic table
/// of 4096 bytes, at most 2 blocked streams), answering every complete request with 200 and a 64-byte body. Every
/// HTTP/3 case must pass against it.
/// </summary>
internal sealed class ConformingH3Session : IScriptedH3Session
{
    public static readonly byte[] Body = ConformingH2Peer.Body;

    private readonly byte[] _readBuffer = new byte[65_536];
    private readonly HashSet<long> _rejected = [];
    private readonly HashSet<long> _answered = [];
    private Http3Connection? _h3;

    public void Handle(QuicConnection quic, QuicEvent e, TimeSpan now)
    {
        if (e is QuicHandshakeCompleted && _h3 is null)
        {
            _h3 = new Http3Connection(
                Http3Role.Server,
                new Http3ConnectionOptions { QpackMaxTableCapacity = 4096, QpackBlockedStreams = 2 },
                allocateStreamId: bidirectional => quic.OpenStream(bidirectional));
            _h3.Start();
            return;
        }

        if (_h3 is not null)
        {
            Http3OverQuic.Deliver(_h3, quic, e, _readBuffer);
        }
    }

    public void Flush(QuicConnection quic, TimeSpan now)
    {
        if (_h3 is null)
        {
            return;
        }

        while (_h3.TryPollEvent(out var e))
        {
            switch (e)
            {
                case MalformedMessageReceived malformed:
                    _rejected.Add(malformed.StreamId);
                    break;
                case StreamReset reset:
                    _rejected.Add(reset.StreamId);
                    break;
                case HeadersReceived { EndStream: true } headers:
                    Answer(headers.StreamId);
                    break;
                case DataReceived { EndStream: true } data:
                    Answer(data.StreamId);
                    break;
                case TrailersReceived trailers:
                    Answer(trailers.StreamId);
                    break;
            }
        }

        Http3OverQuic.Flush(_h3, quic, now);
    }

    /// <summary>A request read to its end and not rejected gets its answer, once.</summary>
    private void Answer(long streamId)
    {
        if (_h3!.IsFailed || _rejected.Contains(streamId) || _h3.IsSendStopped(streamId) || !_answered.Add(streamId))
        {
            return;
        }

        _h3.SendHeaders(streamId, [new HeaderField(":status", "200")], endStream: false);
        _h3.SendData(streamId, Body, endStream: true);
    }
}
