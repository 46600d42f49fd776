namespace Hxi.Protocols.Quic.Streams;

/// <summary>Credit the peer gave us to send (MAX_DATA or MAX_STREAM_DATA, RFC 9000 Section 4.1).</summary>
public sealed class SendCredit(long initialLimit)
{
    public long Limit { get; private set; } = initialLimit;

    public long Used { get; private set; }

    public long Available => Limit - Used;

    /// <summary>Set when we were blocked at this limit and have not said so yet (DATA_BLOCKED).</summary>
    public long? BlockedAt { get; private set; }

    /// <summary>Limits only grow; an older, smaller one arriving late is ignored.</summary>
    public bool Raise(long limit)
    {
        if (limit <= Limit)
        {
            return false;
        }

        Limit = limit;
        BlockedAt = null;
        return true;
    }

    public void Consume(long bytes)
    {
        Used += bytes;
        if (Used >= Limit)
        {
            BlockedAt = Limit;
        }
    }
}

/// <summary>
/// Credit we give the peer (RFC 9000 Section 4.2): the limit moves forward as the application reads,
/// announced once half the window is used, so a fast sender never waits for it.
/// </summary>
public sealed class ReceiveCredit(long window)
{
    public long Window { get; } = window;

    public long Limit { get; private set; } = window;

    public long Highest { get; private set; }

    public long Consumed { get; private set; }

    /// <summary>Records the highest offset the peer has sent; false means it exceeded the limit (FLOW_CONTROL_ERROR).</summary>
    public bool TryReceive(long highestOffset)
    {
        if (highestOffset > Limit)
        {
            return false;
        }

        Highest = Math.Max(Highest, highestOffset);
        return true;
    }

    /// <summary>The application took bytes; returns the new limit to announce, or null if it is not time yet.</summary>
    public long? OnConsumed(long bytes)
    {
        Consumed += bytes;
        if (Limit - Consumed > Window / 2)
        {
            return null;
        }

        Limit = Consumed + Window;
        return Limit;
    }
}
