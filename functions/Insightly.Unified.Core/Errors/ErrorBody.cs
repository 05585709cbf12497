using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Insightly.Unified.Errors;

/// <summary>The one error shape of the contract.</summary>
public sealed record ErrorBody(
    int StatusCode,
    string Error,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonObject? Details,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? RemoteError,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? RemoteStatus,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonNode? RawResponse)
{
    public static ErrorBody From(ApiException exception) => new(
        exception.StatusCode,
        exception.Error,
        exception.Message,
        exception.Details,
        exception.Remote is null ? null : true,
        exception.Remote?.Status,
        exception.Remote?.RawResponse);
}
