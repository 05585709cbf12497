using System.Text.Json.Nodes;

namespace FakeInsightly;

/// <summary>
/// POST, PUT and DELETE on one collection, checked against its schema: unknown fields, read-only and
/// pipeline-only fields, JSON types, date formats, choices, references, custom fields, tags and changed links are
/// all refused with a 400 naming what is wrong. The caller holds the instance's store lock.
/// </summary>
internal sealed class RecordWriter(FakeInstance store, CollectionSchema schema, JsonObject caller, DateTimeOffset now)
{
    private long CallerId => JsonFacts.AsLong(caller["USER_ID"]) ?? 0;

    /// <summary>Creates a record and returns it as stored; <paramref name="parentLink"/> is added to a note's LINKS.</summary>
    public JsonObject Create(JsonObject body, JsonObject? parentLink = null)
    {
        var id = store.PeekNextId(schema);
        var changes = Validate(body, existing: null, id);
        var missing = schema.Fields.Values.FirstOrDefault(f => f.Required && changes.GetValueOrDefault(f.Name) is null);
        if (missing is not null)
        {
            throw Refuse.BadRequest($"'{missing.Name}' is required to create a {schema.ObjectName}.");
        }

        var record = new JsonObject();
        foreach (var field in schema.Fields.Values)
        {
            record[field.Name] = field.IsSubCollection ? new JsonArray() : store.DefaultOf(field);
        }

        record[schema.IdField] = id;
        SetIfPresent(record, "OWNER_USER_ID", CallerId);
        SetIfPresent(record, "CREATED_USER_ID", CallerId);
        SetIfPresent(record, "DATE_CREATED_UTC", Dates.Format(now));
        foreach (var (name, value) in changes)
        {
            record[name] = value;
        }

        if (parentLink is not null)
        {
            parentLink["LINK_ID"] = store.NextItemId();
            parentLink["OBJECT_NAME"] = schema.ObjectName;
            parentLink["OBJECT_ID"] = id;
            record["LINKS"]!.AsArray().Add(parentLink);
        }

        if (schema == Schemas.Leads)
        {
            record["LEAD_STATUS_ID"] ??= DefaultId(Schemas.LeadStatuses, "DEFAULT_STATUS");
            record["LEAD_SOURCE_ID"] ??= DefaultId(Schemas.LeadSources, "DEFAULT_VALUE");
        }

        return Save(record);
    }

    /// <summary>A partial update: the <c>*_ID</c> is in the body; only the fields sent change, null clears one.</summary>
    public JsonObject Update(JsonObject body, string? ifMatch, Func<JsonObject, bool>? mayUpdate = null)
    {
        var idNode = body[schema.IdField];
        if (idNode is null)
        {
            throw Refuse.BadRequest($"'{schema.IdField}' is required in the body of PUT /{schema.Name}; the id goes in the body, not in the URL.");
        }

        var id = JsonFacts.AsLong(idNode) ?? throw Refuse.BadRequest($"'{schema.IdField}' must be an integer.");
        var existing = store.Get(schema.Name, id);
        if (existing is null || (mayUpdate is not null && !mayUpdate(existing)))
        {
            throw Refuse.NotFound($"No {schema.ObjectName} with {schema.IdField} {id} was found.");
        }

        if (ifMatch is not null && ifMatch.Trim() != "*" &&
            !ifMatch.Split(',').Select(t => t.Trim()).Contains(FakeResponse.ETagOf(existing)))
        {
            throw Refuse.BadRequest(
                $"The If-Match header {ifMatch} does not match the current ETag of {schema.ObjectName} {id}; it changed since it was read.");
        }

        var changes = Validate(body, existing, id);
        var record = existing.DeepClone().AsObject();
        foreach (var (name, value) in changes)
        {
            record[name] = value;
        }

        return Save(record);
    }

