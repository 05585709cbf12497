using System.Text.Json.Nodes;

namespace FakeInsightly;

/// <summary>One Insightly instance on one pod: its users (each with a key), records and quotas.</summary>
public sealed class FakeInstance(string pod, string subdomain, string name, string plan, long dailyQuota)
{
    private readonly Lock gate = new();
    private readonly Queue<DateTimeOffset> recentRequests = new();
    private readonly Dictionary<string, List<JsonObject>> collections = new(StringComparer.OrdinalIgnoreCase);
    private long usedToday;

    public string Pod { get; } = pod;

    public string Subdomain { get; } = subdomain;

    public string Name { get; } = name;

    public string Plan { get; } = plan;

    public long DailyQuota { get; set; } = dailyQuota;

    /// <summary>Insightly's burst limit; tests lower it to provoke throttling.</summary>
    public int RequestsPerSecond { get; set; } = 10;

    public long RemainingToday
    {
        get
        {
            lock (gate)
            {
                return Math.Max(0, DailyQuota - usedToday);
            }
        }
    }

    public JsonObject Instance => new()
    {
        ["INSTANCE_NAME"] = Name,
        ["INSTANCE_SUBDOMAIN"] = Subdomain,
        ["PLAN_NAME"] = Plan,
        ["NEW_USER_EXPERIENCE_ENABLED"] = true,
    };

    public void ExhaustDailyQuota()
    {
        lock (gate)
        {
            usedToday = DailyQuota;
        }
    }

    /// <summary>Counts a request against the quotas; says which limit (if any) refused it.</summary>
    internal QuotaOutcome Admit(DateTimeOffset now)
    {
        lock (gate)
        {
            if (usedToday >= DailyQuota)
            {
                return QuotaOutcome.DailyExhausted;
            }

            while (recentRequests.Count > 0 && now - recentRequests.Peek() >= TimeSpan.FromSeconds(1))
            {
                recentRequests.Dequeue();
            }

            if (recentRequests.Count >= RequestsPerSecond)
            {
                return QuotaOutcome.PerSecondExceeded;
            }

            recentRequests.Enqueue(now);
            usedToday++;
            return QuotaOutcome.Admitted;
        }
    }

    /// <summary>Adds records to a collection such as <c>Users</c> or <c>Contacts</c>, kept in ascending id order.</summary>
    public void Seed(string collection, params JsonObject[] records)
    {
        lock (gate)
        {
            if (!collections.TryGetValue(collection, out var list))
            {
                collections[collection] = list = [];
            }

            list.AddRange(records);
            list.Sort((a, b) => RecordId(a).CompareTo(RecordId(b)));
        }
    }

    internal IReadOnlyList<JsonObject>? Records(string collection)
    {
        lock (gate)
        {
            return collections.TryGetValue(collection, out var list) ? list.ToList() : null;
        }
    }

    internal static long RecordId(JsonObject record) =>
        record.Where(p => p.Key.EndsWith("_ID", StringComparison.Ordinal) && p.Value is JsonValue)
            .Select(p => p.Value!.GetValue<long>())
            .FirstOrDefault();
}

internal enum QuotaOutcome
{
    Admitted,
    PerSecondExceeded,
    DailyExhausted,
}
