using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Configuration;
using Insightly.Unified.Errors;
using Insightly.Unified.Secrets;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Insightly.Unified.UnitTests;

public sealed class ApiKeyResolverTests
{
    private static readonly string AccountId = AccountIds.New();
    private static readonly string SecretName = SecretNaming.ForAccount(AccountId);

    private readonly Mock<ISecretStore> store = new(MockBehavior.Strict);
    private readonly FakeTimeProvider time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly ApiKeyResolver resolver;

    public ApiKeyResolverTests() =>
        resolver = new ApiKeyResolver(store.Object, Options.Create(new SecretStoreOptions { KeyCacheTtl = TimeSpan.FromMinutes(5), MaxStaleKeyAge = TimeSpan.FromHours(1) }),
            TestMetrics.Create(), time, Microsoft.Extensions.Logging.Abstractions.NullLogger<ApiKeyResolver>.Instance);

    [Fact]
    public async Task Concurrent_misses_for_one_account_cause_one_store_read()
    {
        var read = new TaskCompletionSource<StoredSecret?>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.Setup(s => s.GetAsync(SecretName, It.IsAny<CancellationToken>())).Returns(read.Task);

        var callers = Enumerable.Range(0, 50).Select(_ => Task.Run(() => resolver.GetAsync(AccountId, CancellationToken.None))).ToArray();
        await Task.Delay(50);
        read.SetResult(Secret("key-1"));

        Assert.All(await Task.WhenAll(callers), key => Assert.Equal("key-1", key?.Value));
        store.Verify(s => s.GetAsync(SecretName, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Serves_the_cached_key_until_the_ttl_passes_then_reads_again()
    {
        store.SetupSequence(s => s.GetAsync(SecretName, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Secret("key-1"))
            .ReturnsAsync(Secret("key-2"));

        Assert.Equal("key-1", (await resolver.GetAsync(AccountId, CancellationToken.None))?.Value);
        time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal("key-1", (await resolver.GetAsync(AccountId, CancellationToken.None))?.Value);
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("key-2", (await resolver.GetAsync(AccountId, CancellationToken.None))?.Value);
        store.Verify(s => s.GetAsync(SecretName, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task Re_reads_the_store_once_after_the_key_is_invalidated()
    {
        store.SetupSequence(s => s.GetAsync(SecretName, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Secret("rotated-away"))
            .ReturnsAsync(Secret("current"));

        Assert.Equal("rotated-away", (await resolver.GetAsync(AccountId, CancellationToken.None))?.Value);
        resolver.Invalidate(AccountId);
        Assert.Equal("current", (await resolver.GetAsync(AccountId, CancellationToken.None))?.Value);
        Assert.Equal("current", (await resolver.GetAsync(AccountId, CancellationToken.None))?.Value);
        store.Verify(s => s.GetAsync(SecretName, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task Many_requests_rejected_with_the_same_key_cause_one_re_read()
    {
        store.SetupSequence(s => s.GetAsync(SecretName, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Secret("rotated-away"))
            .ReturnsAsync(Secret("current"));
        Assert.Equal("rotated-away", (await resolver.GetAsync(AccountId, CancellationToken.None))?.Value);

        // Each of ten requests saw a 401 with the old key and asks for the key again.
        var rereads = new List<string?>();
        for (var i = 0; i < 10; i++)
        {
            resolver.InvalidateRejected(AccountId, Secret("rotated-away").Version);
            rereads.Add((await resolver.GetAsync(AccountId, CancellationToken.None))?.Value);
        }

        Assert.All(rereads, key => Assert.Equal("current", key));
        store.Verify(s => s.GetAsync(SecretName, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task A_failed_read_is_not_cached()
    {
        store.SetupSequence(s => s.GetAsync(SecretName, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("vault down"))
            .ReturnsAsync(Secret("key-1"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => resolver.GetAsync(AccountId, CancellationToken.None));
        Assert.Equal("key-1", (await resolver.GetAsync(AccountId, CancellationToken.None))?.Value);
    }

    [Fact]
    public async Task A_missing_secret_is_not_cached()
    {
        store.SetupSequence(s => s.GetAsync(SecretName, It.IsAny<CancellationToken>()))
            .ReturnsAsync((StoredSecret?)null)
            .ReturnsAsync(Secret("key-1"));

        Assert.Null(await resolver.GetAsync(AccountId, CancellationToken.None));
        Assert.Equal("key-1", (await resolver.GetAsync(AccountId, CancellationToken.None))?.Value);
    }

    /// <summary>A stored key whose version is derived from its value, so tests can name both.</summary>
    private static StoredSecret Secret(string value) => new(value, "version-of-" + value);

    [Fact]
    public async Task While_the_store_is_down_a_key_read_before_keeps_working_for_a_bounded_time()
    {
        store.SetupSequence(s => s.GetAsync(SecretName, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Secret("key-1"))
            .ThrowsAsync(Outage())
            .ThrowsAsync(Outage());
        Assert.Equal("key-1", (await resolver.GetAsync(AccountId, CancellationToken.None))?.Value);

        time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal("key-1", (await resolver.GetAsync(AccountId, CancellationToken.None))?.Value);
        time.Advance(TimeSpan.FromMinutes(40));
        await Assert.ThrowsAsync<DependencyUnavailableException>(() => resolver.GetAsync(AccountId, CancellationToken.None));
    }

    [Fact]
    public async Task A_key_never_read_gives_the_outage()
    {
        store.Setup(s => s.GetAsync(SecretName, It.IsAny<CancellationToken>())).ThrowsAsync(Outage());
        await Assert.ThrowsAsync<DependencyUnavailableException>(() => resolver.GetAsync(AccountId, CancellationToken.None));
    }

    [Fact]
    public async Task A_rotated_or_rejected_key_is_never_used_as_a_stale_fallback()
    {
        store.SetupSequence(s => s.GetAsync(SecretName, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Secret("key-1"))
            .ThrowsAsync(Outage());
        await resolver.GetAsync(AccountId, CancellationToken.None);

        resolver.InvalidateRejected(AccountId, Secret("key-1").Version);
        await Assert.ThrowsAsync<DependencyUnavailableException>(() => resolver.GetAsync(AccountId, CancellationToken.None));
    }

    private static DependencyUnavailableException Outage() =>
        new(DependencyFailurePolicy.SecretStore, new AggregateException("Retry failed after 4 tries."));
}
