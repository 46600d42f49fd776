using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Hxi.Net.Client;
using Hxi.Protocols.Primitives;
using Hxi.Protocols.Trace;

namespace Hxi.Cli.Wire;

/// <summary>
/// --trace FILE: one JSON object per line for every record of every layer (docs/trace.md, docs/trace.schema.json),
/// each stamped with the run's clock ("t"), its connection ("conn") and, where it has one, its stream.
/// </summary>
/// <remarks>
/// Written with <see cref="Utf8JsonWriter"/> field by field, so it stays free of reflection for Native AOT;
/// a record whose decoded form this writer does not know is written with its bytes and no guessed text.
/// One partial file per layer: .Http1, .Http2, .Http3, .Quic, .Tls.
/// </remarks>
/// <example>{"t":0.0123,"conn":1,"dir":"recv","layer":"http2","type":"SETTINGS","stream":0,...,"bytes":27,"hex":"..."}</example>
public sealed partial class JsonTraceWriter(Stream output, Stopwatch clock) : IWireTap, IDisposable
{
    private const int MaxHexBytes = 1024;

    private readonly Lock _gate = new();

    // Relaxed escaping keeps header values readable ("<", "+", non-ASCII); the file is data, never HTML.
    private readonly Utf8JsonWriter _json = new(output, new JsonWriterOptions { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private int _connection;
    private bool _quicHandshakeUnderway;
    private bool _disposed;

    /// <summary>The number of the connection records belong to now: 1 for the first one the run makes.</summary>
    public int Connection
    {
        get
        {
            lock (_gate)
            {
                return _connection;
            }
        }
    }

    public void Record(in WireRecord record)
    {
        lock (_gate)
        {
            // A QUIC driver can still record a late ACK after the run ended and closed the file.
            if (_disposed)
            {
                return;
            }

            Begin(LayerName(record.Layer), record.Direction);
            switch (record.Layer)
            {
                // Bytes a core could not parse, in any layer: why, and (below) the bytes themselves.
                case var _ when record.Decoded is UnparsedBytes unparsed:
                    _json.WriteString("type", "unparsed");
                    _json.WriteString("error", unparsed.Reason);
                    break;
                case WireLayer.Http1:
                    WriteHttp1(record);
                    break;
                case WireLayer.Http2:
                    WriteHttp2(record);
                    break;
                case WireLayer.Hpack:
                    WriteHpack(record);
                    break;
                case WireLayer.Http3:
                    WriteHttp3(record);
                    break;
                case WireLayer.Qpack:
                    WriteQpack(record);
                    break;
                case WireLayer.Quic:
                    WriteQuic(record);
                    break;
                default:
                    WriteUnknown(record);
                    break;
            }

            WriteBytes(record.Bytes.Span);
            End();
        }
    }

    /// <summary>
    /// Wraps the per-QUIC-connection tap factory so that a QUIC connection gets its number when it starts, before
    /// its first packet: its handshake records belong to it, not to the connection before.
    /// </summary>
    public Func<IWireTap> CountingQuicConnections(Func<IWireTap>? inner) => () =>
    {
        lock (_gate)
        {
            _connection++;
            _quicHandshakeUnderway = true;
        }

        return inner?.Invoke() ?? NullWireTap.Instance;
    };

    /// <summary>A connection is up (TCP, TLS, or a finished QUIC handshake): its number, address, TLS and times.</summary>
    public void Connected(ConnectionInfo info)
    {
        lock (_gate)
        {
            // A QUIC connection was numbered when it started; a TCP one is numbered here, before any byte of it.
            if (!(_quicHandshakeUnderway && info.Protocol == "h3"))
            {
                _connection++;
            }

            _quicHandshakeUnderway = false;
            if (_disposed)
            {
                return;
            }

            Begin("connection", direction: null);
            _json.WriteString("type", "connected");
            _json.WriteString("host", info.Host);
            _json.WriteNumber("port", info.Port);
            WriteOptional("remote", info.RemoteEndPoint?.ToString());
            WriteOptional("local", info.LocalEndPoint?.ToString());
            // Over cleartext TCP nothing is negotiated yet at connect time (HTTP/1.1, h2c by prior knowledge or Upgrade
            // come later); over TLS and QUIC, ALPN has chosen.
            if (info.Tls is not null)
            {
                _json.WriteString("protocol", info.Protocol);
            }

            _json.WriteNumber("dns_ms", Milliseconds(info.DnsTime));
            _json.WriteNumber("connect_ms", Milliseconds(info.ConnectTime));
            if (info.Tls is { } tls)
            {
                // QUIC's one handshake is both connect and TLS: connect_ms holds it all.
                if (info.Protocol != "h3")
                {
                    _json.WriteNumber("tls_ms", Milliseconds(info.TlsTime));
                }

                _json.WriteStartObject("tls");
                _json.WriteString("version", tls.Version);
                _json.WriteString("cipher_suite", tls.CipherSuite);
                WriteStrings("alpn_offered", tls.AlpnOffered);
                WriteOptional("alpn", tls.AlpnChosen);
                _json.WriteString("certificate_subject", tls.CertificateSubject);
                _json.WriteString("certificate_issuer", tls.CertificateIssuer);
                _json.WriteString("certificate_not_before", tls.CertificateNotBefore.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                _json.WriteString("certificate_not_after", tls.CertificateNotAfter.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                WriteStrings("certificate_names", tls.SubjectAlternativeNames);
                _json.WriteEndObject();
            }

            End();
        }
    }

    /// <summary>What the client decided or saw outside any frame: reuse, fallback, redirects followed.</summary>
    public void Note(string message)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            Begin("connection", direction: null);
            _json.WriteString("type", "note");
            _json.WriteString("message", message);
            End();
        }
    }

    private void Begin(string layer, WireDirection? direction)
    {
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteNumber("t", Math.Round(clock.Elapsed.TotalSeconds, 6));
        _json.WriteNumber("conn", _connection);
        if (direction is { } way)
        {
            _json.WriteString("dir", way == WireDirection.Sent ? "send" : "recv");
        }

        _json.WriteString("layer", layer);
    }

    private void End()
    {
        _json.WriteEndObject();
        _json.Flush();
        output.WriteByte((byte)'\n');
        output.Flush();
    }

    private static string LayerName(WireLayer layer) => layer switch
    {
        WireLayer.Connection => "connection",
        WireLayer.Http1 => "http1",
        WireLayer.Http2 => "http2",
        WireLayer.Hpack => "hpack",
        WireLayer.Quic => "quic",
        WireLayer.Http3 => "http3",
        WireLayer.Qpack => "qpack",
        _ => "unknown",
    };

    // A decoded form this writer has no case for: say so without its .NET text, the bytes follow.
    private void WriteUnknown(in WireRecord record) => _json.WriteString("type", record.Decoded is null ? "bytes" : "undecoded");

    private void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        _json.WriteNumber("bytes", bytes.Length);
        var shown = bytes[..Math.Min(bytes.Length, MaxHexBytes)];
        _json.WriteString("hex", Convert.ToHexStringLower(shown));
        if (shown.Length < bytes.Length)
        {
            _json.WriteBoolean("hex_truncated", true);
        }
    }

    private void WriteFields(string name, IReadOnlyList<HeaderField> fields)
    {
        _json.WriteStartArray(name);
        foreach (var field in fields)
        {
            WriteField(field);
        }

        _json.WriteEndArray();
    }

    private void WriteField(HeaderField field)
    {
        _json.WriteStartObject();
        _json.WriteString("name", field.Name);
        _json.WriteString("value", field.Value);
        _json.WriteEndObject();
    }

    private void WriteStrings(string name, IEnumerable<string>? values)
    {
        if (values is null)
        {
            return;
        }

        _json.WriteStartArray(name);
        foreach (var value in values)
        {
            _json.WriteStringValue(value);
        }

        _json.WriteEndArray();
    }

    private void WriteOptional(string name, string? value)
    {
        if (value is not null)
        {
            _json.WriteString(name, value);
        }
    }

    private void WriteHex(string name, ReadOnlySpan<byte> bytes) => _json.WriteString(name, Convert.ToHexStringLower(bytes));

    private static double Milliseconds(TimeSpan time) => Math.Round(time.TotalMilliseconds, 3);

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _json.Dispose();
            output.Dispose();
        }
    }
}
