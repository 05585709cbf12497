using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Insightly.Unified.Errors;
using Insightly.Unified.Unified.Lookups;
using Insightly.Unified.Unified.Mapping;
using Insightly.Unified.Http;

namespace Insightly.Unified.UnitTests.Unified;

/// <summary>
/// Runs the record mapper as the unified pipeline does (same writer options, the same calls after the write), and
/// compares whole JSON documents with a readable message when they differ.
/// </summary>
internal static class MappingHarness
{
    /// <summary>The unified object for one Insightly record, exactly as a GET would answer it.</summary>
    public static JsonObject Read(CrmResource resource, string record, MappingContext? context = null) =>
        JsonNode.Parse(ReadText(resource, record, context))!.AsObject();

    /// <summary>The unified object's UTF-8 text, to check what is escaped and what is not.</summary>
    public static string ReadText(CrmResource resource, string record, MappingContext? context = null)
    {
        using var document = JsonDocument.Parse(record);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, JsonWriterResult.Options))
        {
            RecordMapper.Write(writer, resource, document.RootElement, context ?? Fixtures.Context());
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>What a POST body turns into.</summary>
    public static WritePlan Create(CrmResource resource, string body, MappingContext? context = null) =>
        RecordMapper.Plan(resource, Object(body), WriteKind.Create, context ?? Fixtures.Context());

    /// <summary>What a PATCH body turns into.</summary>
    public static WritePlan Update(CrmResource resource, string body, MappingContext? context = null) =>
        Update(resource, Object(body), context);

    public static WritePlan Update(CrmResource resource, JsonObject body, MappingContext? context = null) =>
        RecordMapper.Plan(resource, body, WriteKind.Update, context ?? Fixtures.Context());

    /// <summary>
    /// The calls <c>UnifiedWriter</c> makes after the record's own for record <paramref name="id"/>, as JSON: link
    /// changes against <paramref name="currentLinks"/> (a <c>GET …/Links</c> answer; none for a new record), then the
    /// plan's follow-ups.
    /// </summary>
    public static JsonArray Calls(CrmResource resource, WritePlan plan, long id, string currentLinks = "[]")
    {
        using var links = JsonDocument.Parse(currentLinks);
        return Json(plan.Calls(resource.ObjectName!, id, links.RootElement));
    }

    /// <summary>The fields a refused write names in <c>details.fields</c> (400 <c>invalid_body</c>), in order.</summary>
    public static string[] RefusedFields(Func<WritePlan> write) => Refusal(write).Fields;

    public static (string[] Fields, string Message) Refusal(Func<WritePlan> write)
    {
        var error = Assert.Throws<ApiException>(() => write());
        Assert.Equal((400, ErrorCodes.InvalidBody), (error.StatusCode, error.Error));
        var fields = error.Details?["fields"]?.AsArray().Select(f => f!.GetValue<string>()).ToArray() ?? [];
        return (fields, error.Message);
    }

    /// <summary>
    /// Reads <paramref name="record"/>, sends its unified output's editable fields (and editable custom fields) back
    /// as a PATCH for the same account, and asserts that every column the plan writes holds the record's own value
    /// (enumerated values spelt as the record spells them) and that no link changes: what a caller reads and writes
    /// back unchanged changes nothing upstream.
    /// </summary>
    public static WritePlan AssertRoundTrip(CrmResource resource, string record)
    {
        var account = Fixtures.Context();
        var unified = Read(resource, record, account);
        var body = new JsonObject();
        foreach (var field in resource.UnifiedFields.Where(f => f.IsEditable && !f.IsCreateOnly))
        {
            Assert.True(unified.ContainsKey(field.Name), $"{resource.Name} reads no '{field.Name}'.");
            body[field.Name] = unified[field.Name]?.DeepClone();
        }

        if (resource.HasCustomFields)
        {
            body["custom_fields"] = new JsonObject(unified["custom_fields"]!.AsObject()
                .Where(p => Fixtures.EditableCustomFields.Contains(p.Key))
                .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        }

        var plan = Update(resource, body, account);
        var original = JsonNode.Parse(record)!.AsObject();
        using (var links = JsonDocument.Parse(original["LINKS"]?.ToJsonString() ?? "[]"))
        {
            Assert.Empty(plan.LinkCalls(resource.ObjectName ?? "", original[resource.IdField]!.GetValue<long>(), links.RootElement));
        }

        var sentColumns = resource.Fields
            .Where(m => m.Fields.Any(f => body.ContainsKey(f.Name)) && m is not (PipelineStageMap or OpportunityStateMap or LinksMap))
            .SelectMany(m => m.Columns)
            .Append(resource.HasCustomFields ? "CUSTOMFIELDS" : null)
            .OfType<string>()
            .ToHashSet();
        Assert.Subset(sentColumns, plan.Body.Select(p => p.Key).ToHashSet());
        Assert.Superset(sentColumns, plan.Body.Select(p => p.Key).ToHashSet());
        foreach (var (column, written) in plan.Body)
        {
            var stored = original[column];
            switch (column)
            {
                case "CUSTOMFIELDS":
                    Equal(new JsonArray([.. stored!.AsArray().Where(i => Fixtures.EditableCustomFields.Contains(i!["FIELD_NAME"]!.GetValue<string>())).Select(i => i!.DeepClone())]), written);
                    break;
                default:
                    Assert.True(JsonNode.DeepEquals(stored, written), $"{column}: the record holds {Show(stored)}, the round trip writes {Show(written)}.");
                    break;
            }
        }

        return plan;
    }

    /// <summary>Some properties of a unified object, to compare them whole.</summary>
    public static JsonObject Pick(JsonObject unified, params string[] names) =>
        new(names.Select(n => KeyValuePair.Create(n, unified[n]?.DeepClone())));

    public static JsonObject Object(string json) => JsonNode.Parse(json)!.AsObject();

    /// <summary>Asserts two JSON documents are equal (property order aside), showing both when they are not.</summary>
    public static void Equal(string expected, JsonNode? actual) => Equal(JsonNode.Parse(expected), actual);

    public static void Equal(JsonNode? expected, JsonNode? actual)
    {
        if (!JsonNode.DeepEquals(expected, actual))
        {
            Assert.Fail($"JSON differs.\nExpected: {Show(expected)}\nActual:   {Show(actual)}\nFirst difference: {FirstDifference(expected, actual, "$")}");
        }
    }

    /// <summary>The follow-up calls of a plan (without its link changes) as JSON, for comparing them whole.</summary>
    public static JsonArray FollowUps(WritePlan plan) => Json(plan.FollowUps);

    private static JsonArray Json(IEnumerable<FollowUpCall> calls) =>
        new([.. calls.Select(call => (JsonNode?)new JsonObject
        {
            ["part"] = call.Part,
            ["method"] = call.Method.Method,
            ["path"] = call.PathSuffix,
            ["body"] = call.Body?.DeepClone(),
        })]);

    private static string Show(JsonNode? node) => node?.ToJsonString(new JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    }) ?? "null";

    private static string FirstDifference(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected, actual)
        {
            case (JsonObject e, JsonObject a):
                foreach (var name in e.Select(p => p.Key).Union(a.Select(p => p.Key)))
                {
                    if (!e.ContainsKey(name) || !a.ContainsKey(name))
                    {
                        return $"{path}.{name} is {(e.ContainsKey(name) ? "missing" : "unexpected")}";
                    }

                    if (!JsonNode.DeepEquals(e[name], a[name]))
                    {
                        return FirstDifference(e[name], a[name], $"{path}.{name}");
                    }
                }

                break;
            case (JsonArray e, JsonArray a) when e.Count == a.Count:
                for (var i = 0; i < e.Count; i++)
                {
                    if (!JsonNode.DeepEquals(e[i], a[i]))
                    {
                        return FirstDifference(e[i], a[i], $"{path}[{i}]");
                    }
                }

                break;
        }

        return $"{path}: expected {Show(expected)}, got {Show(actual)}";
    }
}

