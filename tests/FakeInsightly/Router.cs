using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FakeInsightly;

/// <summary>
/// Maps one authenticated request (path relative to <c>/v3.1/</c>) to its handler, under the instance's store lock.
/// Route names match case-insensitively, as ASP.NET routing does; a known route with the wrong method is 405
/// with <c>Allow</c>; anything else is 404.
/// </summary>
internal sealed class Router(FakeInstance instance, JsonObject caller, DateTimeOffset now, HttpRequest request, string path, string bodyText)
{
    private const string Get = "GET";
    private const string Post = "POST";
    private const string Put = "PUT";
    private const string Delete = "DELETE";

    private IQueryCollection Query => request.Query;

    public FakeResponse Handle()
    {
        try
        {
            lock (instance.StoreGate)
            {
                return Route(path.Split('/', StringSplitOptions.RemoveEmptyEntries));
            }
        }
        catch (InsightlyError error)
        {
            var response = FakeResponse.Error(error.Status, error.Message);
            return error.Allow is null ? response : response.With("Allow", error.Allow);
        }
    }

    private FakeResponse Route(string[] segments)
    {
        switch (segments)
        {
            case [var users, var me] when Is(users, "Users") && Is(me, "Me"):
                return Methods((Get, () => FakeResponse.Ok(caller.DeepClone())));
            case [var name] when Is(name, "Instance"):
                return Methods((Get, () => FakeResponse.Ok(instance.Instance)));
            case [var custom, var collection] when Is(custom, "CustomFields"):
                return Methods((Get, () => CustomFieldList(collection, fieldName: null)));
            case [var custom, var collection, var search] when Is(custom, "CustomFields") && Is(search, "Search"):
                return Methods((Get, () => CustomFieldList(collection, Reads.Given(Query, "field_name") ?? throw Refuse.BadRequest("field_name is required."))));
            case [var collection] when Schemas.Find(collection) is { } schema:
                return Collection(schema);
            case [var collection, var search] when Schemas.Find(collection) is { Searchable: true } schema && Is(search, "Search"):
                return Methods((Get, () => Reads.Page(Rows(schema).Where(Reads.FieldFilter(instance, schema, Query)), schema, Query)));
            case [var collection, var search] when Schemas.Find(collection) is { } schema && schema.Has(FieldType.Tags) && Is(search, "SearchByTag"):
                return Methods((Get, () => Reads.Page(Rows(schema).Where(Reads.TagFilter(Query)), schema, Query)));
            case [var collection, var id] when Schemas.Find(collection) is { } schema && long.TryParse(id, out var recordId):
                return Record(schema, recordId);
            case [var collection, var id, var sub] when Schemas.Find(collection) is { } schema && long.TryParse(id, out var recordId)
                                                          && SubResource(schema, recordId, sub) is { } handlers:
                return Methods(handlers);
            case [var collection, var id, var links, var linkId] when Schemas.Find(collection) is { } schema && Schemas.HasLinks(schema)
                                                                   && Is(links, "Links") && long.TryParse(id, out var recordId)
                                                                   && long.TryParse(linkId, out var link):
                return Methods((Delete, () =>
                {
                    Links(schema, recordId).Remove(link);
                    return Deleted();
                }));
            case [var collection] when instance.Rows(collection) is { } rows:
                return Methods((Get, () => Reads.Page(rows, null, Query)));
            case [var collection, var id] when instance.Rows(collection) is not null && long.TryParse(id, out var recordId):
                return Methods((Get, () => FakeResponse.Ok(Found(collection, collection, recordId).DeepClone())));
            default:
                throw Refuse.NoRoute(path);
        }
    }

    /// <summary><c>GET/POST/PUT /{C}</c>: list, create (not Notes: 405), partial update.</summary>
    private FakeResponse Collection(CollectionSchema schema)
    {
        List<(string, Func<FakeResponse>)> handlers = [(Get, () => Reads.Page(Listed(schema), schema, Query))];
        if (schema.Access != Access.ReadOnly)
        {
            if (!schema.CreatedUnderParent)
            {
                handlers.Add((Post, () => Created(Writer(schema).Create(Body()))));
            }

            handlers.Add((Put, () => Updated(Writer(schema).Update(Body(), IfMatch))));
        }

        return Methods([.. handlers]);
    }

