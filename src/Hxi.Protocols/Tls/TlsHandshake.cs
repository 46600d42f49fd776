using Hxi.Protocols.Trace;

namespace Hxi.Protocols.Tls;

/// <summary>
/// The plumbing both roles share: CRYPTO bytes in per encryption level, whole messages out per level,
/// secrets and completion as events, messages and key-log lines to an observer. Sans-IO: no clock, no socket.
/// </summary>
public abstract class TlsHandshake
{
    private readonly TlsMessageReassembler[] reassemblers = [new(), new(), new()];
    private readonly Queue<TlsEvent> events = new();
    private readonly List<(TlsEncryptionLevel Level, TlsWriter Bytes)> output = [];
    private TlsAlertException? failure;

    private protected TlsHandshake(TlsRole role, ITlsObserver? observer)
    {
        Role = role;
        Observer = observer;
    }

    public TlsRole Role { get; }

    public bool IsHandshakeComplete { get; private protected set; }

    public TlsCipherSuite? CipherSuite { get; private protected set; }

    public TlsNamedGroup? Group { get; private protected set; }

    public string? NegotiatedAlpn { get; private protected set; }

    /// <summary>The peer's quic_transport_parameters, raw; authenticated only once the handshake completes.</summary>
    public byte[]? PeerTransportParameters { get; private protected set; }

    /// <summary>ClientHello.random: the key log's second column.</summary>
    public byte[] ClientRandom { get; private protected set; } = [];

    /// <summary>The handshake resumed a session with a ticket's PSK (RFC 9846 Section 2.2).</summary>
    public bool IsResumed { get; private protected set; }

    /// <summary>Whether 0-RTT was offered and, once EncryptedExtensions is through, whether the server took it.</summary>
    public TlsEarlyDataOutcome EarlyData { get; private protected set; }

    /// <summary>The alert that ended the handshake, if any.</summary>
    public TlsAlertException? Failure => failure;

    /// <summary>The level the next received message must arrive at.</summary>
    public TlsEncryptionLevel ReceiveLevel { get; private set; } = TlsEncryptionLevel.Initial;

    private protected ITlsObserver? Observer { get; }

    private protected TlsTranscript Transcript { get; set; } = new();

    private protected TlsKeySchedule? Keys { get; set; }

    /// <summary>Hands over CRYPTO frame bytes received at <paramref name="level"/>, in order, split anywhere.</summary>
    /// <exception cref="TlsAlertException">The handshake failed; send the alert as CRYPTO_ERROR 0x100 + alert.</exception>
    public void ReceiveHandshakeBytes(TlsEncryptionLevel level, ReadOnlySpan<byte> data)
    {
        if (failure is not null)
        {
            throw failure;
        }

        try
        {
            if (data.IsEmpty)
            {
                return;
            }

            if (level != ReceiveLevel)
            {
                throw TlsAlertException.Unexpected($"handshake data at {level} level while expecting {ReceiveLevel}");
            }

            var reassembler = reassemblers[(int)level];
            reassembler.Append(data);
            while (level == ReceiveLevel && reassembler.TryTake(out var type, out var bytes))
            {
                var body = bytes.AsSpan(4);
                CheckExpected(level, type);
                var message = TlsHandshakeCodec.Decode(type, body);
                Observer?.HandshakeMessage(WireDirection.Received, level, message, bytes);
                Handle(message, bytes);
            }

            // Keys moved on with bytes of the old level still unread: they can never be valid.
            if (level != ReceiveLevel && !reassembler.IsEmpty)
            {
                throw TlsAlertException.Unexpected($"{level} data left over after the switch to {ReceiveLevel} keys");
            }
        }
        catch (TlsAlertException ex)
        {
            failure = ex;
            throw;
        }
    }

    /// <summary>The next run of handshake bytes to send in CRYPTO frames at <paramref name="level"/>.</summary>
    public bool TryGetOutput(out TlsEncryptionLevel level, out ReadOnlyMemory<byte> bytes)
    {
        if (output.Count == 0)
        {
            level = default;
            bytes = default;
            return false;
        }

        (level, var writer) = output[0];
        output.RemoveAt(0);
        bytes = writer.ToArray();
        return true;
    }

    public bool TryPollEvent(out TlsEvent tlsEvent) => events.TryDequeue(out tlsEvent!);

