using Gregor.Broker.Tests.Support;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Tests.Idempotence;

/// <summary>InitProducerId: fresh ids with epoch 0, never reused across restarts; transactional ids refused clearly.</summary>
public sealed class InitProducerIdTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "gregor-pid-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Every_version_hands_out_a_fresh_id_with_epoch_0_and_ApiVersions_advertises_0_to_5()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        var ids = new List<long>();
        for (short version = 0; version <= 5; version++)
        {
            InitProducerIdResponse answer = await client.InitProducerIdAsync(version: version);
            Assert.Equal((short)ErrorCode.None, answer.ErrorCode);
            Assert.Equal((short)0, answer.ProducerEpoch);
            ids.Add(answer.ProducerId);
        }
        Assert.Equal(6, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(id >= 0));

        ApiVersionsResponse versions = await client.SendAsync(ApiKey.ApiVersions, 3, new ApiVersionsRequest { ClientSoftwareName = "t", ClientSoftwareVersion = "1" }.Write, ApiVersionsResponse.Read);
        ApiVersionsResponse.ApiVersion initProducerId = versions.ApiKeys.Single(k => k.ApiKey == (short)ApiKey.InitProducerId);
        Assert.Equal((0, 5), (initProducerId.MinVersion, initProducerId.MaxVersion));
    }

    [Fact]
    public async Task Ids_are_never_handed_out_twice_across_restarts()
    {
        var seen = new HashSet<long>();
        for (int run = 0; run < 3; run++)
        {
            await using var broker = await InProcessBroker.StartAsync(dataDirectory: _dataDirectory);
            await using var client = await RawClient.ConnectAsync(broker.Port);
            for (int i = 0; i < 3; i++)
            {
                long id = (await client.InitProducerIdAsync()).ProducerId;
                Assert.True(seen.Add(id), $"producer id {id} was handed out twice (run {run})");
            }
        }
        Assert.True(File.Exists(Path.Combine(_dataDirectory, "producer-ids")));
    }

    [Fact]
    public async Task A_transactional_id_gets_a_clear_error_and_the_connection_stays_usable()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);

        InitProducerIdResponse transactional = await client.InitProducerIdAsync("my-transactions");
        Assert.Equal((short)ErrorCode.TransactionalIdAuthorizationFailed, transactional.ErrorCode);
        Assert.Equal(-1, transactional.ProducerId);

        InitProducerIdResponse empty = await client.InitProducerIdAsync("");
        Assert.Equal((short)ErrorCode.InvalidRequest, empty.ErrorCode);

        Assert.Equal((short)ErrorCode.None, (await client.InitProducerIdAsync()).ErrorCode);
    }
}
