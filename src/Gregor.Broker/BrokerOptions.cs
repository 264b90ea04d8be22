using Microsoft.Extensions.Logging;

namespace Gregor.Broker;

/// <summary>How to start a broker: where it listens, where it keeps data, and Kafka-named settings.</summary>
public sealed class BrokerOptions
{
    /// <summary>Address to bind; tests use 127.0.0.1.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (read it back from <see cref="KafkaBroker.Port"/>).</summary>
    public int Port { get; set; } = 9092;

    /// <summary>Root directory of partition logs and broker metadata.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Broker settings under Kafka's names (<c>num.partitions</c>, <c>log.retention.hours</c>, ...).</summary>
    public Dictionary<string, string> Settings { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The group coordinator's clock (session and rebalance timers, commit times, offset expiry);
    /// tests substitute one they can move forward.
    /// </summary>
    public TimeProvider GroupClock { get; set; } = TimeProvider.System;

    /// <summary>Where the broker logs; nothing is logged when null.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