/// <summary>What an account's lookups and custom field definitions look like, as Insightly lists them.</summary>
internal static class Fixtures
{
    /// <summary>Two opportunity pipelines and one project pipeline.</summary>
    public const string Pipelines = """
        [
          {"PIPELINE_ID": 900001, "PIPELINE_NAME": "Sales", "FOR_OPPORTUNITIES": true, "FOR_PROJECTS": false, "OWNER_USER_ID": 1001},
          {"PIPELINE_ID": 900002, "PIPELINE_NAME": "Partner deals — Ørsted", "FOR_OPPORTUNITIES": true, "FOR_PROJECTS": false, "OWNER_USER_ID": 1001},
          {"PIPELINE_ID": 900003, "PIPELINE_NAME": "Delivery", "FOR_OPPORTUNITIES": false, "FOR_PROJECTS": true, "OWNER_USER_ID": 1001}
        ]
        """;

    /// <summary>Stages listed out of their STAGE_ORDER, as nothing promises Insightly lists them in order.</summary>
    public const string Stages = """
        [
          {"STAGE_ID": 910003, "PIPELINE_ID": 900001, "STAGE_NAME": "Proposal", "STAGE_ORDER": 3, "ACTIVITYSET_ID": null, "OWNER_USER_ID": 1001},
          {"STAGE_ID": 910001, "PIPELINE_ID": 900001, "STAGE_NAME": "Prospecting", "STAGE_ORDER": 1, "ACTIVITYSET_ID": null, "OWNER_USER_ID": 1001},
          {"STAGE_ID": 910002, "PIPELINE_ID": 900001, "STAGE_NAME": "Qualification", "STAGE_ORDER": 2, "ACTIVITYSET_ID": 55, "OWNER_USER_ID": 1001},
          {"STAGE_ID": 910004, "PIPELINE_ID": 900001, "STAGE_NAME": "Négociation", "STAGE_ORDER": 4, "ACTIVITYSET_ID": null, "OWNER_USER_ID": 1001},
          {"STAGE_ID": 910006, "PIPELINE_ID": 900002, "STAGE_NAME": "Evaluating", "STAGE_ORDER": 2, "ACTIVITYSET_ID": null, "OWNER_USER_ID": 1001},
          {"STAGE_ID": 910005, "PIPELINE_ID": 900002, "STAGE_NAME": "Introduced", "STAGE_ORDER": 1, "ACTIVITYSET_ID": null, "OWNER_USER_ID": 1001},
          {"STAGE_ID": 910009, "PIPELINE_ID": 900003, "STAGE_NAME": "Handover", "STAGE_ORDER": 3, "ACTIVITYSET_ID": null, "OWNER_USER_ID": 1001},
          {"STAGE_ID": 910007, "PIPELINE_ID": 900003, "STAGE_NAME": "Kick-off", "STAGE_ORDER": 1, "ACTIVITYSET_ID": null, "OWNER_USER_ID": 1001},
          {"STAGE_ID": 910008, "PIPELINE_ID": 900003, "STAGE_NAME": "Build", "STAGE_ORDER": 2, "ACTIVITYSET_ID": null, "OWNER_USER_ID": 1001}
        ]
        """;

