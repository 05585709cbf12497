using System.Text.Json.Nodes;

namespace FakeInsightly;

/// <summary>A pipeline made by <see cref="FakeInstance.SeedStandardData"/>, with its stage ids in STAGE_ORDER.</summary>
public sealed record SeededPipeline(long Id, string Name, IReadOnlyList<long> StageIds);

/// <summary>The ids <see cref="FakeInstance.SeedStandardData"/> created, for tests to refer to.</summary>
public sealed record StandardData(
    SeededPipeline Sales,
    SeededPipeline Partners,
    SeededPipeline Delivery,
    long DefaultLeadStatusId,
    long ConvertedLeadStatusId,
    long DefaultLeadSourceId,
    long WonReasonId,
    long LostReasonId);

/// <summary>Realistic data for tests: what an admin sets up in the web app, and records with the mess real ones have.</summary>
public sealed partial class FakeInstance
{
    private static readonly (string Name, string Label, string Type, string[] Options, string? Default, bool Editable, bool Visible, string? Join)[] CustomFieldTemplate =
    [
        ("Reference_Code__c", "Reference code", CustomFieldType.Text, [], null, true, true, null),
        ("Summary__c", "Summary", CustomFieldType.MultilineText, [], null, true, true, null),
        ("Is_Vip__c", "VIP", CustomFieldType.Bit, [], null, true, true, null),
        ("Segment__c", "Segment", CustomFieldType.Dropdown, ["Enterprise", "Mid-market", "SMB"], "SMB", true, true, null),
        ("Renewal_Date__c", "Renewal date", CustomFieldType.Date, [], null, true, true, null),
        ("Last_Reviewed__c", "Last reviewed", CustomFieldType.DateTime, [], null, true, true, null),
        ("Score__c", "Score", CustomFieldType.Numeric, [], null, true, true, null),
        ("Homepage__c", "Homepage", CustomFieldType.Url, [], null, true, true, null),
        ("Interests__c", "Interests", CustomFieldType.MultiSelect, ["Golf", "Sailing", "Wine", "Technology"], null, true, true, null),
        ("Related_Organisation__c", "Related organisation", CustomFieldType.Lookup, [], null, true, true, "Organisations"),
        ("Lifetime_Value__c", "Lifetime value (calculated)", CustomFieldType.Numeric, [], null, false, true, null),
        ("Legacy_Id__c", "Legacy id", CustomFieldType.Text, [], null, true, false, null),
    ];

    private static readonly string[] FirstNames =
        ["Ada", "Zoë", "José", "Łukasz", "Søren", "Мария", "健", "Chloé", "Grace", "Ólafur", "Nguyễn", "Siobhán", "Ahmed", "François"];

    private static readonly string[] LastNames =
        ["Lovelace", "Ångström", "Núñez", "Żółć", "Kierkegård", "Иванова", "渡辺", "O'Brien", "Hopper", "Arnalds", "Thị Minh", "Ní Bhriain", "Al-Fulan", "Dupré"];

    private static readonly string[] OrganisationNames =
        ["Acme Corp", "Globex GmbH", "Société Générale d'Électricité", "Nordisk Fjord AS", "株式会社サンプル", "Zürich Versicherung AG", "O'Reilly & Sons", "Ωmega Labs"];

    private static readonly string[] Titles = ["CTO", "Head of Procurement", "Directrice générale", "Sales Manager", "Engineer"];

    private static readonly string[] Tags = ["vip", "newsletter", "Trade Show 2024", "partner", "do-not-call"];

