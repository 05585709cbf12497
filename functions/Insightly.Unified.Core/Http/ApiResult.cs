using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Insightly.Unified.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Insightly.Unified.Http;

/// <summary>
/// Writes a JSON body with the source-generated contract serializer. Functions return these rather than
/// MVC's object results, so both hosts produce byte-identical responses without MVC's formatters.
/// </summary>
public sealed class ApiResult<T>(int statusCode, T value, JsonTypeInfo<T> typeInfo) : IActionResult
{
    public int StatusCode { get; } = statusCode;

    public T Value { get; } = value;

    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = "application/json; charset=utf-8";
        foreach (var (name, headerValue) in Headers)
        {
            response.Headers[name] = headerValue;
        }

        await JsonSerializer.SerializeAsync(response.Body, Value, typeInfo, context.HttpContext.RequestAborted);
    }
}

public static class ApiResults
{
    public static ApiResult<T> Ok<T>(T value, JsonTypeInfo<T> typeInfo) => new(StatusCodes.Status200OK, value, typeInfo);

    public static ApiResult<T> Created<T>(T value, JsonTypeInfo<T> typeInfo) => new(StatusCodes.Status201Created, value, typeInfo);

    /// <summary>The error body's bytes, as <see cref="Error"/> would write them.</summary>
    public static byte[] ErrorBytes(ApiException exception) =>
        JsonSerializer.SerializeToUtf8Bytes(ErrorBody.From(exception), ApiJsonContext.Api.ErrorBody);

    public static ApiResult<ErrorBody> Error(ApiException exception)
    {
        var result = new ApiResult<ErrorBody>(exception.StatusCode, ErrorBody.From(exception), ApiJsonContext.Api.ErrorBody);
        foreach (var (name, value) in exception.Headers)
        {
            result.Headers[name] = value;
        }

        return result;
    }
}
