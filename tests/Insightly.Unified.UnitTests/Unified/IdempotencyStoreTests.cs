using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using Insightly.Unified.Configuration;
using Insightly.Unified.Errors;
using Insightly.Unified.Unified.Idempotency;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;

namespace Insightly.Unified.UnitTests.Unified;

/// <summary>
/// What a write leaves its <c>Idempotency-Key</c> with: once a write call was sent to Insightly, the key is never
/// given back — it keeps the final answer or "outcome unknown", and a repeat never writes a second time.
/// </summary>
public sealed class IdempotencyStoreTests
{
    private const string Account = "ia-aaaaaaaaaaaaaaaaaaaaaaaa";
    private const string Fingerprint = "fingerprint";
    private const long RecordId = 4242;

    private readonly FakeTimeProvider time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly InMemoryTable table = new();
    private readonly IdempotencyStore store;
    private int runs;

    public IdempotencyStoreTests() =>
        store = new IdempotencyStore(table.Client, Options.Create(new UnifiedOptions()), time, NullLogger<IdempotencyStore>.Instance);

    public static TheoryData<string> UncertainFailures => ["connection lost after sending", "timeout", "caller hung up", "5xx", "broken answer"];

    /// <summary>The record's own POST was sent, then no answer came back that says what happened.</summary>
    [Theory]
    [MemberData(nameof(UncertainFailures))]
    public async Task A_write_that_may_have_reached_Insightly_keeps_its_key_as_outcome_unknown(string failure)
    {
        await Assert.ThrowsAnyAsync<Exception>(() => RunAsync(attempt =>
        {
            attempt.Sending();
            throw Failure(failure);
        }));

        var repeat = await Assert.ThrowsAsync<ApiException>(() => RunAsync(_ => Task.FromResult(Answer)));
        AssertOutcomeUnknown(repeat, recordId: null);
        Assert.Equal(1, runs);
    }

