using System.Diagnostics;
using System.Net;
using Hxi.Cli.Output;
using Hxi.Cli.Wire;
using Hxi.Protocols.Trace;

namespace Hxi.Cli.Commands;

/// <summary>
/// <c>hxi serve --frames / --hex / --quic / --qpack / --qlog DIR</c>: the wire view from the server's side, with the
/// client's renderers, for each HTTP/3 connection (send is what the server sent, recv what it received).
/// </summary>
internal static class ServeWireView
{
    /// <summary>A tap factory for the server's HTTP/3 connections, or null when neither the view nor qlog is asked for.</summary>
    public static Func<IPEndPoint, IWireTap?>? TapFactory(WireViewOptions view, string? qlogDirectory, TextWriter output)
    {
        if (!view.Any && qlogDirectory is null)
        {
            return null;
        }

        if (qlogDirectory is not null)
        {
            Directory.CreateDirectory(qlogDirectory);
        }

        var palette = Palette.For(Console.IsOutputRedirected);
        var clock = Stopwatch.StartNew();
        return remote =>
        {
            var taps = new List<IWireTap>();
            if (view.Any)
            {
                var renderer = new WireRenderer(output, view, palette, clock);
                renderer.Note($"HTTP/3 connection from {remote}");
                taps.Add(renderer);
            }

            if (qlogDirectory is not null)
            {
                taps.Add(new QlogWriter(
                    // Unbuffered: a server connection has no end the CLI sees, so nothing may wait in a buffer for a Dispose.
                    name => new FileStream(Path.Combine(qlogDirectory, name), FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0),
                    TimeProvider.System,
                    $"hxi serve, client {remote}",
                    server: true));
            }

            return taps.Count == 1 ? taps[0] : new CompositeWireTap([.. taps]);
        };
    }
}
