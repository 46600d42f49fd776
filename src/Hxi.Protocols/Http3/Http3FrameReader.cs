using Hxi.Protocols.Http3.Frames;
using Hxi.Protocols.Primitives;

namespace Hxi.Protocols.Http3;

/// <summary>What <see cref="Http3FrameReader.Read"/> produced.</summary>
public enum Http3ReadStatus
{
    /// <summary>All input was consumed without completing anything.</summary>
    NeedMoreData,

    /// <summary>A complete frame other than DATA.</summary>
    Frame,

    /// <summary>A DATA frame header; its payload follows as <see cref="DataChunk"/> results.</summary>
    DataHeader,

    /// <summary>A piece of the current DATA frame's payload.</summary>
    DataChunk,
}

/// <summary>
/// Reads frames from one stream's bytes as they arrive, split anywhere (RFC 9114 Section 7.1). DATA payloads are
/// handed out in pieces and never buffered; other frames are buffered whole up to <see cref="MaxFramePayload"/>.
/// </summary>
/// <remarks>
/// <code>
/// HTTP/3 Frame Format {
///   Type (i),
///   Length (i),
///   Frame Payload (..),
/// }
/// </code>
/// </remarks>
public sealed class Http3FrameReader(int maxFramePayload = Http3FrameReader.DefaultMaxFramePayload)
{
    /// <summary>The default bound on a buffered frame (HEADERS, SETTINGS, PUSH_PROMISE...).</summary>
    public const int DefaultMaxFramePayload = 64 * 1024;

    private readonly byte[] _header = new byte[16];
    private int _headerLength;
    private long _type = -1;
    private long _payloadLength = -1;
    private byte[] _frame = [];
    private int _frameLength;
    private long _remaining;
    private bool _skipping;

    public int MaxFramePayload { get; } = maxFramePayload;

    /// <summary>True between frames: a stream that ends here ended cleanly (Section 7.1).</summary>
    public bool IsAtFrameBoundary => _headerLength == 0 && _type < 0;

    /// <summary>The payload length of the DATA frame being read.</summary>
    public long DataLength { get; private set; }

    /// <summary>The exact bytes of the frame just returned: the whole frame, or the header of a DATA frame.</summary>
    public ReadOnlySpan<byte> LastFrameBytes => _frame.AsSpan(0, _frameLength);

    /// <summary>Consumes from <paramref name="input"/> until something completes or the input runs out.</summary>
    /// <exception cref="Http3ConnectionException">H3_EXCESSIVE_LOAD for an oversized frame, or a payload error from <see cref="Http3FrameCodec"/>.</exception>
    public Http3ReadStatus Read(ref ReadOnlySpan<byte> input, out Http3Frame? frame, out ReadOnlySpan<byte> dataChunk)
    {
        frame = null;
        dataChunk = default;
        while (true)
        {
            if (_type < 0)
            {
                if (!TryReadHeader(ref input))
                {
                    return Http3ReadStatus.NeedMoreData;
                }

                if (_type == Http3FrameType.Data)
                {
                    DataLength = _payloadLength;
                    _remaining = _payloadLength;
                    CopyHeaderToFrame();
                    _headerLength = 0;
                    return Http3ReadStatus.DataHeader;
                }

                bool known = _type is Http3FrameType.Headers or Http3FrameType.Settings or Http3FrameType.PushPromise
                    or Http3FrameType.CancelPush or Http3FrameType.GoAway or Http3FrameType.MaxPushId
                    or Http3FrameType.PriorityUpdateRequest or Http3FrameType.PriorityUpdatePush;
                if (_payloadLength > MaxFramePayload && known)
                {
                    throw new Http3ConnectionException(
                        Http3ErrorCode.ExcessiveLoad,
                        $"{Http3FrameType.Name(_type)} frame of {_payloadLength} bytes exceeds our limit of {MaxFramePayload}");
                }

                // Unknown frames are ignored anyway: a large one is skipped rather than buffered.
                _skipping = _payloadLength > MaxFramePayload;
                _remaining = _payloadLength;
                CopyHeaderToFrame();
            }

            if (_type == Http3FrameType.Data)
            {
                if (_remaining == 0)
                {
                    EndFrame();
                    continue;
                }

                if (input.IsEmpty)
                {
                    return Http3ReadStatus.NeedMoreData;
                }

                int take = (int)Math.Min(_remaining, input.Length);
                dataChunk = input[..take];
                input = input[take..];
                _remaining -= take;
                if (_remaining == 0)
                {
                    EndFrame();
                }

                return Http3ReadStatus.DataChunk;
            }

            int chunk = (int)Math.Min(_remaining, input.Length);
            if (!_skipping)
            {
                EnsureFrameCapacity(_frameLength + chunk);
                input[..chunk].CopyTo(_frame.AsSpan(_frameLength));
                _frameLength += chunk;
            }

            input = input[chunk..];
            _remaining -= chunk;
            if (_remaining > 0)
            {
                return Http3ReadStatus.NeedMoreData;
            }

            int headerBytes = _headerLength;
            long type = _type;
            bool skipped = _skipping;
            EndFrame();
            frame = skipped ? new UnknownFrame(type, ReadOnlyMemory<byte>.Empty)
                : Http3FrameCodec.ParsePayload(type, _frame.AsSpan(headerBytes, _frameLength - headerBytes));
            return Http3ReadStatus.Frame;
        }
    }

    private bool TryReadHeader(ref ReadOnlySpan<byte> input)
    {
        while (!input.IsEmpty)
        {
            _header[_headerLength++] = input[0];
            input = input[1..];
            int typeLength = QuicVarint.GetLengthFromFirstByte(_header[0]);
            if (_headerLength <= typeLength)
            {
                continue;
            }

            int lengthLength = QuicVarint.GetLengthFromFirstByte(_header[typeLength]);
            if (_headerLength < typeLength + lengthLength)
            {
                continue;
            }

            QuicVarint.TryRead(_header, out ulong type, out _);
            QuicVarint.TryRead(_header.AsSpan(typeLength), out ulong length, out _);
            _type = (long)type;
            _payloadLength = (long)length;
            return true;
        }

        return false;
    }

    private void CopyHeaderToFrame()
    {
        EnsureFrameCapacity(_headerLength);
        _header.AsSpan(0, _headerLength).CopyTo(_frame);
        _frameLength = _headerLength;
    }

    private void EndFrame()
    {
        _type = -1;
        _payloadLength = -1;
        _skipping = false;
        _headerLength = 0;
    }

    private void EnsureFrameCapacity(int needed)
    {
        if (_frame.Length < needed)
        {
            Array.Resize(ref _frame, Math.Max(needed, Math.Max(64, _frame.Length * 2)));
        }
    }
}
