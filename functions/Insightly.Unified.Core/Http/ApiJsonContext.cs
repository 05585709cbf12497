using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Errors;
using Insightly.Unified.Health;
using Insightly.Unified.Link;
using Insightly.Unified.Webhooks;

namespace Insightly.Unified.Http;

/// <summary>Source-generated serialization for every response body: snake_case keys, ISO 8601 UTC timestamps.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(IntegratedAccount))]
[JsonSerializable(typeof(DeletedAccount))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(IssuedLinkToken))]
[JsonSerializable(typeof(WebhookSubscription))]
[JsonSerializable(typeof(WebhookSubscriptionWithSecret))]
[JsonSerializable(typeof(WebhookReference))]
[JsonSerializable(typeof(WebhookTestQueued))]
public sealed partial class ApiJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context responses use. Bodies are always served as application/json, never embedded in HTML,
    /// so characters such as ' and → stay readable instead of becoming \u escapes.
    /// </summary>
    public static ApiJsonContext Api { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new UtcTimestampConverter() },
    });
}

/// <summary>Timestamps as the contract wants them: <c>2024-02-03T04:05:06Z</c>.</summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
}
