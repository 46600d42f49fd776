using System.Net;
using Hxi.Protocols.Trace;

namespace Hxi.Interop.Tests;

/// <summary>One tap per connection hxi serve accepts (<c>EmbeddedServerOptions.Http3ConnectionTap</c>), kept in accept order.</summary>
public sealed class ServerTaps<TTap>
    where TTap : IWireTap, new()
{
    private readonly List<TTap> _taps = [];

    /// <summary>The factory to give the embedded server: a new tap for each connection.</summary>
    public IWireTap? Create(IPEndPoint remote)
    {
        var tap = new TTap();
        lock (_taps)
        {
            _taps.Add(tap);
        }

        return tap;
    }

    public IReadOnlyList<TTap> All
    {
        get
        {
            lock (_taps)
            {
                return [.. _taps];
            }
        }
    }
}
