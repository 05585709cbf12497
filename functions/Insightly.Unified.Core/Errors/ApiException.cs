using System.Text.Json.Nodes;

namespace Insightly.Unified.Errors;

/// <summary>
/// A failure that already knows how the contract reports it. Everything below the functions throws
/// this; <see cref="Http.ApiRequestRunner"/> turns it into the error body in one place.
/// </summary>
public sealed class ApiException : Exception
{
    public ApiException(int statusCode, string error, string message, JsonObject? details = null, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        Error = error;
        Details = details;
    }

    public int StatusCode { get; }

    public string Error { get; }

    public JsonObject? Details { get; }

    /// <summary>Set when the failure is Insightly's answer rather than ours.</summary>
    public RemoteFailure? Remote { get; init; }

    /// <summary>Headers the caller needs to act on the error, such as <c>Retry-After</c> or <c>Allow</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public static ApiException MissingParameter(string parameter, string message) =>
        new(400, ErrorCodes.MissingParameter, message, new JsonObject { ["parameter"] = parameter });

    public static ApiException InvalidParameter(string parameter, string message) =>
        new(400, ErrorCodes.InvalidParameter, message, new JsonObject { ["parameter"] = parameter });

    public static ApiException InvalidCursor(string message) =>
        new(400, ErrorCodes.InvalidCursor, message, new JsonObject { ["parameter"] = "next_cursor" });

    public static ApiException InvalidBody(string message, params string[] fields) =>
        new(400, ErrorCodes.InvalidBody, message,
            fields.Length == 0 ? null : new JsonObject { ["fields"] = new JsonArray(fields.Select(f => (JsonNode?)f).ToArray()) });

    public static ApiException AccountNotFound(string accountId) =>
        new(404, ErrorCodes.AccountNotFound, $"No integrated account has the id '{accountId}'.",
            new JsonObject { ["integrated_account_id"] = accountId });
}

/// <summary>What Insightly itself answered, echoed to the caller as <c>remote_status</c> and <c>raw_response</c>.</summary>
public sealed record RemoteFailure(int Status, JsonNode? RawResponse);
