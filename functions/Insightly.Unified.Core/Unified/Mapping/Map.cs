using System.Text.Json.Nodes;

namespace Insightly.Unified.Unified.Mapping;

/// <summary>The field map kinds, named so a resource descriptor reads like the contract's table.</summary>
public static class Map
{
    public static TextMap Text(string name, string column, bool required = false) => new(name, column, required: required);

    /// <summary>Long text (descriptions, note bodies).</summary>
    public static TextMap LongText(string name, string column) => new(name, column, "text");

    public static TextMap Url(string name, string column) => new(name, column, "url");

    public static TextMap ReadOnlyText(string name, string column) => new(name, column, editable: false);

    public static NumberMap Number(string name, string column) => new(name, column);

    public static NumberMap Integer(string name, string column, long? min = null, long? max = null) => new(name, column, integer: true, min, max);

    public static BoolMap Bool(string name, string column, bool editable = true) => new(name, column, editable);

    public static DateTimeMap Timestamp(string name, string column, bool editable = true) => new(name, column, dateOnly: false, editable);

    public static DateTimeMap Date(string name, string column) => new(name, column, dateOnly: true);

    /// <summary>An enumeration over an Insightly text column; its values are sent as given here.</summary>
    public static EnumMap Enum(string name, string column, params (string Unified, string Insightly)[] values) =>
        new(name, column, [.. values.Select(v => (v.Unified, JsonValue.Create(v.Insightly)))]);

    /// <summary>An enumeration over an Insightly integer column (task priority).</summary>
    public static EnumMap Enum(string name, string column, params (string Unified, long Insightly)[] values) =>
        new(name, column, [.. values.Select(v => (v.Unified, JsonValue.Create(v.Insightly)))]);

    public static RefMap Ref(string name, string column, string entity, bool editable = true) => new(name, column, entity, editable: editable);

    /// <summary>A reference whose name comes from the account's lookups (<c>status {id, name}</c>).</summary>
    public static RefMap NamedRef(string name, string column, string entity, LookupKinds lookup) => new(name, column, entity, lookup);

    public static RefMap Owner() => Ref("owner", "OWNER_USER_ID", "user");

    public static RefMap Assignee() => Ref("assignee", "RESPONSIBLE_USER_ID", "user");

    public static ComputedMap FullName() => ComputedMap.JoinedName();

    public static PhonesMap Phones(params (string Column, string Type)[] phones) => new(phones);

    public static EmailsMap Emails(string column) => new(column);

    public static AddressesMap Addresses(params (string Prefix, string Type)[] addresses) => new(addresses);

    public static TagsMap Tags() => new();

    public static LinksMap Links(string name, string objectName, string entity, bool editable = true) => new(name, objectName, entity, editable);

    public static DateTimeMap LastActivity() => Timestamp("last_activity_at", "LAST_ACTIVITY_DATE_UTC", editable: false);

    public static PipelineStageMap PipelineAndStage() => new();
}