    /// <summary>Includes a converted status, as <c>include_converted=true</c> lists it.</summary>
    public const string LeadStatuses = """
        [
          {"LEAD_STATUS_ID": 920001, "LEAD_STATUS": "Open - Not Contacted", "DEFAULT_STATUS": true, "STATUS_TYPE": 1, "FIELD_ORDER": 1},
          {"LEAD_STATUS_ID": 920002, "LEAD_STATUS": "Contacted", "DEFAULT_STATUS": false, "STATUS_TYPE": 1, "FIELD_ORDER": 2},
          {"LEAD_STATUS_ID": 920005, "LEAD_STATUS": "Converted", "DEFAULT_STATUS": false, "STATUS_TYPE": 3, "FIELD_ORDER": 5}
        ]
        """;

    public const string LeadSources = """
        [
          {"LEAD_SOURCE_ID": 930001, "LEAD_SOURCE": "Web", "DEFAULT_VALUE": true, "FIELD_ORDER": 1},
          {"LEAD_SOURCE_ID": 930003, "LEAD_SOURCE": "Salon professionnel", "DEFAULT_VALUE": false, "FIELD_ORDER": 3}
        ]
        """;

    /// <summary>
    /// <c>GET /CustomFields/{Collection}</c>: one field of every FIELD_TYPE, a calculated and an auto-number field
    /// (read-only), a field Insightly marks not EDITABLE, a hidden one, and a type this code does not know.
    /// </summary>
    public const string CustomFields = """
        [
          {"FIELD_NAME": "Reference_Code__c", "FIELD_ORDER": 1, "FIELD_FOR": "CONTACT", "FIELD_LABEL": "Reference code", "FIELD_TYPE": "TEXT", "FIELD_HELP_TEXT": null, "DEFAULT_VALUE": null, "EDITABLE": true, "VISIBLE": true, "CUSTOM_FIELD_OPTIONS": [], "DEPENDENCY": null, "JOIN_OBJECT": null},
          {"FIELD_NAME": "Summary__c", "FIELD_ORDER": 2, "FIELD_FOR": "CONTACT", "FIELD_LABEL": "Summary", "FIELD_TYPE": "MULTILINETEXT", "FIELD_HELP_TEXT": null, "DEFAULT_VALUE": null, "EDITABLE": true, "VISIBLE": true, "CUSTOM_FIELD_OPTIONS": [], "DEPENDENCY": null, "JOIN_OBJECT": null},
          {"FIELD_NAME": "Is_Vip__c", "FIELD_ORDER": 3, "FIELD_FOR": "CONTACT", "FIELD_LABEL": "VIP", "FIELD_TYPE": "BIT", "FIELD_HELP_TEXT": null, "DEFAULT_VALUE": "false", "EDITABLE": true, "VISIBLE": true, "CUSTOM_FIELD_OPTIONS": [], "DEPENDENCY": null, "JOIN_OBJECT": null},
          {"FIELD_NAME": "Segment__c", "FIELD_ORDER": 4, "FIELD_FOR": "CONTACT", "FIELD_LABEL": "Segment", "FIELD_TYPE": "DROPDOWN", "FIELD_HELP_TEXT": "Sales segment", "DEFAULT_VALUE": "SMB", "EDITABLE": true, "VISIBLE": true,
           "CUSTOM_FIELD_OPTIONS": [{"OPTION_ID": 1, "OPTION_VALUE": "Enterprise", "OPTION_DEFAULT": false}, {"OPTION_ID": 2, "OPTION_VALUE": "Mid-market", "OPTION_DEFAULT": false}, {"OPTION_ID": 3, "OPTION_VALUE": "SMB", "OPTION_DEFAULT": true}, {"OPTION_ID": 4, "OPTION_VALUE": "Öffentlicher Sektor", "OPTION_DEFAULT": false}],
           "DEPENDENCY": null, "JOIN_OBJECT": null},
          {"FIELD_NAME": "Renewal_Date__c", "FIELD_ORDER": 5, "FIELD_FOR": "CONTACT", "FIELD_LABEL": "Renewal date", "FIELD_TYPE": "DATE", "FIELD_HELP_TEXT": null, "DEFAULT_VALUE": null, "EDITABLE": true, "VISIBLE": true, "CUSTOM_FIELD_OPTIONS": [], "DEPENDENCY": null, "JOIN_OBJECT": null},
          {"FIELD_NAME": "Last_Reviewed__c", "FIELD_ORDER": 6, "FIELD_FOR": "CONTACT", "FIELD_LABEL": "Last reviewed", "FIELD_TYPE": "DATETIME", "FIELD_HELP_TEXT": null, "DEFAULT_VALUE": null, "EDITABLE": true, "VISIBLE": true, "CUSTOM_FIELD_OPTIONS": [], "DEPENDENCY": null, "JOIN_OBJECT": null},
          {"FIELD_NAME": "Score__c", "FIELD_ORDER": 7, "FIELD_FOR": "CONTACT", "FIELD_LABEL": "Score", "FIELD_TYPE": "NUMERIC", "FIELD_HELP_TEXT": null, "DEFAULT_VALUE": null, "EDITABLE": true, "VISIBLE": true, "CUSTOM_FIELD_OPTIONS": [], "DEPENDENCY": null, "JOIN_OBJECT": null},
          {"FIELD_NAME": "Homepage__c", "FIELD_ORDER": 8, "FIELD_FOR": "CONTACT", "FIELD_LABEL": "Homepage", "FIELD_TYPE": "URL", "FIELD_HELP_TEXT": null, "DEFAULT_VALUE": null, "EDITABLE": true, "VISIBLE": true, "CUSTOM_FIELD_OPTIONS": [], "DEPENDENCY": null, "JOIN_OBJECT": null},
          {"FIELD_NAME": "Interests__c", "FIELD_ORDER": 9, "FIELD_FOR": "CONTACT", "FIELD_LABEL": "Interests", "FIELD_TYPE": "MULTISELECT", "FIELD_HELP_TEXT": null, "DEFAULT_VALUE": null, "EDITABLE": true, "VISIBLE": true,
           "CUSTOM_FIELD_OPTIONS": [{"OPTION_ID": 11, "OPTION_VALUE": "Golf", "OPTION_DEFAULT": false}, {"OPTION_ID": 12, "OPTION_VALUE": "Sailing", "OPTION_DEFAULT": false}, {"OPTION_ID": 13, "OPTION_VALUE": "Wine", "OPTION_DEFAULT": false}, {"OPTION_ID": 14, "OPTION_VALUE": "Technology", "OPTION_DEFAULT": false}, {"OPTION_ID": 15, "OPTION_VALUE": "Café culture", "OPTION_DEFAULT": false}],
           "DEPENDENCY": null, "JOIN_OBJECT": null},
          {"FIELD_NAME": "Related_Organisation__c", "FIELD_ORDER": 10, "FIELD_FOR": "CONTACT", "FIELD_LABEL": "Related organisation", "FIELD_TYPE": "LOOKUP", "FIELD_HELP_TEXT": null, "DEFAULT_VALUE": null, "EDITABLE": true, "VISIBLE": true, "CUSTOM_FIELD_OPTIONS": [], "DEPENDENCY": null, "JOIN_OBJECT": "Organisations"},
          {"FIELD_NAME": "Lifetime_Value__c", "FIELD_ORDER": 11, "FIELD_FOR": "CONTACT", "FIELD_LABEL": "Lifetime value", "FIELD_TYPE": "CALCULATED", "FIELD_HELP_TEXT": null, "DEFAULT_VALUE": null, "EDITABLE": true, "VISIBLE": true, "CUSTOM_FIELD_OPTIONS": [], "DEPENDENCY": null, "JOIN_OBJECT": null},
          {"FIELD_NAME": "Ticket_No__c", "FIELD_ORDER": 12, "FIELD_FOR": "CONTACT", "FIELD_LABEL": "Ticket number", "FIELD_TYPE": "AUTONUMBER", "FIELD_HELP_TEXT": null, "DEFAULT_VALUE": null, "EDITABLE": true, "VISIBLE": true, "CUSTOM_FIELD_OPTIONS": [], "DEPENDENCY": null, "JOIN_OBJECT": null},
          {"FIELD_NAME": "Locked_Code__c", "FIELD_ORDER": 13, "FIELD_FOR": "CONTACT", "FIELD_LABEL": "Locked code", "FIELD_TYPE": "TEXT", "FIELD_HELP_TEXT": null, "DEFAULT_VALUE": null, "EDITABLE": false, "VISIBLE": true, "CUSTOM_FIELD_OPTIONS": [], "DEPENDENCY": null, "JOIN_OBJECT": null},
          {"FIELD_NAME": "Legacy_Id__c", "FIELD_ORDER": 14, "FIELD_FOR": "CONTACT", "FIELD_LABEL": "Legacy id", "FIELD_TYPE": "TEXT", "FIELD_HELP_TEXT": null, "DEFAULT_VALUE": null, "EDITABLE": true, "VISIBLE": false, "CUSTOM_FIELD_OPTIONS": [], "DEPENDENCY": null, "JOIN_OBJECT": null},
          {"FIELD_NAME": "Brand_Colour__c", "FIELD_ORDER": 15, "FIELD_FOR": "CONTACT", "FIELD_LABEL": "Brand colour", "FIELD_TYPE": "COLOURPICKER", "FIELD_HELP_TEXT": null, "DEFAULT_VALUE": null, "EDITABLE": true, "VISIBLE": true, "CUSTOM_FIELD_OPTIONS": [], "DEPENDENCY": null, "JOIN_OBJECT": null}
        ]
        """;

