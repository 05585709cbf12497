using Insightly.Unified.Unified.Resources;
using static Insightly.Unified.UnitTests.Unified.MappingHarness;

namespace Insightly.Unified.UnitTests.Unified;

/// <summary>Runs alone: it changes the process's local time zone (TZ) while it runs.</summary>
[CollectionDefinition(nameof(LocalTimeZoneCollection), DisableParallelization = true)]
public sealed class LocalTimeZoneCollection;

/// <summary>
/// Mapping a UTC value must not depend on the server's zone. These run the DST instants with the process's local
/// zone set to zones whose clocks change at them, where any local conversion would shift or reject a value.
/// </summary>
[Collection(nameof(LocalTimeZoneCollection))]
public sealed class LocalTimeZoneTests
{
    [Theory]
    [InlineData("Europe/Berlin", "2025-03-30 01:00:00", "2025-03-30T03:00:00+02:00")]
    [InlineData("Europe/Berlin", "2025-10-26 01:00:00", "2025-10-26T02:00:00+01:00")]
    [InlineData("Europe/London", "2025-03-30 01:00:00", "2025-03-30T02:00:00+01:00")]
    [InlineData("America/New_York", "2025-03-09 07:00:00", "2025-03-09T03:00:00-04:00")]
    [InlineData("America/New_York", "2025-11-02 06:00:00", "2025-11-02T01:00:00-05:00")]
    [InlineData("Pacific/Auckland", "2025-04-05 14:00:00", "2025-04-06T02:00:00+12:00")]
    public void A_UTC_value_at_a_clock_change_maps_unchanged_both_ways_whatever_the_server_zone(string zone, string insightly, string local)
    {
        using var _ = LocalZone.Use(zone);
        var iso = insightly.Replace(' ', 'T') + "Z";
        var day = insightly[..10];

        var task = Read(Tasks.Resource, $$$"""
            {"TASK_ID": 1, "DATE_CREATED_UTC": "{{{insightly}}}", "COMPLETED_DATE_UTC": "{{{insightly}}}", "DUE_DATE": "{{{day}}} 00:00:00",
             "CUSTOMFIELDS": [{"FIELD_NAME": "Last_Reviewed__c", "FIELD_VALUE": "{{{insightly}}}"}, {"FIELD_NAME": "Renewal_Date__c", "FIELD_VALUE": "{{{day}}} 00:00:00"}]}
            """);
        var plan = Update(Tasks.Resource, $$$"""
            {"completed_at": "{{{local}}}", "due_date": "{{{day}}}", "custom_fields": {"Last_Reviewed__c": "{{{iso}}}", "Renewal_Date__c": "{{{day}}}"}}
            """);

        Equal($$$"""
            {"created_at": "{{{iso}}}", "completed_at": "{{{iso}}}", "due_date": "{{{day}}}", "custom_fields": {"Last_Reviewed__c": "{{{iso}}}", "Renewal_Date__c": "{{{day}}}"}}
            """, Pick(task, "created_at", "completed_at", "due_date", "custom_fields"));
        Equal($$$"""
            {"COMPLETED_DATE_UTC": "{{{insightly}}}", "DUE_DATE": "{{{day}}} 00:00:00",
             "CUSTOMFIELDS": [{"FIELD_NAME": "Last_Reviewed__c", "FIELD_VALUE": "{{{insightly}}}"}, {"FIELD_NAME": "Renewal_Date__c", "FIELD_VALUE": "{{{day}}} 00:00:00"}]}
            """, plan.Body);
    }

    [Theory]
    [InlineData("Europe/Berlin", "2025-03-30 02:30:00")]
    [InlineData("America/New_York", "2025-03-09 02:30:00")]
    [InlineData("America/New_York", "2025-11-02 01:30:00")]
    public void A_UTC_time_that_is_a_skipped_or_repeated_local_time_somewhere_still_reads_unchanged(string zone, string insightly)
    {
        using var _ = LocalZone.Use(zone);

        Assert.Equal(insightly.Replace(' ', 'T') + "Z", Read(Tasks.Resource, $$$"""{"TASK_ID": 1, "DATE_UPDATED_UTC": "{{{insightly}}}"}""")["updated_at"]!.GetValue<string>());
    }

    /// <summary>Sets the process's local time zone through TZ, and puts it back.</summary>
    private sealed class LocalZone : IDisposable
    {
        private readonly string? previous = Environment.GetEnvironmentVariable("TZ");

        private LocalZone(string zone)
        {
            Environment.SetEnvironmentVariable("TZ", zone);
            TimeZoneInfo.ClearCachedData();
            Assert.Equal(zone, TimeZoneInfo.Local.Id);
        }

        public static LocalZone Use(string zone) => new(zone);

        public void Dispose()
        {
            Environment.SetEnvironmentVariable("TZ", previous);
            TimeZoneInfo.ClearCachedData();
        }
    }
}
