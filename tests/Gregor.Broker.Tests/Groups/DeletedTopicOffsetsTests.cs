using System.Text.Json.Nodes;
using Gregor.Broker.Tests.Support;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Tests.Groups;

/// <summary>
/// Deleting a topic removes every group's committed offsets of it, as in Kafka, so a topic created again
/// under the same name does not start its consumers at offsets of the old one.
/// </summary>
public sealed class DeletedTopicOffsetsTests
{
    [Fact]
    public async Task Deleting_a_topic_drops_its_committed_offsets_and_only_those_also_after_a_restart()
    {
        string dataDirectory = Path.Combine(Path.GetTempPath(), "gregor-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var broker = await InProcessBroker.StartAsync(JoinAndSyncTests.FastGroups, dataDirectory))
            await using (var client = await RawClient.ConnectAsync(broker.Port))
            {
                await client.CreateTopicAsync("doomed", 2);
                await client.CreateTopicAsync("kept", 1);
                await client.CommitAsync("g", "doomed", 0, 40);
                await client.CommitAsync("g", "doomed", 1, 41);
                await client.CommitAsync("g", "kept", 0, 7);
                await client.CommitAsync("other", "doomed", 1, 9);

                Assert.Equal(ErrorCode.None, await DeleteTopicAsync(client, "doomed"));
                await client.CreateTopicAsync("doomed", 2);

                Assert.Equal(-1, await client.CommittedAsync("g", "doomed", 0));
                Assert.Equal(-1, await client.CommittedAsync("g", "doomed", 1));
                Assert.Equal(-1, await client.CommittedAsync("other", "doomed", 1));
                Assert.Equal(7, await client.CommittedAsync("g", "kept", 0));
            }

            // The tombstones are in __consumer_offsets: the old offsets do not come back with the replay.
            await using (var broker = await InProcessBroker.StartAsync(JoinAndSyncTests.FastGroups, dataDirectory))
            await using (var client = await RawClient.ConnectAsync(broker.Port))
            {
                Assert.Equal(-1, await client.CommittedAsync("g", "doomed", 0));
                Assert.Equal(-1, await client.CommittedAsync("other", "doomed", 1));
                Assert.Equal(7, await client.CommittedAsync("g", "kept", 0));
            }
        }
        finally
        {
            if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Offsets_of_a_topic_that_vanished_while_the_broker_was_down_are_dropped_at_start()
    {
        // As after a crash between deleting the topic and writing its offsets' tombstones.
        string dataDirectory = Path.Combine(Path.GetTempPath(), "gregor-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var broker = await InProcessBroker.StartAsync(JoinAndSyncTests.FastGroups, dataDirectory))
            await using (var client = await RawClient.ConnectAsync(broker.Port))
            {
                await client.CreateTopicAsync("vanishing", 1);
                await client.CreateTopicAsync("kept", 1);
                await client.CommitAsync("g", "vanishing", 0, 40);
                await client.CommitAsync("g", "kept", 0, 7);
            }
            string topicsFile = Path.Combine(dataDirectory, "topics.json");
            var document = JsonNode.Parse(await File.ReadAllTextAsync(topicsFile))!;
            var topics = document["topics"]!.AsArray();
            topics.Remove(topics.Single(t => (string?)t!["name"] == "vanishing"));
            await File.WriteAllTextAsync(topicsFile, document.ToJsonString());

            await using (var broker = await InProcessBroker.StartAsync(JoinAndSyncTests.FastGroups, dataDirectory))
            await using (var client = await RawClient.ConnectAsync(broker.Port))
            {
                await client.CreateTopicAsync("vanishing", 1);
                Assert.Equal(-1, await client.CommittedAsync("g", "vanishing", 0));
                Assert.Equal(7, await client.CommittedAsync("g", "kept", 0));
            }
        }
        finally
        {
            if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task<ErrorCode> DeleteTopicAsync(RawClient client, string topic)
    {
        var request = new DeleteTopicsRequest { TopicNames = [topic], TimeoutMs = 10_000 };
        DeleteTopicsResponse response = await client.SendAsync(ApiKey.DeleteTopics, 4, request.Write, DeleteTopicsResponse.Read);
        return (ErrorCode)response.Responses.Single().ErrorCode;
    }
}
