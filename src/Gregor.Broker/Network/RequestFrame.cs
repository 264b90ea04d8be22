using System.Buffers;

namespace Gregor.Broker.Network;

/// <summary>
/// One request's bytes (after the 4-byte size), copied out of the socket buffer into a pooled array
/// so handlers may keep slices of it (produce records) until the request is answered.
/// </summary>
public sealed class RequestFrame : IDisposable
{
    private byte[]? _buffer;

    public RequestFrame(int length)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(length);
        Length = length;
    }

    public int Length { get; }

    public Memory<byte> Memory => (_buffer ?? throw new ObjectDisposedException(nameof(RequestFrame))).AsMemory(0, Length);

    public void Dispose()
    {
        byte[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
    }
}
