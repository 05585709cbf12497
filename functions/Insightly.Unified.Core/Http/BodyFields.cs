using System.Text.Json;
using System.Text.Json.Nodes;
using Insightly.Unified.Errors;

namespace Insightly.Unified.Http;

/// <summary>Typed, validated access to the fields of a JSON request body, with errors that name the field.</summary>
public sealed class BodyFields(JsonObject body)
{
    public bool Has(string name) => body.ContainsKey(name);

    /// <summary>Rejects any field the route does not accept, naming all of them at once.</summary>
    public void RejectUnknown(params string[] allowed)
    {
        var unknown = body.Select(p => p.Key).Where(k => !allowed.Contains(k, StringComparer.Ordinal)).ToArray();
        if (unknown.Length > 0)
        {
            throw ApiException.InvalidBody(
                $"Unknown field(s): {string.Join(", ", unknown)}. Accepted fields: {string.Join(", ", allowed)}.", unknown);
        }
    }

    public string RequiredString(string name, int maxLength)
    {
        return OptionalString(name, maxLength)
            ?? throw ApiException.InvalidBody($"'{name}' is required and must be a non-empty string.", name);
    }

    /// <summary>Returns the trimmed string, or null when the field is absent or null.</summary>
    public string? OptionalString(string name, int maxLength)
    {
        if (!body.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            throw ApiException.InvalidBody($"'{name}' must be a string.", name);
        }

        return CheckString(name, node.GetValue<string>(), maxLength);
    }

    /// <summary>
    /// The checks every text field gets, from a JSON body or a form: trimmed, not empty, at most
    /// <paramref name="maxLength"/> characters. Null stays null (absent).
    /// </summary>
    public static string? CheckString(string name, string? raw, int maxLength)
    {
        if (raw is null)
        {
            return null;
        }

        var value = raw.Trim();
        if (value.Length == 0)
        {
            throw ApiException.InvalidBody($"'{name}' must not be empty.", name);
        }

        if (value.Length > maxLength)
        {
            throw ApiException.InvalidBody($"'{name}' must be at most {maxLength} characters.", name);
        }

        return value;
    }
}
