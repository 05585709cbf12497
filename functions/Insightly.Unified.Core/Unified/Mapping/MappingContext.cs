using Insightly.Unified.Unified.Lookups;

namespace Insightly.Unified.Unified.Mapping;

/// <summary>
/// What mapping one account's records needs besides the records: names from its lookups, its custom fields, and how
/// its records spell enumerated values (a fresh, empty set unless the account's own is given).
/// </summary>
public sealed class MappingContext(LookupSet lookups, CustomFieldSet customFields, bool includeRemoteData, ChoiceSpellings? choices = null)
{
    public LookupSet Lookups { get; } = lookups;

    public CustomFieldSet CustomFields { get; } = customFields;

    public ChoiceSpellings Choices { get; } = choices ?? new ChoiceSpellings();

    public bool IncludeRemoteData { get; } = includeRemoteData;

    /// <summary>The record being mapped, reused for each one: a context maps one request's records, one at a time.</summary>
    public SourceRecord Source { get; } = new();
}

/// <summary>Which per-account lookups a field map needs to name what it references.</summary>
[Flags]
public enum LookupKinds
{
    None = 0,
    Pipelines = 1,
    Stages = 2,
    LeadStatuses = 4,
    LeadSources = 8,
}

/// <summary>Create (POST) or partial update (PATCH).</summary>
public enum WriteKind
{
    Create,
    Update,
}

/// <summary>A call to make after the record itself is written, e.g. moving an opportunity to another stage.</summary>
/// <param name="Part">What it changes, as the error names it when it fails (<c>pipeline</c>, <c>stage</c>, <c>status</c>).</param>
/// <param name="PathSuffix">Appended to <c>{Collection}/{id}/</c>.</param>
public sealed record FollowUpCall(string Part, HttpMethod Method, string PathSuffix, System.Text.Json.Nodes.JsonObject? Body);

/// <summary>A field of the request body that was refused, with what to fix.</summary>
public sealed record FieldError(string Field, string Message);
