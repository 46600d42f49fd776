namespace Hxi.Net.Client;

/// <summary>What is known once a response is complete.</summary>
public sealed record ResponseSummary(
    ResponseHead Head,
    long BodyBytes,
    TimeSpan TimeToFirstByte,
    TimeSpan Duration,
    ConnectionInfo Connection,
    bool ConnectionReused);
