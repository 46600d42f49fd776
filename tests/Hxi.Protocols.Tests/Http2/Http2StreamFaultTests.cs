using Hxi.Protocols.Http2;

namespace Hxi.Protocols.Tests.Http2;

/// <summary>RFC 9113 Section 5.1 in the state table: what receiving a frame a state does not allow is.</summary>
public class Http2StreamFaultTests
{
    [Theory]
    [InlineData(Http2StreamState.HalfClosedRemote, Http2StreamInput.ReceiveData)]
    [InlineData(Http2StreamState.HalfClosedRemote, Http2StreamInput.ReceiveHeaders)]
    [InlineData(Http2StreamState.Closed, Http2StreamInput.ReceiveData)]
    [InlineData(Http2StreamState.Closed, Http2StreamInput.ReceiveHeaders)]
    public void AfterThePeersEndStream_DataAndHeadersAreStreamClosed(Http2StreamState state, Http2StreamInput input)
    {
        Assert.False(Http2StreamStateMachine.TryTransition(state, input, out _));
        Assert.Equal(new Http2StreamFault(Http2ErrorCode.StreamClosed, IsConnectionError: false), Http2StreamStateMachine.FaultOf(state, input));
    }

    [Theory]
    [InlineData(Http2StreamState.Idle, Http2StreamInput.ReceiveData)]
    [InlineData(Http2StreamState.ReservedRemote, Http2StreamInput.ReceiveData)]
    [InlineData(Http2StreamState.ReservedLocal, Http2StreamInput.ReceiveHeaders)]
    [InlineData(Http2StreamState.ReservedLocal, Http2StreamInput.ReceiveData)]
    public void IdleAndReservedStreams_AnswerOtherFramesWithAConnectionError(Http2StreamState state, Http2StreamInput input)
    {
        Assert.False(Http2StreamStateMachine.TryTransition(state, input, out _));
        Assert.Equal(new Http2StreamFault(Http2ErrorCode.ProtocolError, IsConnectionError: true), Http2StreamStateMachine.FaultOf(state, input));
    }

    [Theory]
    [InlineData(Http2StreamState.Open, true)]
    [InlineData(Http2StreamState.HalfClosedLocal, true)]
    [InlineData(Http2StreamState.HalfClosedRemote, false)]
    [InlineData(Http2StreamState.ReservedRemote, false)]
    [InlineData(Http2StreamState.Idle, false)]
    public void Rfc9113_6_1_DataIsReceivedOnlyInOpenAndHalfClosedLocal(Http2StreamState state, bool allowed)
    {
        Assert.Equal(allowed, Http2StreamStateMachine.CanReceiveData(state));
        Assert.Equal(allowed, Http2StreamStateMachine.TryTransition(state, Http2StreamInput.ReceiveData, out var next) && next == state);
    }
}