    /// <summary>The record was saved, then its stage or state change was throttled or failed: the record exists.</summary>
    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task A_follow_up_call_that_fails_after_the_record_was_saved_keeps_the_key_with_the_record_id(int status)
    {
        await Assert.ThrowsAsync<ApiException>(() => RunAsync(attempt =>
        {
            attempt.Sending();
            attempt.Succeeded(RecordId);
            attempt.Sending(RecordId);
            throw new ApiException(status, status == 429 ? ErrorCodes.RateLimited : ErrorCodes.UpstreamUnavailable, "The stage was not changed.");
        }));

        var repeat = await Assert.ThrowsAsync<ApiException>(() => RunAsync(_ => Task.FromResult(Answer)));
        AssertOutcomeUnknown(repeat, RecordId);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task A_follow_up_call_Insightly_refuses_for_good_is_the_answer_replayed()
    {
        var refused = new ApiException(422, ErrorCodes.RemoteValidationError, "The opportunity 4242 was saved; its stage was not changed.")
        {
            Remote = new RemoteFailure(400, null),
        };
        await Assert.ThrowsAsync<ApiException>(() => RunAsync(attempt =>
        {
            attempt.Sending();
            attempt.Succeeded(RecordId);
            throw refused;
        }));

        var replay = await RunAsync(_ => Task.FromResult(Answer));
        Assert.True(replay.Replayed);
        Assert.Equal(422, replay.Status);
        Assert.Equal("remote_validation_error", JsonNode.Parse(replay.Body)!["error"]!.GetValue<string>());
        Assert.Equal(1, runs);
    }

    public static TheoryData<string> RefusalsBeforeActing =>
        ["not sent", "Insightly 400", "Insightly 429", "rate limit", "open circuit", "no connection", "flagged account"];

    [Theory]
    [MemberData(nameof(RefusalsBeforeActing))]
    public async Task A_write_refused_before_Insightly_acted_releases_the_key(string refusal)
    {
        await Assert.ThrowsAnyAsync<Exception>(() => RunAsync(attempt =>
        {
            if (refusal != "not sent")
            {
                attempt.Sending();
            }

            throw Refusal(refusal);
        }));

        var retried = await RunAsync(_ => Task.FromResult(Answer));
        Assert.False(retried.Replayed);
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task An_answer_too_large_to_store_is_given_to_the_caller_and_keeps_the_key_as_outcome_unknown()
    {
        var large = new byte[16 * 60 * 1024];
        var first = await RunAsync(attempt =>
        {
            attempt.Sending();
            attempt.Succeeded(RecordId);
            return Task.FromResult(large);
        });

        Assert.Equal(large.Length, first.Body.Length);
        AssertOutcomeUnknown(await Assert.ThrowsAsync<ApiException>(() => RunAsync(_ => Task.FromResult(Answer))), RecordId);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task When_storing_the_answer_fails_the_caller_still_gets_it_and_the_key_never_runs_again()
    {
        var first = await RunAsync(attempt =>
        {
            attempt.Sending();
            attempt.Succeeded(RecordId);
            table.FailWrites = true;
            return Task.FromResult(Answer);
        });
        table.FailWrites = false;

        Assert.Equal(Answer, first.Body);
        var soon = await Assert.ThrowsAsync<ApiException>(() => RunAsync(_ => Task.FromResult(Answer)));
        Assert.Contains("still being processed", soon.Message);
        time.Advance(IdempotencyStore.AbandonedAfter);
        AssertOutcomeUnknown(await Assert.ThrowsAsync<ApiException>(() => RunAsync(_ => Task.FromResult(Answer))), recordId: null);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task A_first_run_abandoned_for_five_minutes_is_outcome_unknown_and_never_runs_again()
    {
        var stuck = new TaskCompletionSource<byte[]>();
        var first = RunAsync(attempt =>
        {
            attempt.Sending();
            return stuck.Task;
        });

        time.Advance(IdempotencyStore.AbandonedAfter);
        AssertOutcomeUnknown(await Assert.ThrowsAsync<ApiException>(() => RunAsync(_ => Task.FromResult(Answer))), recordId: null);
        Assert.Equal(1, runs);

        // Should the first run still finish, its answer is kept: it is the one that took effect.
        stuck.SetResult(Answer);
        await first;
        Assert.True((await RunAsync(_ => Task.FromResult(Answer))).Replayed);
    }

    [Fact]
    public async Task An_expired_key_can_be_used_again()
    {
        await RunAsync(_ => Task.FromResult(Answer));
        time.Advance(new UnifiedOptions().IdempotencyLifetime);

        Assert.False((await RunAsync(_ => Task.FromResult(Answer))).Replayed);
        Assert.Equal(2, runs);
    }

    private static readonly byte[] Answer = Encoding.UTF8.GetBytes("""{"id":"4242"}""");

    private Task<StoredResponse> RunAsync(Func<WriteAttempt, Task<byte[]>> write) =>
        store.RunAsync(Account, "key-1", Fingerprint, 201, attempt =>
        {
            Interlocked.Increment(ref runs);
            return write(attempt);
        }, default);

    private static void AssertOutcomeUnknown(ApiException repeat, long? recordId)
    {
        Assert.Equal((409, ErrorCodes.IdempotencyConflict), (repeat.StatusCode, repeat.Error));
        Assert.Equal("unknown", repeat.Details!["outcome"]!.GetValue<string>());
        Assert.Contains("Read the record", repeat.Message);
        Assert.Equal(recordId?.ToString(System.Globalization.CultureInfo.InvariantCulture), repeat.Details["id"]?.GetValue<string>());
    }

    private static Exception Failure(string failure) => failure switch
    {
        "connection lost after sending" => new ApiException(503, ErrorCodes.UpstreamUnavailable, "Insightly could not be reached.",
            inner: new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.")),
        "timeout" => new ApiException(504, ErrorCodes.UpstreamTimeout, "Insightly did not answer in time."),
        "caller hung up" => new OperationCanceledException(),
        "5xx" => new ApiException(502, ErrorCodes.UpstreamError, "Insightly answered 500") { Remote = new RemoteFailure(500, null) },
        "broken answer" => new ApiException(502, ErrorCodes.UpstreamError, "Insightly's answer broke off."),
        _ => throw new ArgumentOutOfRangeException(nameof(failure)),
    };

    private static Exception Refusal(string refusal) => refusal switch
    {
        "not sent" => new OperationCanceledException(),
        "Insightly 400" => new ApiException(422, ErrorCodes.RemoteValidationError, "Insightly rejected the request") { Remote = new RemoteFailure(400, null) },
        "Insightly 429" => new ApiException(429, ErrorCodes.RateLimited, "Throttled.") { Remote = new RemoteFailure(429, null) },
        "rate limit" => new ApiException(429, ErrorCodes.RateLimited, "Throttled here."),
        "open circuit" => new ApiException(503, ErrorCodes.UpstreamUnavailable, "Paused.", inner: new BrokenCircuitException()),
        "no connection" => new ApiException(503, ErrorCodes.UpstreamUnavailable, "Insightly could not be reached.",
            inner: new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused.")),
        "flagged account" => new ApiException(401, ErrorCodes.AccountNeedsReauth, "Rejected key."),
        _ => throw new ArgumentOutOfRangeException(nameof(refusal)),
    };
}
