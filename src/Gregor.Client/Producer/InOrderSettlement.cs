namespace Gregor.Client.Producer;

/// <summary>
/// Settles the Produce requests sent to one broker in the order they were sent, whatever order their answers
/// resume in (each awaiting sender continues on its own thread-pool item). The broker answers a connection's
/// requests in order, so this keeps Kafka's promise that one partition's delivery callbacks run in order.
/// </summary>
internal sealed class InOrderSettlement(Action<Exception> onError)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, Action> _waiting = [];
    private long _issued;
    private long _next;
    private bool _running;

    /// <summary>The ticket of the next request sent; take it in send order.</summary>
    public long Issue()
    {
        lock (_lock) return _issued++;
    }

    /// <summary>
    /// Runs <paramref name="settle"/> once every earlier ticket's has run: here, or on the thread that settles
    /// the ticket before it. An exception it throws goes to the error handler; the later tickets still run.
    /// </summary>
    public void Complete(long ticket, Action settle)
    {
        lock (_lock)
        {
            _waiting.Add(ticket, settle);
            if (_running) return;
            _running = true;
        }
        while (true)
        {
            Action? next;
            lock (_lock)
            {
                if (!_waiting.Remove(_next, out next))
                {
                    _running = false;
                    return;
                }
                _next++;
            }
            try
            {
                next();
            }
            catch (Exception e)
            {
                // Never let one settlement stop the line: every later request of the broker waits behind it.
                try
                {
                    onError(e);
                }
                catch (Exception)
                {
                }
            }
        }
    }
}
