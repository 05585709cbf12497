using Insightly.Unified.Unified.Mapping;
using Insightly.Unified.Unified.Resources;
using static Insightly.Unified.UnitTests.Unified.MappingHarness;

namespace Insightly.Unified.UnitTests.Unified;

/// <summary>
/// Insightly's <c>yyyy-MM-dd HH:mm:ss</c> (UTC without a zone) against the contract's ISO 8601 with <c>Z</c> and
/// plain <c>yyyy-MM-dd</c> dates, at midnight and at the instants clocks change in Europe and the US. The values
/// are UTC on both sides, so nothing may shift them; <see cref="LocalTimeZoneTests"/> checks that the server's own
/// zone plays no part.
/// </summary>
public sealed class DateMappingTests
{
    /// <summary>UTC instants at which clocks change: Europe (01:00 UTC) and the US Eastern zone (07:00 and 06:00 UTC).</summary>
    public static TheoryData<string, string> ClockChanges => new()
    {
        { "2025-03-30 01:00:00", "2025-03-30T01:00:00Z" },
        { "2025-03-30 00:59:59", "2025-03-30T00:59:59Z" },
        { "2025-10-26 01:00:00", "2025-10-26T01:00:00Z" },
        { "2025-10-26 00:30:00", "2025-10-26T00:30:00Z" },
        { "2025-03-09 07:00:00", "2025-03-09T07:00:00Z" },
        { "2025-11-02 06:00:00", "2025-11-02T06:00:00Z" },
        { "2025-11-02 05:30:00", "2025-11-02T05:30:00Z" },
        { "2024-02-29 23:59:59", "2024-02-29T23:59:59Z" },
        { "2025-01-01 00:00:00", "2025-01-01T00:00:00Z" },
    };

    [Theory]
    [MemberData(nameof(ClockChanges))]
    public void Timestamps_read_as_the_same_UTC_instant_with_Z(string insightly, string unified)
    {
        var task = Read(Tasks.Resource, $$$"""
            {"TASK_ID": 1, "DATE_CREATED_UTC": "{{{insightly}}}", "DATE_UPDATED_UTC": "{{{insightly}}}", "COMPLETED_DATE_UTC": "{{{insightly}}}",
             "CUSTOMFIELDS": [{"FIELD_NAME": "Last_Reviewed__c", "FIELD_VALUE": "{{{insightly}}}"}]}
            """);

        Assert.Equal(
            [unified, unified, unified, unified],
            [task["created_at"]!.GetValue<string>(), task["updated_at"]!.GetValue<string>(), task["completed_at"]!.GetValue<string>(),
             task["custom_fields"]!["Last_Reviewed__c"]!.GetValue<string>()]);
    }

    [Theory]
    [InlineData("2025-03-30 00:00:00", "2025-03-30")]
    [InlineData("2025-10-26 00:00:00", "2025-10-26")]
    [InlineData("2025-03-09 00:00:00", "2025-03-09")]
    [InlineData("2025-11-02 00:00:00", "2025-11-02")]
    [InlineData("2024-02-29 00:00:00", "2024-02-29")]
    [InlineData("2025-12-31 00:00:00", "2025-12-31")]
    [InlineData("2025-03-30", "2025-03-30")]
    public void Midnight_dates_read_as_plain_dates_on_the_same_day(string insightly, string unified)
    {
        var task = Read(Tasks.Resource, $$$"""
            {"TASK_ID": 1, "DUE_DATE": "{{{insightly}}}", "START_DATE": "{{{insightly}}}",
             "CUSTOMFIELDS": [{"FIELD_NAME": "Renewal_Date__c", "FIELD_VALUE": "{{{insightly}}}"}]}
            """);

        Assert.Equal([unified, unified, unified],
            [task["due_date"]!.GetValue<string>(), task["start_date"]!.GetValue<string>(), task["custom_fields"]!["Renewal_Date__c"]!.GetValue<string>()]);
    }

    [Fact]
    public void Opportunity_and_project_date_columns_read_as_plain_dates()
    {
        var opportunity = Read(Opportunities.Resource, """{"OPPORTUNITY_ID": 1, "FORECAST_CLOSE_DATE": "2025-10-26 00:00:00", "ACTUAL_CLOSE_DATE": "2025-10-27 00:00:00"}""");
        var project = Read(Projects.Resource, """{"PROJECT_ID": 1, "STARTED_DATE": "2025-03-30 00:00:00", "COMPLETED_DATE": "2025-11-02 00:00:00"}""");

        Equal("""{"close_date": "2025-10-26", "actual_close_date": "2025-10-27"}""", Pick(opportunity, "close_date", "actual_close_date"));
        Equal("""{"start_date": "2025-03-30", "completion_date": "2025-11-02"}""", Pick(project, "start_date", "completion_date"));
    }

