using System.Diagnostics.CodeAnalysis;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Http1;

/// <summary>Turns the bytes a server sends into response events (RFC 9112); sans-IO, one per connection.</summary>
/// <remarks>
/// <para>Contract: <see cref="Receive"/> always takes every byte. What it can parse becomes events right
/// away; the rest waits inside (an unfinished line, or the next response until its
/// <see cref="ExpectResponse"/>). Body bytes are never held back: each Receive turns them into
/// <see cref="Http1BodyDataReceived"/> events.</para>
/// <para>Calls to <see cref="ExpectResponse"/> queue, one per request sent, so pipelined requests work.</para>
/// <para>A protocol error throws <see cref="Http1ProtocolException"/>; events from before the error stay
/// pollable, and every later call but <see cref="TryPollEvent"/> and <see cref="TakeRemainingBytes"/>
/// throws <see cref="InvalidOperationException"/>.</para>
/// </remarks>
public sealed partial class Http1ResponseParser
{
    private enum State
    {
        /// <summary>No request outstanding; bytes received now wait for the next expectation.</summary>
        Idle,
        StatusLine,
        HeaderSection,
        ContentLengthBody,
        UntilCloseBody,
        ChunkSizeLine,
        ChunkData,
        ChunkDataEnd,
        TrailerSection,

        /// <summary>After 101 or a CONNECT tunnel the bytes belong to another protocol.</summary>
        HandedOver,
        Failed,
    }

    private readonly Http1ParserLimits _limits;
    private readonly IWireTap _tap;
    private readonly Http1InputBuffer _input = new();
    private readonly Queue<string> _expectedMethods = new();
    private readonly Queue<Http1Event> _events = new();
    private State _state = State.Idle;
    private bool _eof;
    private string? _failure;

    /// <param name="limits">Bounds on lines and sections; <see cref="Http1ParserLimits.Default"/> when null.</param>
    /// <param name="tap">Receives each parsed unit (head, chunk line, body data, trailers) with its exact bytes.</param>
    public Http1ResponseParser(Http1ParserLimits? limits = null, IWireTap? tap = null)
    {
        _limits = limits ?? Http1ParserLimits.Default;
        _tap = tap ?? NullWireTap.Instance;
    }

    /// <summary>True when no response is in progress or expected.</summary>
    public bool IsIdle => _state == State.Idle;

    /// <summary>Announces one more response, for a request sent with this method.</summary>
    /// <remarks>The method matters: a response to HEAD has no body, and a 2xx to CONNECT opens a tunnel.</remarks>
    public void ExpectResponse(string requestMethod)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestMethod);
        ThrowIfFailed();
        if (_state == State.HandedOver)
        {
            throw new InvalidOperationException("The connection no longer speaks HTTP/1.1 (101 or CONNECT tunnel).");
        }

        _expectedMethods.Enqueue(requestMethod);
        Run();
    }

    /// <summary>Takes bytes received from the server; all of them, see the class remarks.</summary>
    public void Receive(ReadOnlySpan<byte> bytes)
    {
        ThrowIfFailed();
        if (_eof)
        {
            throw new InvalidOperationException("Receive after ReceiveEof: the connection is closed.");
        }

        _input.Append(bytes);
        Run();
    }

    /// <summary>The server closed the connection: ends a body read until close, otherwise a cut-off response is an error.</summary>
    public void ReceiveEof()
    {
        ThrowIfFailed();
        _eof = true;
        Run();
    }

    /// <summary>True once a 101 or a CONNECT tunnel has handed the connection to another protocol.</summary>
    public bool HasHandedOver => _state == State.HandedOver;

    public bool TryPollEvent([MaybeNullWhen(false)] out Http1Event e) => _events.TryDequeue(out e);

    /// <summary>Bytes received but not parsed: what follows a 101 or CONNECT tunnel, or a response when idle.</summary>
    /// <remarks>Later bytes given to <see cref="Receive"/> after a hand-over also collect here.</remarks>
    public ReadOnlyMemory<byte> TakeRemainingBytes()
    {
        if (_state is not (State.Idle or State.HandedOver or State.Failed))
        {
            throw new InvalidOperationException("A response is in progress; its bytes are not remaining bytes.");
        }

        return _input.TakeAll();
    }

    private void ThrowIfFailed()
    {
        if (_state == State.Failed)
        {
            throw new InvalidOperationException($"The parser failed earlier and cannot continue: {_failure}");
        }
    }

    private void Run()
    {
        try
        {
            do
            {
                while (Step())
                {
                }
            }
            while (_eof && FinishAtEof());
        }
        catch (Http1ProtocolException e)
        {
            _state = State.Failed;
            _failure = e.Message;
            // The wire view shows the bytes that broke parsing before the error is reported.
            if (!_input.FromMark.IsEmpty)
            {
                _tap.Record(new WireRecord(WireDirection.Received, WireLayer.Http1, _input.FromMark.ToArray(), new UnparsedBytes(e.Message)));
            }

            throw;
        }
    }

    // One unit of progress; false when more input is needed or parsing has stopped.
    private bool Step() => _state switch
    {
        State.Idle => TryStartResponse(),
        State.StatusLine => ReadStatusLine(),
        State.HeaderSection => ReadHeaderLine(),
        State.ContentLengthBody => ReadContentLengthBody(),
        State.UntilCloseBody => ReadUntilCloseBody(),
        State.ChunkSizeLine => ReadChunkSizeLine(),
        State.ChunkData => ReadChunkData(),
        State.ChunkDataEnd => ReadChunkDataEnd(),
        State.TrailerSection => ReadTrailerLine(),
        _ => false,
    };

    // The input ended and no more will come: finish what close ends, report what it cuts off.
    private bool FinishAtEof()
    {
        switch (_state)
        {
            case State.Idle or State.HandedOver:
                return false;
            case State.UntilCloseBody:
                Complete([], ReadOnlyMemory<byte>.Empty);
                return true;
            case State.StatusLine when _input.Length == 0:
                throw new Http1ProtocolException("connection closed before the response");
            case State.StatusLine:
                throw new Http1ProtocolException("connection closed inside the status line");
            case State.HeaderSection:
                throw new Http1ProtocolException("connection closed inside the header section");
            case State.ContentLengthBody:
                throw new Http1ProtocolException(
                    $"connection closed after {_bodyLength - _bodyRemaining} of {_bodyLength} body bytes");
            case State.TrailerSection:
                throw new Http1ProtocolException("connection closed inside the trailer section");
            default:
                throw new Http1ProtocolException("connection closed inside the chunked body");
        }
    }

    private bool TryStartResponse()
    {
        if (!_expectedMethods.TryDequeue(out var method))
        {
            return false;
        }

        _requestMethod = method;
        _state = State.StatusLine;
        return true;
    }

    private void Complete(IReadOnlyList<HeaderField> trailers, ReadOnlyMemory<byte> wire)
    {
        Emit(new Http1ResponseCompleted(trailers, _keepAlive), wire);
        _state = State.Idle;
    }

    // Line ends that carry no meaning are still recorded: every byte belongs in the wire view.
    private void ConsumeUndecoded(int length)
    {
        _tap.Record(new WireRecord(WireDirection.Received, WireLayer.Http1, _input.UnreadMemory[..length], null));
        _input.Consume(length);
    }

    private void Emit(Http1Event e, ReadOnlyMemory<byte> wire)
    {
        if (!wire.IsEmpty)
        {
            _tap.Record(new WireRecord(WireDirection.Received, WireLayer.Http1, wire, e));
        }

        _events.Enqueue(e);
    }
}
