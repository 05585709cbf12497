using System.Text.Json.Nodes;
using Insightly.Unified.Errors;
using Insightly.Unified.Unified.Mapping;
using Insightly.Unified.Unified.Resources;
using static Insightly.Unified.UnitTests.Unified.MappingHarness;

namespace Insightly.Unified.UnitTests.Unified;

/// <summary>Rules every resource follows, checked over all of them so a new resource cannot miss one.</summary>
public sealed class EveryResourceMappingTests
{
    public static TheoryData<string> AllResources => [.. CrmResources.All.Select(Key)];

    public static TheoryData<string> WritableResources => [.. CrmResources.All.Where(r => r.Verbs.HasFlag(CrmVerbs.Update)).Select(Key)];

    public static TheoryData<string, string> ResourcesAndJunk => Cross(["{}", "[]", "\"\"", "\"x\"", "7", "-1", "2.5", "true", "false", "null"]);

    /// <summary>Values no tag name, link id or custom field name can be.</summary>
    public static TheoryData<string, string> ResourcesAndNonValues => Cross(["{}", "[]", "\"\"", "true", "false", "null"]);

    [Theory]
    [MemberData(nameof(AllResources))]
    public void A_record_with_only_its_id_reads_every_field_as_null_or_empty(string key)
    {
        var resource = Resource(key);

        var unified = Read(resource, $$$"""{"{{{resource.IdField}}}": 123456}""", Fixtures.Context(includeRemoteData: false));

        var expected = new[] { "id" }.Concat(resource.UnifiedFields.Where(f => !f.IsCreateOnly).Select(f => f.Name)).Distinct()
            .Concat(resource.HasCustomFields ? ["custom_fields"] : []).ToList();
        Assert.Equal(expected, unified.Select(p => p.Key));
        Assert.Equal("123456", unified["id"]!.GetValue<string>());
        Assert.All(unified.Where(p => p.Key != "id" && !(resource == DirectoryUsers.Resource && p.Key == "status")), p => Assert.True(
            p.Value is null || p.Value is JsonArray { Count: 0 } || p.Value is JsonObject { Count: 0 },
            $"{resource.Name}.{p.Key} reads {p.Value?.ToJsonString()} from a record without it."));
    }

    [Theory]
    [MemberData(nameof(AllResources))]
    public void Remote_data_is_the_record_as_sent_and_is_left_out_when_not_wanted(string key)
    {
        var resource = Resource(key);
        var record = $$$"""{"{{{resource.IdField}}}": 123456, "UNKNOWN_COLUMN__c": "ünïcødé ✓", "NESTED": {"A": [1, 2.50, null]}, "DATE_UPDATED_UTC": "2025-03-30 01:00:00"}""";

        Equal(record, Read(resource, record, Fixtures.Context(includeRemoteData: true))["remote_data"]);
        Assert.False(Read(resource, record, Fixtures.Context(includeRemoteData: false)).ContainsKey("remote_data"));
    }

    [Theory]
    [MemberData(nameof(ResourcesAndJunk))]
    public void Columns_of_an_unexpected_JSON_type_read_without_failing(string key, string junk)
    {
        var resource = Resource(key);
        var record = new JsonObject { [resource.IdField] = 1 };
        foreach (var column in resource.Fields.SelectMany(m => m.Columns).Concat(["DATE_CREATED_UTC", "DATE_UPDATED_UTC", "CUSTOMFIELDS"]).Distinct().Where(c => c != resource.IdField))
        {
            record[column] = JsonNode.Parse(junk);
        }

        var unified = Read(resource, record.ToJsonString());

        Assert.Equal("1", unified["id"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(ResourcesAndNonValues))]
    public void Sub_collection_items_of_an_unexpected_shape_are_skipped(string key, string junk)
    {
        var resource = Resource(key);
        var record = $$$"""
            {"{{{resource.IdField}}}": 1, "TAGS": [{{{junk}}}, {"TAG_NAME": {{{junk}}}}], "LINKS": [{{{junk}}}, {"LINK_OBJECT_NAME": "Contact", "LINK_OBJECT_ID": {{{junk}}}}],
             "CUSTOMFIELDS": [{{{junk}}}, {"FIELD_NAME": {{{junk}}}, "FIELD_VALUE": 1}]}
            """;

        var unified = Read(resource, record);

        foreach (var list in new[] { "tags", "contacts" }.Where(unified.ContainsKey))
        {
            Assert.Empty(unified[list]!.AsArray());
        }

        if (resource.HasCustomFields)
        {
            Assert.Empty(unified["custom_fields"]!.AsObject());
        }
    }

    [Theory]
    [MemberData(nameof(WritableResources))]
    public void The_id_timestamps_and_unknown_fields_are_refused_all_named_at_once(string key)
    {
        var resource = Resource(key);

        var fields = RefusedFields(() => Update(resource, $$$"""
            {"id": "1", "created_at": "2025-03-30T01:00:00Z", "updated_at": null, "remote_id": "1", "{{{resource.IdField}}}": 1, "custom_field": {}}
            """));

        Assert.Equal(["id", "created_at", "updated_at", "remote_id", resource.IdField, "custom_field"], fields);
    }

    [Theory]
    [MemberData(nameof(WritableResources))]
    public void A_body_of_only_remote_data_writes_those_columns_as_given(string key)
    {
        var plan = Update(Resource(key), """{"remote_data": {"IMAGE_URL": "https://example.com/ø.png", "CATEGORY_ID": null, "X": {"nested": [1]}}}""");

        Equal("""{"IMAGE_URL": "https://example.com/ø.png", "CATEGORY_ID": null, "X": {"nested": [1]}}""", plan.Body);
    }

    [Theory]
    [MemberData(nameof(WritableResources))]
    public void Every_editable_field_sent_as_null_is_accepted_or_refused_by_name_never_failing(string key)
    {
        var resource = Resource(key);
        var body = new JsonObject(resource.UnifiedFields.Where(f => f.IsEditable && !f.IsCreateOnly).Select(f => KeyValuePair.Create(f.Name, (JsonNode?)null)));

        try
        {
            var plan = Update(resource, body);
            Assert.All(plan.Body, column => Assert.True(column.Value is null || column.Value is JsonArray { Count: 0 }, $"{column.Key} is {column.Value?.ToJsonString()}"));
        }
        catch (ApiException error)
        {
            // The one field that cannot be cleared: an opportunity's status.
            Assert.Equal(["status"], error.Details!["fields"]!.AsArray().Select(f => f!.GetValue<string>()));
            Assert.Same(Opportunities.Resource, resource);
        }
    }

    private static string Key(CrmResource resource) => resource.Route;

    private static CrmResource Resource(string route) => CrmResources.All.Single(r => r.Route == route);

    private static TheoryData<string, string> Cross(string[] junk)
    {
        var data = new TheoryData<string, string>();
        foreach (var resource in CrmResources.All)
        {
            foreach (var value in junk)
            {
                data.Add(Key(resource), value);
            }
        }

        return data;
    }
}