    /// <summary>Deletes the record and the links other records had to it.</summary>
    public void Delete(long id)
    {
        if (!store.Remove(schema.Name, id))
        {
            throw Refuse.NotFound($"No {schema.ObjectName} with {schema.IdField} {id} was found.");
        }

        LinkEndpoints.ForgetLinksTo(store, schema, id);
    }

    /// <summary>Stamps DATE_UPDATED_UTC, recomputes derived fields and stores the record.</summary>
    public JsonObject Save(JsonObject record)
    {
        SetIfPresent(record, "DATE_UPDATED_UTC", Dates.Format(now));
        if (schema == Schemas.Opportunities)
        {
            record["OPPORTUNITY_VALUE"] = OpportunityValue(record);
        }

        store.Put(schema.Name, record);
        return record;
    }

    /// <summary>Checks one scalar value against its field and returns what is stored.</summary>
    public JsonNode? Scalar(Field field, JsonNode? value, string owner)
    {
        if (value is null)
        {
            return field.Required
                ? throw Refuse.BadRequest($"'{field.Name}' is required on {owner} and cannot be null.")
                : null;
        }

        var kind = JsonFacts.Kind(value);
        InsightlyError WrongType(string expected) =>
            Refuse.BadRequest($"'{field.Name}' on {owner} must be {expected}; got a JSON {CustomFieldRules.Describe(kind)}.");

        switch (field.Type)
        {
            case FieldType.Text:
                var text = JsonFacts.AsString(value) ?? throw WrongType("a string");
                if (field.Required && string.IsNullOrWhiteSpace(text))
                {
                    throw Refuse.BadRequest($"'{field.Name}' is required on {owner} and cannot be empty.");
                }

                if (field.Choices is not null)
                {
                    var choices = store.ChoicesOf(field);
                    var spelt = choices.FirstOrDefault(c => c.Equals(text, StringComparison.OrdinalIgnoreCase));
                    return choices.Contains(text) ? text
                        : throw Refuse.BadRequest(spelt is null
                            ? $"'{text}' is not a valid {field.Name}; use one of {string.Join(", ", choices)}."
                            : $"'{text}' is not a valid {field.Name}: values are matched exactly here; use '{spelt}'.");
                }

                return text;
            case FieldType.Integer:
                var number = JsonFacts.AsLong(value) ?? throw WrongType("an integer");
                if (number < field.Min || number > field.Max)
                {
                    var range = field.Max is null ? $"at least {field.Min}" : $"between {field.Min ?? long.MinValue} and {field.Max}";
                    throw Refuse.BadRequest($"'{field.Name}' must be {range}; got {number}.");
                }

                if (field.References is { } target && !store.Exists(target, number))
                {
                    throw Refuse.BadRequest($"{field.Name} {number} does not refer to an existing {Schemas.Find(target)!.ObjectName}.");
                }

                return number;
            case FieldType.Number:
                return JsonFacts.AsDecimal(value) is not null ? value.DeepClone() : throw WrongType("a number");
            case FieldType.Boolean:
                return kind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False
                    ? value.GetValue<bool>()
                    : throw WrongType("true or false");
            case FieldType.DateTime or FieldType.Date:
                var date = JsonFacts.AsString(value) ?? throw WrongType($"a string formatted '{Dates.Layout}'");
                return Dates.Normalize($"'{field.Name}' on {owner}", date, field.Type == FieldType.Date);
            default:
                throw new InvalidOperationException($"{field.Name} is not a scalar.");
        }
    }

