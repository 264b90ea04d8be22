using System.Buffers.Binary;

namespace Gregor.Client.Network;

public sealed partial class KafkaConnection
{
    /// <summary>Reads response frames until the connection closes, handing each to the request with its correlation id.</summary>
    private async Task ReadLoopAsync()
    {
        byte[] prefix = new byte[4];
        try
        {
            while (true)
            {
                if (!await ReadExactlyAsync(prefix)) break;
                int size = BinaryPrimitives.ReadInt32BigEndian(prefix);
                if (size < 4 || size > _options.MaxResponseBytes)
                {
                    Fail(new KafkaConnectionException(Address,
                        $"The broker at {Address} sent a response frame of {size} bytes (the limit is {_options.MaxResponseBytes}); the connection was closed."));
                    return;
                }
                byte[] frame = new byte[size];
                if (!await ReadExactlyAsync(frame)) break;
                int correlationId = BinaryPrimitives.ReadInt32BigEndian(frame);
                if (!_pending.TryRemove(correlationId, out var pending))
                {
                    Fail(new KafkaConnectionException(Address,
                        $"The broker at {Address} answered correlation id {correlationId}, which no request carried; the connection was closed."));
                    return;
                }
                pending.Complete(frame);
            }
            Fail(new KafkaConnectionException(Address, $"The broker at {Address} closed the connection."));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            Fail(new KafkaConnectionException(Address, $"The connection to the broker at {Address} broke: {e.Message.TrimEnd('.')}.", e));
        }
    }

    /// <summary>Fills the buffer; false when the peer closed the stream first.</summary>
    private async Task<bool> ReadExactlyAsync(byte[] buffer)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await _stream.ReadAsync(buffer.AsMemory(read), _closing.Token);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }
}
