using System.Buffers.Text;
using System.Collections.Concurrent;
using Azure;
using Insightly.Unified.Configuration;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Link;
using Insightly.Unified.Secrets;
using Insightly.Unified.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Insightly.Unified.UnitTests;

/// <summary>Link tokens: issue, verify, expiry, single use (also under concurrency) and the tenant they are bound to.</summary>
public sealed class LinkTokensTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 4, 10, 0, 0, TimeSpan.Zero));
    private readonly InMemoryLinkTokenStore store = new();
    private readonly Mock<ISecretStore> secrets = new(MockBehavior.Strict);
    private readonly LinkTokens tokens;

    public LinkTokensTests()
    {
        secrets.Setup(s => s.GetOrCreateAsync("signing-key-link-tokens", It.IsAny<Func<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()));
        tokens = Tokens(new SigningKeys(secrets.Object, Options.Create(new ApiOptions())));
    }

    private LinkTokens Tokens(SigningKeys keys) =>
        new(new LinkTokenCodec(keys), store, Options.Create(new LinkFlowOptions()), time, NullLogger<LinkTokens>.Instance);

    private Task<(string Token, LinkTokenRecord Record)> IssueAsync(string tenant = "tenant-a", string? accountId = null) =>
        tokens.IssueAsync(new LinkGrant(tenant, "Acme", new Uri("https://saas.example/done"), accountId), default);

    [Fact]
    public async Task An_issued_token_opens_to_its_grant_and_expires_after_the_default_thirty_minutes()
    {
        var (token, record) = await IssueAsync();

        Assert.StartsWith("lt_", token, StringComparison.Ordinal);
        Assert.Matches("^lt_[A-Za-z0-9_-]{40,}$", token);
        Assert.Equal(time.GetUtcNow().AddMinutes(30), record.ExpiresAt);
        var opened = await tokens.OpenAsync(token, default);
        Assert.Equal(("tenant-a", "Acme", LinkTokenState.Issued), (opened.TenantId, opened.Label, opened.State));
        Assert.Equal(new Uri("https://saas.example/done"), opened.RedirectUrl);
    }

    [Fact]
    public async Task The_lifetime_is_an_option()
    {
        var shortLived = new LinkTokens(new LinkTokenCodec(new SigningKeys(secrets.Object, Options.Create(new ApiOptions()))), store,
            Options.Create(new LinkFlowOptions { TokenLifetime = TimeSpan.FromMinutes(5) }), time, NullLogger<LinkTokens>.Instance);
        var (token, record) = await shortLived.IssueAsync(new LinkGrant("t", null, null, null), default);

        Assert.Equal(time.GetUtcNow().AddMinutes(5), record.ExpiresAt);
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(LinkTokenProblem.Expired, (await Assert.ThrowsAsync<LinkTokenException>(() => shortLived.OpenAsync(token, default))).Problem);
    }

    [Fact]
    public async Task Each_token_is_different_and_names_its_own_record()
    {
        var first = await IssueAsync();
        var second = await IssueAsync();
        Assert.NotEqual(first.Token, second.Token);
        Assert.NotEqual(first.Record.Id, second.Record.Id);
        Assert.Matches("^[0-9a-f]{32}$", first.Record.Id);
    }

    [Fact]
    public async Task A_token_is_bound_to_the_tenant_it_was_issued_for()
    {
        var forA = await IssueAsync("tenant-a");
        var forB = await IssueAsync("tenant-b");

        Assert.Equal("tenant-a", (await tokens.OpenAsync(forA.Token, default)).TenantId);
        Assert.Equal("tenant-b", (await tokens.OpenAsync(forB.Token, default)).TenantId);
        var usedWith = await tokens.RedeemAsync(forB.Token, (grant, _) => Task.FromResult(grant.TenantId), _ => "ia-x", default);
        Assert.Equal("tenant-b", usedWith);
    }

    [Theory]
    [InlineData(null, LinkTokenProblem.Missing)]
    [InlineData("", LinkTokenProblem.Missing)]
    [InlineData("lt_", LinkTokenProblem.Invalid)]
    [InlineData("lt_not base64!", LinkTokenProblem.Invalid)]
    [InlineData("abc", LinkTokenProblem.Invalid)]
    [InlineData("lt_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKA", LinkTokenProblem.Invalid)]
    public async Task Junk_is_refused_before_storage_is_read(string? token, LinkTokenProblem problem)
    {
        var error = await Assert.ThrowsAsync<LinkTokenException>(() => tokens.OpenAsync(token, default));
        Assert.Equal(problem, error.Problem);
        Assert.Equal(0, store.Reads);
    }

    [Fact]
    public async Task A_token_with_any_byte_changed_is_refused()
    {
        var (token, _) = await IssueAsync();
        var bytes = Base64Url.DecodeFromChars(token.AsSpan(3));
        for (var i = 0; i < bytes.Length; i++)
        {
            var edited = (byte[])bytes.Clone();
            edited[i] ^= 0x01;
            var forged = "lt_" + Base64Url.EncodeToString(edited);
            Assert.Equal(LinkTokenProblem.Invalid, (await Assert.ThrowsAsync<LinkTokenException>(() => tokens.OpenAsync(forged, default))).Problem);
        }
    }

    [Fact]
    public async Task A_later_expiry_cannot_be_written_into_a_token()
    {
        var (token, _) = await IssueAsync();
        var bytes = Base64Url.DecodeFromChars(token.AsSpan(3));
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(17), time.GetUtcNow().AddYears(1).ToUnixTimeSeconds());
        time.Advance(TimeSpan.FromHours(1));

        var error = await Assert.ThrowsAsync<LinkTokenException>(() => tokens.OpenAsync("lt_" + Base64Url.EncodeToString(bytes), default));
        Assert.Equal(LinkTokenProblem.Invalid, error.Problem);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused()
    {
        var otherKey = new SigningKeys(Mock.Of<ISecretStore>(MockBehavior.Strict),
            Options.Create(new ApiOptions { LinkTokenSigningKey = Convert.ToBase64String(new byte[32]) }));
        var (token, _) = await Tokens(otherKey).IssueAsync(new LinkGrant("tenant-a", null, null, null), default);

        Assert.Equal(LinkTokenProblem.Invalid, (await Assert.ThrowsAsync<LinkTokenException>(() => tokens.OpenAsync(token, default))).Problem);
    }

    [Fact]
    public async Task A_signed_token_without_a_record_is_refused()
    {
        var (token, record) = await IssueAsync();
        store.Remove(record.Id);
        Assert.Equal(LinkTokenProblem.Invalid, (await Assert.ThrowsAsync<LinkTokenException>(() => tokens.OpenAsync(token, default))).Problem);
    }

    [Fact]
    public async Task An_expired_token_is_refused_and_its_work_never_runs()
    {
        var (token, record) = await IssueAsync();
        time.Advance(TimeSpan.FromMinutes(30));

        var ran = false;
        var error = await Assert.ThrowsAsync<LinkTokenException>(() =>
            tokens.RedeemAsync(token, (_, _) => { ran = true; return Task.FromResult(1); }, _ => "ia-x", default));

        Assert.Equal(LinkTokenProblem.Expired, error.Problem);
        Assert.False(ran);
        Assert.Equal(LinkTokenState.Issued, store.Get(record.Id).State);
    }

    [Fact]
    public async Task A_token_is_used_once_then_refused_as_used()
    {
        var (token, record) = await IssueAsync();
        Assert.Equal(7, await tokens.RedeemAsync(token, (_, _) => Task.FromResult(7), _ => "ia-first", default));

        var ran = false;
        var replay = await Assert.ThrowsAsync<LinkTokenException>(() =>
            tokens.RedeemAsync(token, (_, _) => { ran = true; return Task.FromResult(8); }, _ => "ia-second", default));

        Assert.Equal(LinkTokenProblem.Used, replay.Problem);
        Assert.False(ran);
        Assert.Equal(LinkTokenProblem.Used, (await Assert.ThrowsAsync<LinkTokenException>(() => tokens.OpenAsync(token, default))).Problem);
        var stored = store.Get(record.Id);
        Assert.Equal((LinkTokenState.Used, "ia-first", time.GetUtcNow()), (stored.State, stored.LinkedAccountId, stored.UsedAt));
    }

    [Fact]
    public async Task Failed_work_gives_the_token_back_so_the_person_can_try_again()
    {
        var (token, record) = await IssueAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            tokens.RedeemAsync<int>(token, (_, _) => throw new InvalidOperationException("wrong key"), _ => "ia-x", default));
        Assert.Equal(LinkTokenState.Issued, store.Get(record.Id).State);

        Assert.Equal(2, await tokens.RedeemAsync(token, (_, _) => Task.FromResult(2), _ => "ia-x", default));
    }

    [Fact]
    public async Task While_one_submission_holds_the_token_another_is_refused_as_in_use()
    {
        var (token, _) = await IssueAsync();
        var inside = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var first = tokens.RedeemAsync(token, async (_, _) => { inside.SetResult(); await release.Task; return 1; }, _ => "ia-x", default);
        await inside.Task;

        var second = await Assert.ThrowsAsync<LinkTokenException>(() => tokens.RedeemAsync(token, (_, _) => Task.FromResult(2), _ => "ia-y", default));
        Assert.Equal(LinkTokenProblem.InUse, second.Problem);
        Assert.Equal(LinkTokenProblem.InUse, (await Assert.ThrowsAsync<LinkTokenException>(() => tokens.OpenAsync(token, default))).Problem);

        release.SetResult();
        Assert.Equal(1, await first);
    }

    [Fact]
    public async Task A_claim_never_given_back_holds_the_token_for_its_lease_only()
    {
        var (token, record) = await IssueAsync();
        store.Put(record with { State = LinkTokenState.Claimed, ClaimedAt = time.GetUtcNow() });

        time.Advance(LinkTokens.ClaimLease - TimeSpan.FromSeconds(1));
        Assert.Equal(LinkTokenProblem.InUse, (await Assert.ThrowsAsync<LinkTokenException>(() => tokens.OpenAsync(token, default))).Problem);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(LinkTokenState.Claimed, (await tokens.OpenAsync(token, default)).State);
        Assert.Equal(3, await tokens.RedeemAsync(token, (_, _) => Task.FromResult(3), _ => "ia-x", default));
        Assert.Equal(LinkTokenState.Used, store.Get(record.Id).State);
    }

    [Fact]
    public async Task A_new_links_claim_reserves_the_account_id_and_a_later_claim_keeps_it()
    {
        var (token, record) = await IssueAsync();
        string? first = null;
        await Assert.ThrowsAsync<InvalidOperationException>(() => tokens.RedeemAsync<int>(token, (grant, _) =>
        {
            first = grant.LinkedAccountId;
            throw new InvalidOperationException("wrong key");
        }, _ => "ia-x", default));

        var second = await tokens.RedeemAsync(token, (grant, _) => Task.FromResult(grant.LinkedAccountId), id => id!, default);

        Assert.True(AccountIds.IsWellFormed(first!), first);
        Assert.Equal(first, second);
        Assert.Equal(first, store.Get(record.Id).LinkedAccountId);
        var (reconnect, _) = await IssueAsync(accountId: "ia-reconnected00000000000000");
        Assert.Null(await tokens.RedeemAsync(reconnect, (grant, _) => Task.FromResult(grant.LinkedAccountId), _ => "ia-reconnected00000000000000", default));
    }

    [Fact]
    public async Task When_the_token_cannot_be_marked_used_the_finished_work_still_counts()
    {
        var (token, record) = await IssueAsync();
        store.FailUsedWrites = true;

        Assert.Equal(5, await tokens.RedeemAsync(token, (_, _) => Task.FromResult(5), _ => "ia-x", default));
        Assert.Equal(LinkTokenState.Claimed, store.Get(record.Id).State);
    }

    [Fact]
    public async Task Of_many_concurrent_submissions_exactly_one_does_its_work()
    {
        var (token, _) = await IssueAsync();
        var runs = 0;
        var attempts = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            try
            {
                return await tokens.RedeemAsync(token, async (_, _) => { Interlocked.Increment(ref runs); await Task.Delay(20); return true; }, _ => "ia-x", default);
            }
            catch (LinkTokenException)
            {
                return false;
            }
        }));

        var results = await Task.WhenAll(attempts);
        Assert.Equal(1, runs);
        Assert.Single(results, succeeded => succeeded);
    }

    [Fact]
    public async Task The_signing_key_comes_from_the_secret_store_once_or_from_configuration()
    {
        await IssueAsync();
        await IssueAsync();
        secrets.Verify(s => s.GetOrCreateAsync("signing-key-link-tokens", It.IsAny<Func<string>>(), It.IsAny<CancellationToken>()), Times.Once);

        var configured = new SigningKeys(Mock.Of<ISecretStore>(MockBehavior.Strict),
            Options.Create(new ApiOptions { LinkTokenSigningKey = Convert.ToBase64String(new byte[32]) }));
        Assert.Equal(new byte[32], await configured.LinkTokenKeyAsync(default));
    }
}

