using Insightly.Unified.Unified.Resources;
using static Insightly.Unified.UnitTests.Unified.MappingHarness;

namespace Insightly.Unified.UnitTests.Unified;

public sealed class NoteMappingTests
{
    /// <summary>A note as <c>GET /Notes/{id}</c> returns it: an HTML body and links to records of every kind.</summary>
    private const string Record = """
        {
          "NOTE_ID": 700001, "TITLE": "Call with Мария — 会議メモ",
          "BODY": "<p>Agreed on <b>3 years</b>.</p><p>Next: send the contract 📄</p>",
          "DATE_CREATED_UTC": "2025-03-30 01:00:00", "DATE_UPDATED_UTC": "2025-10-26 01:00:00", "OWNER_USER_ID": 1001,
          "LINKS": [
            {"LINK_ID": 9301, "OBJECT_NAME": "Note", "OBJECT_ID": 700001, "LINK_OBJECT_NAME": "Contact", "LINK_OBJECT_ID": 100101, "ROLE": null, "DETAILS": null, "RELATIONSHIP_ID": null, "IS_FORWARD": null},
            {"LINK_ID": 9302, "OBJECT_NAME": "Note", "OBJECT_ID": 700001, "LINK_OBJECT_NAME": "Organisation", "LINK_OBJECT_ID": 200001, "ROLE": null, "DETAILS": null, "RELATIONSHIP_ID": null, "IS_FORWARD": null},
            {"LINK_ID": 9303, "OBJECT_NAME": "Note", "OBJECT_ID": 700001, "LINK_OBJECT_NAME": "Lead", "LINK_OBJECT_ID": 300001, "ROLE": null, "DETAILS": null, "RELATIONSHIP_ID": null, "IS_FORWARD": null},
            {"LINK_ID": 9304, "OBJECT_NAME": "Note", "OBJECT_ID": 700001, "LINK_OBJECT_NAME": "Opportunity", "LINK_OBJECT_ID": 400001, "ROLE": null, "DETAILS": null, "RELATIONSHIP_ID": null, "IS_FORWARD": null},
            {"LINK_ID": 9305, "OBJECT_NAME": "Note", "OBJECT_ID": 700001, "LINK_OBJECT_NAME": "Project", "LINK_OBJECT_ID": 500001, "ROLE": null, "DETAILS": null, "RELATIONSHIP_ID": null, "IS_FORWARD": null},
            {"LINK_ID": 9306, "OBJECT_NAME": "Note", "OBJECT_ID": 700001, "LINK_OBJECT_NAME": "Contact", "LINK_OBJECT_ID": 100102, "ROLE": null, "DETAILS": null, "RELATIONSHIP_ID": null, "IS_FORWARD": null},
            {"LINK_ID": 9307, "OBJECT_NAME": "Note", "OBJECT_ID": 700001, "LINK_OBJECT_NAME": "Case", "LINK_OBJECT_ID": 800001, "ROLE": null, "DETAILS": null, "RELATIONSHIP_ID": null, "IS_FORWARD": null}
          ]
        }
        """;

    private const string Unified = """
        {
          "id": "700001",
          "created_at": "2025-03-30T01:00:00Z",
          "updated_at": "2025-10-26T01:00:00Z",
          "title": "Call with Мария — 会議メモ",
          "content": "<p>Agreed on <b>3 years</b>.</p><p>Next: send the contract 📄</p>",
          "owner": {"id": "1001"},
          "contacts": [{"id": "100101"}, {"id": "100102"}],
          "accounts": [{"id": "200001"}],
          "leads": [{"id": "300001"}],
          "opportunities": [{"id": "400001"}],
          "projects": [{"id": "500001"}]
        }
        """;

    [Fact]
    public void A_full_note_maps_to_exactly_the_unified_note_with_its_links_by_kind()
    {
        var unified = Read(Notes.Resource, Record);

        var remote = unified["remote_data"];
        unified.Remove("remote_data");
        Equal(Unified, unified);
        Equal(Record, remote);
    }

