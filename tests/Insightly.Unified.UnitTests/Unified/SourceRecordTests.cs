using System.Text.Json;
using Insightly.Unified.Unified.Mapping;

namespace Insightly.Unified.UnitTests.Unified;

public sealed class SourceRecordTests
{
    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public void A_column_is_found_when_the_next_record_orders_its_columns_differently()
    {
        var source = new SourceRecord();
        var name = new RecordColumn("NAME");

        Assert.Equal("first", source.Load(Parse("""{"ID":1,"NAME":"first"}"""))[name].GetString());
        Assert.Equal("second", source.Load(Parse("""{"NAME":"second","ID":2}"""))[name].GetString());
        Assert.Equal("third", source.Load(Parse("""{"A":0,"B":0,"ID":3,"NAME":"third"}"""))[name].GetString());
    }

    [Fact]
    public void A_missing_column_is_undefined_even_where_the_previous_record_had_it()
    {
        var source = new SourceRecord();
        var name = new RecordColumn("NAME");
        _ = source.Load(Parse("""{"ID":1,"NAME":"first"}"""))[name];

        Assert.Equal(JsonValueKind.Undefined, source.Load(Parse("""{"ID":2,"TITLE":"x"}"""))[name].ValueKind);
        Assert.Equal(JsonValueKind.Undefined, source.Load(Parse("[1,2]"))[name].ValueKind);
    }

    [Fact]
    public void A_column_found_by_searching_is_the_last_of_a_repeated_name_as_TryGetProperty_finds()
    {
        var record = Parse("""{"NAME":"one","NAME":"two"}""");

        Assert.Equal(InsightlyValues.Property(record, "NAME").GetString(), new SourceRecord().Load(record)[new RecordColumn("NAME")].GetString());
    }

    [Fact]
    public void A_record_wider_than_the_initial_index_is_read_whole()
    {
        var json = "{" + string.Join(',', Enumerable.Range(0, 200).Select(i => $"\"C{i}\":{i}")) + "}";

        Assert.Equal(199, new SourceRecord().Load(Parse(json))[new RecordColumn("C199")].GetInt32());
    }
}
