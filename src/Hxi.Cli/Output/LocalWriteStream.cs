using Hxi.Net.Client;

namespace Hxi.Cli.Output;

/// <summary>
/// Where the body goes (standard output or -o FILE), with every write error turned into one line and curl's
/// exit 23: a full disk or a closed pipe is the user's machine, not the server, and must not read as a lost connection.
/// </summary>
public sealed class LocalWriteStream(Stream inner, string destination) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Opens -o FILE; a path that cannot be created fails as a local write (exit 23).</summary>
    public static LocalWriteStream OpenFile(string path)
    {
        try
        {
            return new LocalWriteStream(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16), $"-o {path}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failed($"-o {path}", ex);
        }
    }

    /// <summary>The failure for a write to <paramref name="destination"/> that the system refused.</summary>
    public static HxiException Failed(string destination, Exception ex) =>
        new(FailureKind.LocalWrite, $"cannot write to {destination}: {ex.Message}", ex);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            inner.Write(buffer);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failed(destination, ex);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await inner.WriteAsync(buffer, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failed(destination, ex);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
        try
        {
            inner.Flush();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failed(destination, ex);
        }
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await inner.FlushAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failed(destination, ex);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            // Closing a file flushes its last buffer: the disk can still be full here.
            await inner.DisposeAsync();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failed(destination, ex);
        }

        GC.SuppressFinalize(this);
    }
}
