namespace Hxi.Protocols.Quic.Endpoint;

/// <summary>
/// A token bucket for the packets an endpoint sends without a connection (Version Negotiation, Retry, stateless reset,
/// a refusal): whoever can spoof a source address can aim them at a victim, so they are rate-limited (RFC 9000
/// Section 21.11 for resets, and the same reasoning for the rest).
/// </summary>
internal sealed class StatelessBudget(int perSecond)
{
    private double _tokens = perSecond;
    private TimeSpan _last;

    public bool TryTake(TimeSpan now)
    {
        if (now > _last)
        {
            _tokens = Math.Min(perSecond, _tokens + ((now - _last).TotalSeconds * perSecond));
            _last = now;
        }

        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }
}
