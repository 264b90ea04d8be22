using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Channels;
using Gregor.Protocol;
using Microsoft.Extensions.Logging;

namespace Gregor.Broker.Network;

/// <summary>
/// One client connection: a read loop that cuts frames (size-capped before any allocation) and hands
/// them to the dispatcher, and a write loop that sends responses strictly in request order while
/// later requests are already being handled (pipelining).
/// </summary>
internal sealed class Connection
{
    private readonly Socket _socket;
    private readonly IRequestDispatcher _dispatcher;
    private readonly FrameLimits _limits;
    private readonly ILogger _logger;
    private readonly ConnectionInfo _info;
    private readonly Channel<PendingResponse> _pending;
    private readonly CancellationTokenSource _stopReading = new();

    public Connection(Socket socket, long id, IRequestDispatcher dispatcher, FrameLimits limits, ILogger logger)
    {
        _socket = socket;
        _dispatcher = dispatcher;
        _limits = limits;
        _logger = logger;
        _info = new ConnectionInfo(id, socket.RemoteEndPoint?.ToString() ?? "unknown");
        _pending = Channel.CreateBounded<PendingResponse>(new BoundedChannelOptions(limits.MaxQueuedRequestsPerConnection)
        {
            SingleReader = true,
            SingleWriter = true,
        });
    }

    public ConnectionInfo Info => _info;

    /// <summary>Stops reading new requests; responses already queued are still sent.</summary>
    public void StopReading() => _stopReading.Cancel();

    /// <summary>Runs until the peer closes, a frame breaks the rules, or <see cref="StopReading"/>.</summary>
    public async Task RunAsync()
    {
        var stream = new NetworkStream(_socket, ownsSocket: true);
        PipeReader reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024));
        PipeWriter writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024));
        Task writing = WriteLoopAsync(writer);
        try
        {
            await ReadLoopAsync(reader);
        }
        catch (OperationCanceledException) when (_stopReading.IsCancellationRequested)
        {
        }
        catch (FrameRejectedException e)
        {
            _logger.LogWarning("Closing connection {Id} from {Remote}: {Reason}", _info.Id, _info.RemoteAddress, e.Message);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            _logger.LogDebug("Connection {Id} from {Remote} ended: {Reason}", _info.Id, _info.RemoteAddress, e.Message);
        }
        finally
        {
            _pending.Writer.TryComplete();
        }
        await writing;
        await reader.CompleteAsync();
        await writer.CompleteAsync();
        stream.Dispose();
    }

    private async Task ReadLoopAsync(PipeReader reader)
    {
        while (true)
        {
            ReadResult result = await reader.ReadAsync(_stopReading.Token);
            ReadOnlySequence<byte> buffer = result.Buffer;
            while (TryCutFrame(ref buffer, out RequestFrame? frame))
            {
                if (!await DispatchAsync(frame)) return;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || result.IsCanceled) return;
        }
    }

    /// <summary>Cuts one whole frame off the front of <paramref name="buffer"/>, if one is there.</summary>
    /// <exception cref="InvalidDataException">The size prefix breaks the limits; the connection is closed.</exception>
    private bool TryCutFrame(ref ReadOnlySequence<byte> buffer, out RequestFrame frame)
    {
        frame = null!;
        if (buffer.Length < 4) return false;
        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        int size = BinaryPrimitives.ReadInt32BigEndian(prefix);
        if (size < FrameLimits.MinRequestBytes || size > _limits.MaxRequestBytes)
            throw new FrameRejectedException(size < FrameLimits.MinRequestBytes
                ? $"request size {size} is below the minimum of {FrameLimits.MinRequestBytes} bytes"
                : $"request size {size} exceeds socket.request.max.bytes ({_limits.MaxRequestBytes})");
        if (buffer.Length < 4 + (long)size) return false;
        frame = new RequestFrame(size);
        buffer.Slice(4, size).CopyTo(frame.Memory.Span);
        buffer = buffer.Slice(4 + size);
        return true;
    }

    private async ValueTask<bool> DispatchAsync(RequestFrame frame)
    {
        ValueTask<ResponseFrame?> response;
        try
        {
            response = _dispatcher.DispatchAsync(frame, _info);
        }
        catch (KafkaProtocolException e)
        {
            _logger.LogWarning("Closing connection {Id} from {Remote}: malformed request: {Reason}", _info.Id, _info.RemoteAddress, e.Message);
            frame.Dispose();
            return false;
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Closing connection {Id} from {Remote}: the request could not be handled", _info.Id, _info.RemoteAddress);
            frame.Dispose();
            return false;
        }
        await _pending.Writer.WriteAsync(new PendingResponse(frame, response));
        return true;
    }

    private async Task WriteLoopAsync(PipeWriter writer)
    {
        try
        {
            await foreach (PendingResponse pending in _pending.Reader.ReadAllAsync())
            {
                ResponseFrame? response = await AwaitResponseAsync(pending);
                if (response is null) continue;
                using (response) writer.Write(response.Bytes.Span);
                // Flush once per burst: answers that are already done go out in the same write.
                if (!_pending.Reader.TryPeek(out PendingResponse next) || !next.Response.IsCompleted)
                {
                    FlushResult flushed = await writer.FlushAsync();
                    if (flushed.IsCompleted) break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            _logger.LogDebug("Connection {Id}: sending failed: {Reason}", _info.Id, e.Message);
        }
        finally
        {
            StopReading();
            // Whatever is still queued must release its request buffer.
            while (_pending.Reader.TryRead(out PendingResponse left))
                (await AwaitResponseAsync(left))?.Dispose();
        }
    }

    private async ValueTask<ResponseFrame?> AwaitResponseAsync(PendingResponse pending)
    {
        try
        {
            return await pending.Response;
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Connection {Id}: a request failed unexpectedly; closing the connection", _info.Id);
            StopReading();
            _socket.Close();
            return null;
        }
        finally
        {
            pending.Frame.Dispose();
        }
    }

    private readonly record struct PendingResponse(RequestFrame Frame, ValueTask<ResponseFrame?> Response);
}

/// <summary>A frame that breaks the connection's hard limits; the connection is dropped.</summary>
internal sealed class FrameRejectedException(string message) : Exception(message);
