using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace Insightly.Unified.Unified.Mapping;

/// <summary>
/// The columns of the record being mapped, found without scanning it once per column. <c>TryGetProperty</c> walks
/// an object's properties on every call, and mapping a contact asks for some 35 of its ~45 columns; here the record
/// is walked once (<see cref="Index"/>) and each column is then found at the position it had in the previous record —
/// Insightly writes every record of a collection in the same order — checked by name, with a full search as the
/// fallback, so the answer is always the one <see cref="InsightlyValues.Property"/> gives.
/// </summary>
public static class RecordProperties
{
    [ThreadStatic]
    private static Indexed? current;

    private static readonly ConcurrentDictionary<string, Column> Columns = new(StringComparer.Ordinal);

    /// <summary>Indexes <paramref name="record"/> on this thread until the scope is disposed; mapping one record is synchronous.</summary>
    public static Scope Index(JsonElement record)
    {
        var previous = current;
        // A record mapped while another is (a nested resource) gets an index of its own; the outer one is restored after.
        var index = previous is { Loaded: true } ? new Indexed() : previous ?? new Indexed();
        index.Load(record);
        current = index;
        return new Scope(index, previous);
    }

    /// <summary>
    /// The column of the record being mapped (the one passed to <see cref="Index"/>, which every caller of this
    /// passes), or of <paramref name="record"/> by a plain lookup when none is indexed on this thread.
    /// </summary>
    public static JsonElement Get(JsonElement record, string column) =>
        current is { Loaded: true } index ? index.Get(KeyOf(column)) : InsightlyValues.Property(record, column);

    /// <inheritdoc cref="Get(JsonElement, string)"/>
    /// <param name="column">From <see cref="KeyOf"/>, kept by the caller so the column's name is not looked up per record.</param>
    public static JsonElement Get(JsonElement record, Column column) =>
        current is { Loaded: true } index ? index.Get(column) : InsightlyValues.Property(record, column.Name);

    public static Column KeyOf(string column) => Columns.GetOrAdd(column, static name => new Column(name));

    public readonly struct Scope : IDisposable
    {
        private readonly Indexed index;
        private readonly Indexed? previous;

        internal Scope(Indexed index, Indexed? previous)
        {
            this.index = index;
            this.previous = previous;
        }

        public void Dispose()
        {
            index.Loaded = false;
            if (previous is { Loaded: true })
            {
                current = previous;
            }
        }
    }

    /// <summary>A column name, encoded once.</summary>
    public sealed class Column(string name)
    {
        public string Name { get; } = name;

        internal byte[] Utf8 { get; } = Encoding.UTF8.GetBytes(name);

        /// <summary>Where the column was last found; only a hint (checked by name), so threads may overwrite it freely.</summary>
        internal int Hint { get; set; } = -1;
    }

    internal sealed class Indexed
    {
        private JsonProperty[] properties = new JsonProperty[64];
        private int count;

        public bool Loaded { get; set; }

        public void Load(JsonElement record)
        {
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

            Loaded = true;
        }

        internal JsonElement Get(Column column)
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
