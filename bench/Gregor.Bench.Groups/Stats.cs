namespace Gregor.Bench.Groups;

internal static class Stats
{
    /// <summary>The median; the mean of the two middle values for an even count.</summary>
    public static double Median(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("No values.", nameof(values));
        double[] sorted = [.. values.Order()];
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1) by the nearest-rank method.</summary>
    public static double Quantile(double[] sorted, double q)
    {
        if (sorted.Length == 0) throw new ArgumentException("No values.", nameof(sorted));
        int rank = (int)Math.Ceiling(q * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
