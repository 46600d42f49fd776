using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;

namespace Hxi.Net.Transport;

/// <summary>Keeps .NET from reading the operating system's CA bundle when no decision will use it.</summary>
/// <remarks>
/// On Linux, .NET's chain builder parses every certificate of the system bundle and of /etc/ssl/certs the first
/// time it builds a chain (about 50 ms on Debian, most of a small request), even in CustomRootTrust mode where
/// those roots cannot anchor anything. With --cacert (trust exactly that file, as curl's --cacert does) or -k (no
/// verification), pointing OpenSSL's SSL_CERT_FILE and SSL_CERT_DIR at nothing removes the cost and changes no
/// verdict. .NET reads both variables through the C library's getenv, which Environment.SetEnvironmentVariable
/// does not reach on Unix; hence setenv, called once, before the first connection.
/// </remarks>
public static partial class SystemTrustStore
{
    /// <summary>Call before the first TLS handshake of a process that trusts only --cacert, or nothing (-k).</summary>
    public static void SkipLoading()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // /dev/null is not a regular file, so .NET skips it; an empty directory list is not the default list,
        // so .NET does not fall back to /etc/ssl/certs either.
        _ = SetEnvironment("SSL_CERT_FILE", "/dev/null", 1);
        _ = SetEnvironment("SSL_CERT_DIR", "", 1);
    }

    /// <summary>
    /// Starts reading the system trust store on a pool thread, so that the 50 ms it costs overlaps name
    /// resolution, the TCP or QUIC connection and the server's first flight instead of following them.
    /// </summary>
    public static void WarmUpInBackground()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        _ = Task.Run(() =>
        {
            // Opening the machine root store fills the same process-wide cache the chain builder reads.
            using var store = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
            store.Open(OpenFlags.ReadOnly);
            foreach (var certificate in store.Certificates)
            {
                certificate.Dispose();
            }
        });
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironment(string name, string value, int overwrite);
}
