namespace Hxi.Interop.Tests;

/// <summary>
/// A fact that needs external programs: skipped with the reason when one is missing from PATH,
/// except under CI=true, where it runs and fails. xunit 2 has no dynamic skip, so the decision is made here.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresPeerFactAttribute : FactAttribute
{
    public RequiresPeerFactAttribute(params string[] programs)
    {
        Programs = programs;
        Skip = PeerBinaries.SkipReason(programs, PeerBinaries.IsCi)!;
    }

    public IReadOnlyList<string> Programs { get; }
}

/// <summary>The theory counterpart of <see cref="RequiresPeerFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresPeerTheoryAttribute : TheoryAttribute
{
    public RequiresPeerTheoryAttribute(params string[] programs)
    {
        Programs = programs;
        Skip = PeerBinaries.SkipReason(programs, PeerBinaries.IsCi)!;
    }

    public IReadOnlyList<string> Programs { get; }
}