    /// <summary>
    /// Pipelines with stages (two for opportunities, one for projects), lead statuses (one converted) and sources,
    /// opportunity state reasons, and custom fields of every <see cref="CustomFieldType"/> on Contacts,
    /// Organisations, Leads, Opportunities, Projects and Tasks. Users are the ones already added.
    /// </summary>
    public StandardData SeedStandardData()
    {
        lock (StoreGate)
        {
            var owner = Rows("Users")!.Select(u => JsonFacts.AsLong(u["USER_ID"])).FirstOrDefault();
            var sales = AddPipeline("Sales", forOpportunities: true, owner, "Prospecting", "Qualification", "Proposal", "Negotiation");
            var partners = AddPipeline("Partner deals", forOpportunities: true, owner, "Introduced", "Evaluating", "Contracting");
            var delivery = AddPipeline("Delivery", forOpportunities: false, owner, "Kick-off", "Build", "Handover");

            var statuses = new[]
            {
                ("Open - Not Contacted", LeadStatusType.Open), ("Contacted", LeadStatusType.Open), ("Qualified", LeadStatusType.Open),
                ("Disqualified", LeadStatusType.Closed), ("Converted", LeadStatusType.Converted),
            }.Select((s, i) => AddId(Schemas.LeadStatuses, new JsonObject
            {
                ["LEAD_STATUS"] = s.Item1, ["DEFAULT_STATUS"] = i == 0, ["STATUS_TYPE"] = s.Item2, ["FIELD_ORDER"] = i + 1,
            })).ToList();
            var sources = new[] { "Web", "Referral", "Trade show", "Cold call", "Partner" }.Select((s, i) => AddId(Schemas.LeadSources, new JsonObject
            {
                ["LEAD_SOURCE"] = s, ["DEFAULT_VALUE"] = i == 0, ["FIELD_ORDER"] = i + 1,
            })).ToList();
            var reasons = new[] { ("Best value", "WON"), ("Went with a competitor", "LOST"), ("No budget", "LOST"), ("Project cancelled", "ABANDONED"), ("On hold", "SUSPENDED") }
                .Select(r => AddId(Schemas.OpportunityStateReasons, new JsonObject { ["STATE_REASON"] = r.Item1, ["FOR_OPPORTUNITY_STATE"] = r.Item2 }))
                .ToList();

            foreach (var schema in Schemas.WithCustomFields)
            {
                foreach (var t in CustomFieldTemplate)
                {
                    DefineCustomField(schema.Name, t.Name, t.Type, t.Label, t.Options, t.Default, t.Editable, t.Visible, t.Join);
                }
            }

            return new StandardData(sales, partners, delivery, statuses[0], statuses[^1], sources[0], reasons[0], reasons[1]);
        }
    }

    /// <summary>Organisations with non-ASCII names, tags, email domains and custom values on some, nulls on others.</summary>
    public IReadOnlyList<JsonObject> SeedOrganisations(int count)
    {
        lock (StoreGate)
        {
            return Enumerable.Range(0, count).Select(i =>
            {
                var record = Stamped(i, new JsonObject
                {
                    ["ORGANISATION_NAME"] = OrganisationNames[i % OrganisationNames.Length] + (i < OrganisationNames.Length ? "" : $" {i}"),
                    ["BACKGROUND"] = i % 3 == 0 ? null : "Long-standing customer.\nPrefers e-mail — never calls.",
                    ["PHONE"] = i % 4 == 3 ? null : $"+44 20 7946 {i % 10_000:0000}",
                    ["WEBSITE"] = i % 5 == 4 ? null : $"https://www.example{i}.com",
                    ["ADDRESS_BILLING_CITY"] = i % 2 == 0 ? "Zürich" : null,
                    ["ADDRESS_BILLING_COUNTRY"] = i % 2 == 0 ? "Switzerland" : null,
                });
                if (i % 4 != 3)
                {
                    record["CUSTOMFIELDS"] = SampleCustomValues(Schemas.Organisations, i);
                    record["TAGS"] = SampleTags(i);
                    record["EMAILDOMAINS"] = new JsonArray(new JsonObject { ["EMAIL_DOMAIN_ID"] = NextItemId(), ["EMAIL_DOMAIN"] = $"example{i}.com" });
                }

                return Add(Schemas.Organisations, record);
            }).Select(r => r.DeepClone().AsObject()).ToList();
        }
    }

