using System.Buffers;
using System.Text;
using System.Text.Json;
using Azure;
using Insightly.Unified.Errors;
using Insightly.Unified.Http;
using Insightly.Unified.IntegratedAccounts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.Webhooks;

/// <summary>
/// Raises the account events of contract section 8 where an account changes, and makes sure none is lost.
/// An event is decided by comparing the row before and after its ETag-guarded write (so of two concurrent 401s only the
/// write that really turned the account to <c>needs_reauth</c> raises one), and it is written into the row in that
/// same write (<see cref="IntegratedAccount.PendingEvents"/>). Then it is put on the events queue and crossed off the
/// row. If the enqueue fails (after the queue client's own retries) or the process stops first, the event stays on
/// the row, and the next credential-check run sends it (<see cref="RepairAsync"/>) — with the same id, so a receiver
/// that already has it dedupes it. The HTTP call that caused it waits for the enqueue only, never for a receiver.
/// </summary>
public sealed class AccountEvents(
    AccountRepository accounts,
    WebhookQueues queues,
    WebhookOutbox outbox,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<AccountEvents> logger)
{
    /// <summary>Events one row holds at most while the queue is unreachable (a row's column holds 32 K characters).</summary>
    private const int MaxPendingPerAccount = 20;

    /// <summary>The events a change of the row implies: a status transition, and <c>updated</c> for label, tenant or key.</summary>
    public static IReadOnlyList<string> TypesFor(IntegratedAccount before, IntegratedAccount after)
    {
        var types = new List<string>();
        if (before.Label != after.Label || before.TenantId != after.TenantId || before.SecretVersion != after.SecretVersion)
        {
            types.Add(WebhookEventTypes.Updated);
        }

        if (before.Status != after.Status)
        {
            switch (after.Status)
            {
                case AccountStatus.NeedsReauth:
                    types.Add(WebhookEventTypes.NeedsReauth);
                    break;
                case AccountStatus.ValidationError:
                    types.Add(WebhookEventTypes.ValidationError);
                    break;
                case AccountStatus.Active:
                    types.Add(WebhookEventTypes.Reactivated);
                    break;
            }
        }

        return types;
    }

    /// <summary>The JSON a receiver gets: <c>{"id","type","created_at","data":{"integrated_account":{…}}}</c>, never a key.</summary>
    public static string Body(string eventId, string type, DateTimeOffset createdAt, IntegratedAccount account) =>
        Envelope(eventId, type, createdAt, writer =>
        {
            writer.WritePropertyName("integrated_account");
            JsonSerializer.Serialize(writer, account, ApiJsonContext.Api.IntegratedAccount);
        });

    internal static string Envelope(string eventId, string type, DateTimeOffset createdAt, Action<Utf8JsonWriter> writeData)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, JsonWriterResult.Options))
        {
            writer.WriteStartObject();
            writer.WriteString("id", eventId);
            writer.WriteString("type", type);
            writer.WritePropertyName("created_at");
            new UtcTimestampConverter().Write(writer, createdAt, ApiJsonContext.Api.Options);
            writer.WriteStartObject("data");
            writeData(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public QueuedEvent Raise(string type, IntegratedAccount account, IReadOnlyList<string?>? tenantIds = null)
    {
        var id = WebhookIds.NewEventId();
        var now = time.GetUtcNow();
        return new QueuedEvent(id, type, now, tenantIds ?? [account.TenantId], Body(id, type, now, account));
    }

    /// <summary>A new account with its <c>created</c> event already on the row; send it with <see cref="PublishAsync"/> once stored.</summary>
    public IntegratedAccount WithCreatedEvent(IntegratedAccount account) =>
        account with { PendingEvents = [Raise(WebhookEventTypes.Created, account)] };

    /// <inheritdoc cref="UpdateAsync(string, Func{IntegratedAccount, Task{IntegratedAccount}}, CancellationToken)"/>
    public Task<IntegratedAccount?> UpdateAsync(string accountId, Func<IntegratedAccount, IntegratedAccount> change, CancellationToken cancellationToken) =>
        UpdateAsync(accountId, current => Task.FromResult(change(current)), cancellationToken);

    /// <summary>
    /// <see cref="AccountRepository.UpdateAsync(string, Func{IntegratedAccount, Task{IntegratedAccount}}, CancellationToken)"/>, plus the
    /// events the change implies, written with it and then sent. Returns the row as stored.
    /// </summary>
    public async Task<IntegratedAccount?> UpdateAsync(
        string accountId, Func<IntegratedAccount, Task<IntegratedAccount>> change, CancellationToken cancellationToken)
    {
        IReadOnlyList<QueuedEvent> raised = [];
        var stored = await accounts.UpdateAsync(accountId, async current =>
        {
            var changed = await change(current);
            // Decided again on every attempt: after a 412 the row re-read is the one this write replaces.
            raised = ReferenceEquals(changed, current) ? [] : TypesFor(current, changed).SelectMany(type => EventsFor(type, current, changed)).ToList();
            return raised.Count == 0 ? changed : changed with { PendingEvents = Bounded(accountId, [.. current.PendingEvents, .. raised]) };
        }, cancellationToken);
        if (stored is not null && raised.Count > 0)
        {
            await PublishAsync(accountId, raised);
        }

        return stored;
    }

    /// <summary>
    /// The events of one type a change raises: one for the account's tenant (and subscriptions of every tenant). After a
    /// tenant change, <c>updated</c> also goes to the former tenant's own subscriptions — without the new tenant's id and
    /// the label, which belong to the new tenant: it learns the account left, not where it went.
    /// </summary>
    private IEnumerable<QueuedEvent> EventsFor(string type, IntegratedAccount before, IntegratedAccount after)
    {
        yield return Raise(type, after);
        if (type == WebhookEventTypes.Updated && before.TenantId is { } former && former != after.TenantId)
        {
            yield return Raise(type, after with { TenantId = null, Label = null }, [former]) with { TenantSubscriptionsOnly = true };
        }
    }

    /// <summary>
    /// Puts the events on the queue, then crosses them off the row. A failure is logged and left for the credential
    /// check; it never fails the call that changed the account. Runs to the end even if the caller has gone.
    /// </summary>
    /// <returns>Whether the events are in the queue now.</returns>
    public async Task<bool> PublishAsync(string accountId, IReadOnlyList<QueuedEvent> events)
    {
        if (events.Count == 0)
        {
            return true;
        }

        try
        {
            foreach (var queued in events)
            {
                await queues.SendEventAsync(queued, CancellationToken.None);
                logger.LogInformation("Queued webhook event {EventId} {EventType} for account {AccountId}", queued.Id, queued.Type, accountId);
            }
        }
        catch (Exception exception) when (exception is DependencyUnavailableException or RequestFailedException)
        {
            logger.LogWarning(
                "Could not queue {Count} webhook event(s) for account {AccountId} ({ErrorType}: {ErrorMessage}); they stay on the account and the next credential check sends them",
                events.Count, accountId, exception.GetType().Name, exception.Message);
            return false;
        }

        var sent = events.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        try
        {
            await accounts.UpdateAsync(accountId, current => !current.PendingEvents.Any(e => sent.Contains(e.Id))
                ? current
                : current with
                {
                    PendingEvents = current.PendingEvents.Where(e => !sent.Contains(e.Id)).ToList(),
                    LastEventId = events[^1].Id,
                    LastEventAt = events[^1].CreatedAt,
                }, CancellationToken.None);
        }
        catch (Exception exception) when (exception is DependencyUnavailableException or RequestFailedException)
        {
            // The events are queued; the credential check will queue them once more (same ids: receivers dedupe).
            logger.LogWarning("Queued webhook events for account {AccountId} but could not mark them sent: {ErrorType}", accountId, exception.GetType().Name);
        }

        return true;
    }

    /// <summary>
    /// The <c>deleted</c> event of an account about to lose its row (and any event still waiting on that row). When the
    /// queue cannot take them they go to the outbox table; when that fails too, this throws and the row stays, so the
    /// delete can be repeated — the event is never dropped silently.
    /// </summary>
    public async Task PublishDeletedAsync(IntegratedAccount account)
    {
        IReadOnlyList<QueuedEvent> events = [.. account.PendingEvents, Raise(WebhookEventTypes.Deleted, account)];
        foreach (var queued in events)
        {
            try
            {
                await queues.SendEventAsync(queued, CancellationToken.None);
                logger.LogInformation("Queued webhook event {EventId} {EventType} for account {AccountId}", queued.Id, queued.Type, account.Id);
            }
            catch (Exception exception) when (exception is DependencyUnavailableException or RequestFailedException)
            {
                logger.LogWarning("Could not queue webhook event {EventId} {EventType} for account {AccountId} ({ErrorType}); kept in the outbox for the next credential check",
                    queued.Id, queued.Type, account.Id, exception.GetType().Name);
                await outbox.AddAsync(queued, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// The credential check's repair: sends the events still waiting on this account's row that are older than
    /// <see cref="WebhookOptions.RepairAfter"/> (younger ones may be on their way from their own request). Returns how many are queued now.
    /// </summary>
    public async Task<int> RepairAsync(IntegratedAccount account)
    {
        var due = time.GetUtcNow() - options.Value.RepairAfter;
        var stale = account.PendingEvents.Where(e => e.CreatedAt <= due).ToList();
        if (stale.Count == 0)
        {
            return 0;
        }

        logger.LogWarning("Re-sending {Count} webhook event(s) of account {AccountId} that were not queued when they were raised", stale.Count, account.Id);
        return await PublishAsync(account.Id, stale) ? stale.Count : 0;
    }

    /// <summary>Sends what the outbox holds (events of deleted accounts), removing each once queued. Returns how many.</summary>
    public async Task<int> RepairDeletedAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var queued in await outbox.ListAsync(cancellationToken))
        {
            await queues.SendEventAsync(queued, cancellationToken);
            await outbox.RemoveAsync(queued.Id, cancellationToken);
            sent++;
        }

        if (sent > 0)
        {
            logger.LogWarning("Re-sent {Count} webhook event(s) of deleted accounts from the outbox", sent);
        }

        return sent;
    }

    private IReadOnlyList<QueuedEvent> Bounded(string accountId, IReadOnlyList<QueuedEvent> pending)
    {
        if (pending.Count <= MaxPendingPerAccount)
        {
            return pending;
        }

        logger.LogError("Account {AccountId} has {Count} webhook events that could not be queued; the oldest {Dropped} are dropped to keep the row within its size limit",
            accountId, pending.Count, pending.Count - MaxPendingPerAccount);
        return pending.Skip(pending.Count - MaxPendingPerAccount).ToList();
    }
}
