using Gregor.Cli.Commands.Perf;

namespace Gregor.Cli.Tests.Perf;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void PercentilesOfOneToTenThousandMicrosecondsAreWithinATenthOfAPercent()
    {
        var histogram = new LatencyHistogram();
        for (long us = 1; us <= 10_000; us++) histogram.Record(us);

        Assert.Equal(10_000, histogram.Count);
        Assert.Equal(5.0005, histogram.AverageMs, 4);
        Assert.Equal(10.0, histogram.MaxMs);
        Assert.InRange(histogram.PercentileMs(50), 4.995, 5.005);
        Assert.InRange(histogram.PercentileMs(95), 9.49, 9.51);
        Assert.InRange(histogram.PercentileMs(99), 9.89, 9.91);
        Assert.InRange(histogram.PercentileMs(99.9), 9.98, 10.0);
    }

    [Fact]
    public void SmallValuesAreExactAndHugeOnesAreClampedNotLost()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(0);
        histogram.Record(-5);
        histogram.Record(1500);
        histogram.Record(long.MaxValue / 2);

        Assert.Equal(4, histogram.Count);
        Assert.Equal(0, histogram.PercentileMs(50));
        Assert.Equal(1.5, histogram.PercentileMs(75));
        Assert.Equal(long.MaxValue / 2 / 1000.0, histogram.MaxMs);
    }

    [Fact]
    public void AnEmptyHistogramReportsZeros()
    {
        var histogram = new LatencyHistogram();

        Assert.Equal(0, histogram.PercentileMs(99));
        Assert.Equal(0, histogram.AverageMs);
    }
}
