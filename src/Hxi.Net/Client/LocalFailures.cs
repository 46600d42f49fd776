namespace Hxi.Net.Client;

/// <summary>Turns what local code throws (files, the terminal) into the failure the user is shown.</summary>
public static class LocalFailures
{
    /// <summary>
    /// An HxiException stays as it is; an I/O error from writing output is curl's exit 23; anything else is a bug
    /// in hxi and stays itself, so the top level reports it as one.
    /// </summary>
    public static Exception Describe(Exception ex) => ex switch
    {
        HxiException => ex,
        IOException or UnauthorizedAccessException => new HxiException(FailureKind.LocalWrite, $"writing the response failed: {ex.Message}", ex),
        _ => ex,
    };
}
