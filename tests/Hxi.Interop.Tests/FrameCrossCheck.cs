namespace Hxi.Interop.Tests;

/// <summary>
/// Foundation point 10's cross-check: for one GET, the frames hxi says it received (--trace, dir=recv, layer=http2)
/// agree with the frames `nghttp -nv` says it received from the same server.
/// </summary>
/// <remarks>
/// nghttp runs with --no-dep (no PRIORITY anchor streams, so the request is stream 1 as hxi's is). Neither client
/// sends SETTINGS_HEADER_TABLE_SIZE; if one did, the server would open its first header block with a 3-byte HPACK
/// dynamic table size update that the other's would lack.
/// Compared exactly: the server's first SETTINGS (type, stream, length, flags) and every HEADERS, CONTINUATION and
/// DATA frame on stream 1, in order. Allowed to differ, so left out:
/// WINDOW_UPDATE and PING (the server sends them when its own timers and windows say so, and our windows differ);
/// SETTINGS ACKs (the server acknowledges each client's SETTINGS whenever it reads them, and the two clients send
/// different SETTINGS); GOAWAY (sent by whichever side closes first).
/// A Date header can tick between the two runs and change the Huffman-coded length of the HEADERS frame, so the
/// comparison is retried when the two Date values differ.
/// </remarks>
public static class FrameCrossCheck
{
    public static async Task AssertAgreeAsync(string url, string[] hxiArguments)
    {
        for (var attempt = 1; ; attempt++)
        {
            var trace = Path.Combine(Path.GetTempPath(), $"hxi-crosscheck-{Guid.NewGuid():N}.jsonl");
            try
            {
                // Run together so that both most likely see the same Date.
                var nghttpRun = ProcessRunner.RunAsync(PeerBinaries.Require("nghttp"), ["-nv", "--no-dep", url]);
                var hxiRun = HxiRunner.RunAsync([.. hxiArguments, "--trace", trace, url]);
                var nghttp = await nghttpRun;
                var hxi = await hxiRun;
                Assert.True(nghttp.ExitCode == 0, nghttp.ToString());
                Assert.True(hxi.ExitCode == 0, hxi.ToString());

                var lines = WireTrace.ReadLines(trace);
                var ours = Comparable(WireTrace.Frames(lines).Where(f => f.Direction == "recv"));
                var theirs = Comparable(WireTrace.ParseNghttp(nghttp.StdOut).Where(f => f.Direction == "recv"));
                var ourDate = WireTrace.ReceivedHeaders(lines, 1).FirstOrDefault(h => h.Name == "date").Value;
                var theirDate = WireTrace.ParseNghttpHeaders(nghttp.StdOut, 1).FirstOrDefault(h => h.Name == "date").Value;
                if (ourDate != theirDate && attempt < 3 && !ours.SequenceEqual(theirs))
                {
                    continue;
                }

                Assert.True(
                    ours.SequenceEqual(theirs),
                    $"hxi received:\n  {string.Join("\n  ", ours)}\nnghttp received:\n  {string.Join("\n  ", theirs)}\n--- nghttp ---\n{nghttp.StdOut}");
                Assert.Contains(ours, f => f.Type == "SETTINGS");
                Assert.Contains(ours, f => f.Type == "HEADERS" && f.Stream == 1);
                return;
            }
            finally
            {
                File.Delete(trace);
            }
        }
    }

    /// <summary>The server's first non-ACK SETTINGS, then the frames of stream 1's response, in order.</summary>
    private static List<FrameSummary> Comparable(IEnumerable<FrameSummary> received)
    {
        var frames = received.ToList();
        var comparable = frames.Where(f => f.Type == "SETTINGS" && (f.Flags & 0x1) == 0).Take(1).ToList();
        comparable.AddRange(frames.Where(f => f.Stream == 1 && f.Type is "HEADERS" or "CONTINUATION" or "DATA"));
        return comparable;
    }
}
