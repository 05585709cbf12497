using Insightly.Unified.Unified.Lookups;
using Insightly.Unified.Unified.Mapping;
using Insightly.Unified.Unified.Resources;
using static Insightly.Unified.UnitTests.Unified.MappingHarness;

namespace Insightly.Unified.UnitTests.Unified;

public sealed class PipelineMappingTests
{
    private const string Record = """{"PIPELINE_ID": 900001, "PIPELINE_NAME": "Sales", "FOR_OPPORTUNITIES": true, "FOR_PROJECTS": false, "OWNER_USER_ID": 1001}""";

    [Fact]
    public void A_pipeline_maps_to_its_name_entities_and_stages_in_their_order()
    {
        var unified = Read(Pipelines.Resource, Record);

        var remote = unified["remote_data"];
        unified.Remove("remote_data");
        Equal("""
            {
              "id": "900001",
              "name": "Sales",
              "entities": ["opportunity"],
              "stages": [
                {"id": "910001", "name": "Prospecting", "position": 1},
                {"id": "910002", "name": "Qualification", "position": 2},
                {"id": "910003", "name": "Proposal", "position": 3},
                {"id": "910004", "name": "Négociation", "position": 4}
              ]
            }
            """, unified);
        Equal(Record, remote);
    }

    [Fact]
    public void Pipelines_have_no_timestamps_or_custom_fields_and_omit_remote_data_when_asked()
    {
        Equal("""{"id": "900003", "name": "Delivery", "entities": ["project"], "stages": [{"id": "910007", "name": "Kick-off", "position": 1}, {"id": "910008", "name": "Build", "position": 2}, {"id": "910009", "name": "Handover", "position": 3}]}""",
            Read(Pipelines.Resource, """{"PIPELINE_ID": 900003, "PIPELINE_NAME": "Delivery", "FOR_OPPORTUNITIES": false, "FOR_PROJECTS": true}""", Fixtures.Context(includeRemoteData: false)));
    }

    [Theory]
    [InlineData("true", "true", """["opportunity", "project"]""")]
    [InlineData("false", "false", "[]")]
    [InlineData("null", "true", """["project"]""")]
    public void Entities_come_from_the_two_flags(string forOpportunities, string forProjects, string entities)
    {
        Equal(entities, Read(Pipelines.Resource, $$"""{"PIPELINE_ID": 900002, "FOR_OPPORTUNITIES": {{forOpportunities}}, "FOR_PROJECTS": {{forProjects}}}""")["entities"]);
    }

    [Fact]
    public void A_pipeline_with_a_non_ASCII_name_and_no_stages_the_account_can_see_has_an_empty_stage_list()
    {
        var context = new MappingContext(Fixtures.Lookups(stages: null), CustomFieldSet.None, includeRemoteData: false);

        Equal("""{"id": "900002", "name": "Partner deals — Ørsted", "entities": ["opportunity"], "stages": []}""",
            Read(Pipelines.Resource, """{"PIPELINE_ID": 900002, "PIPELINE_NAME": "Partner deals — Ørsted", "FOR_OPPORTUNITIES": true, "FOR_PROJECTS": false}""", context));
    }

    [Fact]
    public void A_pipeline_with_missing_columns_and_stages_with_missing_columns_maps_to_nulls()
    {
        const string stages = """[{"STAGE_ID": 910101, "PIPELINE_ID": 900101}, {"STAGE_ID": 910102, "PIPELINE_ID": 900101, "STAGE_NAME": null, "STAGE_ORDER": null}]""";
        var context = new MappingContext(Fixtures.Lookups(stages: stages), CustomFieldSet.None, includeRemoteData: false);

        Equal("""
            {"id": "900101", "name": null, "entities": [],
             "stages": [{"id": "910101", "name": null, "position": null}, {"id": "910102", "name": null, "position": null}]}
            """, Read(Pipelines.Resource, """{"PIPELINE_ID": 900101}""", context));
    }

    [Fact]
    public void Pipelines_are_read_only()
    {
        Assert.Equal(["name", "entities", "stages"], RefusedFields(() => Update(Pipelines.Resource, """{"name": "x", "entities": [], "stages": []}""")));
    }
}