    private Dictionary<string, JsonNode?> Validate(JsonObject body, JsonObject? existing, long id)
    {
        var changes = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (name, value) in body)
        {
            if (!schema.Fields.TryGetValue(name, out var field))
            {
                throw UnknownField(name);
            }

            if (field.ReadOnly || field.PipelineOnly)
            {
                var stored = name == schema.IdField && existing is not null ? JsonValue.Create(id) : existing?[name];
                if (!JsonFacts.Same(value, stored))
                {
                    throw Refuse.BadRequest(field.PipelineOnly
                        ? $"'{name}' cannot be set with POST or PUT /{schema.Name}; use PUT /{schema.Name}/{{id}}/Pipeline or /PipelineStage."
                        : $"'{name}' is read-only on {schema.ObjectName}; Insightly sets it.");
                }

                continue;
            }

            if (field.Type == FieldType.Links)
            {
                // Sending the links back as they are (a read-modify-write) is harmless; changing them here is not documented.
                if (!SameLinks(value, existing?[name]))
                {
                    throw Refuse.BadRequest(
                        $"LINKS cannot be changed by POST or PUT /{schema.Name}: Insightly documents bulk updates in these bodies for TAGS, " +
                        $"DATES and EMAILDOMAINS only. Add a link with POST /{schema.Name}/{{id}}/Links and remove one with DELETE /{schema.Name}/{{id}}/Links/{{linkId}}.");
                }

                continue;
            }

            changes[name] = field.Type switch
            {
                FieldType.CustomFields => MergeCustomFields(value, existing),
                FieldType.Tags or FieldType.Dates or FieldType.EmailDomains => Items(field, value, existing),
                _ => Scalar(field, value, schema.ObjectName),
            };
        }

