using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Insightly.Unified.Unified.Mapping;

/// <summary>
/// An opportunity's value and its bid. <c>amount</c> is OPPORTUNITY_VALUE, the deal's value, which Insightly computes
/// (read-only) from the bid: BID_AMOUNT for a fixed bid, BID_AMOUNT × BID_DURATION for a rate per hour, day, week,
/// month or year (no duration counts as one). <c>bid {type, amount, duration}</c> is those terms.
/// Writing <c>amount</c> makes the bid a fixed bid of that amount; writing <c>bid</c> sets its terms whole; either as
/// <c>null</c> clears the bid. Both in one body must agree — the bid's value must be the amount, as a read gives
/// them — or the write is 400 naming both.
/// </summary>
public sealed class OpportunityValueMap : FieldMap
{
    private const string AmountField = "amount";
    private const string BidField = "bid";

    private static readonly RecordColumn Value = new("OPPORTUNITY_VALUE");
    private static readonly RecordColumn Type = new("BID_TYPE");
    private static readonly RecordColumn Amount = new("BID_AMOUNT");
    private static readonly RecordColumn Duration = new("BID_DURATION");

    private readonly EnumMap types = Map.Enum("type", "BID_TYPE",
        ("fixed_bid", "Fixed Bid"), ("per_hour", "Per Hour"), ("per_day", "Per Day"), ("per_week", "Per Week"), ("per_month", "Per Month"), ("per_year", "Per Year"));

    public OpportunityValueMap() => Fields =
    [
        new UnifiedField(AmountField, "number", new JsonObject
        {
            ["type"] = new JsonArray("number", "null"),
            ["description"] = "The deal's value: Insightly's OPPORTUNITY_VALUE, computed from the bid. Writing it makes the bid a fixed bid of this amount.",
        }),
        new UnifiedField(BidField, "bid", new JsonObject
        {
            ["type"] = new JsonArray("object", "null"),
            ["description"] = "The bid's terms. The value (`amount`) is the bid's amount for a fixed bid, else amount × duration (none counts as one). " +
                "Written whole; sent with `amount`, the two must agree.",
            ["properties"] = new JsonObject
            {
                ["type"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. types.Field.Options.Select(o => (JsonNode?)o)]) },
                ["amount"] = Schemas.Of("number"),
                ["duration"] = new JsonObject { ["type"] = new JsonArray("integer", "null"), ["minimum"] = 0 },
            },
            ["required"] = new JsonArray("type"),
            ["additionalProperties"] = false,
        }) { Options = types.Field.Options },
    ];

    public override IReadOnlyList<UnifiedField> Fields { get; }

    /// <summary>What a write sets; OPPORTUNITY_VALUE is only read.</summary>
    public override IReadOnlyList<string> Columns { get; } = ["BID_TYPE", "BID_AMOUNT", "BID_DURATION"];

    public override void Read(Utf8JsonWriter writer, SourceRecord record, MappingContext context)
    {
        writer.WritePropertyName(AmountField);
        WriteNumber(writer, record[Value]);
        writer.WritePropertyName(BidField);
        if (types.UnifiedValue(record[Type]) is null && Number(record[Amount]) is null && Number(record[Duration]) is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        types.Read(writer, record, context);
        writer.WritePropertyName("amount");
        WriteNumber(writer, record[Amount]);
        writer.WritePropertyName("duration");
        WriteNumber(writer, record[Duration]);
        writer.WriteEndObject();
    }

    public override void Write(JsonObject body, WritePlan plan, MappingContext context)
    {
        var amountSent = body.TryGetPropertyValue(AmountField, out var amount);
        var bid = body.TryGetPropertyValue(BidField, out var bidNode) ? Bid(bidNode, plan, context) : null;
        if (plan.Errors.Any(e => e.Field is BidField))
        {
            return;
        }

        var value = Decimal(amount);
        if (amount is not null && value is null)
        {
            plan.Error(AmountField, $"'{AmountField}' must be a number or null, not {WritePlan.Describe(amount)}.");
            return;
        }

        var terms = bid ?? (value is null
            ? new Terms(null, null, null, null)
            : new Terms(types.InsightlyValue(BidField, JsonValue.Create("fixed_bid"), plan, context), value, null, amount!.DeepClone()));
        if (amountSent && bid is not null && terms.Value != value)
        {
            var computed = terms.Value is { } made ? made.ToString(CultureInfo.InvariantCulture) : "no value";
            plan.Error(AmountField, $"'{AmountField}' and '{BidField}' disagree: that bid makes the value {computed}. Send one of them, or both as a read gives them.");
            plan.Error(BidField, $"'{BidField}' sets the amount through its own terms.");
            return;
        }

        plan.Set("BID_TYPE", terms.Type);
        plan.Set("BID_AMOUNT", terms.AmountNode);
        plan.Set("BID_DURATION", terms.Duration);
    }

    /// <summary>A written <c>bid</c>, checked; an empty bid for null; null (with the error recorded) when refused.</summary>
    private Terms? Bid(JsonNode? node, WritePlan plan, MappingContext context)
    {
        if (node is null)
        {
            return new Terms(null, null, null, null);
        }

        if (node is not JsonObject bid || bid.Any(p => p.Key is not ("type" or "amount" or "duration")))
        {
            plan.Error(BidField, $"'{BidField}' must be an object of 'type', 'amount' and 'duration', like {{\"type\": \"per_month\", \"amount\": 150, \"duration\": 12}}.");
            return null;
        }

        var typeName = bid["type"]?.GetValueKind() == JsonValueKind.String ? bid["type"]!.GetValue<string>() : null;
        var type = typeName is not null && types.Field.Options.Contains(typeName) ? types.InsightlyValue(BidField, bid["type"], plan, context) : null;
        if (type is null)
        {
            plan.Error(BidField, $"'{BidField}' needs a 'type': one of {string.Join(", ", types.Field.Options)}.");
        }

        var amount = bid["amount"];
        var duration = bid["duration"];
        if (amount is not null && Decimal(amount) is null)
        {
            plan.Error(BidField, $"The 'amount' of '{BidField}' must be a number or null.");
        }

        if (duration is not null && (!duration.AsValue().TryGetValue<long>(out var whole) || whole < 0))
        {
            plan.Error(BidField, $"The 'duration' of '{BidField}' must be a whole number of at least 0, or null.");
        }
        else if (duration is not null && typeName == "fixed_bid")
        {
            plan.Error(BidField, $"A fixed bid has no 'duration'; leave it out or make the bid per hour, day, week, month or year.");
        }

        if (plan.Errors.Any(e => e.Field is BidField))
        {
            return null;
        }

        var times = duration?.GetValue<long>() ?? 1;
        return new Terms(type, Decimal(amount) * times, duration?.GetValue<long>(), amount?.DeepClone());
    }

    /// <summary>A JSON number a decimal can hold; null for anything else.</summary>
    private static decimal? Decimal(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<decimal>(out var number) ? number : null;

    private static void WriteNumber(Utf8JsonWriter writer, JsonElement value)
    {
        if (Number(value) is { } number)
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static decimal? Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDecimal(out var number) => number,
        JsonValueKind.String when decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    /// <param name="Value">What Insightly will compute OPPORTUNITY_VALUE to be.</param>
    private sealed record Terms(JsonNode? Type, decimal? Value, long? Duration, JsonNode? AmountNode);
}
