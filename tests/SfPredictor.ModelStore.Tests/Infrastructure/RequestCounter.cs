using System.Collections.Concurrent;

namespace SfPredictor.ModelStore.Tests.Infrastructure;

/// <summary>Passes requests through unchanged and remembers each one, to assert how many were sent.</summary>
public sealed class RequestCounter : DelegatingHandler
{
    private readonly ConcurrentQueue<HttpRequestMessage> _requests = new();

    public int Count(Func<HttpRequestMessage, bool> predicate) => _requests.Count(predicate);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _requests.Enqueue(request);
        return base.SendAsync(request, cancellationToken);
    }
}
