using System.Collections.Concurrent;
using System.Globalization;

namespace Insightly.Unified.Unified.Mapping;

/// <summary>
/// How one account's records spell the values of its enumerated text columns (an opportunity's state, a task's or
/// project's status). Insightly reads them in any case, but which casing it takes on input is unconfirmed
/// (insightly-api.md §4), so a write uses the spelling the account's own records were seen with: the value itself
/// when a record held it, else the casing the values that were seen share (upper, title or lower case), else the
/// documented spelling. Filled as records are mapped; one per account, shared by its requests.
/// </summary>
public sealed class ChoiceSpellings
{
    private static readonly Func<string, string>[] Casings =
    [
        text => text,
        text => text.ToUpperInvariant(),
        text => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(text.ToLowerInvariant()),
        text => text.ToLowerInvariant(),
    ];

    /// <summary>Per map, the spelling last seen of each of its values (null: not seen yet).</summary>
    private readonly ConcurrentDictionary<EnumMap, string?[]> seen = new();

    /// <summary>A record held <paramref name="spelling"/> for the map's value at <paramref name="index"/>.</summary>
    public void Observe(EnumMap map, int index, string spelling)
    {
        var spellings = seen.GetOrAdd(map, static m => new string?[m.Count]);
        if (!string.Equals(spellings[index], spelling, StringComparison.Ordinal))
        {
            spellings[index] = spelling;
        }
    }

    /// <summary>How to write the map's value at <paramref name="index"/>, documented as <paramref name="documented"/>.</summary>
    public string Spell(EnumMap map, int index, IReadOnlyList<string> documented)
    {
        if (!seen.TryGetValue(map, out var spellings))
        {
            return documented[index];
        }

        if (spellings[index] is { } known)
        {
            return known;
        }

        var casing = Casings.FirstOrDefault(casing => spellings.Select((spelling, i) => (spelling, i))
            .All(s => s.spelling is null || string.Equals(casing(documented[s.i]), s.spelling, StringComparison.Ordinal)));
        return (casing ?? Casings[0])(documented[index]);
    }
}
