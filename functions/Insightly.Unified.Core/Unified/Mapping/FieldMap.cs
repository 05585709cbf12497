using System.Text.Json;
using System.Text.Json.Nodes;

namespace Insightly.Unified.Unified.Mapping;

/// <summary>
/// How some unified properties map to Insightly columns, both ways. A resource is a list of these; the
/// pipeline adds <c>id</c>, timestamps, <c>custom_fields</c> and <c>remote_data</c> for every resource.
/// </summary>
public abstract class FieldMap
{
    /// <summary>The unified properties this map reads and (where editable) writes.</summary>
    public abstract IReadOnlyList<UnifiedField> Fields { get; }

    /// <summary>The Insightly columns it owns: a PATCH of the field rewrites (or clears) every one of them.</summary>
    public abstract IReadOnlyList<string> Columns { get; }

    public virtual LookupKinds Lookups => LookupKinds.None;

    /// <summary>True for a map that must check every create, even one that sends none of its fields (a note's parent).</summary>
    public virtual bool TakesPartInEveryCreate => false;

    /// <summary>
    /// A JSON Schema rule this map adds to the create body's schema in the OpenAPI document, for a constraint
    /// its fields' own schemas cannot say (a note's one parent); null for none.
    /// </summary>
    public virtual JsonObject? CreateBodyRule => null;

    /// <summary>Writes the map's properties (name and value) for one Insightly record.</summary>
    public abstract void Read(Utf8JsonWriter writer, SourceRecord record, MappingContext context);

    /// <summary>Turns the map's properties present in <paramref name="body"/> into Insightly columns or follow-up calls.</summary>
    public virtual void Write(JsonObject body, WritePlan plan, MappingContext context)
    {
    }
}

/// <summary>A map with exactly one unified property.</summary>
public abstract class SingleFieldMap(UnifiedField field, params string[] columns) : FieldMap
{
    public UnifiedField Field { get; } = field;

    public override IReadOnlyList<UnifiedField> Fields { get; } = [field];

    public override IReadOnlyList<string> Columns { get; } = columns;

    protected string Column => Columns[0];

    private readonly JsonEncodedText encodedName = JsonEncodedText.Encode(field.Name);
    private RecordColumn? column;

    public override void Read(Utf8JsonWriter writer, SourceRecord record, MappingContext context)
    {
        writer.WritePropertyName(encodedName);
        ReadValue(writer, record, context);
    }

    public override void Write(JsonObject body, WritePlan plan, MappingContext context) =>
        WriteValue(body[Field.Name], plan, context);

    protected abstract void ReadValue(Utf8JsonWriter writer, SourceRecord record, MappingContext context);

    /// <summary>Only editable maps are asked to write; the pipeline refuses read-only fields before.</summary>
    protected virtual void WriteValue(JsonNode? value, WritePlan plan, MappingContext context) =>
        throw new InvalidOperationException($"{Field.Name} is read-only.");

    protected JsonElement Value(SourceRecord record) => record[column ??= new RecordColumn(Column)];

    /// <summary>Refuses anything but a string or null; returns false (with the error recorded) when refused.</summary>
    protected bool ExpectString(JsonNode? value, WritePlan plan, out string? text)
    {
        text = null;
        if (value is null)
        {
            return true;
        }

        if (value.GetValueKind() != JsonValueKind.String)
        {
            plan.Error(Field.Name, $"'{Field.Name}' must be a string or null, not {WritePlan.Describe(value)}.");
            return false;
        }

        text = value.GetValue<string>();
        return true;
    }
}
