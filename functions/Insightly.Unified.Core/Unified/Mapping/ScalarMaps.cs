using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Insightly.Unified.Unified.Lookups;

namespace Insightly.Unified.Unified.Mapping;

/// <summary>A string column.</summary>
public sealed class TextMap(string name, string column, string type = "string", bool editable = true, bool required = false)
    : SingleFieldMap(new UnifiedField(name, type, Schemas.Of("string", type == "url" ? "uri" : null)) { IsEditable = editable, IsRequired = required }, column)
{
    protected override void ReadValue(Utf8JsonWriter writer, SourceRecord record, MappingContext context)
    {
        InsightlyValues.WriteText(writer, Value(record));
    }

    protected override void WriteValue(JsonNode? value, WritePlan plan, MappingContext context)
    {
        if (ExpectString(value, plan, out var text))
        {
            plan.Set(Column, text);
        }
    }
}

/// <summary>A number column; integers optionally within bounds.</summary>
public sealed class NumberMap(string name, string column, bool integer = false, long? min = null, long? max = null, bool editable = true)
    : SingleFieldMap(new UnifiedField(name, "number", Schemas.Of(integer ? "integer" : "number")) { IsEditable = editable }, column)
{
    protected override void ReadValue(Utf8JsonWriter writer, SourceRecord record, MappingContext context)
    {
        var value = Value(record);
        if (value.ValueKind == JsonValueKind.Number)
        {
            value.WriteTo(writer);
        }
        else if (value.ValueKind == JsonValueKind.String
                 && decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
        {
            writer.WriteNumberValue(parsed);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    protected override void WriteValue(JsonNode? value, WritePlan plan, MappingContext context)
    {
        if (value is null)
        {
            plan.Set(Column, null);
            return;
        }

        if (value.GetValueKind() != JsonValueKind.Number)
        {
            plan.Error(Field.Name, $"'{Field.Name}' must be a number or null, not {WritePlan.Describe(value)}.");
            return;
        }

        if (!integer)
        {
            plan.Set(Column, value.DeepClone());
            return;
        }

        if (!value.AsValue().TryGetValue<long>(out var whole) || whole < (min ?? long.MinValue) || whole > (max ?? long.MaxValue))
        {
            plan.Error(Field.Name, $"'{Field.Name}' must be a whole number{Bounds()}.");
            return;
        }

        plan.Set(Column, whole);
    }

    private string Bounds() => (min, max) switch
    {
        ({ } low, { } high) => $" from {low} to {high}",
        ({ } low, null) => $" of at least {low}",
        _ => "",
    };
}

/// <summary>A boolean column.</summary>
public sealed class BoolMap(string name, string column, bool editable = true)
    : SingleFieldMap(new UnifiedField(name, "boolean", Schemas.Of("boolean")) { IsEditable = editable }, column)
{
    protected override void ReadValue(Utf8JsonWriter writer, SourceRecord record, MappingContext context)
    {
        switch (Value(record).ValueKind)
        {
            case JsonValueKind.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonValueKind.False:
                writer.WriteBooleanValue(false);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    protected override void WriteValue(JsonNode? value, WritePlan plan, MappingContext context)
    {
        if (value is not null && value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            plan.Error(Field.Name, $"'{Field.Name}' must be true, false or null, not {WritePlan.Describe(value)}.");
            return;
        }

        plan.Set(Column, value?.DeepClone());
    }
}

/// <summary>
/// A datetime or date column. Upstream both are <c>yyyy-MM-dd HH:mm:ss</c> in UTC (a date at midnight); here a
/// datetime is ISO 8601 with <c>Z</c> and a date is <c>yyyy-MM-dd</c>.
/// </summary>
public sealed class DateTimeMap(string name, string column, bool dateOnly, bool editable = true)
    : SingleFieldMap(new UnifiedField(name, dateOnly ? "date" : "datetime", Schemas.Of("string", dateOnly ? "date" : "date-time")) { IsEditable = editable }, column)
{
    protected override void ReadValue(Utf8JsonWriter writer, SourceRecord record, MappingContext context)
    {
        InsightlyValues.WriteDateTime(writer, Value(record), dateOnly);
    }

    protected override void WriteValue(JsonNode? value, WritePlan plan, MappingContext context)
    {
        if (!ExpectString(value, plan, out var text))
        {
            return;
        }

        if (text is null)
        {
            plan.Set(Column, null);
        }
        else if ((dateOnly ? InsightlyValues.ParseUnifiedDate(text) : InsightlyValues.ParseUnifiedTimestamp(text)) is { } at)
        {
            plan.Set(Column, InsightlyValues.ToInsightlyDateTime(at));
        }
        else
        {
            plan.Error(Field.Name, dateOnly
                ? InsightlyValues.DateExpected(Field.Name, text)
                : $"'{Field.Name}' must be an ISO 8601 timestamp with a zone, like 2024-02-03T04:05:06Z.");
        }
    }
}

/// <summary>
/// An enumerated column: each unified value stands for one Insightly value, a string (read in any case, written as
/// the account's records spell it: <see cref="ChoiceSpellings"/>) or a number.
/// </summary>
public sealed class EnumMap : SingleFieldMap
{
    private readonly IReadOnlyList<(string Unified, JsonValue Insightly)> values;
    private readonly string?[] texts;

    public EnumMap(string name, string column, IReadOnlyList<(string Unified, JsonValue Insightly)> values, bool editable = true)
        : base(new UnifiedField(name, "enum", Schemas.Enum(values.Select(v => v.Unified))) { IsEditable = editable, Options = [.. values.Select(v => v.Unified)] }, column)
    {
        this.values = values;
        texts = [.. values.Select(v => v.Insightly.GetValueKind() == JsonValueKind.String ? v.Insightly.GetValue<string>() : null)];
    }

    /// <summary>How many values it has.</summary>
    public int Count => values.Count;

    /// <summary>The unified value for an Insightly one; null for a value the contract does not know (it stays in remote_data).</summary>
    public string? UnifiedValue(JsonElement value) => IndexOf(value, out _) is { } index ? values[index].Unified : null;

    /// <summary>The Insightly value for a unified one, or null (with the error recorded) when it is not one of the options.</summary>
    public JsonNode? InsightlyValue(string field, JsonNode? value, WritePlan plan, MappingContext context)
    {
        var text = value?.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
        var index = Enumerable.Range(0, values.Count).FirstOrDefault(i => values[i].Unified == text, -1);
        if (index < 0)
        {
            plan.Error(field, $"'{field}' must be one of {string.Join(", ", values.Select(v => v.Unified))}.");
            return null;
        }

        return texts[index] is null ? values[index].Insightly.DeepClone() : JsonValue.Create(context.Choices.Spell(this, index, texts!));
    }

    protected override void ReadValue(Utf8JsonWriter writer, SourceRecord record, MappingContext context)
    {
        if (IndexOf(Value(record), out var spelling) is { } index)
        {
            if (spelling is not null)
            {
                context.Choices.Observe(this, index, spelling);
            }

            writer.WriteStringValue(values[index].Unified);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    protected override void WriteValue(JsonNode? value, WritePlan plan, MappingContext context)
    {
        if (value is null)
        {
            plan.Set(Column, null);
        }
        else if (InsightlyValue(Field.Name, value, plan, context) is { } insightly)
        {
            plan.Set(Column, insightly);
        }
    }

    /// <summary>Which value an Insightly one is (strings in any case); <paramref name="spelling"/> is the string as the record holds it.</summary>
    private int? IndexOf(JsonElement value, out string? spelling)
    {
        spelling = null;
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                spelling = value.GetString();
                for (var i = 0; i < texts.Length; i++)
                {
                    if (string.Equals(texts[i], spelling, StringComparison.OrdinalIgnoreCase))
                    {
                        return i;
                    }
                }

                return null;
            case JsonValueKind.Number when value.TryGetInt64(out var number):
                for (var i = 0; i < values.Count; i++)
                {
                    if (texts[i] is null && values[i].Insightly.GetValue<long>() == number)
                    {
                        return i;
                    }
                }

                return null;
            default:
                return null;
        }
    }
}

/// <summary>
/// A reference: <c>{"id": "…"}</c> here (with <c>name</c> where a per-account lookup knows it), an integer id
/// column upstream. A written reference may repeat <c>name</c>, which is ignored.
/// </summary>
public sealed class RefMap(string name, string column, string entity, LookupKinds lookup = LookupKinds.None, bool editable = true)
    : SingleFieldMap(new UnifiedField(name, "reference", Schemas.Reference(lookup != LookupKinds.None)) { IsEditable = editable, ReferenceEntity = entity }, column)
{
    public override LookupKinds Lookups => lookup;

    protected override void ReadValue(Utf8JsonWriter writer, SourceRecord record, MappingContext context) =>
        WriteReference(writer, Value(record), lookup, context.Lookups);

    protected override void WriteValue(JsonNode? value, WritePlan plan, MappingContext context)
    {
        if (value is null)
        {
            plan.Set(Column, null);
        }
        else if (ReferencedId(Field.Name, value, plan, allowName: true) is { } id)
        {
            plan.Set(Column, id);
        }
    }

    /// <summary>Writes <c>{"id": "…", "name": …}</c>, or null when the column holds no id.</summary>
    public static void WriteReference(Utf8JsonWriter writer, JsonElement idValue, LookupKinds lookup, LookupSet lookups)
    {
        if (!InsightlyValues.HasId(idValue))
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WritePropertyName(Names.Id);
        InsightlyValues.WriteId(writer, idValue);
        if (lookup != LookupKinds.None)
        {
            writer.WriteString("name", InsightlyValues.ParseId(InsightlyValues.IdText(idValue)) is { } number ? lookups.NameOf(lookup, number) : null);
        }

        writer.WriteEndObject();
    }

    /// <summary>The integer id of a written <c>{"id": "123"}</c>; null (with the error recorded) for anything else.</summary>
    public static long? ReferencedId(string field, JsonNode? value, WritePlan plan, bool allowName = false)
    {
        if (value is JsonObject reference
            && reference.All(p => p.Key == "id" || (allowName && p.Key == "name"))
            && reference["id"] is JsonValue id
            && InsightlyValues.ParseId(id.GetValueKind() == JsonValueKind.String ? id.GetValue<string>() : id.ToJsonString()) is { } parsed)
        {
            return parsed;
        }

        plan.Error(field, $"'{field}' must be a reference like {{\"id\": \"123\"}}.");
        return null;
    }
}

/// <summary>A read-only property computed from the record, such as a full name or a user's roles.</summary>
public sealed class ComputedMap(UnifiedField field, string[] columns, Action<Utf8JsonWriter, SourceRecord> read)
    : SingleFieldMap(field with { IsEditable = false }, columns)
{
    protected override void ReadValue(Utf8JsonWriter writer, SourceRecord record, MappingContext context) => read(writer, record);

    /// <summary><c>name</c> joined from first and last name, skipping missing parts.</summary>
    public static ComputedMap JoinedName(string first = "FIRST_NAME", string last = "LAST_NAME")
    {
        RecordColumn firstColumn = new(first), lastColumn = new(last);
        return new(new UnifiedField("name", "string", Schemas.Of("string")), [first, last], (writer, record) =>
        {
            if (InsightlyValues.TryWriteJoined(writer, record[firstColumn], record[lastColumn]))
            {
                return;
            }

            var parts = new[] { InsightlyValues.Text(record[firstColumn]), InsightlyValues.Text(record[lastColumn]) }
                .Where(p => p is not null);
            var joined = string.Join(' ', parts);
            if (joined.Length == 0)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteStringValue(joined);
            }
        });
    }
}
