namespace Mnemo.SelfConditioned;

/// <summary>
/// A <see cref="Random"/> whose whole state (four 64-bit words) can be saved in a checkpoint and restored, so that a
/// resumed run draws exactly the numbers an uninterrupted one would. The generator is xoshiro256** (Blackman &amp;
/// Vigna 2018, the algorithm behind .NET's own unseeded Random), seeded by SplitMix64 as its authors recommend;
/// bounded integers use rejection sampling (no modulo bias), doubles the top 53 bits.
/// </summary>
public sealed class CheckpointableRandom : Random
{
    ulong _s0, _s1, _s2, _s3;

    public CheckpointableRandom(int seed)
    {
        ulong x = (ulong)(uint)seed;
        _s0 = SplitMix64(ref x); _s1 = SplitMix64(ref x); _s2 = SplitMix64(ref x); _s3 = SplitMix64(ref x);
    }

    /// <summary>The generator's state, to store in a checkpoint.</summary>
    public long[] State => new[] { (long)_s0, (long)_s1, (long)_s2, (long)_s3 };

    /// <summary>Continues from a state taken with <see cref="State"/>. Throws <see cref="ArgumentException"/> unless it
    /// is four words, not all zero (xoshiro's one forbidden state).</summary>
    public void Restore(long[] state)
    {
        if (state.Length != 4 || state.All(w => w == 0)) throw new ArgumentException("a xoshiro256** state is four words, not all zero", nameof(state));
        (_s0, _s1, _s2, _s3) = ((ulong)state[0], (ulong)state[1], (ulong)state[2], (ulong)state[3]);
    }

    static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, bound) for bound ≥ 1, by rejection of the top partial range.</summary>
    ulong Below(ulong bound)
    {
        ulong limit = ulong.MaxValue - ulong.MaxValue % bound;
        ulong r;
        do r = NextUInt64(); while (r >= limit);
        return r % bound;
    }

    public override int Next() => (int)Below(int.MaxValue);
    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return maxValue <= 1 ? 0 : (int)Below((ulong)maxValue);
    }
    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        ulong range = (ulong)((long)maxValue - minValue);
        return range <= 1 ? minValue : (int)(minValue + (long)Below(range));
    }
    public override long NextInt64() => (long)Below(long.MaxValue);
    public override long NextInt64(long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return maxValue <= 1 ? 0 : (long)Below((ulong)maxValue);
    }
    public override long NextInt64(long minValue, long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        ulong range = (ulong)maxValue - (ulong)minValue;
        return range <= 1 ? minValue : (long)((ulong)minValue + Below(range));
    }
    public override double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));
    public override float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1U << 24));
    protected override double Sample() => NextDouble();
    public override void NextBytes(byte[] buffer) => NextBytes(buffer.AsSpan());
    public override void NextBytes(Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i += 8)
        {
            ulong r = NextUInt64();
            for (int j = 0; j < 8 && i + j < buffer.Length; j++) buffer[i + j] = (byte)(r >> (8 * j));
        }
    }
}