    /// <summary><c>GET/DELETE /{C}/{id}</c>.</summary>
    private FakeResponse Record(CollectionSchema schema, long id)
    {
        List<(string, Func<FakeResponse>)> handlers = [(Get, () => FakeResponse.Ok(Found(schema.Name, schema.ObjectName, id).DeepClone()))];
        if (schema.Access != Access.ReadOnly)
        {
            handlers.Add((Delete, () =>
            {
                Writer(schema).Delete(id);
                return Deleted();
            }));
        }

        return Methods([.. handlers]);
    }

    /// <summary>Links; notes and tasks of a parent; pipeline, stage and state changes of opportunities and projects.</summary>
    private (string, Func<FakeResponse>)[]? SubResource(CollectionSchema schema, long id, string sub)
    {
        if (Is(sub, "Links") && Schemas.HasLinks(schema))
        {
            return
            [
                (Get, () => FakeResponse.Ok(Links(schema, id).List())),
                (Post, () => FakeResponse.Ok(Links(schema, id).Add(Body()))),
            ];
        }

        if (Is(sub, "Tasks") && Schemas.IsNoteParent(schema))
        {
            // The tasks linked to the parent, and an opportunity's or project's own (OPPORTUNITY_ID, PROJECT_ID).
            // updated_after_utc is documented for a parent's notes only, so here it is ignored like any unknown parameter.
            var ownColumn = schema == Schemas.Opportunities ? "OPPORTUNITY_ID" : schema == Schemas.Projects ? "PROJECT_ID" : null;
            bool OfParent(JsonObject task) => (ownColumn is not null && JsonFacts.AsLong(task[ownColumn]) == id)
                || (task["LINKS"] as JsonArray ?? []).Any(l =>
                    JsonFacts.AsString(l?["LINK_OBJECT_NAME"]) == schema.ObjectName && JsonFacts.AsLong(l?["LINK_OBJECT_ID"]) == id);
            return [(Get, () => Parent(() => Reads.Page(Rows(Schemas.Tasks).Where(OfParent), Schemas.Tasks, Query, honourUpdatedAfter: false)))];
        }

        if (Is(sub, "Notes") && Schemas.IsNoteParent(schema))
        {
            bool Linked(JsonObject note) => (note["LINKS"] as JsonArray ?? []).Any(l =>
                JsonFacts.AsString(l?["LINK_OBJECT_NAME"]) == schema.ObjectName && JsonFacts.AsLong(l?["LINK_OBJECT_ID"]) == id);
            return
            [
                (Get, () => Parent(() => Reads.Page(Rows(Schemas.Notes).Where(Linked), Schemas.Notes, Query))),
                (Post, () => Parent(() => Created(Writer(Schemas.Notes).Create(Body(), ParentLink(schema, id))))),
                (Put, () => Parent(() => Updated(Writer(Schemas.Notes).Update(Body(), IfMatch, Linked)))),
            ];
        }

        if (schema != Schemas.Opportunities && schema != Schemas.Projects)
        {
            return null;
        }

        PipelineEndpoints Endpoints() => new(instance, Writer(schema), schema, Found(schema.Name, schema.ObjectName, id));
        return sub.ToUpperInvariant() switch
        {
            "PIPELINE" =>
            [
                (Put, () => Updated(Endpoints().SetPipeline(Body()))),
                (Delete, () =>
                {
                    Endpoints().ClearPipeline();
                    return Deleted();
                }),
            ],
            "PIPELINESTAGE" => [(Put, () => Updated(Endpoints().SetStage(Body())))],
            "STATECHANGE" when schema == Schemas.Opportunities => [(Put, () => FakeResponse.Ok(Endpoints().ChangeState(Body(), now)))],
            "STATEHISTORY" when schema == Schemas.Opportunities =>
                [(Get, () => Parent(() => FakeResponse.Ok(new JsonArray(instance.StateHistory(id).Select(h => (JsonNode?)h.DeepClone()).ToArray()))))],
            _ => null,
        };

        FakeResponse Parent(Func<FakeResponse> then)
        {
            Found(schema.Name, schema.ObjectName, id);
            return then();
        }
    }

