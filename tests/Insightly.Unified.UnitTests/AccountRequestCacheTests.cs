using Azure;
using Azure.Data.Tables;
using Insightly.Unified.IntegratedAccounts;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Insightly.Unified.UnitTests;

/// <summary>The account row a request uses comes from a short-lived cache that every local write forgets.</summary>
public sealed class AccountRequestCacheTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly Mock<TableClient> table = new();
    private readonly AccountRepository accounts;
    private readonly string accountId = AccountIds.New();
    private IntegratedAccount stored;
    private int reads;

    public AccountRequestCacheTests()
    {
        stored = new IntegratedAccount
        {
            Id = accountId,
            Pod = "na1",
            Status = AccountStatus.Active,
            CreatedAt = time.GetUtcNow(),
            UpdatedAt = time.GetUtcNow(),
            SecretVersion = "v1",
        };
        table.Setup(t => t.GetEntityIfExistsAsync<TableEntity>("account", It.IsAny<string>(), It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, string id, IEnumerable<string> _, CancellationToken _) =>
            {
                Interlocked.Increment(ref reads);
                return id == accountId ? Found(stored) : NotFound();
            });
        table.Setup(t => t.UpdateEntityAsync(It.IsAny<TableEntity>(), It.IsAny<ETag>(), It.IsAny<TableUpdateMode>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((TableEntity entity, ETag _, TableUpdateMode mode, CancellationToken _) =>
            {
                if (mode == TableUpdateMode.Replace)
                {
                    stored = AccountEntityOf(entity);
                }

                return Mock.Of<Response>();
            });
        table.Setup(t => t.DeleteEntityAsync("account", accountId, It.IsAny<ETag>(), It.IsAny<CancellationToken>())).ReturnsAsync(Mock.Of<Response>());
        table.Setup(t => t.AddEntityAsync(It.IsAny<TableEntity>(), It.IsAny<CancellationToken>())).ReturnsAsync(Mock.Of<Response>());
        accounts = new AccountRepository(table.Object, TestMetrics.Create(), Ttl, time);
    }

    [Fact]
    public async Task Warm_requests_read_the_table_once_per_cache_lifetime()
    {
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(accountId, (await accounts.FindForRequestAsync(accountId, default))?.Id);
        }

        Assert.Equal(1, reads);
        time.Advance(Ttl);
        await accounts.FindForRequestAsync(accountId, default);
        Assert.Equal(2, reads);
    }

    [Fact]
    public async Task Concurrent_first_requests_share_one_read()
    {
        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => accounts.FindForRequestAsync(accountId, default))));
        Assert.Equal(1, reads);
    }

    [Fact]
    public async Task A_flip_to_needs_reauth_on_this_instance_is_seen_by_the_very_next_request()
    {
        await accounts.FindForRequestAsync(accountId, default);
        await accounts.UpdateAsync(accountId, account => account with { Status = AccountStatus.NeedsReauth }, default);

        Assert.Equal(AccountStatus.NeedsReauth, (await accounts.FindForRequestAsync(accountId, default))?.Status);
    }

    [Fact]
    public async Task Every_kind_of_write_forgets_the_cached_row()
    {
        var writes = new Func<Task>[]
        {
            () => accounts.UpdateAsync(accountId, account => account with { Label = "changed" }, default),
            () => accounts.DeleteAsync(accountId, default),
            () => accounts.InsertAsync(stored, default),
        };
        foreach (var write in writes)
        {
            await accounts.FindForRequestAsync(accountId, default);
            var before = reads;
            await write();
            var readsByWrite = reads - before;
            await accounts.FindForRequestAsync(accountId, default);
            Assert.Equal(before + readsByWrite + 1, reads);
        }
    }

    [Fact]
    public async Task Recording_rate_limit_headers_updates_the_cached_row_without_reading_the_table()
    {
        await accounts.FindForRequestAsync(accountId, default);
        var snapshot = new RateLimitSnapshot(1000, 999, time.GetUtcNow());
        await accounts.MergeRateLimitAsync(accountId, snapshot, default);

        Assert.Equal(snapshot, (await accounts.FindForRequestAsync(accountId, default))?.RateLimit);
        Assert.Equal(1, reads);
    }

    [Fact]
    public async Task Unknown_ids_are_cached_too_and_malformed_ids_never_reach_storage()
    {
        var unknown = AccountIds.New();
        Assert.Null(await accounts.FindForRequestAsync(unknown, default));
        Assert.Null(await accounts.FindForRequestAsync(unknown, default));
        Assert.Null(await accounts.FindForRequestAsync("ia-not-an-id", default));
        Assert.Equal(1, reads);
    }

    [Fact]
    public async Task A_failed_read_is_not_cached()
    {
        var failing = new Mock<TableClient>();
        var calls = 0;
        failing.Setup(t => t.GetEntityIfExistsAsync<TableEntity>("account", accountId, It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ++calls == 1 ? throw new RequestFailedException(503, "storage down") : Found(stored));
        var repository = new AccountRepository(failing.Object, TestMetrics.Create(), Ttl, time);

        await Assert.ThrowsAsync<RequestFailedException>(() => repository.FindForRequestAsync(accountId, default));
        Assert.Equal(accountId, (await repository.FindForRequestAsync(accountId, default))?.Id);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_rate_limit_write_that_finishes_late_does_not_replace_a_newer_one_in_the_cached_row()
    {
        await accounts.FindForRequestAsync(accountId, default);
        var older = new RateLimitSnapshot(1000, 900, time.GetUtcNow());
        var newer = new RateLimitSnapshot(1000, 800, time.GetUtcNow().AddSeconds(1));
        await accounts.MergeRateLimitAsync(accountId, newer, default);
        await accounts.MergeRateLimitAsync(accountId, older, default);

        Assert.Equal(newer, (await accounts.FindForRequestAsync(accountId, default))?.RateLimit);
    }

    [Fact]
    public async Task A_failed_read_is_forgotten_even_when_its_only_caller_has_hung_up()
    {
        var failing = new Mock<TableClient>();
        var calls = 0;
        var firstRead = new TaskCompletionSource<NullableResponse<TableEntity>>();
        failing.Setup(t => t.GetEntityIfExistsAsync<TableEntity>("account", accountId, It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()))
            .Returns(() => ++calls == 1 ? firstRead.Task : Task.FromResult(Found(stored)));
        var repository = new AccountRepository(failing.Object, TestMetrics.Create(), Ttl, time);
        using var hangUp = new CancellationTokenSource();

        var abandoned = repository.FindForRequestAsync(accountId, hangUp.Token);
        await hangUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        firstRead.SetException(new RequestFailedException(503, "storage down"));
        // The entry is dropped by a continuation of the read itself, which may run on another thread.
        await Task.Delay(200);

        Assert.Equal(accountId, (await repository.FindForRequestAsync(accountId, default))?.Id);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_write_that_finds_the_row_changed_elsewhere_forgets_the_cached_row_even_when_it_writes_nothing()
    {
        await accounts.FindForRequestAsync(accountId, default);
        stored = stored with { Status = AccountStatus.NeedsReauth };

        await accounts.UpdateAsync(accountId, account => account, default);

        Assert.Equal(AccountStatus.NeedsReauth, (await accounts.FindForRequestAsync(accountId, default))?.Status);
    }

    [Fact]
    public async Task A_zero_lifetime_reads_the_table_on_every_request()
    {
        var uncached = new AccountRepository(table.Object, TestMetrics.Create(), TimeSpan.Zero, time);
        await uncached.FindForRequestAsync(accountId, default);
        await uncached.FindForRequestAsync(accountId, default);
        Assert.Equal(2, reads);
    }

    private static NullableResponse<TableEntity> Found(IntegratedAccount account) =>
        Response.FromValue(AccountEntity.FromAccount(account, "account"), Mock.Of<Response>());

    private static NullableResponse<TableEntity> NotFound() => new Mock<NullableResponse<TableEntity>>().Object;

    private static IntegratedAccount AccountEntityOf(TableEntity entity) => AccountEntity.ToAccount(entity);
}
