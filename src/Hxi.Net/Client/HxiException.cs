namespace Hxi.Net.Client;

/// <summary>Why a request failed, grouped the way the exit status reports it.</summary>
public enum FailureKind
{
    Usage = 2,
    Connect = 3,
    Tls = 4,
    Timeout = 5,
    Protocol = 6,
    StreamReset = 7,
    TooManyRedirects = 8,

    /// <summary>Writing the output failed (a file that cannot be created, a full disk, a closed pipe): curl's 23.</summary>
    LocalWrite = 23,
}

/// <summary>A failure with one clear line for the user; the kind decides the exit status.</summary>
public sealed class HxiException(FailureKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public FailureKind Kind { get; } = kind;
}
