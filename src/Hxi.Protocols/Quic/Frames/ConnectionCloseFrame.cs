using System.Text;

namespace Hxi.Protocols.Quic.Frames;

/// <summary>CONNECTION_CLOSE (RFC 9000 Section 19.19): 0x1c for transport errors, 0x1d for application errors.</summary>
/// <remarks>
/// <code>
/// CONNECTION_CLOSE Frame {
///   Type (i) = 0x1c..0x1d,
///   Error Code (i),
///   [Frame Type (i)],          only in 0x1c
///   Reason Phrase Length (i),
///   Reason Phrase (..),
/// }
/// </code>
/// </remarks>
public sealed record ConnectionCloseFrame(
    bool IsApplicationClose,
    ulong ErrorCode,
    ulong TriggeringFrameType,
    ReadOnlyMemory<byte> ReasonPhrase) : QuicFrame
{
    public override QuicFrameType Type =>
        IsApplicationClose ? QuicFrameType.ConnectionCloseApplication : QuicFrameType.ConnectionCloseTransport;

    /// <summary>The reason phrase decoded as UTF-8 (invalid sequences become U+FFFD).</summary>
    public string Reason => QuicBytes.Text(ReasonPhrase);

    /// <summary>A 0x1c close for a transport error.</summary>
    public static ConnectionCloseFrame Transport(QuicTransportErrorCode code, ulong frameType, string reason) =>
        new(false, (ulong)code, frameType, Encoding.UTF8.GetBytes(reason));

    /// <summary>A 0x1c close for a caught <see cref="QuicTransportException"/>.</summary>
    public static ConnectionCloseFrame FromException(QuicTransportException error) =>
        Transport(error.Code, error.FrameType, error.Reason);

    /// <summary>A 0x1d close carrying an application protocol's error code.</summary>
    public static ConnectionCloseFrame Application(ulong errorCode, string reason) =>
        new(true, errorCode, 0, Encoding.UTF8.GetBytes(reason));

    public bool Equals(ConnectionCloseFrame? other) =>
        other is not null && IsApplicationClose == other.IsApplicationClose && ErrorCode == other.ErrorCode
        && TriggeringFrameType == other.TriggeringFrameType && QuicBytes.Equal(ReasonPhrase, other.ReasonPhrase);

    public override int GetHashCode() => HashCode.Combine(IsApplicationClose, ErrorCode, TriggeringFrameType, QuicBytes.Hash(ReasonPhrase));

    public override string ToString() =>
        IsApplicationClose
            ? $"CONNECTION_CLOSE application error=0x{ErrorCode:x} reason=\"{Reason}\""
            : $"CONNECTION_CLOSE transport error={QuicTransportErrorCodes.Name(ErrorCode)} frame_type=0x{TriggeringFrameType:x} reason=\"{Reason}\"";

    internal static ConnectionCloseFrame Read(ref QuicFrameReader reader, bool isApplication)
    {
        ulong errorCode = reader.ReadVarint("Error Code");
        ulong frameType = isApplication ? 0 : reader.ReadVarint("Frame Type");
        var reason = reader.ReadBytes(reader.ReadVarint("Reason Phrase Length"), "Reason Phrase");
        return new ConnectionCloseFrame(isApplication, errorCode, frameType, reason);
    }

    private protected override int GetFieldsByteCount() =>
        QuicFrameWriter.VarintLength(ErrorCode)
        + (IsApplicationClose ? 0 : QuicFrameWriter.VarintLength(TriggeringFrameType))
        + QuicFrameWriter.VarintLength((ulong)ReasonPhrase.Length) + ReasonPhrase.Length;

    private protected override void WriteFields(ref QuicFrameWriter writer)
    {
        writer.WriteVarint(ErrorCode);
        if (!IsApplicationClose)
        {
            writer.WriteVarint(TriggeringFrameType);
        }

        writer.WriteVarint((ulong)ReasonPhrase.Length);
        writer.WriteBytes(ReasonPhrase.Span);
    }
}
