using System.Text.Json.Nodes;

namespace FakeInsightly;

/// <summary>
/// <c>GET/POST /{C}/{id}/Links</c> and <c>DELETE /{C}/{id}/Links/{linkId}</c>, the documented way to change a record's
/// links. Names in link bodies are singular (<c>Contact</c>, not <c>Contacts</c>). A link between two linkable records
/// (contacts, organisations, leads, opportunities, projects) shows at both ends under one LINK_ID, each end naming
/// itself in OBJECT_NAME/OBJECT_ID; a task's or note's link is kept on the task or note, whose parents list it through
/// <c>/{Parent}/{id}/Tasks</c> and <c>/Notes</c>. The caller holds the store lock and has found the record.
/// </summary>
internal sealed class LinkEndpoints(FakeInstance store, RecordWriter writer, CollectionSchema schema, JsonObject record)
{
    private long Id => JsonFacts.AsLong(record[schema.IdField])!.Value;

    public JsonArray List() => (record["LINKS"] as JsonArray ?? []).DeepClone().AsArray();

    /// <summary>Adds a link (LINK_ID is Insightly's to give) and returns it as stored on this record.</summary>
    public JsonObject Add(JsonObject body)
    {
        var fields = Schemas.ItemFields[FieldType.Links];
        if (body.Select(p => p.Key).FirstOrDefault(k => fields.All(f => f.Name != k)) is { } unknown)
        {
            throw Refuse.BadRequest($"'{unknown}' is not a field of a link; links have {string.Join(", ", fields.Select(f => f.Name))}.");
        }

        if (body["LINK_ID"] is not null)
        {
            throw Refuse.BadRequest("LINK_ID is given by Insightly: POST a link without it.");
        }

        var link = new JsonObject();
        foreach (var field in fields)
        {
            link[field.Name] = field.Name == "LINK_ID" ? store.NextItemId() : writer.Scalar(field, body[field.Name], "a link");
        }

        var (target, targetId) = CheckEnds(link);
        Store(schema, Id, links => links.Add(link.DeepClone()));
        if (Schemas.Linkable.Contains(schema) && Schemas.Linkable.Contains(target))
        {
            Store(target, targetId, links => links.Add(Mirror(link)));
        }

        return link;
    }

    /// <summary>Removes one of the record's links, at both ends.</summary>
    public void Remove(long linkId)
    {
        var link = (record["LINKS"] as JsonArray ?? []).FirstOrDefault(l => JsonFacts.AsLong(l?["LINK_ID"]) == linkId)
            ?? throw Refuse.NotFound($"{schema.ObjectName} {Id} has no link with LINK_ID {linkId}.");
        Store(schema, Id, links => RemoveId(links, linkId));
        if (Schemas.Linkable.Contains(schema) && Schemas.Find(ObjectCollection(JsonFacts.AsString(link["LINK_OBJECT_NAME"]))) is { } other
            && JsonFacts.AsLong(link["LINK_OBJECT_ID"]) is { } otherId && store.Exists(other.Name, otherId))
        {
            Store(other, otherId, links => RemoveId(links, linkId));
        }
    }

    /// <summary>After a delete: no record keeps a link to the deleted one.</summary>
    public static void ForgetLinksTo(FakeInstance store, CollectionSchema deleted, long id)
    {
        foreach (var schema in Schemas.All.Where(Schemas.HasLinks))
        {
            var linking = (store.Rows(schema.Name) ?? []).Where(r => (r["LINKS"] as JsonArray ?? []).Any(l => Points(l, deleted, id))).ToList();
            foreach (var linked in linking)
            {
                var changed = linked.DeepClone().AsObject();
                var links = changed["LINKS"]!.AsArray();
                foreach (var stale in links.Where(l => Points(l, deleted, id)).ToList())
                {
                    links.Remove(stale);
                }

                store.Put(schema.Name, changed);
            }
        }
    }

