using System.Buffers.Binary;

namespace Hxi.Fuzz;

/// <summary>
/// Deterministic mutations of corpus entries: bit flips, byte changes, inserts, deletes, duplicated runs, splices
/// of two entries, and "interesting" integers (varint and HPACK prefix extremes, 32-bit limits) at any position.
/// </summary>
/// <remarks>The same seed and corpus give the same inputs on every machine, so a smoke run's crash replays.</remarks>
public sealed class Mutator(int seed, int maxLength = 4096)
{
    private readonly Random _random = new(seed);

    /// <summary>Values that break length and count fields: QUIC varints at each size boundary, HPACK/QPACK prefix overflows, int limits.</summary>
    private static readonly byte[][] Interesting =
    [
        [0x00], [0x01], [0x3f], [0x40], [0x7f], [0x80], [0xfe], [0xff],
        [0x7f, 0xff], [0xbf, 0xff, 0xff, 0xff], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0xc0, 0, 0, 0, 0x40, 0, 0, 0],
        [0x40, 0x00], [0x80, 0x00, 0x40, 0x00], [0xff, 0xff, 0xff, 0xff, 0x0f], [0xff, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
        [0x7f, 0xff, 0xff, 0xff], [0x80, 0x00, 0x00, 0x00], [0x00, 0x00, 0x40, 0x00], [0x00, 0xff, 0xff, 0xff], [0x01, 0x00, 0x00, 0x00],
    ];

    public byte[] Mutate(IReadOnlyList<byte[]> corpus)
    {
        var input = new List<byte>(corpus[_random.Next(corpus.Count)]);
        int rounds = 1 + _random.Next(_random.Next(2) == 0 ? 2 : 8);
        for (int round = 0; round < rounds; round++)
        {
            Apply(input, corpus);
        }

        if (input.Count > maxLength)
        {
            input.RemoveRange(maxLength, input.Count - maxLength);
        }

        return [.. input];
    }

    private void Apply(List<byte> input, IReadOnlyList<byte[]> corpus)
    {
        int position = input.Count == 0 ? 0 : _random.Next(input.Count);
        switch (_random.Next(11))
        {
            case 0 when input.Count > 0:
                input[position] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when input.Count > 0:
                input[position] = (byte)_random.Next(256);
                break;
            case 2 when input.Count > 0:
                input[position] = (byte)(input[position] + _random.Next(-8, 9));
                break;
            case 3:
                input.InsertRange(position, Enumerable.Range(0, 1 + _random.Next(8)).Select(_ => (byte)_random.Next(256)));
                break;
            case 4 when input.Count > 0:
                input.RemoveRange(position, Math.Min(input.Count - position, 1 + _random.Next(16)));
                break;
            case 5 when input.Count > 0:
                int length = Math.Min(input.Count - position, 1 + _random.Next(64));
                input.InsertRange(_random.Next(input.Count), input.GetRange(position, length));
                break;
            case 6:
                var other = corpus[_random.Next(corpus.Count)];
                int from = other.Length == 0 ? 0 : _random.Next(other.Length);
                var tail = other.AsSpan(from, Math.Min(other.Length - from, 1 + _random.Next(256))).ToArray();
                input.RemoveRange(position, _random.Next(2) == 0 ? input.Count - position : 0);
                input.InsertRange(Math.Min(position, input.Count), tail);
                break;
            case 7 or 8:
                var value = Interesting[_random.Next(Interesting.Length)];
                for (int i = 0; i < value.Length; i++)
                {
                    if (position + i < input.Count && _random.Next(4) != 0)
                    {
                        input[position + i] = value[i];
                    }
                    else
                    {
                        input.Insert(Math.Min(position + i, input.Count), value[i]);
                    }
                }

                break;
            case 9 when input.Count >= 4:
                // A big-endian 16- or 32-bit field nudged: lengths off by a little.
                int at = _random.Next(input.Count - 3);
                Span<byte> field = stackalloc byte[4];
                for (int i = 0; i < 4; i++)
                {
                    field[i] = input[at + i];
                }

                uint nudged = (uint)(BinaryPrimitives.ReadUInt32BigEndian(field) + _random.Next(-4, 5));
                BinaryPrimitives.WriteUInt32BigEndian(field, nudged);
                for (int i = 0; i < 4; i++)
                {
                    input[at + i] = field[i];
                }

                break;
            case 10 when input.Count > 1:
                input.RemoveRange(position, input.Count - position);
                break;
            default:
                input.Add((byte)_random.Next(256));
                break;
        }
    }
}