    /// <summary>
    /// A CUSTOMFIELDS array with a value of every type as Insightly stores it, a value of a field that is no longer
    /// defined, and <see cref="CustomValuesUnified"/> as they read.
    /// </summary>
    public const string CustomValues = """
        [
          {"FIELD_NAME": "Reference_Code__c", "FIELD_VALUE": "REF-0042"},
          {"FIELD_NAME": "Summary__c", "FIELD_VALUE": "Line one\nLine two — naïve café, 北京, 🚀"},
          {"FIELD_NAME": "Is_Vip__c", "FIELD_VALUE": true},
          {"FIELD_NAME": "Segment__c", "FIELD_VALUE": "Öffentlicher Sektor"},
          {"FIELD_NAME": "Renewal_Date__c", "FIELD_VALUE": "2025-03-30 00:00:00"},
          {"FIELD_NAME": "Last_Reviewed__c", "FIELD_VALUE": "2025-10-26 01:00:00"},
          {"FIELD_NAME": "Score__c", "FIELD_VALUE": 512.5},
          {"FIELD_NAME": "Homepage__c", "FIELD_VALUE": "https://example.com/profile/zoë"},
          {"FIELD_NAME": "Interests__c", "FIELD_VALUE": "Golf;Café culture"},
          {"FIELD_NAME": "Related_Organisation__c", "FIELD_VALUE": 200002},
          {"FIELD_NAME": "Lifetime_Value__c", "FIELD_VALUE": 1250},
          {"FIELD_NAME": "Ticket_No__c", "FIELD_VALUE": "T-000017"},
          {"FIELD_NAME": "Locked_Code__c", "FIELD_VALUE": "LOCK-1"},
          {"FIELD_NAME": "Legacy_Id__c", "FIELD_VALUE": "old-77"},
          {"FIELD_NAME": "Brand_Colour__c", "FIELD_VALUE": "#FF8800"},
          {"FIELD_NAME": "Retired_Field__c", "FIELD_VALUE": "kept as sent"}
        ]
        """;

