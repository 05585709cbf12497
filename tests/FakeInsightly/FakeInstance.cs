using System.Text.Json.Nodes;

namespace FakeInsightly;

/// <summary>
/// One Insightly instance on one pod: its users (each with a key), records, custom field definitions and
/// quotas. Records are kept per collection in ascending id order, exactly as stored; tests seed them
/// (<see cref="Seed"/>, <see cref="SeedStandardData"/>, <see cref="SeedContacts"/>) and read them back with
/// <see cref="Find"/> to check what the product wrote.
/// </summary>
public sealed partial class FakeInstance(string pod, string subdomain, string name, string plan, long dailyQuota)
{
    private readonly Lock quotaGate = new();
    private readonly Queue<DateTimeOffset> recentRequests = new();
    private readonly Dictionary<string, SortedDictionary<long, JsonObject>> collections = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, long> highestIds = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<JsonObject>> customFields = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<long, List<JsonObject>> stateHistory = [];
    private long lastItemId = 5_000_000;
    private long usedToday;

    public string Pod { get; } = pod;

    public string Subdomain { get; } = subdomain;

    public string Name { get; } = name;

    public string Plan { get; } = plan;

    public long DailyQuota { get; set; } = dailyQuota;

    /// <summary>Insightly's burst limit; tests lower it to provoke throttling.</summary>
    public int RequestsPerSecond { get; set; } = 10;

    /// <summary>
    /// How this instance spells opportunity states and task and project statuses, the only spelling its writes
    /// accept: upper case (<c>IN PROGRESS</c>, what v3.x answers appear to hold) unless a test chooses the title
    /// case of the v2.2 documentation (<c>In Progress</c>). Insightly's own rule is unconfirmed, so a product that
    /// guesses wrong fails a test here.
    /// </summary>
    public ChoiceSpelling StateSpelling { get; set; } = ChoiceSpelling.UpperCase;