        return changes;
    }

    private InsightlyError UnknownField(string name)
    {
        var hint = schema.HasField(name.ToUpperInvariant()) ? $" Field names are upper case: '{name.ToUpperInvariant()}'."
            : name.EndsWith("__c", StringComparison.Ordinal) ? " Custom fields go inside CUSTOMFIELDS as {\"FIELD_NAME\", \"FIELD_VALUE\"}."
            : "";
        return Refuse.BadRequest($"'{name}' is not a field of {schema.ObjectName}.{hint}");
    }

    private static bool SameLinks(JsonNode? sent, JsonNode? stored) =>
        (sent as JsonArray ?? []).Count == 0 && (stored as JsonArray ?? []).Count == 0 || JsonNode.DeepEquals(sent, stored);

    /// <summary>TAGS, DATES and EMAILDOMAINS: the array sent replaces the stored one; null or [] empties it.</summary>
    private JsonArray Items(Field field, JsonNode? value, JsonObject? existing)
    {
        if (value is null)
        {
            return [];
        }

        if (value is not JsonArray array)
        {
            throw Refuse.BadRequest($"'{field.Name}' must be an array.");
        }

        var itemFields = Schemas.ItemFields[field.Type];
        var idField = itemFields[0].Name.EndsWith("_ID", StringComparison.Ordinal) ? itemFields[0].Name : null;
        var storedIds = (existing?[field.Name] as JsonArray ?? []).Select(i => JsonFacts.AsLong(i?[idField ?? ""])).ToHashSet();
        var result = new JsonArray();
        foreach (var node in array)
        {
            if (node is not JsonObject item)
            {
                throw Refuse.BadRequest($"Each item of '{field.Name}' must be an object.");
            }

            var unknown = item.Select(p => p.Key).FirstOrDefault(k => itemFields.All(f => f.Name != k));
            if (unknown is not null)
            {
                throw Refuse.BadRequest($"'{unknown}' is not a field of {field.Name} items; they have {string.Join(", ", itemFields.Select(f => f.Name))}.");
            }

            var stored = new JsonObject();
            foreach (var itemField in itemFields)
            {
                stored[itemField.Name] = itemField.Name == idField ? ItemId(field, item[idField], storedIds) : Scalar(itemField, item[itemField.Name], $"{field.Name} items");
            }

            result.Add(stored);
        }

        return result;
    }

    private long ItemId(Field field, JsonNode? sent, HashSet<long?> storedIds)
    {
        if (sent is null)
        {
            return store.NextItemId();
        }

        var id = JsonFacts.AsLong(sent) ?? throw Refuse.BadRequest($"Item ids in '{field.Name}' must be integers.");
        return storedIds.Contains(id)
            ? id
            : throw Refuse.BadRequest($"{Schemas.ItemFields[field.Type][0].Name} {id} is not one of this {schema.ObjectName}'s {field.Name}.");
    }

    /// <summary>CUSTOMFIELDS are merged by FIELD_NAME (the fake's assumption): fields not sent keep their value; FIELD_VALUE null clears one.</summary>
    private JsonArray MergeCustomFields(JsonNode? value, JsonObject? existing)
    {
        if (value is null)
        {
            return [];
        }

        if (value is not JsonArray array)
        {
            throw Refuse.BadRequest("'CUSTOMFIELDS' must be an array of {\"FIELD_NAME\", \"FIELD_VALUE\"}.");
        }

        var merged = (existing?["CUSTOMFIELDS"] as JsonArray)?.DeepClone().AsArray() ?? [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in array)
        {
            if (node is not JsonObject item || item.Any(p => p.Key is not ("FIELD_NAME" or "FIELD_VALUE")))
            {
                throw Refuse.BadRequest("Each CUSTOMFIELDS item must be an object with only FIELD_NAME and FIELD_VALUE.");
            }

            var name = JsonFacts.AsString(item["FIELD_NAME"]) ?? throw Refuse.BadRequest("Each CUSTOMFIELDS item needs a FIELD_NAME string.");
            if (!seen.Add(name))
            {
                throw Refuse.BadRequest($"Custom field '{name}' appears twice in CUSTOMFIELDS.");
            }

            var definition = store.CustomField(schema.Name, name) ?? throw Refuse.BadRequest(
                $"'{name}' is not a custom field of {schema.Name}; FIELD_NAME must match one from GET /CustomFields/{schema.Name} exactly (names end in __c).");
            var stored = CustomFieldRules.Normalize(definition, item["FIELD_VALUE"], store.Exists);
            var index = merged.Select((n, i) => (n, i)).Where(x => JsonFacts.AsString(x.n?["FIELD_NAME"]) == name).Select(x => x.i).DefaultIfEmpty(-1).First();
            if (definition["EDITABLE"]?.GetValue<bool>() == false)
            {
                // Like read-only standard fields: repeating the stored value is harmless, changing it is refused.
                if (!JsonFacts.Same(stored, index < 0 ? null : merged[index]!["FIELD_VALUE"]))
                {
                    throw Refuse.BadRequest($"Custom field '{name}' is not editable.");
                }

                continue;
            }

            var entry = stored is null ? null : new JsonObject { ["FIELD_NAME"] = name, ["FIELD_VALUE"] = stored };
            if (index >= 0 && entry is null)
            {
                merged.RemoveAt(index);
            }
            else if (index >= 0)
            {
                merged[index] = entry;
            }
            else if (entry is not null)
            {
                merged.Add(entry);
            }
        }

        return merged;
    }

    private JsonNode? DefaultId(CollectionSchema lookup, string flag) =>
        (store.Rows(lookup.Name) ?? []).FirstOrDefault(r => r[flag]?.GetValue<bool>() == true)?[lookup.IdField]?.DeepClone();

    /// <summary>OPPORTUNITY_VALUE is read-only, computed from BID_AMOUNT × BID_DURATION according to BID_TYPE.</summary>
    private static JsonNode? OpportunityValue(JsonObject record)
    {
        if (JsonFacts.AsDecimal(record["BID_AMOUNT"]) is not { } amount)
        {
            return null;
        }

        var fixedBid = JsonFacts.AsString(record["BID_TYPE"]) is null or "Fixed Bid";
        return amount * (fixedBid ? 1 : JsonFacts.AsLong(record["BID_DURATION"]) ?? 1);
    }

    private void SetIfPresent(JsonObject record, string name, JsonNode value)
    {
        if (schema.HasField(name))
        {
            record[name] = value;
        }
    }
}
