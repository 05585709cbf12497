using Insightly.Unified.Unified.Lookups;
using Insightly.Unified.Unified.Mapping;
using Insightly.Unified.Unified.Resources;
using static Insightly.Unified.UnitTests.Unified.MappingHarness;

namespace Insightly.Unified.UnitTests.Unified;

public sealed class StageMappingTests
{
    private const string Record = """{"STAGE_ID": 910004, "PIPELINE_ID": 900001, "STAGE_NAME": "Négociation", "STAGE_ORDER": 4, "ACTIVITYSET_ID": null, "OWNER_USER_ID": 1001}""";

    [Fact]
    public void A_stage_maps_to_its_name_position_and_named_pipeline()
    {
        var unified = Read(Stages.Resource, Record);

        var remote = unified["remote_data"];
        unified.Remove("remote_data");
        Equal("""{"id": "910004", "name": "Négociation", "position": 4, "pipeline": {"id": "900001", "name": "Sales"}}""", unified);
        Equal(Record, remote);
    }

    [Fact]
    public void Without_remote_data_the_stage_has_no_remote_data_property()
    {
        Equal("""{"id": "910004", "name": "Négociation", "position": 4, "pipeline": {"id": "900001", "name": "Sales"}}""",
            Read(Stages.Resource, Record, Fixtures.Context(includeRemoteData: false)));
    }

    [Fact]
    public void A_stage_of_a_pipeline_the_lookups_lack_keeps_the_pipeline_id_with_a_null_name()
    {
        var context = new MappingContext(Fixtures.Lookups(pipelines: null), CustomFieldSet.None, includeRemoteData: false);

        Equal("""{"id": "910004", "name": "Négociation", "position": 4, "pipeline": {"id": "900001", "name": null}}""", Read(Stages.Resource, Record, context));
    }

    [Fact]
    public void A_stage_with_missing_columns_maps_to_nulls()
    {
        Equal("""{"id": "910101", "name": null, "position": null, "pipeline": null}""",
            Read(Stages.Resource, """{"STAGE_ID": 910101}""", Fixtures.Context(includeRemoteData: false)));
    }

    [Fact]
    public void Stages_are_listed_from_the_account_lookups()
    {
        var stages = Stages.Resource.ListFromLookups!(Fixtures.Lookups());

        Assert.Equal(9, stages.Count);
        Assert.Empty(Stages.Resource.ListFromLookups!(LookupSet.Empty));
    }

    [Fact]
    public void Stages_are_read_only()
    {
        Assert.Equal(["name", "position", "pipeline"], RefusedFields(() => Update(Stages.Resource, """{"name": "x", "position": 1, "pipeline": {"id": "900001"}}""")));
    }
}