    /// <summary>Rows as the plain list shows them: <c>GET /LeadStatuses</c> hides converted statuses unless include_converted=true.</summary>
    private IEnumerable<JsonObject> Listed(CollectionSchema schema) =>
        schema == Schemas.LeadStatuses && Reads.Bool(Query, "include_converted") != true
            ? Rows(schema).Where(s => JsonFacts.AsLong(s["STATUS_TYPE"]) != LeadStatusType.Converted)
            : Rows(schema);

    private FakeResponse CustomFieldList(string collection, string? fieldName)
    {
        var schema = Schemas.Find(collection) ?? throw Refuse.NotFound($"There is no object named '{collection}'.");
        var definitions = instance.CustomFieldsOf(schema.Name)
            .Where(d => fieldName is null || JsonFacts.AsString(d["FIELD_NAME"]) == fieldName)
            .Select(d => (JsonNode?)d.DeepClone());
        return FakeResponse.Ok(new JsonArray(definitions.ToArray()));
    }

    private IEnumerable<JsonObject> Rows(CollectionSchema schema) => instance.Rows(schema.Name)!;

    private LinkEndpoints Links(CollectionSchema schema, long id) =>
        new(instance, Writer(schema), schema, Found(schema.Name, schema.ObjectName, id));

    private JsonObject Found(string collection, string objectName, long id) =>
        instance.Get(collection, id) ?? throw Refuse.NotFound($"No {objectName} with id {id} was found.");

    private RecordWriter Writer(CollectionSchema schema)
    {
        if (schema.Access == Access.AdminWritable && caller["ADMINISTRATOR"]?.GetValue<bool>() != true)
        {
            throw new InsightlyError(403, $"Only administrators may change {schema.Name}.");
        }

        return new RecordWriter(instance, schema, caller, now);
    }

    private static JsonObject ParentLink(CollectionSchema parent, long id) => new()
    {
        ["LINK_ID"] = null,
        ["OBJECT_NAME"] = null,
        ["OBJECT_ID"] = null,
        ["LINK_OBJECT_NAME"] = parent.ObjectName,
        ["LINK_OBJECT_ID"] = id,
        ["ROLE"] = null,
        ["DETAILS"] = null,
        ["RELATIONSHIP_ID"] = null,
        ["IS_FORWARD"] = null,
    };

    private string? IfMatch => request.Headers.IfMatch.Count == 0 ? null : request.Headers.IfMatch.ToString();

    /// <summary>A create answers 200 with the full record (ASP.NET Web API's default for an action returning an object).</summary>
    private static FakeResponse Created(JsonObject record) => FakeResponse.Ok(record.DeepClone());

    private static FakeResponse Updated(JsonObject record) => FakeResponse.Ok(record.DeepClone());

    /// <summary>A delete answers 204 with no body (ASP.NET Web API's default for a void action).</summary>
    private static FakeResponse Deleted() => new(204, null);

    /// <summary>The write body: a JSON object sent as application/json; anything else is 415 or 400.</summary>
    private JsonObject Body()
    {
        if (string.IsNullOrWhiteSpace(bodyText))
        {
            throw Refuse.BadRequest("The request body is empty; send a JSON object.");
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) ||
            !(type.MediaType is "application/json" || type.MediaType?.EndsWith("+json", StringComparison.Ordinal) == true))
        {
            throw new InsightlyError(415, $"The request entity's media type '{request.ContentType}' is not supported for this resource.");
        }

        try
        {
            return JsonNode.Parse(bodyText, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonObject
                ?? throw Refuse.BadRequest("The request body must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw Refuse.BadRequest($"The request body is not valid JSON: {e.Message}");
        }
    }

    private FakeResponse Methods(params (string Method, Func<FakeResponse> Handler)[] handlers)
    {
        foreach (var (method, handler) in handlers)
        {
            if (HttpMethods.Equals(method, request.Method))
            {
                return handler();
            }
        }

        throw Refuse.MethodNotAllowed(request.Method, handlers.Select(h => h.Method));
    }

    private static bool Is(string segment, string name) => segment.Equals(name, StringComparison.OrdinalIgnoreCase);
}