/// <summary>The table store's behaviour in memory: ETag-guarded replaces that fail on any concurrent change.</summary>
internal sealed class InMemoryLinkTokenStore : ILinkTokenStore
{
    private readonly ConcurrentDictionary<string, StoredLinkToken> rows = new();
    private readonly Lock gate = new();
    private int reads;

    public int Reads => Volatile.Read(ref reads);

    public LinkTokenRecord Get(string id) => rows[id].Record;

    public void Remove(string id) => rows.TryRemove(id, out _);

    /// <summary>Writes a record as a process that died would have left it.</summary>
    public void Put(LinkTokenRecord record) => rows[record.Id] = new StoredLinkToken(record, NewETag());

    /// <summary>Makes the write that marks a token used fail, as a storage outage would.</summary>
    public bool FailUsedWrites { get; set; }

    public Task InsertAsync(LinkTokenRecord record, CancellationToken cancellationToken)
    {
        Assert.True(rows.TryAdd(record.Id, new StoredLinkToken(record, NewETag())));
        return Task.CompletedTask;
    }

    public async Task<StoredLinkToken?> FindAsync(string id, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref reads);
        await Task.Yield();
        return rows.TryGetValue(id, out var row) ? row : null;
    }

    public async Task<ETag?> TryReplaceAsync(LinkTokenRecord record, ETag etag, CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (FailUsedWrites && record.State == LinkTokenState.Used)
        {
            throw new RequestFailedException(503, "Table storage is down.");
        }

        lock (gate)
        {
            if (!rows.TryGetValue(record.Id, out var current) || current.ETag != etag)
            {
                return null;
            }

            var next = NewETag();
            rows[record.Id] = new StoredLinkToken(record, next);
            return next;
        }
    }

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expired = rows.Values.Where(row => row.Record.ExpiresAt <= now).ToList();
        return Task.FromResult(expired.Count(row => rows.TryRemove(row.Record.Id, out _)));
    }

    private static ETag NewETag() => new(Guid.NewGuid().ToString("N"));
}