    /// <summary>LINK_OBJECT_NAME must be a singular object name and LINK_OBJECT_ID an existing record of it; OBJECT_* are this record.</summary>
    private (CollectionSchema Target, long TargetId) CheckEnds(JsonObject link)
    {
        var target = LinkObject("LINK_OBJECT_NAME", link["LINK_OBJECT_NAME"]!.GetValue<string>());
        var targetId = JsonFacts.AsLong(link["LINK_OBJECT_ID"])!.Value;
        if (!store.Exists(target.Name, targetId))
        {
            throw Refuse.BadRequest($"LINK_OBJECT_ID {targetId} does not refer to an existing {target.ObjectName}.");
        }

        if (target == schema && targetId == Id)
        {
            throw Refuse.BadRequest($"A {schema.ObjectName} cannot be linked to itself.");
        }

        if (JsonFacts.AsString(link["OBJECT_NAME"]) is { } owner && owner != schema.ObjectName)
        {
            throw Refuse.BadRequest($"OBJECT_NAME '{owner}' must be '{schema.ObjectName}', the object the link belongs to (singular).");
        }

        if (JsonFacts.AsLong(link["OBJECT_ID"]) is { } ownerId && ownerId != Id)
        {
            throw Refuse.BadRequest($"OBJECT_ID {ownerId} must be {Id}, the {schema.ObjectName} the link belongs to.");
        }

        link["OBJECT_NAME"] = schema.ObjectName;
        link["OBJECT_ID"] = Id;
        return (target, targetId);
    }

    private static CollectionSchema LinkObject(string key, string name)
    {
        if (Schemas.Linkable.FirstOrDefault(s => s.ObjectName == name) is { } exact)
        {
            return exact;
        }

        if (Schemas.Linkable.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } plural)
        {
            throw Refuse.BadRequest($"{key} '{name}' is a plural collection name; link bodies use the singular object name '{plural.ObjectName}'.");
        }

        if (Schemas.Linkable.FirstOrDefault(s => s.ObjectName.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } cased)
        {
            throw Refuse.BadRequest($"{key} '{name}' must be spelt '{cased.ObjectName}'.");
        }

        throw Refuse.BadRequest($"{key} '{name}' is not an object that can be linked; use Contact, Organisation, Lead, Opportunity or Project.");
    }

    /// <summary>The link as the other end shows it: the same LINK_ID with the ends swapped.</summary>
    private static JsonObject Mirror(JsonObject link)
    {
        var mirror = link.DeepClone().AsObject();
        (mirror["OBJECT_NAME"], mirror["LINK_OBJECT_NAME"]) = (link["LINK_OBJECT_NAME"]?.DeepClone(), link["OBJECT_NAME"]?.DeepClone());
        (mirror["OBJECT_ID"], mirror["LINK_OBJECT_ID"]) = (link["LINK_OBJECT_ID"]?.DeepClone(), link["OBJECT_ID"]?.DeepClone());
        if (link["IS_FORWARD"]?.GetValue<bool>() is { } forward)
        {
            mirror["IS_FORWARD"] = !forward;
        }

        return mirror;
    }

    /// <summary>Replaces the stored record with a copy whose LINKS are changed (links carry no DATE_UPDATED_UTC stamp of their own).</summary>
    private void Store(CollectionSchema owner, long id, Action<JsonArray> change)
    {
        var changed = store.Get(owner.Name, id)!.DeepClone().AsObject();
        if (changed["LINKS"] is not JsonArray links)
        {
            changed["LINKS"] = links = [];
        }

        change(links);
        store.Put(owner.Name, changed);
    }

    private static void RemoveId(JsonArray links, long linkId)
    {
        foreach (var link in links.Where(l => JsonFacts.AsLong(l?["LINK_ID"]) == linkId).ToList())
        {
            links.Remove(link);
        }
    }

    private static bool Points(JsonNode? link, CollectionSchema target, long id) =>
        JsonFacts.AsString(link?["LINK_OBJECT_NAME"]) == target.ObjectName && JsonFacts.AsLong(link?["LINK_OBJECT_ID"]) == id;

    private static string ObjectCollection(string? objectName) =>
        Schemas.Linkable.FirstOrDefault(s => s.ObjectName == objectName)?.Name ?? "";
}