    /// <summary>Throws unexpected_message unless <paramref name="type"/> may arrive now, at this level.</summary>
    private protected abstract void CheckExpected(TlsEncryptionLevel level, TlsHandshakeType type);

    private protected abstract void Handle(TlsHandshakeMessage message, byte[] bytes);

    private protected void MoveReceiveLevel(TlsEncryptionLevel level) => ReceiveLevel = level;

    /// <summary>Queues a message to send; returns its bytes for the transcript.</summary>
    private protected byte[] Send(TlsEncryptionLevel level, TlsHandshakeMessage message)
    {
        var bytes = message.Encode();
        Observer?.HandshakeMessage(WireDirection.Sent, level, message, bytes);
        if (output.Count > 0 && output[^1].Level == level)
        {
            output[^1].Bytes.WriteBytes(bytes);
        }
        else
        {
            var writer = new TlsWriter();
            writer.WriteBytes(bytes);
            output.Add((level, writer));
        }

        return bytes;
    }

    private protected void SendAndRecord(TlsEncryptionLevel level, TlsHandshakeMessage message) =>
        Transcript.Append(Send(level, message));

    private protected void Emit(TlsEvent tlsEvent) => events.Enqueue(tlsEvent);

    /// <summary>Reports a secret to QUIC and to the key log, labelled as SSLKEYLOGFILE expects.</summary>
    private protected void Install(TlsEncryptionLevel level, TlsSecretDirection direction, byte[] secret)
    {
        var fromClient = (Role == TlsRole.Client) == (direction == TlsSecretDirection.Write);
        var label = (level, fromClient) switch
        {
            (TlsEncryptionLevel.Handshake, true) => "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
            (TlsEncryptionLevel.Handshake, false) => "SERVER_HANDSHAKE_TRAFFIC_SECRET",
            (_, true) => "CLIENT_TRAFFIC_SECRET_0",
            (_, false) => "SERVER_TRAFFIC_SECRET_0",
        };
        Observer?.KeyLogLine($"{label} {Convert.ToHexStringLower(ClientRandom)} {Convert.ToHexStringLower(secret)}");
        Emit(new TlsSecretAvailable(level, direction, CipherSuite!.Value, secret));
    }

    private protected void Complete()
    {
        IsHandshakeComplete = true;
        Emit(new TlsHandshakeCompleted(CipherSuite!.Value, Group!.Value, NegotiatedAlpn, IsResumed, EarlyData));
    }

    /// <summary>client_early_traffic_secret to QUIC's 0-RTT keys and to the key log.</summary>
    private protected void InstallEarly(TlsCipherSuite suite, byte[] secret)
    {
        Observer?.KeyLogLine($"CLIENT_EARLY_TRAFFIC_SECRET {Convert.ToHexStringLower(ClientRandom)} {Convert.ToHexStringLower(secret)}");
        Emit(new TlsEarlySecretAvailable(suite, secret));
    }

    /// <summary>verify_data check in constant time; a wrong length is decode_error, a wrong value decrypt_error.</summary>
    private protected void CheckFinished(Finished finished, byte[] baseKey)
    {
        var expected = Keys!.VerifyData(baseKey, Transcript.Hash(Keys.Suite));
        if (finished.VerifyData.Length != expected.Length)
        {
            throw TlsAlertException.Decode($"Finished holds {finished.VerifyData.Length} bytes, not {expected.Length}");
        }

        if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(finished.VerifyData, expected))
        {
            throw new TlsAlertException(TlsAlertDescription.DecryptError, "the peer's Finished does not match the transcript");
        }
    }

    private protected static string Describe(TlsHandshakeType type) => type switch
    {
        TlsHandshakeType.ClientHello => "ClientHello",
        TlsHandshakeType.ServerHello => "ServerHello",
        TlsHandshakeType.NewSessionTicket => "NewSessionTicket",
        TlsHandshakeType.EndOfEarlyData => "EndOfEarlyData",
        TlsHandshakeType.EncryptedExtensions => "EncryptedExtensions",
        TlsHandshakeType.Certificate => "Certificate",
        TlsHandshakeType.CertificateRequest => "CertificateRequest",
        TlsHandshakeType.CertificateVerify => "CertificateVerify",
        TlsHandshakeType.Finished => "Finished",
        TlsHandshakeType.KeyUpdate => "KeyUpdate",
        _ => $"handshake type {(byte)type}",
    };
}
