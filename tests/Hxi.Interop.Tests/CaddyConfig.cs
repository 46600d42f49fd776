using System.Text;

namespace Hxi.Interop.Tests;

/// <summary>
/// The Caddyfile the peer kit serves. Written by hand on purpose: never run `caddy fmt` on it,
/// because Caddy 2.6 rewrites `{{` to `{` and would break templates (kept in files here for that reason too).
/// </summary>
public static class CaddyConfig
{
    /// <summary>How many X-Big-NN headers /big sends: 40 x ~1 KB is past the 16 KB default frame size.</summary>
    public const int BigHeaderCount = 40;

    public const string RootText = "hxi peer kit: caddy";

    public const string NotFoundText = "not found";

    /// <summary>The uncompressed body of /gzip; long and repetitive so `encode gzip` (512-byte minimum) kicks in.</summary>
    public static readonly string GzipText = string.Concat(
        Enumerable.Range(0, 400).Select(i => $"line {i:D3}: the quick brown fox jumps over the lazy dog\n"));

    /// <summary>The Go template that /headers runs: one "Name: value" line per request header, names sorted.</summary>
    public const string HeadersTemplate =
        "{{range $name, $values := .Req.Header}}{{range $values}}{{$name}}: {{.}}\n{{end}}{{end}}";

    /// <summary>The value of X-Big-<paramref name="number"/>: 1024 characters, distinct per header so HPACK can't share them.</summary>
    public static string BigHeaderValue(int number)
    {
        var seed = $"{number:D2}-abcdefghijklmnopqrstuvwxyz0123456789-";
        var value = new StringBuilder(1024);
        while (value.Length < 1024)
        {
            value.Append(seed);
        }
        return value.ToString(0, 1024);
    }

    public static string BigHeaderName(int number) => $"X-Big-{number:D2}";

    /// <summary>Builds the Caddyfile for one TLS port (h1 h2 h3) and one clear port (h1 h2c), both serving the same routes.</summary>
    public static string Build(
        int httpsPort,
        int httpPort,
        string certificatePath,
        string keyPath,
        string siteDirectory,
        string filesDirectory,
        string storageDirectory,
        bool bindIpv6)
    {
        var bind = bindIpv6 ? "bind 127.0.0.1 [::1]" : "bind 127.0.0.1";
        var text = new StringBuilder();
        text.Append($$"""
            {
            	admin off
            	auto_https off
            	skip_install_trust
            	ocsp_stapling off
            	storage file_system {
            		root {{Quote(storageDirectory)}}
            	}
            	servers 127.0.0.1:{{httpsPort}} {
            		protocols h1 h2 h3
            	}
            	servers 127.0.0.1:{{httpPort}} {
            		protocols h1 h2c
            	}
            }

            (routes) {
            	handle / {
            		respond "{{RootText}}" 200
            	}
            	handle /json {
            		header Content-Type application/json
            		respond `{"proto":"{http.request.proto}","method":"{http.request.method}"}` 200
            	}
            	handle /headers {
            		root * {{Quote(siteDirectory)}}
            		rewrite * /headers.txt
            		templates
            		file_server
            	}
            	handle /echo {
            		respond "{http.request.body}" 200
            	}
            	handle /status/* {
            		respond "status {http.request.uri.path.1}" {http.request.uri.path.1}
            	}
            	handle /redirect {
            		redir * /json 302
            	}
            	handle /redirect307 {
            		redir * /json 307
            	}
            	handle /gzip {
            		encode gzip
            		root * {{Quote(siteDirectory)}}
            		rewrite * /gzip.txt
            		file_server
            	}
            	handle_path /files/* {
            		root * {{Quote(filesDirectory)}}
            		file_server
            	}
            	handle /big {

            """);
        for (var number = 1; number <= BigHeaderCount; number++)
        {
            text.Append($"\t\theader {BigHeaderName(number)} {BigHeaderValue(number)}\n");
        }
        text.Append($$"""
            		respond "big" 200
            	}
            	handle {
            		respond "{{NotFoundText}}" 404
            	}
            }

            https://:{{httpsPort}} {
            	{{bind}}
            	tls {{Quote(certificatePath)}} {{Quote(keyPath)}}
            	import routes
            }

            http://:{{httpPort}} {
            	{{bind}}
            	import routes
            }

            """);
        return text.ToString();
    }

    /// <summary>Quotes a path as one Caddyfile token, so a temp folder with spaces still parses.</summary>
    private static string Quote(string path) => $"\"{path.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"";
}
