using System.Runtime.InteropServices;

namespace Hxi.Fuzz;

/// <summary>
/// Edge coverage from SharpFuzz's instrumentation, read in-process: the instrumented assemblies count each branch
/// edge in <c>SharpFuzz.Common.Trace.SharedMem</c> (afl's 64 KB map); an input that lights a new edge, or a new hit-count
/// bucket of one, joins the corpus. Uninstrumented assemblies leave the map empty, and the runner is a plain mutator.
/// </summary>
public sealed unsafe class CoverageMap
{
    public const int Size = 1 << 16;

    private readonly byte* _map;
    private readonly byte[] _seen = new byte[Size];

    /// <summary>Installs a map for the process's lifetime: instrumented code writes to it on every branch, so it must never go away.</summary>
    public CoverageMap()
    {
        _map = (byte*)NativeMemory.AllocZeroed(Size);
        SharpFuzz.Common.Trace.SharedMem = _map;
        SharpFuzz.Common.Trace.PrevLocation = 0;
    }

    /// <summary>Edges seen so far (any hit count).</summary>
    public int Edges { get; private set; }

    /// <summary>Folds the map of the last execution into what was seen, clears it, and says whether anything was new.</summary>
    public bool TakeNew()
    {
        bool found = false;
        var words = new Span<ulong>(_map, Size / sizeof(ulong));
        for (int w = 0; w < words.Length; w++)
        {
            if (words[w] == 0)
            {
                continue;
            }

            for (int i = w * 8; i < w * 8 + 8; i++)
            {
                byte count = _map[i];
                if (count == 0)
                {
                    continue;
                }

                byte bucket = Bucket(count);
                if ((_seen[i] & bucket) == 0)
                {
                    Edges += _seen[i] == 0 ? 1 : 0;
                    _seen[i] |= bucket;
                    found = true;
                }
            }

            words[w] = 0;
        }

        SharpFuzz.Common.Trace.PrevLocation = 0;
        return found;
    }

    /// <summary>afl's hit-count classes: 1, 2, 3, 4-7, 8-15, 16-31, 32-127, 128+.</summary>
    private static byte Bucket(byte count) => count switch
    {
        1 => 1,
        2 => 2,
        3 => 4,
        <= 7 => 8,
        <= 15 => 16,
        <= 31 => 32,
        <= 127 => 64,
        _ => 128,
    };

    /// <summary>Forgets every edge seen, for the next target.</summary>
    public void Reset()
    {
        Array.Clear(_seen);
        new Span<byte>(_map, Size).Clear();
        Edges = 0;
        SharpFuzz.Common.Trace.PrevLocation = 0;
    }
}
