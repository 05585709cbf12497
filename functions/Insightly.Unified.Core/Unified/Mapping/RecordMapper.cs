using System.Text.Json;
using System.Text.Json.Nodes;
using Insightly.Unified.Errors;

namespace Insightly.Unified.Unified.Mapping;

/// <summary>
/// Applies a resource's field maps: an Insightly record to its unified object (with the <c>id</c>, timestamps,
/// <c>custom_fields</c> and <c>remote_data</c> every resource has), and a unified write body to a
/// <see cref="WritePlan"/>, refusing unknown, read-only and mistyped fields all at once.
/// </summary>
public static class RecordMapper
{
    public const string RemoteData = "remote_data";

    public static void Write(Utf8JsonWriter writer, CrmResource resource, JsonElement record, MappingContext context)
    {
        var source = context.Source.Load(record);
        writer.WriteStartObject();
        writer.WritePropertyName(Names.Id);
        InsightlyValues.WriteId(writer, source[resource.IdColumn]);
        if (resource.HasTimestamps)
        {
            WriteTimestamp(writer, CreatedAt, source, DateCreated);
            WriteTimestamp(writer, UpdatedAt, source, DateUpdated);
        }

        foreach (var map in resource.Fields)
        {
            map.Read(writer, source, context);
        }

        if (resource.HasCustomFields)
        {
            CustomFieldValues.Read(writer, source, context.CustomFields);
        }

        if (context.IncludeRemoteData)
        {
            // The record exactly as Insightly sent it: its bytes, copied from the parsed response as they are (the
            // document already validated them), neither re-serialised from a tree nor re-encoded token by token.
            writer.WritePropertyName(RemoteDataName);
            writer.WriteRawValue(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(record), skipInputValidation: true);
        }

        writer.WriteEndObject();
    }

    /// <summary>Builds what a POST or PATCH body turns into upstream; any refused field makes it 400 <c>invalid_body</c>.</summary>
    public static WritePlan Plan(CrmResource resource, JsonObject body, WriteKind kind, MappingContext context)
    {
        var plan = new WritePlan(kind);
        var fields = resource.UnifiedFields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        foreach (var name in body.Select(p => p.Key))
        {
            if (name is CustomFieldValues.Property && resource.HasCustomFields || name is RemoteData)
            {
                continue;
            }

            if (!fields.TryGetValue(name, out var field))
            {
                plan.Error(name, $"'{name}' is not a field of {resource.Name}.");
            }
            else if (!field.IsEditable || (field.IsCreateOnly && kind == WriteKind.Update))
            {
                plan.Error(name, field.IsCreateOnly ? $"'{name}' can only be given when creating." : $"'{name}' is read-only.");
            }
        }

        if (kind == WriteKind.Create)
        {
            foreach (var required in fields.Values.Where(f => f.IsRequired && body[f.Name] is null))
            {
                plan.Error(required.Name, $"'{required.Name}' is required.");
            }
        }

        foreach (var map in resource.Fields.Where(m => m.Fields.Any(f => f.IsEditable && body.ContainsKey(f.Name)
                                                        && (!f.IsCreateOnly || kind == WriteKind.Create))
                                                    || (kind == WriteKind.Create && m.TakesPartInEveryCreate)))
        {
            map.Write(body, plan, context);
        }

        if (body.TryGetPropertyValue(CustomFieldValues.Property, out var custom) && resource.HasCustomFields)
        {
            CustomFieldValues.Write(custom, plan, context.CustomFields);
        }

        MergeRemoteData(resource, body, plan);

        if (plan.Errors.Count > 0)
        {
            var named = plan.Errors.Select(e => e.Field).Distinct().ToArray();
            throw ApiException.InvalidBody(string.Join(" ", plan.Errors.Select(e => e.Message)), named);
        }

        return plan;
    }

    /// <summary><c>remote_data</c> is merged into the Insightly body last, so it can set any column the unified model lacks.</summary>
    private static void MergeRemoteData(CrmResource resource, JsonObject body, WritePlan plan)
    {
        if (!body.TryGetPropertyValue(RemoteData, out var remote))
        {
            return;
        }

        if (remote is not JsonObject columns)
        {
            plan.Error(RemoteData, $"'{RemoteData}' must be an object of Insightly fields, like {{\"SALUTATION\": \"Dr\"}}.");
            return;
        }

        foreach (var (column, value) in columns)
        {
            if (column == resource.IdField)
            {
                plan.Error(RemoteData, $"'{RemoteData}' cannot set {column}: the record id comes from the route.");
            }
            else
            {
                plan.Set(column, value?.DeepClone());
            }
        }
    }

    private static readonly JsonEncodedText CreatedAt = JsonEncodedText.Encode("created_at");
    private static readonly JsonEncodedText UpdatedAt = JsonEncodedText.Encode("updated_at");
    private static readonly JsonEncodedText RemoteDataName = JsonEncodedText.Encode(RemoteData);
    private static readonly RecordColumn DateCreated = new("DATE_CREATED_UTC");
    private static readonly RecordColumn DateUpdated = new("DATE_UPDATED_UTC");

    private static void WriteTimestamp(Utf8JsonWriter writer, JsonEncodedText name, SourceRecord record, RecordColumn column)
    {
        writer.WritePropertyName(name);
        InsightlyValues.WriteDateTime(writer, record[column], dateOnly: false);
    }
}