    [Fact]
    public void Opportunity_and_project_dates_are_written_as_midnight_on_the_same_day()
    {
        Equal("""{"FORECAST_CLOSE_DATE": "2025-10-26 00:00:00", "ACTUAL_CLOSE_DATE": "2025-10-27 00:00:00"}""",
            Update(Opportunities.Resource, """{"close_date": "2025-10-26", "actual_close_date": "2025-10-27"}""").Body);
        Equal("""{"STARTED_DATE": "2025-03-30 00:00:00", "COMPLETED_DATE": null}""",
            Update(Projects.Resource, """{"start_date": "2025-03-30", "completion_date": null}""").Body);
    }

    /// <summary>Every date-only field of every model, and a date custom field.</summary>
    public static TheoryData<string, string> DateOnlyFields => new()
    {
        { "opportunities", "close_date" },
        { "opportunities", "actual_close_date" },
        { "tasks", "due_date" },
        { "tasks", "start_date" },
        { "projects", "start_date" },
        { "projects", "completion_date" },
    };

    [Theory]
    [MemberData(nameof(DateOnlyFields))]
    public void A_time_sent_for_a_date_only_field_is_refused_naming_it_not_cut_off(string resource, string field)
    {
        var descriptor = CrmResources.All.Single(r => r.Name == resource && r.Route.StartsWith("unified/crm/", StringComparison.Ordinal));
        foreach (var value in new[] { "2025-10-26T09:30:00Z", "2025-10-26T00:00:00Z", "2025-10-26 09:30:00", "2025-10-26T09:30:00+02:00" })
        {
            var (fields, message) = Refusal(() => Update(descriptor, $$$"""{"{{{field}}}": "{{{value}}}"}"""));

            Assert.Equal([field], fields);
            Assert.Contains($"'{field}' is a date without a time: send '2025-10-26'", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_time_sent_for_a_date_custom_field_is_refused_naming_it()
    {
        var (fields, message) = Refusal(() => Update(Tasks.Resource, """{"custom_fields": {"Renewal_Date__c": "2025-10-26T09:30:00Z"}}"""));

        Assert.Equal(["custom_fields.Renewal_Date__c"], fields);
        Assert.Contains("'Renewal_Date__c' is a date without a time", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_date_column_of_every_model_is_a_date_field_and_no_date_column_is_read_as_a_timestamp()
    {
        // Insightly's date-only columns (insightly-api.md §4); the *_UTC ones are timestamps.
        string[] dateColumns = ["FORECAST_CLOSE_DATE", "ACTUAL_CLOSE_DATE", "DUE_DATE", "START_DATE", "STARTED_DATE", "COMPLETED_DATE", "DATE_OF_BIRTH"];
        var mapped = CrmResources.All.SelectMany(r => r.Fields.OfType<DateTimeMap>().Select(m => (r.Name, m.Field, Column: m.Columns[0]))).ToList();

        Assert.All(mapped.Where(m => dateColumns.Contains(m.Column)), m => Assert.Equal("date", m.Field.Type));
        Assert.All(mapped.Where(m => m.Field.Type == "datetime"), m => Assert.EndsWith("_UTC", m.Column, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0000-00-00 00:00:00")]
    [InlineData("0001-01-01 00:00:00")]
    [InlineData("")]
    [InlineData("not a date")]
    [InlineData("2025-02-29 00:00:00")]
    [InlineData("2025-03-30 25:00:00")]
    public void Zero_empty_and_impossible_dates_read_as_null(string value)
    {
        var task = Read(Tasks.Resource, $$$"""
            {"TASK_ID": 1, "DATE_CREATED_UTC": "{{{value}}}", "DATE_UPDATED_UTC": "{{{value}}}", "DUE_DATE": "{{{value}}}", "COMPLETED_DATE_UTC": "{{{value}}}"}
            """);

        Assert.All(new[] { "created_at", "updated_at", "due_date", "completed_at" }, name => Assert.Null(task[name]));
    }

    [Fact]
    public void Dates_that_are_not_strings_read_as_null()
    {
        var task = Read(Tasks.Resource, """{"TASK_ID": 1, "DATE_CREATED_UTC": 1711760400, "DUE_DATE": false, "COMPLETED_DATE_UTC": {}}""");

        Assert.All(new[] { "created_at", "due_date", "completed_at" }, name => Assert.Null(task[name]));
    }

    [Theory]
    [InlineData("2025-03-30T01:00:00Z", "2025-03-30 01:00:00")]
    [InlineData("2025-03-30T03:00:00+02:00", "2025-03-30 01:00:00")]
    [InlineData("2025-03-30T01:59:59+00:00", "2025-03-30 01:59:59")]
    [InlineData("2025-10-26T02:00:00+01:00", "2025-10-26 01:00:00")]
    [InlineData("2025-10-26T02:30:00+02:00", "2025-10-26 00:30:00")]
    [InlineData("2025-03-09T03:00:00-04:00", "2025-03-09 07:00:00")]
    [InlineData("2025-11-02T01:30:00-05:00", "2025-11-02 06:30:00")]
    [InlineData("2025-11-02T01:30:00-04:00", "2025-11-02 05:30:00")]
    [InlineData("2025-12-31T23:30:00-01:00", "2026-01-01 00:30:00")]
    [InlineData("2025-03-30T01:00:00.789Z", "2025-03-30 01:00:00")]
    public void Timestamps_with_a_zone_are_written_as_UTC_in_Insightly_s_format(string unified, string insightly)
    {
        var plan = Update(Tasks.Resource, $$$"""{"completed_at": "{{{unified}}}", "custom_fields": {"Last_Reviewed__c": "{{{unified}}}"}}""");

        Equal($$$"""{"COMPLETED_DATE_UTC": "{{{insightly}}}", "CUSTOMFIELDS": [{"FIELD_NAME": "Last_Reviewed__c", "FIELD_VALUE": "{{{insightly}}}"}]}""", plan.Body);
    }

    [Theory]
    [InlineData("2025-03-30", "2025-03-30 00:00:00")]
    [InlineData("2025-10-26", "2025-10-26 00:00:00")]
    [InlineData("2024-02-29", "2024-02-29 00:00:00")]
    public void Plain_dates_are_written_as_midnight_on_the_same_day(string unified, string insightly)
    {
        var plan = Update(Tasks.Resource, $$$"""{"due_date": "{{{unified}}}", "start_date": "{{{unified}}}", "custom_fields": {"Renewal_Date__c": "{{{unified}}}"}}""");

        Equal($$$"""{"DUE_DATE": "{{{insightly}}}", "START_DATE": "{{{insightly}}}", "CUSTOMFIELDS": [{"FIELD_NAME": "Renewal_Date__c", "FIELD_VALUE": "{{{insightly}}}"}]}""", plan.Body);
    }

    [Theory]
    [InlineData("2025-03-30 01:00:00")]
    [InlineData("2025-03-30T01:00:00")]
    [InlineData("2025-03-30")]
    [InlineData("2025-02-29T01:00:00Z")]
    [InlineData("2025-03-30T24:00:00Z")]
    [InlineData("30/03/2025 01:00")]
    [InlineData("")]
    [InlineData("yesterday")]
    public void Timestamps_without_a_zone_or_impossible_are_refused(string value)
    {
        var (fields, message) = Refusal(() => Update(Tasks.Resource, $$$"""{"completed_at": "{{{value}}}"}"""));

        Assert.Equal(["completed_at"], fields);
        Assert.Contains("2024-02-03T04:05:06Z", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2025-02-29")]
    [InlineData("2025-3-30")]
    [InlineData("30/03/2025")]
    [InlineData("2025-03-30T00:00:00Z")]
    [InlineData("2025-03-30 00:00:00")]
    [InlineData("")]
    public void Impossible_or_badly_formed_dates_are_refused(string value)
    {
        Assert.Equal(["due_date", "start_date"], RefusedFields(() => Update(Tasks.Resource, $$$"""{"due_date": "{{{value}}}", "start_date": "{{{value}}}"}""")));
    }

    [Fact]
    public void Dates_and_timestamps_must_be_strings()
    {
        Assert.Equal(["due_date", "completed_at"], RefusedFields(() => Update(Tasks.Resource, """{"due_date": 20250330, "completed_at": 1711760400}""")));
    }

    [Fact]
    public void Null_clears_dates_and_timestamps()
    {
        Equal("""{"DUE_DATE": null, "COMPLETED_DATE_UTC": null}""", Update(Tasks.Resource, """{"due_date": null, "completed_at": null}""").Body);
    }
}
