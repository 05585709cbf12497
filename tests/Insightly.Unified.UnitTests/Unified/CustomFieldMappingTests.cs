using System.Text.Json;
using System.Text.Json.Nodes;
using Insightly.Unified.Unified.Lookups;
using Insightly.Unified.Unified.Mapping;
using Insightly.Unified.Unified.Resources;
using static Insightly.Unified.UnitTests.Unified.MappingHarness;

namespace Insightly.Unified.UnitTests.Unified;

/// <summary><c>custom_fields</c> both ways, typed by <c>GET /CustomFields/{Collection}</c>, on every resource that has them.</summary>
public sealed class CustomFieldMappingTests
{
    private static readonly string[] WithCustomFields = [.. CrmResources.All.Where(r => r.HasCustomFields).Select(r => r.Name)];

    public static TheoryData<string> ResourcesWithCustomFields => [.. WithCustomFields];

    [Fact]
    public void The_resources_with_custom_fields_are_those_Insightly_gives_CUSTOMFIELDS()
    {
        Assert.Equal(["accounts", "contacts", "leads", "opportunities", "tasks", "projects"], WithCustomFields);
    }

    [Theory]
    [MemberData(nameof(ResourcesWithCustomFields))]
    public void Custom_values_of_every_type_read_typed_by_their_definition(string name)
    {
        var resource = Resource(name);

        var unified = Read(resource, Record(resource, Fixtures.CustomValues));

        Equal(Fixtures.CustomValuesUnified, unified["custom_fields"]);
    }

    [Theory]
    [MemberData(nameof(ResourcesWithCustomFields))]
    public void Custom_values_of_every_editable_type_write_in_Insightly_s_shapes(string name)
    {
        var plan = Update(Resource(name), """
            {"custom_fields": {
              "Reference_Code__c": "REF-0042", "Summary__c": "Line one\nLine two — 北京", "Is_Vip__c": false, "Segment__c": "Öffentlicher Sektor",
              "Renewal_Date__c": "2025-03-30", "Last_Reviewed__c": "2025-10-26T02:30:00+01:00", "Score__c": -0.5,
              "Homepage__c": "https://example.com/zoë", "Interests__c": ["Wine", "Café culture", "Wine"], "Related_Organisation__c": "200002",
              "Legacy_Id__c": "old-77", "Brand_Colour__c": "#00FF00"
            }}
            """);

        Equal("""
            {"CUSTOMFIELDS": [
              {"FIELD_NAME": "Reference_Code__c", "FIELD_VALUE": "REF-0042"},
              {"FIELD_NAME": "Summary__c", "FIELD_VALUE": "Line one\nLine two — 北京"},
              {"FIELD_NAME": "Is_Vip__c", "FIELD_VALUE": false},
              {"FIELD_NAME": "Segment__c", "FIELD_VALUE": "Öffentlicher Sektor"},
              {"FIELD_NAME": "Renewal_Date__c", "FIELD_VALUE": "2025-03-30 00:00:00"},
              {"FIELD_NAME": "Last_Reviewed__c", "FIELD_VALUE": "2025-10-26 01:30:00"},
              {"FIELD_NAME": "Score__c", "FIELD_VALUE": -0.5},
              {"FIELD_NAME": "Homepage__c", "FIELD_VALUE": "https://example.com/zoë"},
              {"FIELD_NAME": "Interests__c", "FIELD_VALUE": "Wine;Café culture"},
              {"FIELD_NAME": "Related_Organisation__c", "FIELD_VALUE": 200002},
              {"FIELD_NAME": "Legacy_Id__c", "FIELD_VALUE": "old-77"},
              {"FIELD_NAME": "Brand_Colour__c", "FIELD_VALUE": "#00FF00"}
            ]}
            """, plan.Body);
    }

    [Theory]
    [MemberData(nameof(ResourcesWithCustomFields))]
    public void Custom_values_read_and_written_back_are_what_Insightly_holds(string name)
    {
        var resource = Resource(name);
        var custom = Read(resource, Record(resource, Fixtures.CustomValues))["custom_fields"]!.AsObject();
        var editable = new JsonObject(custom.Where(p => Fixtures.EditableCustomFields.Contains(p.Key)).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));

