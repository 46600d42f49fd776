namespace Hxi.Protocols.Http1;

/// <summary>The peer sent something that is not valid HTTP/1.1, or exceeded a parser limit.</summary>
/// <remarks>The message names the problem; the connection cannot be used afterwards.</remarks>
public sealed class Http1ProtocolException(string message) : Exception(message);
