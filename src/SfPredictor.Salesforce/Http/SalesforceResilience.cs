using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using SfPredictor.Salesforce.Telemetry;

namespace SfPredictor.Salesforce.Http;

/// <summary>
/// The resilience handler of the Salesforce HttpClients, outermost first: a total timeout, a retry with
/// jittered exponential backoff (or the server's Retry-After), a circuit breaker, and a per-attempt timeout.
/// </summary>
/// <remarks>
/// Transient: 5xx, 429, timeouts and connection failures; every other 4xx is an answer and is not retried.
/// A write that is not safe to send twice (creating a Bulk job, uploading its data, changing its state) is
/// retried only when Salesforce cannot have acted on it: a 429, or a connection that was never made. Reads
/// and sObject Collections updates (the same values written again change nothing) are retried on every
/// transient outcome.
/// </remarks>
internal static class SalesforceResilience
{
    /// <summary>The name of the call, for logs: method and path, never the query string.</summary>
    public static readonly HttpRequestOptionsKey<string> CallKey = new("sfpredictor.salesforce.call");

    /// <summary>Set on requests that must not reach Salesforce twice.</summary>
    public static readonly HttpRequestOptionsKey<bool> NotRepeatableKey = new("sfpredictor.salesforce.not-repeatable");

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    // A server that asks for a longer pause than this is reported rather than waited for.
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(2);

    /// <summary>Adds the resilience handler named <paramref name="name"/> (one circuit per name and service provider).</summary>
    public static IHttpClientBuilder AddSalesforceResilience(this IHttpClientBuilder builder, string name)
    {
        builder.AddResilienceHandler(name, static (pipeline, context) =>
        {
            var services = context.ServiceProvider;
            var options = services.GetRequiredService<IOptions<SalesforceOptions>>().Value;
            var time = services.GetRequiredService<TimeProvider>();
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<SalesforceClient>();
            pipeline.TimeProvider = time;
            pipeline.AddTimeout(options.TotalRequestTimeout);
            if (options.MaxRetries > 0)
            {
                pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    MaxRetryAttempts = options.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.RetryBaseDelay,
                    MaxDelay = MaxBackoff,
                    ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context.GetRequestMessage(), time)),
                    DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? RetryAfter(response, time) : null),
                    OnRetry = args =>
                    {
                        var call = args.Context.GetRequestMessage() is { } request && request.Options.TryGetValue(CallKey, out var name) ? name : "Salesforce call";
                        var reason = args.Outcome.Exception?.GetType().Name ?? $"HTTP {(int)args.Outcome.Result!.StatusCode}";
                        Log.Retrying(logger, call, args.AttemptNumber + 1, reason, (long)args.RetryDelay.TotalMilliseconds);
                        return default;
                    },
                });
            }

            pipeline.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = 0.5,
                MinimumThroughput = options.CircuitBreakerMinimumThroughput,
                SamplingDuration = TimeSpan.FromSeconds(60),
                BreakDuration = options.CircuitBreakDuration,
                ShouldHandle = args => ValueTask.FromResult(IsServerFailure(args.Outcome)),
            });
            pipeline.AddTimeout(options.RequestTimeout);
        });
        return builder;
    }

    /// <summary>Whether an outcome may be retried, given whether the request may reach Salesforce twice.</summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request, TimeProvider time)
    {
        var repeatable = request is null || !request.Options.TryGetValue(NotRepeatableKey, out var notRepeatable) || !notRepeatable;
        return outcome switch
        {
            // Nothing was sent: safe for every request.
            { Exception: HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } } => true,
            { Exception: HttpRequestException or TimeoutRejectedException } => repeatable,
            { Exception: not null } => false,
            { Result: { StatusCode: HttpStatusCode.TooManyRequests } response } => RetryAfter(response, time) is not { } wait || wait <= MaxRetryAfter,
            { Result: { } response } when (int)response.StatusCode >= 500 => repeatable && (RetryAfter(response, time) is not { } wait || wait <= MaxRetryAfter),
            _ => false,
        };
    }

    private static bool IsServerFailure(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500,
        _ => false,
    };

    // Salesforce and the proxies in front of it may say when to come back (seconds or a date).
    internal static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : null);
        return wait is { } w && w > TimeSpan.Zero ? w : null;
    }
}