        var plan = Update(resource, new JsonObject { ["custom_fields"] = editable });

        Equal(new JsonArray([.. JsonNode.Parse(Fixtures.CustomValues)!.AsArray()
                .Where(i => Fixtures.EditableCustomFields.Contains(i!["FIELD_NAME"]!.GetValue<string>())).Select(i => i!.DeepClone())]),
            plan.Body["CUSTOMFIELDS"]);
    }

    [Fact]
    public void Null_custom_values_read_as_null_whatever_their_type()
    {
        var values = new JsonArray([.. Fixtures.EditableCustomFields.Select(n => (JsonNode?)new JsonObject { ["FIELD_NAME"] = n, ["FIELD_VALUE"] = null })]);

        var custom = Read(Contacts.Resource, Record(Contacts.Resource, values.ToJsonString()))["custom_fields"]!.AsObject();

        Assert.Equal(Fixtures.EditableCustomFields, custom.Select(p => p.Key));
        Assert.All(custom, p => Assert.Null(p.Value));
    }

    [Theory]
    [InlineData("Renewal_Date__c", "0000-00-00 00:00:00")]
    [InlineData("Renewal_Date__c", "")]
    [InlineData("Last_Reviewed__c", "0000-00-00 00:00:00")]
    [InlineData("Last_Reviewed__c", "")]
    public void Empty_and_zero_custom_dates_read_as_null(string field, string value)
    {
        var custom = Read(Contacts.Resource, Record(Contacts.Resource, $$$"""[{"FIELD_NAME": "{{{field}}}", "FIELD_VALUE": "{{{value}}}"}]"""))["custom_fields"];

        Equal($$$"""{"{{{field}}}": null}""", custom);
    }

    [Theory]
    [InlineData("Score__c", "\"42.5\"", "42.5")]
    [InlineData("Score__c", "\"-3\"", "-3")]
    [InlineData("Is_Vip__c", "\"true\"", "true")]
    [InlineData("Is_Vip__c", "\"False\"", "false")]
    [InlineData("Related_Organisation__c", "\"200002\"", "\"200002\"")]
    [InlineData("Interests__c", "\"Golf; Sailing\"", """["Golf", "Sailing"]""")]
    [InlineData("Interests__c", "\"\"", "[]")]
    [InlineData("Interests__c", """["Golf", "Wine"]""", """["Golf", "Wine"]""")]
    [InlineData("Renewal_Date__c", "\"2025-03-30\"", "\"2025-03-30\"")]
    [InlineData("Last_Reviewed__c", "\"2025-03-30T01:00:00Z\"", "\"2025-03-30T01:00:00Z\"")]
    public void Custom_values_in_looser_shapes_still_read_typed(string field, string value, string expected)
    {
        var custom = Read(Contacts.Resource, Record(Contacts.Resource, $$$"""[{"FIELD_NAME": "{{{field}}}", "FIELD_VALUE": {{{value}}}}]"""))["custom_fields"];

        Equal($$$"""{"{{{field}}}": {{{expected}}}}""", custom);
    }

    [Fact]
    public void A_custom_date_at_midnight_reads_as_a_plain_date_and_a_datetime_keeps_its_time()
    {
        var custom = Read(Contacts.Resource, Record(Contacts.Resource, """
            [{"FIELD_NAME": "Renewal_Date__c", "FIELD_VALUE": "2025-10-26 00:00:00"}, {"FIELD_NAME": "Last_Reviewed__c", "FIELD_VALUE": "2025-10-26 00:00:00"}]
            """))["custom_fields"];

        Equal("""{"Renewal_Date__c": "2025-10-26", "Last_Reviewed__c": "2025-10-26T00:00:00Z"}""", custom);
    }

    [Fact]
    public void Custom_values_read_as_sent_when_the_account_has_no_definitions()
    {
        var context = new MappingContext(Fixtures.Lookups(), CustomFieldSet.None, includeRemoteData: false);

        var custom = Read(Contacts.Resource, Record(Contacts.Resource, Fixtures.CustomValues), context)["custom_fields"];

        Equal(new JsonObject(JsonNode.Parse(Fixtures.CustomValues)!.AsArray()
            .Select(i => KeyValuePair.Create(i!["FIELD_NAME"]!.GetValue<string>(), i["FIELD_VALUE"]?.DeepClone()))), custom);
    }

    [Fact]
    public void Custom_values_without_a_field_name_are_skipped()
    {
        var custom = Read(Contacts.Resource, Record(Contacts.Resource, """[{"FIELD_VALUE": "orphan"}, {"FIELD_NAME": "", "FIELD_VALUE": 1}, {"FIELD_NAME": "Score__c", "FIELD_VALUE": 1}]"""))["custom_fields"];

        Equal("""{"Score__c": 1}""", custom);
    }

    [Fact]
    public void Null_custom_values_clear_the_field_whatever_its_type()
    {
        var body = new JsonObject([.. Fixtures.EditableCustomFields.Select(n => KeyValuePair.Create(n, (JsonNode?)null))]);

        var plan = Update(Contacts.Resource, new JsonObject { ["custom_fields"] = body });

        Equal(new JsonArray([.. Fixtures.EditableCustomFields.Select(n => (JsonNode?)new JsonObject { ["FIELD_NAME"] = n, ["FIELD_VALUE"] = null })]), plan.Body["CUSTOMFIELDS"]);
    }

    [Fact]
    public void An_empty_custom_fields_object_writes_nothing()
    {
        Assert.Empty(Update(Contacts.Resource, """{"custom_fields": {}}""").Body);
    }

    [Fact]
    public void Calculated_auto_number_and_locked_fields_are_read_only_and_unknown_fields_refused_all_at_once()
    {
        var fields = RefusedFields(() => Update(Contacts.Resource, """
            {"custom_fields": {"Lifetime_Value__c": 1, "Ticket_No__c": "T-1", "Locked_Code__c": "x", "Retired_Field__c": "y", "segment__c": "SMB", "Score__c": 1}}
            """));

        Assert.Equal(["custom_fields.Lifetime_Value__c", "custom_fields.Ticket_No__c", "custom_fields.Locked_Code__c", "custom_fields.Retired_Field__c", "custom_fields.segment__c"], fields);
    }

    [Theory]
    [InlineData("Reference_Code__c", "42")]
    [InlineData("Summary__c", "true")]
    [InlineData("Homepage__c", """["https://example.com"]""")]
    [InlineData("Is_Vip__c", "\"true\"")]
    [InlineData("Is_Vip__c", "1")]
    [InlineData("Score__c", "\"12.5\"")]
    [InlineData("Segment__c", "\"Startup\"")]
    [InlineData("Segment__c", "\"smb\"")]
    [InlineData("Interests__c", "\"Golf;Wine\"")]
    [InlineData("Interests__c", """["Golf", "Chess"]""")]
    [InlineData("Interests__c", """["Golf", 1]""")]
    [InlineData("Renewal_Date__c", "\"2025-02-29\"")]
    [InlineData("Renewal_Date__c", "\"30/03/2025\"")]
    [InlineData("Renewal_Date__c", "\"2025-03-30 00:00:00\"")]
    [InlineData("Renewal_Date__c", "\"2025-03-30T00:00:00Z\"")]
    [InlineData("Last_Reviewed__c", "\"2025-03-30 01:00:00\"")]
    [InlineData("Last_Reviewed__c", "\"2025-03-30T01:00:00\"")]
    [InlineData("Last_Reviewed__c", "\"2025-03-30\"")]
    [InlineData("Related_Organisation__c", "200002")]
    [InlineData("Related_Organisation__c", "\"Acme\"")]
    [InlineData("Brand_Colour__c", """{"r": 0}""")]
    public void Custom_values_of_the_wrong_shape_are_refused_naming_the_field(string field, string value)
    {
        var (fields, message) = Refusal(() => Update(Contacts.Resource, $$$"""{"custom_fields": {"{{{field}}}": {{{value}}}}}"""));

        Assert.Equal([$"custom_fields.{field}"], fields);
        Assert.Contains(field, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Custom_fields_must_be_an_object()
    {
        Assert.Equal(["custom_fields"], RefusedFields(() => Update(Contacts.Resource, """{"custom_fields": [{"FIELD_NAME": "Score__c", "FIELD_VALUE": 1}]}""")));
    }

    [Fact]
    public void A_dropdown_or_multi_select_without_listed_options_takes_any_text()
    {
        var definitions = Fixtures.Definitions("""
            [{"FIELD_NAME": "Free__c", "FIELD_TYPE": "DROPDOWN", "CUSTOM_FIELD_OPTIONS": []},
             {"FIELD_NAME": "Many__c", "FIELD_TYPE": "MULTISELECT", "CUSTOM_FIELD_OPTIONS": null}]
            """);
        var context = new MappingContext(LookupSet.Empty, definitions, includeRemoteData: false);

        var plan = Update(Contacts.Resource, """{"custom_fields": {"Free__c": "Anything", "Many__c": ["a", "b"]}}""", context: context);

        Equal("""[{"FIELD_NAME": "Free__c", "FIELD_VALUE": "Anything"}, {"FIELD_NAME": "Many__c", "FIELD_VALUE": "a;b"}]""", plan.Body["CUSTOMFIELDS"]);
    }

    [Theory]
    [InlineData("TEXT", CustomFieldKind.Text, true)]
    [InlineData("MULTILINETEXT", CustomFieldKind.LongText, true)]
    [InlineData("BIT", CustomFieldKind.Boolean, true)]
    [InlineData("DROPDOWN", CustomFieldKind.Enum, true)]
    [InlineData("DATE", CustomFieldKind.Date, true)]
    [InlineData("DATETIME", CustomFieldKind.DateTime, true)]
    [InlineData("NUMERIC", CustomFieldKind.Number, true)]
    [InlineData("URL", CustomFieldKind.Url, true)]
    [InlineData("MULTISELECT", CustomFieldKind.MultiEnum, true)]
    [InlineData("LOOKUP", CustomFieldKind.Reference, true)]
    [InlineData("AUTONUMBER", CustomFieldKind.Other, false)]
    [InlineData("CALCULATED", CustomFieldKind.Other, false)]
    [InlineData("Multi-Line Text", CustomFieldKind.LongText, true)]
    [InlineData("COLOURPICKER", CustomFieldKind.Other, true)]
    [InlineData(null, CustomFieldKind.Other, true)]
    public void Each_FIELD_TYPE_has_its_kind(string? type, CustomFieldKind kind, bool editable)
    {
        using var document = JsonDocument.Parse(new JsonObject { ["FIELD_NAME"] = "X__c", ["FIELD_TYPE"] = type, ["EDITABLE"] = true }.ToJsonString());

        var definition = CustomFieldDefinition.Parse(document.RootElement.Clone())!;

        Assert.Equal((kind, editable), (definition.Kind, definition.Editable));
    }

    [Fact]
    public void A_definition_keeps_its_label_options_default_visibility_and_join_object()
    {
        var definitions = Fixtures.Definitions();

        var segment = definitions.Find("Segment__c")!;
        Assert.Equal(("Segment", "DROPDOWN", "SMB"), (segment.Label, segment.InsightlyType, segment.DefaultValue));
        Assert.Equal(["Enterprise", "Mid-market", "SMB", "Öffentlicher Sektor"], segment.Options);
        Assert.Equal("Organisations", definitions.Find("Related_Organisation__c")!.JoinObject);
        Assert.False(definitions.Find("Legacy_Id__c")!.Visible);
        Assert.False(definitions.Find("Locked_Code__c")!.Editable);
        Assert.Equal("false", definitions.Find("Is_Vip__c")!.DefaultValue);
        Assert.Null(definitions.Find("segment__c"));
        Assert.Null(CustomFieldDefinition.Parse(JsonDocument.Parse("""{"FIELD_TYPE": "TEXT"}""").RootElement.Clone()));
    }

    private static CrmResource Resource(string name) => CrmResources.All.Single(r => r.Name == name && r.HasCustomFields);

    /// <summary>A minimal record of the resource carrying <paramref name="customFields"/>.</summary>
    private static string Record(CrmResource resource, string customFields) =>
        $$$"""{"{{{resource.IdField}}}": 1, "CUSTOMFIELDS": {{{customFields}}}}""";
}