    /// <summary>
    /// Contacts as real ones look: some names non-ASCII, some fields null, some records without TAGS, LINKS,
    /// DATES or CUSTOMFIELDS at all, custom values of every type (when <see cref="SeedStandardData"/> ran first),
    /// links to existing organisations, and DATE_UPDATED_UTC values shared by pairs of records.
    /// </summary>
    public IReadOnlyList<JsonObject> SeedContacts(int count)
    {
        lock (StoreGate)
        {
            var organisations = Rows("Organisations")!.Select(o => JsonFacts.AsLong(o["ORGANISATION_ID"])).ToList();
            return Enumerable.Range(0, count).Select(i =>
            {
                var first = FirstNames[i % FirstNames.Length];
                var last = LastNames[i * 5 % LastNames.Length];
                var organisation = organisations.Count > 0 && i % 4 != 3 ? organisations[i % organisations.Count] : null;
                var record = Stamped(i, new JsonObject
                {
                    ["SALUTATION"] = i % 5 == 0 ? "Dr" : null,
                    ["FIRST_NAME"] = i % 11 == 10 ? null : first,
                    ["LAST_NAME"] = last,
                    ["TITLE"] = i % 3 == 1 ? null : Titles[i % Titles.Length],
                    ["BACKGROUND"] = i % 4 == 0 ? "Met at the <b>trade show</b>.\nFollow up in Q3." : null,
                    ["EMAIL_ADDRESS"] = (i % 6) switch { 5 => null, 4 => $"Mixed.Case{i}@Example.COM", _ => $"contact{i}@example.com" },
                    ["PHONE"] = i % 3 == 0 ? null : $"+1 555 01{i % 100:00}",
                    ["PHONE_MOBILE"] = i % 2 == 0 ? $"+44 7700 900{i % 1000:000}" : null,
                    ["ORGANISATION_ID"] = organisation,
                    ["DATE_OF_BIRTH"] = i % 7 == 0 ? $"19{70 + i % 30}-0{1 + i % 9}-1{i % 10} 00:00:00" : null,
                    ["ADDRESS_MAIL_STREET"] = i % 2 == 1 ? $"{i} Rue de l'Église" : null,
                    ["ADDRESS_MAIL_CITY"] = i % 2 == 1 ? "Montréal" : null,
                    ["ADDRESS_MAIL_COUNTRY"] = i % 2 == 1 ? "Canada" : null,
                    ["EMAIL_OPTED_OUT"] = i % 7 == 3,
                });
                if (i % 5 != 4)
                {
                    record["CUSTOMFIELDS"] = SampleCustomValues(Schemas.Contacts, i);
                }

                if (i % 3 != 2)
                {
                    record["TAGS"] = SampleTags(i);
                    record["DATES"] = new JsonArray();
                }

                if (i % 2 == 0)
                {
                    record["LINKS"] = organisation is null ? new JsonArray() : new JsonArray(new JsonObject
                    {
                        ["LINK_ID"] = NextItemId(), ["OBJECT_NAME"] = "Contact", ["OBJECT_ID"] = PeekNextId(Schemas.Contacts),
                        ["LINK_OBJECT_NAME"] = "Organisation", ["LINK_OBJECT_ID"] = organisation, ["ROLE"] = "Employee",
                        ["DETAILS"] = null, ["RELATIONSHIP_ID"] = null, ["IS_FORWARD"] = null,
                    });
                }

                return Add(Schemas.Contacts, record);
            }).Select(r => r.DeepClone().AsObject()).ToList();
        }
    }