    public long RemainingToday
    {
        get
        {
            lock (quotaGate)
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

    /// <summary>Held while a request reads or changes records, so each request sees one consistent store.</summary>
    internal Lock StoreGate { get; } = new();

    public void ExhaustDailyQuota()
    {
        lock (quotaGate)
        {
            usedToday = DailyQuota;
        }
    }

    /// <summary>A new day (or a plan upgrade): the daily quota is whole again.</summary>
    public void RestoreDailyQuota()
    {
        lock (quotaGate)
        {
            usedToday = 0;
        }
    }

    /// <summary>
    /// Stores records as given (no validation) in a collection such as <c>Users</c> or <c>Contacts</c>, replacing
    /// any with the same id. A record of a known collection without its <c>*_ID</c> gets the next id.
    /// </summary>
    public void Seed(string collection, params JsonObject[] records)
    {
        lock (StoreGate)
        {
            var schema = Schemas.Find(collection);
            foreach (var record in records.Select(r => r.DeepClone().AsObject()))
            {
                if (schema is not null && record[schema.IdField] is null)
                {
                    record[schema.IdField] = PeekNextId(schema);
                }

                Put(schema?.Name ?? collection, record);
            }
        }
    }

    /// <summary>A copy of the stored record, or null: what the product actually wrote, field by field.</summary>
    public JsonObject? Find(string collection, long id)
    {
        lock (StoreGate)
        {
            return Get(collection, id)?.DeepClone().AsObject();
        }
    }

    /// <summary>Copies of every stored record of a collection, in ascending id order.</summary>
    public IReadOnlyList<JsonObject> All(string collection)
    {
        lock (StoreGate)
        {
            return (Rows(collection) ?? []).Select(r => r.DeepClone().AsObject()).ToList();
        }
    }

    /// <summary>
    /// Defines (or redefines) a custom field of a collection, as an admin would in the web app. Returns the
    /// definition as <c>GET /CustomFields/{collection}</c> shows it. <paramref name="fieldType"/> is a
    /// <see cref="CustomFieldType"/> constant; a LOOKUP needs <paramref name="joinObject"/> (a collection name).
    /// </summary>
    public JsonObject DefineCustomField(
        string collection, string fieldName, string fieldType, string? label = null, IEnumerable<string>? options = null,
        string? defaultValue = null, bool editable = true, bool visible = true, string? joinObject = null)
    {
        var schema = Schemas.Find(collection) is { } found && found.Has(FieldType.CustomFields)
            ? found
            : throw new ArgumentException($"{collection} has no custom fields.", nameof(collection));
        lock (StoreGate)
        {
            if (!customFields.TryGetValue(schema.Name, out var list))
            {
                customFields[schema.Name] = list = [];
            }

            list.RemoveAll(d => d["FIELD_NAME"]!.GetValue<string>() == fieldName);
            var definition = CustomFieldRules.Definition(schema, fieldName, label ?? fieldName[..^3].Replace('_', ' '), fieldType,
                options?.ToList() ?? [], defaultValue, editable, visible, joinObject, list.Count + 1, NextItemId);
            list.Add(definition);
            return definition.DeepClone().AsObject();
        }
    }

    /// <summary>Counts a request against the quotas; says which limit (if any) refused it.</summary>
    internal QuotaOutcome Admit(DateTimeOffset now)
    {
        lock (quotaGate)
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

    // The members below expect the caller to hold StoreGate.

    /// <summary>The live records of a collection; empty for a known collection with none, null for an unknown name.</summary>
    internal IEnumerable<JsonObject>? Rows(string collection) =>
        collections.TryGetValue(collection, out var rows) ? rows.Values : Schemas.Find(collection) is null ? null : [];

    internal JsonObject? Get(string collection, long id) =>
        collections.TryGetValue(collection, out var rows) && rows.TryGetValue(id, out var record) ? record : null;

    internal bool Exists(string collection, long id) => Get(collection, id) is not null;

    internal void Put(string collection, JsonObject record)
    {
        if (!collections.TryGetValue(collection, out var rows))
        {
            collections[collection] = rows = [];
        }

        var id = RecordId(collection, record);
        rows[id] = record;
        highestIds[collection] = Math.Max(highestIds.GetValueOrDefault(collection), id);
    }

    internal bool Remove(string collection, long id) => collections.TryGetValue(collection, out var rows) && rows.Remove(id);

    /// <summary>The id the next record created in <paramref name="collection"/> gets, to script a fault on a path that names it.</summary>
    public long NextId(string collection)
    {
        lock (StoreGate)
        {
            return PeekNextId(Schemas.Find(collection) ?? throw new ArgumentException($"Unknown collection {collection}.", nameof(collection)));
        }
    }

    /// <summary>The id the next created record gets; ids are never reused, even after a delete.</summary>
    internal long PeekNextId(CollectionSchema schema) => Math.Max(schema.FirstId, highestIds.GetValueOrDefault(schema.Name)) + 1;

    /// <summary>Ids for sub-collection items (LINK_ID, DATE_ID, …) and custom field options.</summary>
    internal long NextItemId() => ++lastItemId;

    internal IReadOnlyList<JsonObject> CustomFieldsOf(string collection) =>
        customFields.TryGetValue(collection, out var list) ? list : [];

    internal JsonObject? CustomField(string collection, string fieldName) =>
        CustomFieldsOf(collection).FirstOrDefault(d => d["FIELD_NAME"]!.GetValue<string>() == fieldName);

    /// <summary>The values a choice field takes here, spelt as <see cref="StateSpelling"/> says for states and statuses.</summary>
    internal IReadOnlyList<string> ChoicesOf(Field field) =>
        field.SpeltByInstance && StateSpelling == ChoiceSpelling.TitleCase ? [.. field.Choices!.Select(TitleCase)] : field.Choices!;

    /// <summary>A field's default, spelt as this instance spells its choices.</summary>
    internal JsonNode? DefaultOf(Field field) =>
        field.SpeltByInstance && StateSpelling == ChoiceSpelling.TitleCase && JsonFacts.AsString(field.Default) is { } text
            ? TitleCase(text)
            : field.Default?.DeepClone();

    private static string TitleCase(string text) => System.Globalization.CultureInfo.InvariantCulture.TextInfo.ToTitleCase(text.ToLowerInvariant());

    internal List<JsonObject> StateHistory(long opportunityId)
    {
        if (!stateHistory.TryGetValue(opportunityId, out var history))
        {
            stateHistory[opportunityId] = history = [];
        }

        return history;
    }

    /// <summary>The record's id: its collection's <c>*_ID</c> field, or for an unknown collection its first integer <c>*_ID</c>.</summary>
    internal static long RecordId(string collection, JsonObject record) =>
        Schemas.Find(collection) is { } schema
            ? JsonFacts.AsLong(record[schema.IdField]) ?? throw new ArgumentException($"A {schema.ObjectName} needs an integer {schema.IdField}.")
            : record.Select(p => p.Key.EndsWith("_ID", StringComparison.Ordinal) ? JsonFacts.AsLong(p.Value) : null)
                .FirstOrDefault(id => id is not null) ?? 0;
}

/// <summary>How an instance spells opportunity states and task and project statuses.</summary>
public enum ChoiceSpelling
{
    /// <summary><c>OPEN</c>, <c>NOT STARTED</c>: as v3.x answers appear to hold them.</summary>
    UpperCase,

    /// <summary><c>Open</c>, <c>Not Started</c>: as the v2.2 documentation lists them.</summary>
    TitleCase,
}

internal enum QuotaOutcome
{
    Admitted,
    PerSecondExceeded,
    DailyExhausted,
}
