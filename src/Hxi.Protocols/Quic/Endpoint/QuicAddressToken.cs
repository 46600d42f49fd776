using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;

namespace Hxi.Protocols.Quic.Endpoint;

/// <summary>
/// The tokens a server puts in its Retry packets (RFC 9000 Sections 8.1.2 to 8.1.4): AEAD-sealed under a key only
/// this endpoint knows, bound to the client's IP address and port (the associated data), carrying when they were
/// issued, the client's original Destination Connection ID and the Retry's Source Connection ID.
/// </summary>
/// <remarks>
/// <code>
/// Retry Token {
///   Marker (8) = 0x52,
///   Nonce (96),
///   Sealed {                                 AES-128-GCM, associated data = address bytes, port (16)
///     Issued (64),                           endpoint clock, ticks
///     Original Destination Connection ID Length (8), Original Destination Connection ID (..160),
///     Retry Source Connection ID Length (8), Retry Source Connection ID (..160),
///   },
///   Tag (128),
/// }
/// </code>
/// One instance serves one thread (it keeps its cipher).
/// </remarks>
internal sealed class QuicAddressToken : IDisposable
{
    private const byte Marker = 0x52;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int MaxPlaintext = 8 + 1 + QuicConnectionId.MaxLength + 1 + QuicConnectionId.MaxLength;

    private readonly AesGcm _aead;

    public QuicAddressToken(ReadOnlySpan<byte> key) => _aead = new AesGcm(key[..16], TagLength);

    /// <summary>What a token said, or why it was no good.</summary>
    public enum Outcome
    {
        /// <summary>Not one of ours at all (no marker): treated as no token.</summary>
        NotOurs,

        /// <summary>Ours, but tampered with, from another address, too old, or for another Retry: INVALID_TOKEN.</summary>
        Invalid,

        Valid,
    }

    public byte[] Issue(IPEndPoint client, ReadOnlySpan<byte> originalDestinationConnectionId, ReadOnlySpan<byte> retrySourceConnectionId, TimeSpan now)
    {
        Span<byte> plaintext = stackalloc byte[MaxPlaintext];
        var length = 0;
        BinaryPrimitives.WriteInt64BigEndian(plaintext, now.Ticks);
        length += 8;
        plaintext[length++] = (byte)originalDestinationConnectionId.Length;
        originalDestinationConnectionId.CopyTo(plaintext[length..]);
        length += originalDestinationConnectionId.Length;
        plaintext[length++] = (byte)retrySourceConnectionId.Length;
        retrySourceConnectionId.CopyTo(plaintext[length..]);
        length += retrySourceConnectionId.Length;

        var token = new byte[1 + NonceLength + length + TagLength];
        token[0] = Marker;
        var nonce = token.AsSpan(1, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        Span<byte> associated = stackalloc byte[18];
        _aead.Encrypt(nonce, plaintext[..length], token.AsSpan(1 + NonceLength, length), token.AsSpan(1 + NonceLength + length), Bind(client, associated));
        return token;
    }

    /// <summary>
    /// Opens <paramref name="token"/> from an Initial sent by <paramref name="client"/> to <paramref name="destinationConnectionId"/>;
    /// valid only within <paramref name="lifetime"/> of issue and for the Retry that handed it out.
    /// </summary>
    public Outcome Validate(ReadOnlySpan<byte> token, IPEndPoint client, ReadOnlySpan<byte> destinationConnectionId, TimeSpan now, TimeSpan lifetime, out byte[] originalDestinationConnectionId)
    {
        originalDestinationConnectionId = [];
        if (token.IsEmpty || token[0] != Marker)
        {
            return Outcome.NotOurs;
        }

        var length = token.Length - 1 - NonceLength - TagLength;
        if (length is < 10 or > MaxPlaintext)
        {
            return Outcome.Invalid;
        }

        Span<byte> plaintext = stackalloc byte[MaxPlaintext];
        Span<byte> associated = stackalloc byte[18];
        try
        {
            _aead.Decrypt(token.Slice(1, NonceLength), token.Slice(1 + NonceLength, length), token[^TagLength..], plaintext[..length], Bind(client, associated));
        }
        catch (AuthenticationTagMismatchException)
        {
            return Outcome.Invalid;
        }

        var issued = TimeSpan.FromTicks(BinaryPrimitives.ReadInt64BigEndian(plaintext));
        if (issued > now || now - issued > lifetime)
        {
            return Outcome.Invalid;
        }

        var rest = plaintext[8..length];
        var original = rest.Slice(1, Math.Min(rest[0], rest.Length - 1));
        rest = rest[(1 + original.Length)..];
        if (rest.IsEmpty || rest.Length != 1 + rest[0] || !rest[1..].SequenceEqual(destinationConnectionId))
        {
            return Outcome.Invalid;
        }

        originalDestinationConnectionId = original.ToArray();
        return Outcome.Valid;
    }

    // The address and port the token is good for, as the AEAD's associated data.
    private static ReadOnlySpan<byte> Bind(IPEndPoint client, Span<byte> buffer)
    {
        client.Address.TryWriteBytes(buffer, out var written);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[written..], (ushort)client.Port);
        return buffer[..(written + 2)];
    }

    public void Dispose() => _aead.Dispose();
}
