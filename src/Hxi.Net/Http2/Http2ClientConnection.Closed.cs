namespace Hxi.Net.Http2;

public sealed partial class Http2ClientConnection
{
    /// <summary>Raised once when the connection ends (server close, lost socket, GOAWAY aftermath), with the reason.</summary>
    /// <remarks>The REPL needs to say so the moment it happens, not only when the next request fails.</remarks>
    public event Action<string>? Closed;

    private int _closedRaised;

    private void RaiseClosed(string reason)
    {
        if (Interlocked.Exchange(ref _closedRaised, 1) == 0)
        {
            Closed?.Invoke(reason);
        }
    }
}
