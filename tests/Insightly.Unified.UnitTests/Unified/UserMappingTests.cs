using Insightly.Unified.Unified.Resources;
using static Insightly.Unified.UnitTests.Unified.MappingHarness;

namespace Insightly.Unified.UnitTests.Unified;

/// <summary>CRM users (<c>/unified/crm/users</c>), read-only.</summary>
public sealed class UserMappingTests
{
    /// <summary>A user as <c>GET /Users/{id}</c> returns it.</summary>
    internal const string Record = """
        {
          "USER_ID": 1001, "CONTACT_ID": 100999, "FIRST_NAME": "Siobhán", "LAST_NAME": "Ní Bhriain",
          "TIMEZONE_ID": "GMT Standard Time", "EMAIL_ADDRESS": "siobhan@example.ie",
          "EMAIL_DROPBOX_IDENTIFIER": "abc123", "EMAIL_DROPBOX_ADDRESS": "dropbox-abc123@mailbox.insight.ly",
          "ADMINISTRATOR": true, "ACCOUNT_OWNER": true, "ACTIVE": true,
          "DATE_CREATED_UTC": "2019-06-01 09:30:00", "DATE_UPDATED_UTC": "2025-10-26 01:00:00",
          "USER_CURRENCY": "EUR", "CONTACT_DISPLAY": "LastFirst", "CONTACT_ORDER": "LastFirst",
          "TASK_WEEK_START": 1, "INSTANCE_ID": 88001, "PROFILE_ID": 3, "ROLE_ID": null
        }
        """;

    private const string Unified = """
        {
          "id": "1001",
          "created_at": "2019-06-01T09:30:00Z",
          "updated_at": "2025-10-26T01:00:00Z",
          "name": "Siobhán Ní Bhriain",
          "first_name": "Siobhán",
          "last_name": "Ní Bhriain",
          "email": "siobhan@example.ie",
          "is_active": true,
          "is_admin": true,
          "timezone": "GMT Standard Time"
        }
        """;

    [Fact]
    public void A_full_user_maps_to_exactly_the_unified_user_with_the_record_untouched_as_remote_data()
    {
        var unified = Read(Users.Resource, Record);

        var remote = unified["remote_data"];
        unified.Remove("remote_data");
        Equal(Unified, unified);
        Equal(Record, remote);
    }

    [Fact]
    public void Without_remote_data_the_user_has_no_remote_data_property()
    {
        Equal(Unified, Read(Users.Resource, Record, Fixtures.Context(includeRemoteData: false)));
    }

    [Fact]
    public void An_inactive_user_with_missing_columns_maps_to_nulls()
    {
        Equal("""
            {"id": "1002", "created_at": null, "updated_at": null, "name": "健", "first_name": "健", "last_name": null,
             "email": null, "is_active": false, "is_admin": null, "timezone": null}
            """, Read(Users.Resource, """{"USER_ID": 1002, "FIRST_NAME": "健", "LAST_NAME": "", "ACTIVE": false}""", Fixtures.Context(includeRemoteData: false)));
    }

    [Fact]
    public void Users_have_no_custom_fields()
    {
        Assert.False(Read(Users.Resource, """{"USER_ID": 1, "CUSTOMFIELDS": [{"FIELD_NAME": "Score__c", "FIELD_VALUE": 1}]}""").ContainsKey("custom_fields"));
    }

    [Fact]
    public void Every_user_field_is_read_only()
    {
        Assert.Equal(["name", "first_name", "last_name", "email", "is_active", "is_admin", "timezone", "custom_fields"],
            RefusedFields(() => Update(Users.Resource, """
                {"name": "x", "first_name": "x", "last_name": "x", "email": "x@example.com", "is_active": true, "is_admin": false,
                 "timezone": "UTC", "custom_fields": {}}
                """)));
    }
}