    [Fact]
    public void Without_remote_data_the_note_has_no_remote_data_property()
    {
        Equal(Unified, Read(Notes.Resource, Record, Fixtures.Context(includeRemoteData: false)));
    }

    [Fact]
    public void A_note_without_links_or_body_maps_to_nulls_and_empty_lists()
    {
        Equal("""
            {"id": "700002", "created_at": null, "updated_at": null, "title": "Short", "content": null, "owner": null,
             "contacts": [], "accounts": [], "leads": [], "opportunities": [], "projects": []}
            """, Read(Notes.Resource, """{"NOTE_ID": 700002, "TITLE": "Short", "BODY": null}""", Fixtures.Context(includeRemoteData: false)));
    }

    [Theory]
    [InlineData("contact", "100101", "Contacts/100101/Notes")]
    [InlineData("account", "200001", "Organisations/200001/Notes")]
    [InlineData("lead", "300001", "Leads/300001/Notes")]
    [InlineData("opportunity", "400001", "Opportunities/400001/Notes")]
    [InlineData("project", "500001", "Projects/500001/Notes")]
    public void A_note_is_created_under_its_one_parent(string parent, string id, string path)
    {
        var plan = Create(Notes.Resource, $$$"""
            {"title": "Réunion 📅", "content": "<p>Ça marche.</p>", "owner": {"id": "1001"}, "{{{parent}}}": {"id": "{{{id}}}"},
             "remote_data": {"TITLE": "Réunion 📅 (v2)"}}
            """);

        Assert.Equal(path, plan.CreatePath);
        Equal("""{"TITLE": "Réunion 📅 (v2)", "BODY": "<p>Ça marche.</p>", "OWNER_USER_ID": 1001}""", plan.Body);
        Assert.Empty(plan.FollowUps);
    }

    [Fact]
    public void A_note_without_a_parent_or_with_several_is_refused()
    {
        Assert.Equal(["parent"], RefusedFields(() => Create(Notes.Resource, """{"title": "Orphan"}""")));
        Assert.Equal(["parent"], RefusedFields(() => Create(Notes.Resource, """{"title": "Orphan", "contact": null}""")));
        Assert.Equal(["parent"], RefusedFields(() => Create(Notes.Resource, """{"title": "Twins", "contact": {"id": "100101"}, "account": {"id": "200001"}}""")));
    }

    [Fact]
    public void A_parent_must_be_a_reference()
    {
        Assert.Equal(["lead"], RefusedFields(() => Create(Notes.Resource, """{"title": "x", "lead": "300001"}""")));
        Assert.Equal(["lead"], RefusedFields(() => Create(Notes.Resource, """{"title": "x", "lead": {"id": "300001", "name": "Minh"}}""")));
    }

    [Fact]
    public void A_note_needs_a_title()
    {
        Assert.Equal(["title"], RefusedFields(() => Create(Notes.Resource, """{"content": "x", "contact": {"id": "100101"}}""")));
    }

    [Fact]
    public void A_parent_cannot_be_changed_and_links_are_read_only()
    {
        Assert.Equal(["contact", "accounts", "projects"], RefusedFields(() => Update(Notes.Resource,
            """{"contact": {"id": "100101"}, "accounts": [], "projects": [{"id": "500001"}]}""")));
    }

    [Fact]
    public void Notes_have_no_custom_fields_or_tags()
    {
        Assert.Equal(["custom_fields", "tags"], RefusedFields(() => Update(Notes.Resource, """{"custom_fields": {}, "tags": []}""")));
    }

    [Fact]
    public void A_patch_writes_only_the_fields_sent_and_null_clears_the_body()
    {
        Equal("""{"BODY": null}""", Update(Notes.Resource, """{"content": null}""").Body);
        Equal("""{"TITLE": "Renamed", "OWNER_USER_ID": 1002}""", Update(Notes.Resource, """{"title": "Renamed", "owner": {"id": "1002"}}""").Body);
    }

    [Fact]
    public void Reading_a_note_and_patching_it_back_writes_its_own_columns()
    {
        AssertRoundTrip(Notes.Resource, Record);
    }
}
