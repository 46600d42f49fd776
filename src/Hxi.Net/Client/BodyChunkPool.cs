using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics;

namespace Hxi.Net.Client;

/// <summary>
/// Arrays that carry body bytes from a connection's protocol thread to its delivery task: HTTP/2 DATA copied there,
/// HTTP/3 DATA copied by the core (<see cref="Hxi.Protocols.Http3.Http3ConnectionOptions.DataBufferPool"/>).
/// </summary>
/// <remarks>
/// Rented on one thread, returned on the other, and in flight by the hundred when the reader runs ahead of the
/// consumer, these arrays overflow <see cref="ArrayPool{T}.Shared"/>'s per-thread and per-core caches; every miss was
/// a fresh array and, a 100 MB download later, a heap grown to the GC's whole gen0 budget (45 MB peak RSS where 30
/// would do). This pool keeps, per power-of-two size from 2 KB to 64 KB, what was in flight at once, up to 4 MB a
/// size: a steady download allocates nothing. It takes back any array of exactly one of its sizes, whoever made it:
/// what comes back is owned by no one else.
/// </remarks>
internal sealed class BodyChunkPool : ArrayPool<byte>
{
    private const int SmallestShift = 11;
    private const int Sizes = 6;
    private const int KeptBytesPerSize = 4 * 1024 * 1024;

    private readonly ConcurrentQueue<byte[]>[] _free = [.. Enumerable.Range(0, Sizes).Select(_ => new ConcurrentQueue<byte[]>())];
    private readonly int[] _kept = new int[Sizes];

    public override byte[] Rent(int minimumLength)
    {
        var size = SizeFor(minimumLength);
        if (size < 0)
        {
            return GC.AllocateUninitializedArray<byte>(minimumLength);
        }

        if (_free[size].TryDequeue(out var array))
        {
            Interlocked.Decrement(ref _kept[size]);
            return array;
        }

        // Every byte is written before it is read (a copy), so the GC need not zero it.
        return GC.AllocateUninitializedArray<byte>(1 << (size + SmallestShift));
    }

    public override void Return(byte[] array, bool clearArray = false)
    {
        var size = SizeFor(array.Length);
        if (size < 0 || array.Length != 1 << (size + SmallestShift))
        {
            return;
        }

        if (Interlocked.Increment(ref _kept[size]) > KeptBytesPerSize >> (size + SmallestShift))
        {
            Interlocked.Decrement(ref _kept[size]);
            return;
        }

        if (clearArray)
        {
            Array.Clear(array);
        }

        _free[size].Enqueue(array);
    }

    /// <summary>The index of the smallest size that holds <paramref name="length"/> bytes; -1 above the largest.</summary>
    private static int SizeFor(int length)
    {
        if (length <= 1 << SmallestShift)
        {
            return 0;
        }

        var size = BitOperations.Log2((uint)length - 1) + 1 - SmallestShift;
        return size < Sizes ? size : -1;
    }
}