    public const string CustomValuesUnified = """
        {
          "Reference_Code__c": "REF-0042",
          "Summary__c": "Line one\nLine two — naïve café, 北京, 🚀",
          "Is_Vip__c": true,
          "Segment__c": "Öffentlicher Sektor",
          "Renewal_Date__c": "2025-03-30",
          "Last_Reviewed__c": "2025-10-26T01:00:00Z",
          "Score__c": 512.5,
          "Homepage__c": "https://example.com/profile/zoë",
          "Interests__c": ["Golf", "Café culture"],
          "Related_Organisation__c": "200002",
          "Lifetime_Value__c": 1250,
          "Ticket_No__c": "T-000017",
          "Locked_Code__c": "LOCK-1",
          "Legacy_Id__c": "old-77",
          "Brand_Colour__c": "#FF8800",
          "Retired_Field__c": "kept as sent"
        }
        """;

    /// <summary>The custom fields a write may send (the editable ones of <see cref="CustomFields"/>).</summary>
    public static readonly string[] EditableCustomFields =
    [
        "Reference_Code__c", "Summary__c", "Is_Vip__c", "Segment__c", "Renewal_Date__c", "Last_Reviewed__c", "Score__c",
        "Homepage__c", "Interests__c", "Related_Organisation__c", "Legacy_Id__c", "Brand_Colour__c",
    ];

