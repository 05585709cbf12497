using Insightly.Unified.Unified.Resources;
using static Insightly.Unified.UnitTests.Unified.MappingHarness;

namespace Insightly.Unified.UnitTests.Unified;

/// <summary>User Directory users (<c>/unified/user-directory/users</c>): Insightly's users in the directory shape.</summary>
public sealed class DirectoryUserMappingTests
{
    private const string Unified = """
        {
          "id": "1001",
          "created_at": "2019-06-01T09:30:00Z",
          "updated_at": "2025-10-26T01:00:00Z",
          "first_name": "Siobhán",
          "last_name": "Ní Bhriain",
          "name": "Siobhán Ní Bhriain",
          "emails": [{"email": "siobhan@example.ie", "type": "work", "is_primary": true}],
          "status": "active",
          "roles": [{"id": "administrator", "name": "Administrator"}, {"id": "account_owner", "name": "Account owner"}],
          "timezone": "GMT Standard Time"
        }
        """;

    [Fact]
    public void A_full_user_maps_to_exactly_the_directory_user_with_the_record_untouched_as_remote_data()
    {
        var unified = Read(DirectoryUsers.Resource, UserMappingTests.Record);

        var remote = unified["remote_data"];
        unified.Remove("remote_data");
        Equal(Unified, unified);
        Equal(UserMappingTests.Record, remote);
    }

    [Fact]
    public void Without_remote_data_the_directory_user_has_no_remote_data_property()
    {
        Equal(Unified, Read(DirectoryUsers.Resource, UserMappingTests.Record, Fixtures.Context(includeRemoteData: false)));
    }

    [Fact]
    public void An_inactive_user_without_email_or_roles_has_empty_lists()
    {
        Equal("""
            {"id": "1003", "created_at": null, "updated_at": null, "first_name": "Łukasz", "last_name": "Żółć", "name": "Łukasz Żółć",
             "emails": [], "status": "inactive", "roles": [], "timezone": "Europe/Warsaw"}
            """, Read(DirectoryUsers.Resource, """
            {"USER_ID": 1003, "FIRST_NAME": "Łukasz", "LAST_NAME": "Żółć", "EMAIL_ADDRESS": null, "ADMINISTRATOR": false,
             "ACCOUNT_OWNER": null, "ACTIVE": false, "TIMEZONE_ID": "Europe/Warsaw"}
            """, Fixtures.Context(includeRemoteData: false)));
    }

    [Fact]
    public void An_administrator_who_is_not_the_account_owner_has_one_role()
    {
        Equal("""[{"id": "administrator", "name": "Administrator"}]""",
            Read(DirectoryUsers.Resource, """{"USER_ID": 1004, "ADMINISTRATOR": true, "ACCOUNT_OWNER": false}""")["roles"]);
    }

    [Fact]
    public void Every_directory_user_field_is_read_only()
    {
        Assert.Equal(["emails", "status", "roles"],
            RefusedFields(() => Update(DirectoryUsers.Resource, """{"emails": [], "status": "inactive", "roles": []}""")));
    }
}
