using System.Text;
using System.Text.Json;

namespace Insightly.Unified.Unified.Mapping;

/// <summary>
/// The Insightly record being mapped, with its columns found without scanning it once per column.
/// <c>TryGetProperty</c> walks an object's properties on every call, and mapping a contact asks for some 35 of its
/// ~45 columns; here the record is walked once (<see cref="Load"/>) and each column is then found at the position it
/// had in the previous record — Insightly writes every record of a collection in the same order — checked by name,
/// with a full search as the fallback, so the answer is the one <see cref="InsightlyValues.Property"/> gives (for a
/// record that repeats a column name, which Insightly does not send, either of its values may be found).
/// A <see cref="MappingContext"/> keeps one and loads each record it maps into it.
/// </summary>
public sealed class SourceRecord
{
    private JsonProperty[] properties = new JsonProperty[64];
    private int count;

    /// <summary>The record as Insightly sent it.</summary>
    public JsonElement Element { get; private set; }

    public SourceRecord Load(JsonElement record)
    {
        Element = record;
        count = 0;
        if (record.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in record.EnumerateObject())
            {
                if (count == properties.Length)
                {
                    Array.Resize(ref properties, count * 2);
                }

                properties[count++] = property;
            }
        }

        return this;
    }

    /// <summary>The column's value; <c>default</c> (Undefined) when the record has no such column.</summary>
    public JsonElement this[RecordColumn column]
    {
        get
        {
            var hint = column.Hint;
            if ((uint)hint < (uint)count && properties[hint].NameEquals(column.Utf8))
            {
                return properties[hint].Value;
            }

            // From the end, as TryGetProperty searches: with a repeated name the last one wins in both.
            for (var i = count - 1; i >= 0; i--)
            {
                if (properties[i].NameEquals(column.Utf8))
                {
                    column.Hint = i;
                    return properties[i].Value;
                }
            }

            return default;
        }
    }
}

/// <summary>An Insightly column a map reads, its name encoded once.</summary>
public sealed class RecordColumn(string name)
{
    public string Name { get; } = name;

    internal byte[] Utf8 { get; } = Encoding.UTF8.GetBytes(name);

    /// <summary>
    /// Where the column was last found. Only a hint, checked by name before it is trusted, so concurrent requests
    /// mapping the same resource may overwrite it freely.
    /// </summary>
    internal int Hint { get; set; } = -1;
}
