using System.Text.Json;
using Insightly.Unified.Unified.Mapping;

namespace Insightly.Unified.Unified.Resources;

/// <summary>User Directory users: Insightly's Users in the directory shape (emails, status, roles), read-only.</summary>
public static class DirectoryUsers
{
    public const string Route = "unified/user-directory/users";

    public static readonly CrmResource Resource = new("users", "user", "Users", "USER_ID", Route)
    {
        Verbs = CrmVerbs.Read,
        Filters = [ListFilter.Field("email", "EMAIL_ADDRESS")],
        Fields =
        [
            Map.ReadOnlyText("first_name", "FIRST_NAME"),
            Map.ReadOnlyText("last_name", "LAST_NAME"),
            Map.FullName(),
            new ComputedMap(
                new UnifiedField("emails", "email_list", Schemas.ArrayOf(Schemas.Object(
                    ("email", Schemas.Of("string", "email")), ("type", Schemas.Enum(["work"])), ("is_primary", Schemas.Of("boolean"))))),
                ["EMAIL_ADDRESS"], WriteEmails),
            new ComputedMap(new UnifiedField("status", "enum", Schemas.Enum(["active", "inactive"])) { Options = ["active", "inactive"] },
                ["ACTIVE"], (writer, user) => writer.WriteStringValue(
                    InsightlyValues.Property(user.Element, "ACTIVE").ValueKind == JsonValueKind.False ? "inactive" : "active")),
            new ComputedMap(
                new UnifiedField("roles", "role_list", Schemas.ArrayOf(Schemas.Object(("id", Schemas.Of("string")), ("name", Schemas.Of("string"))))),
                ["ADMINISTRATOR", "ACCOUNT_OWNER"], WriteRoles),
            Map.ReadOnlyText("timezone", "TIMEZONE_ID"),
        ],
    };

    private static readonly (string Column, string Id, string Name)[] Roles =
        [("ADMINISTRATOR", "administrator", "Administrator"), ("ACCOUNT_OWNER", "account_owner", "Account owner")];

    private static void WriteEmails(Utf8JsonWriter writer, SourceRecord user)
    {
        writer.WriteStartArray();
        if (InsightlyValues.Text(InsightlyValues.Property(user.Element, "EMAIL_ADDRESS")) is { } email)
        {
            writer.WriteStartObject();
            writer.WriteString("email", email);
            writer.WriteString("type", "work");
            writer.WriteBoolean("is_primary", true);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteRoles(Utf8JsonWriter writer, SourceRecord user)
    {
        writer.WriteStartArray();
        foreach (var (column, id, name) in Roles.Where(r => InsightlyValues.Property(user.Element, r.Column).ValueKind == JsonValueKind.True))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("name", name);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
