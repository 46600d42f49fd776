using Hxi.Protocols.Tls;

namespace Hxi.Fuzz.Targets;

/// <summary>TLS 1.3 handshake messages (RFC 8446 Section 4): a CRYPTO byte stream reassembled into messages, split anywhere, each decoded and shown.</summary>
/// <remarks>Input: one option byte (chunk size, 0 = whole), then the handshake bytes.</remarks>
public static class TlsMessagesTarget
{
    public static void Run(ReadOnlySpan<byte> data)
    {
        var input = new FuzzInput(data);
        byte options = input.TakeByte();
        var reassembler = new TlsMessageReassembler();
        try
        {
            FuzzInput.Feed(input.TakeAll(), options, bytes =>
            {
                reassembler.Append(bytes);
                while (reassembler.TryTake(out var type, out var message))
                {
                    _ = TlsHandshakeCodec.Decode(type, message.AsSpan(4)).ToString();
                }
            });
        }
        catch (TlsAlertException)
        {
        }
    }

    public static IEnumerable<byte[]> Seeds()
    {
        var all = new List<byte>();
        foreach (var message in QuicVectors.Rfc8448Messages)
        {
            var bytes = SeedBuilder.Hex(message);
            all.AddRange(bytes);
            yield return [0, .. bytes];
        }

        yield return [0, .. all];
        yield return [7, .. all];
        yield return [0, .. QuicVectors.QuicClientHello];
    }
}
