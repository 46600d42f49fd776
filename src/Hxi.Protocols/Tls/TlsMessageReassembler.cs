namespace Hxi.Protocols.Tls;

/// <summary>Cuts one encryption level's CRYPTO byte stream into whole handshake messages, however it was fragmented.</summary>
/// <remarks>
/// A message's size is known from its 4-byte header, so the bound is enforced before its body is
/// buffered: a peer cannot make us hold more than one oversized header's worth of promises.
/// </remarks>
internal sealed class TlsMessageReassembler
{
    /// <summary>Certificate chains can be long; every other message is small.</summary>
    public const int MaxCertificateLength = 128 * 1024;
    public const int MaxMessageLength = 64 * 1024;

    private byte[] buffer = new byte[512];
    private int count;

    public bool IsEmpty => count == 0;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (count + data.Length > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, count + data.Length));
        }

        data.CopyTo(buffer.AsSpan(count));
        count += data.Length;
    }

    /// <summary>Takes the next whole message, header included, if it has fully arrived.</summary>
    public bool TryTake(out TlsHandshakeType type, out byte[] message)
    {
        type = default;
        message = [];
        if (count < 4)
        {
            return false;
        }

        type = (TlsHandshakeType)buffer[0];
        var length = (buffer[1] << 16) | (buffer[2] << 8) | buffer[3];
        var limit = type == TlsHandshakeType.Certificate ? MaxCertificateLength : MaxMessageLength;
        if (length > limit)
        {
            throw TlsAlertException.Decode($"handshake message type {(byte)type} claims {length} bytes, more than the {limit} allowed");
        }

        if (count < 4 + length)
        {
            return false;
        }

        message = buffer.AsSpan(0, 4 + length).ToArray();
        count -= 4 + length;
        Buffer.BlockCopy(buffer, 4 + length, buffer, 0, count);
        return true;
    }
}
