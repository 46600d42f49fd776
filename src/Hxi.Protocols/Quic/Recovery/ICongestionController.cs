namespace Hxi.Protocols.Quic.Recovery;

/// <summary>Which congestion controller a connection runs (hxi --cc).</summary>
public enum CongestionControl
{
    /// <summary>RFC 9438: the window follows a cubic curve of the time since the last congestion event.</summary>
    Cubic,

    /// <summary>RFC 9002 Section 7: additive increase, halving on loss.</summary>
    NewReno,
}

/// <summary>What loss detection and the sender need from a congestion controller (RFC 9002 Section 7).</summary>
public interface ICongestionController
{
    int MaxDatagramSize { get; }

    long CongestionWindow { get; }

    long BytesInFlight { get; }

    long SlowStartThreshold { get; }

    /// <summary>Bytes that may be sent now without exceeding the window.</summary>
    long Available { get; }

    void OnPacketSent(SentPacket packet);

    void OnPacketsAcked(IEnumerable<SentPacket> packets, TimeSpan now);

    void OnPacketsLost(IReadOnlyCollection<SentPacket> lost, TimeSpan now, bool persistentCongestion);

    /// <summary>
    /// The peer's ECN-CE count went up (RFC 9002 Sections 7.1 and B.7): a congestion event as for a loss of the packet
    /// sent at <paramref name="sentTime"/>, once per round trip, but nothing leaves the flight.
    /// </summary>
    void OnCongestionExperienced(TimeSpan sentTime, TimeSpan now);

    /// <summary>Packets of a discarded space leave the flight without counting as lost (RFC 9002 Appendix B.9).</summary>
    void RemoveFromFlight(IEnumerable<SentPacket> packets);

    /// <summary>
    /// A new path starts from the initial window (RFC 9000 Section 9.4); what is in flight stays counted, but packets sent
    /// before <paramref name="now"/> were sent on the old path and must not contribute to the new one: their
    /// acknowledgments grow nothing and their losses are no congestion event (as for packets sent before a recovery period).
    /// </summary>
    void ResetForNewPath(TimeSpan now);

    /// <summary>
    /// The path's window state (not what is in flight), taken before <see cref="ResetForNewPath"/> so that a connection
    /// whose new path fails validation goes back to the old path with the old path's window (RFC 9000 Sections 9.3.2, 9.4).
    /// </summary>
    CongestionSnapshot Snapshot();

    /// <summary>Back to a <see cref="Snapshot"/> of this controller; bytes in flight stay as they are.</summary>
    void Restore(CongestionSnapshot snapshot);

    /// <summary>Congestion events so far (window reductions on loss): loss detection tells a new event from one in progress.</summary>
    long CongestionEvents { get; }

    /// <summary>
    /// Every packet whose loss made the last congestion event was acknowledged after all (reordering, not loss): back to
    /// the window and threshold from before it, as TCP's Eifel response does (RFC 4015). Nothing happens when persistent
    /// congestion followed or there is no event to undo.
    /// </summary>
    void UndoLastCongestionEvent();
}

/// <summary>A congestion controller's path state, opaque outside the controller that took it.</summary>
public abstract record CongestionSnapshot;

/// <summary>Makes the controller a <see cref="CongestionControl"/> names.</summary>
public static class CongestionControllers
{
    public static ICongestionController Create(CongestionControl algorithm, int maxDatagramSize, RttEstimator rtt) => algorithm switch
    {
        CongestionControl.NewReno => new NewRenoCongestionController(maxDatagramSize),
        _ => new CubicCongestionController(maxDatagramSize, rtt),
    };

    public static string Name(CongestionControl algorithm) => algorithm == CongestionControl.NewReno ? "newreno" : "cubic";
}
