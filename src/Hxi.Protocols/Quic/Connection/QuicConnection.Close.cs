using System.Text;
using Hxi.Protocols.Quic.Frames;
using Hxi.Protocols.Quic.Recovery;

namespace Hxi.Protocols.Quic.Connection;

public sealed partial class QuicConnection
{
    private TimeSpan _idleTimeout;
    private TimeSpan? _idleDeadline;
    private TimeSpan? _closeDeadline;
    private ConnectionCloseFrame? _closeFrame;
    private bool _closeFramePending;
    private int _closePacketsSent;
    private QuicConnectionClosed? _closed;

    /// <summary>Set once the connection is over and its closing or draining period has passed.</summary>
    public bool IsTerminated { get; private set; }

    /// <summary>Why the connection ended (also reported as an event).</summary>
    public QuicConnectionClosed? CloseReason => _closed;

    /// <summary>Application close (CONNECTION_CLOSE 0x1d) with the application's error code, e.g. H3_NO_ERROR.</summary>
    public void Close(ulong applicationErrorCode, string reason, TimeSpan now)
    {
        if (_closeDeadline is not null || IsTerminated)
        {
            return;
        }

        // Before the handshake completes, an application close must not leak: RFC 9000 Section 10.2.3.
        var frame = IsHandshakeComplete
            ? new ConnectionCloseFrame(true, applicationErrorCode, 0, Encoding.UTF8.GetBytes(reason))
            : new ConnectionCloseFrame(false, (ulong)QuicTransportErrorCode.ApplicationError, 0, Encoding.UTF8.GetBytes(reason));
        StartClosing(frame, new QuicConnectionClosed(false, frame.IsApplicationClose, frame.ErrorCode, 0, reason), now);
    }

    /// <summary>A transport error we detected: CONNECTION_CLOSE 0x1c with the code and the frame that caused it.</summary>
    private void CloseWithError(QuicTransportErrorCode code, ulong frameType, string reason, TimeSpan now)
    {
        var frame = new ConnectionCloseFrame(false, (ulong)code, frameType, Encoding.UTF8.GetBytes(Truncate(reason, 200)));
        StartClosing(frame, new QuicConnectionClosed(false, false, (ulong)code, frameType, reason), now);
    }

    /// <summary>Closes with any transport error code, for the REPL's connection-close command.</summary>
    public void CloseWithTransportError(ulong code, ulong frameType, string reason, TimeSpan now)
    {
        var frame = new ConnectionCloseFrame(false, code, frameType, Encoding.UTF8.GetBytes(reason));
        StartClosing(frame, new QuicConnectionClosed(false, false, code, frameType, reason), now);
    }

    private void StartClosing(ConnectionCloseFrame frame, QuicConnectionClosed reason, TimeSpan now)
    {
        if (_closeDeadline is not null || IsTerminated)
        {
            return;
        }

        _closeFrame = frame;
        _closeFramePending = true;
        _closed = reason;
        // RFC 9000 Section 10.2: stay in the closing state for three PTOs.
        _closeDeadline = now + (_loss.ProbeTimeout * 3);
        Emit(reason);
    }

    private void EnterDraining(TimeSpan now, QuicConnectionClosed reason)
    {
        _closed = reason;
        _closeFrame = null;
        _closeFramePending = false;
        _closeDeadline = now + (_loss.ProbeTimeout * 3);
        Emit(reason);
    }

    /// <summary>Ends at once: a stateless reset or a version the server does not speak.</summary>
    private void TerminateWith(QuicConnectionClosed reason)
    {
        _closed = reason;
        Terminate();
        Emit(reason);
    }

    /// <summary>
    /// Ends the connection at once without a word to the peer, as an idle timeout does (RFC 9000 Section 10.1): for an
    /// endpoint giving up on a handshake that did not complete in time.
    /// </summary>
    internal void Abandon(string reason) =>
        TerminateWith(new QuicConnectionClosed(false, false, 0, 0, reason));

    private void Terminate()
    {
        IsTerminated = true;
        foreach (var space in _spaces)
        {
            space.SendKeys?.Dispose();
            space.ReceiveKeys?.Dispose();
            space.SendKeys = null;
            space.ReceiveKeys = null;
        }

        _nextReceiveKeys?.Dispose();
        _previousReceiveKeys?.Dispose();
        _nextReceiveKeys = null;
        _previousReceiveKeys = null;
    }

    // In the closing state every incoming packet may be answered with CONNECTION_CLOSE again, sparingly.
    private void OnPacketWhileClosing(TimeSpan now)
    {
        if (_closeFrame is not null && _closePacketsSent < 10)
        {
            _closeFramePending = true;
        }
    }

    public void HandleTimeout(TimeSpan now)
    {
        if (IsTerminated)
        {
            return;
        }

        if (_closeDeadline is { } closing)
        {
            if (now >= closing)
            {
                Terminate();
            }

            return;
        }

        if (_idleDeadline is { } idle && now >= idle)
        {
            // RFC 9000 Section 10.1: an idle connection is discarded silently.
            TerminateWith(new QuicConnectionClosed(false, false, 0, 0, $"idle timeout after {_idleTimeout.TotalSeconds:0.###} s without packets"));
            return;
        }

        if (PathValidationDeadline is { } abandon && now >= abandon)
        {
            OnPathValidationTimeout(now);
            if (IsTerminated)
            {
                return;
            }
        }

        if (ProbeDeadline is { } probe && now >= probe)
        {
            OnProbeTimer(now);
        }

        if (_loss.Timer is { } timer && now >= timer)
        {
            var timeout = _loss.OnTimeout(now);
            OnEcnLost(timeout.Lost);
            foreach (var packet in timeout.Lost)
            {
                OnFramesLost(packet);
            }

            RecordMetricsIfChanged();

            if (timeout.ProbeSpace is { } probeSpace)
            {
                var space = _spaces[(int)probeSpace];
                // Probe with retransmitted CRYPTO data when there is any; otherwise PING (RFC 9002 Section 6.2.4).
                space.ProbesWanted = timeout.AntiDeadlock ? 1 : 2;
                if (space.SendKeys is null && probeSpace == QuicPacketNumberSpace.Handshake)
                {
                    _spaces[0].ProbesWanted = space.ProbesWanted;
                }

                RetransmitUnackedCrypto(space);
            }
        }
    }

    private void RetransmitUnackedCrypto(QuicPacketSpace space)
    {
        if (space.Space == QuicPacketNumberSpace.ApplicationData)
        {
            return;
        }

        foreach (var packet in _loss.Unacknowledged(space.Space))
        {
            if (packet.Frames is List<SentFrame> frames)
            {
                foreach (var crypto in frames.OfType<SentCryptoRange>())
                {
                    space.CryptoOut.OnLost(crypto.Offset, crypto.Length, false);
                }
            }
        }
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
