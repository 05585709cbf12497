using Insightly.Unified.Unified.Mapping;

namespace Insightly.Unified.Unified.Resources;

/// <summary>CRM users: Insightly's Users, read-only.</summary>
public static class Users
{
    public const string Route = CrmResource.CrmRoutePrefix + "users";

    public static readonly CrmResource Resource = new("users", "user", "Users", "USER_ID", Route)
    {
        Verbs = CrmVerbs.Read,
        Filters = [ListFilter.Field("email", "EMAIL_ADDRESS")],
        Fields =
        [
            Map.FullName(),
            Map.ReadOnlyText("first_name", "FIRST_NAME"),
            Map.ReadOnlyText("last_name", "LAST_NAME"),
            Map.ReadOnlyText("email", "EMAIL_ADDRESS"),
            Map.Bool("is_active", "ACTIVE", editable: false),
            Map.Bool("is_admin", "ADMINISTRATOR", editable: false),
            Map.ReadOnlyText("timezone", "TIMEZONE_ID"),
        ],
    };
}