    /// <summary>
    /// What a contact's context shows, for the first <paramref name="contacts"/> contacts (seed them first): two
    /// opportunities (one open, one won) and a project linked at both ends, three tasks linked to it (one completed)
    /// and twelve notes about it. Returns the contacts' ids.
    /// </summary>
    public IReadOnlyList<long> SeedContactContexts(int contacts)
    {
        List<long> ids;
        lock (StoreGate)
        {
            ids = [.. Rows("Contacts")!.Take(contacts).Select(c => JsonFacts.AsLong(c["CONTACT_ID"])!.Value)];
        }

        foreach (var (contact, c) in ids.Select((id, c) => (id, c)))
        {
            JsonObject Record(CollectionSchema schema, int i, JsonObject fields)
            {
                lock (StoreGate)
                {
                    return Add(schema, Stamped(c * 20 + i, fields));
                }
            }

            long Linked(CollectionSchema schema, int i, JsonObject fields)
            {
                var id = JsonFacts.AsLong(Record(schema, i, fields)[schema.IdField])!.Value;
                SeedLink(schema.Name, id, "Contacts", contact);
                return id;
            }

            Linked(Schemas.Opportunities, 0, new JsonObject
            {
                ["OPPORTUNITY_NAME"] = $"Renewal {2026 + c}", ["OPPORTUNITY_STATE"] = "OPEN", ["BID_TYPE"] = "Per Month", ["BID_AMOUNT"] = 250m + c,
                ["BID_DURATION"] = 12, ["OPPORTUNITY_VALUE"] = (250m + c) * 12, ["FORECAST_CLOSE_DATE"] = "2026-06-30 00:00:00", ["TAGS"] = new JsonArray(),
            });
            Linked(Schemas.Opportunities, 1, new JsonObject
            {
                ["OPPORTUNITY_NAME"] = "First order", ["OPPORTUNITY_STATE"] = "WON", ["BID_TYPE"] = "Fixed Bid", ["BID_AMOUNT"] = 4800,
                ["OPPORTUNITY_VALUE"] = 4800, ["ACTUAL_CLOSE_DATE"] = "2024-11-15 00:00:00", ["TAGS"] = new JsonArray(),
            });
            Linked(Schemas.Projects, 2, new JsonObject
            {
                ["PROJECT_NAME"] = "Onboarding", ["STATUS"] = "IN PROGRESS", ["STARTED_DATE"] = "2025-01-06 00:00:00", ["TAGS"] = new JsonArray(),
            });
            foreach (var (title, done, i) in new[] { ("Call back about the renewal", false, 3), ("Send the signed order", true, 4), ("Plan the kick-off", false, 5) })
            {
                var task = JsonFacts.AsLong(Record(Schemas.Tasks, i, new JsonObject
                {
                    ["TITLE"] = title, ["COMPLETED"] = done, ["STATUS"] = done ? "COMPLETED" : "NOT STARTED", ["DUE_DATE"] = "2025-07-01 00:00:00",
                })["TASK_ID"])!.Value;
                SeedLink("Tasks", task, "Contacts", contact);
            }

            for (var i = 0; i < 12; i++)
            {
                lock (StoreGate)
                {
                    var note = Record(Schemas.Notes, 6 + i, new JsonObject { ["TITLE"] = $"Call {i + 1}", ["BODY"] = $"<p>Spoke about the order ({i + 1}).</p>" });
                    note["LINKS"] = new JsonArray(new JsonObject
                    {
                        ["LINK_ID"] = NextItemId(), ["OBJECT_NAME"] = "Note", ["OBJECT_ID"] = note["NOTE_ID"]!.DeepClone(),
                        ["LINK_OBJECT_NAME"] = "Contact", ["LINK_OBJECT_ID"] = contact, ["ROLE"] = null, ["DETAILS"] = null, ["RELATIONSHIP_ID"] = null, ["IS_FORWARD"] = null,
                    });
                }
            }
        }

        return ids;
    }

    /// <summary>
    /// Links two stored records as <c>POST /{collection}/{id}/Links</c> does (both ends when both are linkable; a task
    /// or note keeps its own) and returns the LINK_ID.
    /// </summary>
    public long SeedLink(string collection, long id, string linkedCollection, long linkedId, string? role = null)
    {
        lock (StoreGate)
        {
            var schema = Schemas.Find(collection) ?? throw new ArgumentException($"Unknown collection {collection}.", nameof(collection));
            var linked = Schemas.Find(linkedCollection) ?? throw new ArgumentException($"Unknown collection {linkedCollection}.", nameof(linkedCollection));
            var record = Get(schema.Name, id) ?? throw new ArgumentException($"No {schema.ObjectName} {id}.", nameof(id));
            var writer = new RecordWriter(this, schema, new JsonObject { ["USER_ID"] = 0 }, DateTimeOffset.UtcNow);
            var link = new LinkEndpoints(this, writer, schema, record).Add(new JsonObject
            {
                ["LINK_OBJECT_NAME"] = linked.ObjectName, ["LINK_OBJECT_ID"] = linkedId, ["ROLE"] = role,
            });
            return JsonFacts.AsLong(link["LINK_ID"])!.Value;
        }
    }

