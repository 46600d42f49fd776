using Hxi.Protocols.Quic.Connection;
using Hxi.Protocols.Quic.Packets;
using Hxi.Protocols.Trace;

namespace Hxi.Interop.Tests;

/// <summary>A server-side tap that keeps the key phase of every 1-RTT packet each way, for the keyupdate case.</summary>
public sealed class KeyPhaseTap : IWireTap
{
    private readonly List<int> _sent = [];
    private readonly List<int> _received = [];

    public void Record(in WireRecord record)
    {
        if (record.Decoded is QuicPacketTrace { Type: QuicPacketType.OneRtt, Frames.Count: > 0 } packet)
        {
            var list = record.Direction == WireDirection.Sent ? _sent : _received;
            lock (list)
            {
                list.Add(packet.KeyPhase ? 1 : 0);
            }
        }
    }

    public IReadOnlyList<int> Sent => Snapshot(_sent);

    public IReadOnlyList<int> Received => Snapshot(_received);

    private static List<int> Snapshot(List<int> list)
    {
        lock (list)
        {
            return [.. list];
        }
    }
}
