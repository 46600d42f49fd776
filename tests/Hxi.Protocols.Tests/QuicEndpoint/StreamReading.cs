using QuicConnectionCore = Hxi.Protocols.Quic.Connection.QuicConnection;

namespace Hxi.Protocols.Tests.QuicEndpoint;

/// <summary>Reading a download on a client core in the endpoint harnesses.</summary>
internal static class StreamReading
{
    /// <summary>Appends what stream <paramref name="id"/> has to <paramref name="received"/>; true once its end was read.</summary>
    public static bool ReadAvailable(QuicConnectionCore client, long id, List<byte> received, ref bool finished)
    {
        var buffer = new byte[65_536];
        int read;
        while (!finished && (read = client.ReadStream(id, buffer, out finished)) > 0)
        {
            received.AddRange(buffer.AsSpan(0, read).ToArray());
        }

        return finished;
    }
}
