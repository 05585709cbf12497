using System.Globalization;
using System.Text.Json;
using Insightly.Unified.Errors;
using Insightly.Unified.Http;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Unified.Listing;
using Insightly.Unified.Unified.Lookups;
using Insightly.Unified.Unified.Mapping;
using Insightly.Unified.Unified.Resources;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Insightly.Unified.Unified.Pipeline;

/// <summary>
/// <c>GET /unified/crm/fields?entity=…</c>: the entity's standard fields, straight from its descriptor (so they
/// are exactly what the API reads and accepts), then the account's Insightly custom fields for it.
/// </summary>
public sealed class FieldsCatalog(AccountLookups lookups, PageCursors cursors)
{
    private const string EntityParameter = "entity";

    public async Task<IActionResult> ListAsync(IntegratedAccount account, IQueryCollection query, CancellationToken cancellationToken)
    {
        var entity = query.OptionalString(EntityParameter)
            ?? throw ApiException.MissingParameter(EntityParameter, $"'{EntityParameter}' is required: one of {string.Join(", ", CrmResources.FieldEntities.Keys)}.");
        if (!CrmResources.FieldEntities.TryGetValue(entity, out var resource))
        {
            throw ApiException.InvalidParameter(EntityParameter, $"'{EntityParameter}' must be one of {string.Join(", ", CrmResources.FieldEntities.Keys)}.");
        }

        var list = ListQuery.Parse(FieldsResource, query, EntityParameter);
        var page = await PageRequest.ReadAsync(query, $"{FieldsResource.Route}|{account.Id}|entity={entity}", cursors, cancellationToken);
        var custom = resource.HasCustomFields ? await lookups.CustomFieldsAsync(account, resource.Collection, cancellationToken) : CustomFieldSet.None;

        var all = resource.UnifiedFields.Select(field => (Standard: (UnifiedField?)field, Custom: (CustomFieldDefinition?)null))
            .Concat(custom.All.Select(definition => (Standard: (UnifiedField?)null, Custom: (CustomFieldDefinition?)definition)))
            .ToList();
        var next = await page.NextCursorAsync(cursors, page.NextOffset(all.Count, 0), cancellationToken);
        return new JsonWriterResult(200, (writer, flush) => PageEnvelope.WriteAsync(writer, all.Skip(page.Offset).Take(page.Limit), (w, field) =>
        {
            if (field.Standard is { } standard)
            {
                WriteStandard(w, entity, standard);
            }
            else
            {
                WriteCustom(w, entity, field.Custom!, list.IncludeRemoteData);
            }

            return true;
        }, next, flush));
    }

    /// <summary>The fields resource as a descriptor, so its list parameters are checked like any other list's.</summary>
    public static readonly CrmResource FieldsResource = new("fields", "field", "CustomFields", "FIELD_NAME", CrmResource.CrmRoutePrefix + "fields")
    {
        Verbs = CrmVerbs.List,
        HasTimestamps = false,
        Searchable = false,
    };

    private static void WriteStandard(Utf8JsonWriter writer, string entity, UnifiedField field)
    {
        writer.WriteStartObject();
        writer.WriteString("id", field.Name);
        writer.WriteString("name", field.Name);
        writer.WriteString("label", field.Label);
        writer.WriteString("type", field.Type);
        writer.WriteBoolean("is_user_defined", false);
        writer.WriteBoolean("is_editable", field.IsEditable);
        writer.WriteBoolean("is_create_only", field.IsCreateOnly);
        writer.WriteBoolean("is_hidden", false);
        writer.WriteBoolean("is_required", field.IsRequired);
        writer.WriteNull("default_value");
        WriteOptions(writer, field.Options);
        writer.WriteString("reference_entity", field.ReferenceEntity);
        writer.WriteString("entity_type", entity);
        writer.WriteEndObject();
    }

    private static void WriteCustom(Utf8JsonWriter writer, string entity, CustomFieldDefinition definition, bool includeRemoteData)
    {
        writer.WriteStartObject();
        writer.WriteString("id", definition.Name);
        writer.WriteString("name", definition.Name);
        writer.WriteString("label", definition.Label ?? definition.Name);
        writer.WriteString("type", CustomFieldValues.TypeName(definition.Kind));
        writer.WriteBoolean("is_user_defined", true);
        writer.WriteBoolean("is_editable", definition.Editable);
        writer.WriteBoolean("is_create_only", false);
        writer.WriteBoolean("is_hidden", !definition.Visible);
        writer.WriteBoolean("is_required", false);
        writer.WriteString("default_value", definition.DefaultValue);
        WriteOptions(writer, definition.Options);
        writer.WriteString("reference_entity", definition.JoinObject);
        writer.WriteString("entity_type", entity);
        if (includeRemoteData)
        {
            writer.WritePropertyName(RecordMapper.RemoteData);
            definition.Raw.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    private static void WriteOptions(Utf8JsonWriter writer, IReadOnlyList<string> options)
    {
        writer.WriteStartArray("options");
        foreach (var option in options)
        {
            writer.WriteStartObject();
            writer.WriteString("label", option);
            writer.WriteString("value", option);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
