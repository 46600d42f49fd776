using System.Buffers;
using Hxi.Protocols.Http2;
using Hxi.Protocols.Messages;
using Hxi.Protocols.Primitives;

namespace Hxi.Net.Tests.Conformance;

/// <summary>
/// The conforming server: the project's own sans-IO <see cref="Http2Connection"/> in the server role, answering every
/// request with 200 and a 64-byte body. Every case must pass against it.
/// </summary>
internal static class ConformingH2Peer
{
    public static readonly byte[] Body = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"u8.ToArray();

    public static Task RunAsync(Stream stream, CancellationToken ct) => RunAsync(stream, inspect: null, ct);

    /// <summary>Serves one connection; <paramref name="inspect"/> sees each received chunk first and may end the connection.</summary>
    public static async Task RunAsync(Stream stream, Func<ReadOnlyMemory<byte>, byte[]?>? inspect, CancellationToken ct)
    {
        var connection = new Http2Connection(new Http2ConnectionOptions
        {
            Role = Http2Role.Server,
            MaxConcurrentStreams = 10,
            InitialWindowSize = 65_535,
            ConnectionWindowSize = 65_535,
        });
        connection.Start();
        var output = new ArrayBufferWriter<byte>();
        var answered = new HashSet<int>();
        var buffer = new byte[64 * 1024];
        await FlushAsync(connection, output, stream, ct);
        while (!connection.IsFailed)
        {
            var read = await stream.ReadAsync(buffer, ct);
            if (read == 0)
            {
                return;
            }

            if (inspect?.Invoke(buffer.AsMemory(0, read)) is { } refusal)
            {
                await stream.WriteAsync(refusal, ct);
                return;
            }

            connection.Receive(buffer.AsSpan(0, read));
            while (connection.TryPollEvent(out var e))
            {
                // A request reset in the same read (a malformed trailer, a frame on a closed stream) gets no answer.
                if (e is HeadersReceived { StreamId: var id } && answered.Add((int)id)
                    && connection.GetStreamState((int)id) is not (Http2StreamState.Closed or Http2StreamState.HalfClosedLocal))
                {
                    connection.SendHeaders((int)id, [new HeaderField(":status", "200")], endStream: false);
                    connection.SendData((int)id, Body, endStream: true);
                }
            }

            await FlushAsync(connection, output, stream, ct);
        }
    }

    private static async Task FlushAsync(Http2Connection connection, ArrayBufferWriter<byte> output, Stream stream, CancellationToken ct)
    {
        output.ResetWrittenCount();
        if (connection.Transmit(output) > 0)
        {
            await stream.WriteAsync(output.WrittenMemory, ct);
        }
    }
}