    private SeededPipeline AddPipeline(string name, bool forOpportunities, long? owner, params string[] stages)
    {
        var id = AddId(Schemas.Pipelines, new JsonObject
        {
            ["PIPELINE_NAME"] = name, ["FOR_OPPORTUNITIES"] = forOpportunities, ["FOR_PROJECTS"] = !forOpportunities, ["OWNER_USER_ID"] = owner,
        });
        var stageIds = stages.Select((stage, i) => AddId(Schemas.PipelineStages, new JsonObject
        {
            ["PIPELINE_ID"] = id, ["STAGE_NAME"] = stage, ["STAGE_ORDER"] = i + 1, ["ACTIVITYSET_ID"] = null, ["OWNER_USER_ID"] = owner,
        })).ToList();
        return new SeededPipeline(id, name, stageIds);
    }

    /// <summary>
    /// Stores a record under the next id, with every standard field of the schema in order (null when not
    /// given) and only the sub-collections given, and returns it.
    /// </summary>
    private JsonObject Add(CollectionSchema schema, JsonObject fields)
    {
        var record = new JsonObject();
        foreach (var field in schema.Fields.Values.Where(f => !f.IsSubCollection || fields.ContainsKey(f.Name)))
        {
            fields.Remove(field.Name, out var value);
            record[field.Name] = value;
        }

        record[schema.IdField] = PeekNextId(schema);
        Put(schema.Name, record);
        return record;
    }

    private long AddId(CollectionSchema schema, JsonObject fields) => JsonFacts.AsLong(Add(schema, fields)[schema.IdField])!.Value;

    /// <summary>Owner, creator and timestamps; every pair of records shares one DATE_UPDATED_UTC, to the second.</summary>
    private JsonObject Stamped(int i, JsonObject record)
    {
        var users = Rows("Users")!.Select(u => JsonFacts.AsLong(u["USER_ID"])).ToList();
        var created = new DateTime(2024, 1, 1, 9, 0, 0, DateTimeKind.Utc).AddHours(i * 7).AddSeconds(i);
        record["OWNER_USER_ID"] = users.Count == 0 || i % 9 == 8 ? null : users[i % users.Count];
        record["CREATED_USER_ID"] = users.Count == 0 ? null : users[0];
        record["DATE_CREATED_UTC"] = Dates.Format(created);
        record["DATE_UPDATED_UTC"] = Dates.Format(new DateTime(2024, 6, 1, 12, 0, 0, DateTimeKind.Utc).AddMinutes(i / 2 * 13));
        return record;
    }

    private static JsonArray SampleTags(int i) =>
        i % 4 == 0 ? [] : new JsonArray(Tags.Where((_, t) => (i + t) % 3 == 0).Select(t => (JsonNode?)new JsonObject { ["TAG_NAME"] = t }).ToArray());

    /// <summary>A value for some of the collection's custom fields, of the shape each FIELD_TYPE stores.</summary>
    private JsonArray SampleCustomValues(CollectionSchema schema, int i)
    {
        var organisations = Rows("Organisations")!.Select(o => JsonFacts.AsLong(o["ORGANISATION_ID"])).ToList();
        var values = CustomFieldsOf(schema.Name).Where((_, f) => (i + f) % 3 != 0).Select(definition =>
        {
            var options = CustomFieldRules.Options(definition).ToList();
            JsonNode? value = definition["FIELD_TYPE"]!.GetValue<string>() switch
            {
                CustomFieldType.Text => $"REF-{i:0000}",
                CustomFieldType.MultilineText => "Line one\nLine two — naïve café",
                CustomFieldType.Bit => i % 2 == 0,
                CustomFieldType.Dropdown => options[i % options.Count],
                CustomFieldType.MultiSelect => string.Join(CustomFieldType.MultiSelectSeparator, options.Where((_, o) => (i + o) % 2 == 0)),
                CustomFieldType.Date => $"2025-0{1 + i % 9}-15 00:00:00",
                CustomFieldType.DateTime => $"2024-1{i % 3}-0{1 + i % 9} 1{i % 10}:30:0{i % 10}",
                CustomFieldType.Numeric => i * 12.5m,
                CustomFieldType.Url => $"https://example.com/profile/{i}",
                CustomFieldType.Lookup when organisations.Count > 0 => organisations[i % organisations.Count],
                _ => null,
            };
            return value is null ? null : new JsonObject { ["FIELD_NAME"] = definition["FIELD_NAME"]!.GetValue<string>(), ["FIELD_VALUE"] = value };
        });
        return new JsonArray(values.Where(v => v is not null).Select(v => (JsonNode?)v).ToArray());
    }
}
