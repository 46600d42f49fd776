namespace Hxi.Net.Client;

/// <summary>What <see cref="ResponseAssembler"/> needs from the connection it serves: the version's names and its stream resets.</summary>
public interface IResponseStreams
{
    /// <summary>"HTTP/2" or "HTTP/3", for the response head.</summary>
    string Protocol { get; }

    /// <summary>The version's code for a malformed response: PROTOCOL_ERROR, H3_MESSAGE_ERROR.</summary>
    ulong MessageErrorCode { get; }

    /// <summary>Whether a reset of a stream a request waits on is also passed on to the connection's observers (the REPL's HTTP/2 view shows it).</summary>
    bool ReportsRequestResets { get; }

    /// <summary>
    /// Whether each DATA event's bytes belong to the event alone, never reused by the core (HTTP/3: a fresh array per
    /// chunk), so a queued handler may keep them without copying. HTTP/2's may be a slice of the read buffer.
    /// </summary>
    bool EventDataIsOwned { get; }

    /// <summary>The name of one of the version's error codes: "CANCEL", "H3_REQUEST_CANCELLED".</summary>
    string NameOf(ulong code);

    /// <summary>Resets a stream whose response can no longer be shown (its handler failed): CANCEL, H3_REQUEST_CANCELLED.</summary>
    void Abandon(long streamId);

    /// <summary>Resets a stream whose response broke a rule the core leaves to the client (no valid :status), with <see cref="MessageErrorCode"/>.</summary>
    void Reject(long streamId);

    /// <summary>Body bytes no handler will see (no request waits on the stream): their flow-control credit goes back now. Protocol thread.</summary>
    void ReturnCredit(long streamId, int length);

    /// <summary>
    /// A handler consumed <paramref name="length"/> body bytes of <paramref name="pending"/>: give their credit back (or resume
    /// reading the stream). Called on the delivery task, not the protocol thread.
    /// </summary>
    void OnBodyConsumed(long streamId, PendingResponse pending, int length);

    /// <summary>Runs <paramref name="action"/> on the protocol thread (or under its lock) and sends what it queued.</summary>
    void Post(Action action);
}
