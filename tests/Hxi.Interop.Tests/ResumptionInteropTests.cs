namespace Hxi.Interop.Tests;

/// <summary>
/// --session and --0rtt as a user runs them (RFC 9001 Sections 4.5 and 4.6): hxi against the embedded server's HTTP/3,
/// whose tickets allow 0-RTT once each, and against Caddy (quic-go).
/// </summary>
[Trait("Category", "Interop")]
public sealed class ResumptionInteropTests
{
    [Collection(EmbeddedServerCollection.Name)]
    [Trait("Category", "Interop")]
    public sealed class AgainstTheEmbeddedServer(EmbeddedServerFixture server) : IDisposable
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("hxi-session-").FullName;

        public void Dispose() => Directory.Delete(_directory, recursive: true);

        private Task<ProcessResult> Hxi(params string[] arguments) =>
            HxiRunner.RunAsync(["--cacert", server.CaPath, "--http3-only", .. arguments]);

        [Fact]
        public async Task SecondRun_ResumesWith0Rtt_AndAReplayedTicketHas0RttRefused()
        {
            var session = Path.Combine(_directory, "session.json");
            var first = await Hxi("-v", "--session", session, server.Https("/json"));
            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.DoesNotContain("resumed session", first.StdErr);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(session));
            }
            var copy = Path.Combine(_directory, "copy.json");
            File.Copy(session, copy);

            var resumed = await Hxi("-v", "--quic", "--session", session, "--0rtt", server.Https("/json"));

            Assert.True(resumed.ExitCode == 0, resumed.ToString());
            Assert.Contains("\"path\": \"/json\"", resumed.StdOut);
            Assert.Contains("* resumed session; 0-RTT accepted (", resumed.StdErr);
            Assert.Contains("0-RTT", resumed.StdErr.Replace("0-RTT accepted", "", StringComparison.Ordinal));

            // The same ticket again: the server resumes but has already taken its 0-RTT (RFC 8446 Section 8.1).
            var replay = await Hxi("-v", "--session", copy, "--0rtt", server.Https("/json"));

            Assert.True(replay.ExitCode == 0, replay.ToString());
            Assert.Contains("\"path\": \"/json\"", replay.StdOut);
            Assert.Contains("* resumed session; 0-RTT rejected (", replay.StdErr);
        }

        [Fact]
        public async Task ZeroRtt_WithoutSession_IsAUsageError()
        {
            var result = await Hxi("--0rtt", server.Https("/json"));

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("--0rtt needs --session FILE", result.StdErr);
        }

        [Fact]
        public async Task ADamagedSessionFile_IsAUsageError_NamingIt()
        {
            var session = Path.Combine(_directory, "bad.json");
            await File.WriteAllTextAsync(session, "{ not json");

            var result = await Hxi("--session", session, server.Https("/json"));

            Assert.Equal(2, result.ExitCode);
            Assert.Contains($"--session {session}: not a session file", result.StdErr);
        }
    }

    [Collection(CaddyCollection.Name)]
    [Trait("Category", "Interop")]
    public sealed class AgainstCaddy(CaddyFixture caddy) : IDisposable
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("hxi-session-").FullName;

        public void Dispose() => Directory.Delete(_directory, recursive: true);

        private Task<ProcessResult> Hxi(params string[] arguments) =>
            HxiRunner.RunAsync(["--cacert", caddy.CaPath, "--http3-only", .. arguments]);

        [RequiresPeerFact("caddy")]
        public async Task QuicGoServer_ResumesOurTicket_AndAccepts0Rtt()
        {
            var session = Path.Combine(_directory, "session.json");
            var first = await Hxi("-v", "--session", session, caddy.Https("/json"));
            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.True(File.Exists(session), first.ToString());

            var resumed = await Hxi("-v", "--session", session, "--0rtt", caddy.Https("/json"));

            Assert.True(resumed.ExitCode == 0, resumed.ToString());
            Assert.EndsWith("{\"proto\":\"HTTP/3.0\",\"method\":\"GET\"}", resumed.StdOut);
            // quic-go seals a ticket it can redeem only when the first ClientHello listed psk_dhe_ke (RFC 8446 4.2.9).
            Assert.Contains("* resumed session; 0-RTT accepted (", resumed.StdErr);
        }
    }
}
