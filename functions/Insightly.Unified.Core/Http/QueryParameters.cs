using System.Globalization;
using Insightly.Unified.Errors;
using Microsoft.AspNetCore.Http;

namespace Insightly.Unified.Http;

/// <summary>Reads query-string parameters with the contract's errors for bad values.</summary>
public static class QueryParameters
{
    /// <summary>The trimmed value; null when absent. Given twice or given blank is 400 <c>invalid_parameter</c>.</summary>
    public static string? OptionalString(this IQueryCollection query, string name)
    {
        var values = query[name];
        if (values.Count > 1)
        {
            throw ApiException.InvalidParameter(name, $"'{name}' was given more than once.");
        }

        if (values.Count == 0)
        {
            return null;
        }

        // A blank filter is a mistake, not "no filter": ?tenant_id=%20 must never list every tenant.
        var value = values[0]?.Trim();
        return string.IsNullOrEmpty(value)
            ? throw ApiException.InvalidParameter(name, $"'{name}' is blank; give it a value or leave it out.")
            : value;
    }

    public static int Limit(this IQueryCollection query, int defaultValue, int maximum)
    {
        var raw = query.OptionalString("limit");
        if (raw is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1 || limit > maximum)
        {
            throw ApiException.InvalidParameter("limit", $"'limit' must be a whole number from 1 to {maximum}.");
        }

        return limit;
    }
}