    public static LookupSet Lookups(
        string? pipelines = Pipelines, string? stages = Stages, string? leadStatuses = LeadStatuses, string? leadSources = LeadSources)
    {
        var records = new Dictionary<LookupKinds, IReadOnlyList<JsonElement>>();
        Add(LookupKinds.Pipelines, pipelines);
        Add(LookupKinds.Stages, stages);
        Add(LookupKinds.LeadStatuses, leadStatuses);
        Add(LookupKinds.LeadSources, leadSources);
        return new LookupSet(records);

        void Add(LookupKinds kind, string? json)
        {
            if (json is not null)
            {
                using var document = JsonDocument.Parse(json);
                records[kind] = [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
            }
        }
    }

    public static CustomFieldSet Definitions(string definitions = CustomFields)
    {
        using var document = JsonDocument.Parse(definitions);
        return new CustomFieldSet([.. document.RootElement.EnumerateArray().Select(e => CustomFieldDefinition.Parse(e.Clone())).OfType<CustomFieldDefinition>()]);
    }

    /// <summary>Every lookup and every custom field definition loaded, remote data included (what a GET does by default).</summary>
    /// <summary>A fresh account's: its lookups and custom fields, and no spelling of its choices seen yet.</summary>
    public static MappingContext Context(bool includeRemoteData = true) => new(Lookups(), Definitions(), includeRemoteData);

    /// <summary>An account whose lookups could not be read (403 is cached as empty) and that has no custom fields.</summary>
    public static MappingContext Bare(bool includeRemoteData = true) => new(LookupSet.Empty, CustomFieldSet.None, includeRemoteData);
}
