using System.Text.Json.Nodes;

namespace FakeInsightly;

/// <summary>How a field's JSON value is checked on writes and stored.</summary>
internal enum FieldType
{
    /// <summary>A JSON string (or null).</summary>
    Text,

    /// <summary>A JSON integer (or null).</summary>
    Integer,

    /// <summary>A JSON number (or null).</summary>
    Number,

    /// <summary>A JSON <c>true</c>/<c>false</c> (or null).</summary>
    Boolean,

    /// <summary>A string in <c>yyyy-MM-dd HH:mm:ss</c>, UTC without <c>T</c> or <c>Z</c>.</summary>
    DateTime,

    /// <summary>A date: <c>yyyy-MM-dd HH:mm:ss</c> or <c>yyyy-MM-dd</c>, stored as <c>yyyy-MM-dd HH:mm:ss</c>.</summary>
    Date,

    /// <summary><c>[{TAG_NAME}]</c>, replaced whole when sent.</summary>
    Tags,

    /// <summary><c>[{FIELD_NAME, FIELD_VALUE}]</c>, merged by FIELD_NAME when sent.</summary>
    CustomFields,

    /// <summary>
    /// <c>[{LINK_ID, OBJECT_NAME, OBJECT_ID, LINK_OBJECT_NAME, LINK_OBJECT_ID, …}]</c>: read-only in POST and PUT bodies
    /// (changed through <c>/{C}/{id}/Links</c>).
    /// </summary>
    Links,

    /// <summary><c>[{DATE_ID, OCCASION_NAME, OCCASION_DATE, …}]</c>, replaced whole when sent.</summary>
    Dates,

    /// <summary><c>[{EMAIL_DOMAIN_ID, EMAIL_DOMAIN}]</c>, replaced whole when sent.</summary>
    EmailDomains,
}

/// <summary>One field of a collection (or of a sub-collection item) and the rules a write must follow.</summary>
internal sealed record Field(string Name, FieldType Type)
{
    public bool Required { get; init; }

    /// <summary>Set by Insightly only; a write may repeat the stored value but never change it.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>PIPELINE_ID and STAGE_ID: changed only through <c>/Pipeline</c> and <c>/PipelineStage</c>.</summary>
    public bool PipelineOnly { get; init; }

    /// <summary>The collection an integer field points at; a write naming a missing record is refused.</summary>
    public string? References { get; init; }

    /// <summary>The allowed values, matched exactly (case included) and stored as sent.</summary>
    public IReadOnlyList<string>? Choices { get; init; }

    /// <summary>
    /// An opportunity state or a task or project status: its choices are spelt as the instance spells them
    /// (<see cref="FakeInstance.StateSpelling"/>), upper case as listed here unless a test says otherwise.
    /// </summary>
    public bool SpeltByInstance { get; init; }

    public long? Min { get; init; }

    public long? Max { get; init; }

    /// <summary>What a created record holds when the POST did not send the field.</summary>
    public JsonNode? Default { get; init; }

    public bool IsSubCollection => Type >= FieldType.Tags;
}

internal enum Access
{
    /// <summary>GET only; writes are 405 (Users, Pipelines, PipelineStages, OpportunityStateReasons).</summary>
    ReadOnly,

    /// <summary>GET, POST, PUT and DELETE.</summary>
    Writable,

    /// <summary>Writable by administrators only; others get 403 (LeadStatuses, LeadSources).</summary>
    AdminWritable,
}

/// <summary>A collection: its route name, singular object name (used in LINKS), id field and fields.</summary>
internal sealed class CollectionSchema
{
    public CollectionSchema(string name, string objectName, string idField, long firstId, Access access, IEnumerable<Field> fields)
    {
        Name = name;
        ObjectName = objectName;
        IdField = idField;
        FirstId = firstId;
        Access = access;
        Fields = new[] { new Field(idField, FieldType.Integer) { ReadOnly = true } }.Concat(fields).ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    /// <summary>The plural route name, e.g. <c>Organisations</c>.</summary>
    public string Name { get; }

    /// <summary>The singular name used in LINKS and messages, e.g. <c>Organisation</c>.</summary>
    public string ObjectName { get; }

    public string IdField { get; }

    /// <summary>New ids start above this, so ids of different collections never coincide.</summary>
    public long FirstId { get; }

    public Access Access { get; }

    /// <summary>In the schema's order, which is also the order of a created record's keys.</summary>
    public IReadOnlyDictionary<string, Field> Fields { get; }

    /// <summary>Has <c>/Search</c>.</summary>
    public bool Searchable { get; init; }

    /// <summary>Notes: no top-level POST; created through <c>POST /{Parent}/{id}/Notes</c>.</summary>
    public bool CreatedUnderParent { get; init; }

    public bool Has(FieldType type) => Fields.Values.Any(f => f.Type == type);

    public bool HasField(string name) => Fields.ContainsKey(name);
}

/// <summary>
/// The schema table: every collection the fake serves, with the field lists of insightly-api.md §4.
/// All write validation, brief mode and search are driven from here.
/// </summary>
internal static class Schemas
{
    private static readonly string[] NoteParentNames = ["Contacts", "Organisations", "Leads", "Opportunities", "Projects"];

    public static readonly CollectionSchema Organisations = new("Organisations", "Organisation", "ORGANISATION_ID", 200_000, Access.Writable,
    [
        Req("ORGANISATION_NAME"),
        .. Text("BACKGROUND", "IMAGE_URL", "PHONE", "PHONE_FAX", "WEBSITE"),
        .. Address("ADDRESS_BILLING_"), .. Address("ADDRESS_SHIP_"),
        .. Text("SOCIAL_LINKEDIN", "SOCIAL_FACEBOOK", "SOCIAL_TWITTER"),
        .. Ownership(), .. Stamps(), .. Activity(),
        Sub("CUSTOMFIELDS", FieldType.CustomFields), Sub("TAGS", FieldType.Tags), Sub("DATES", FieldType.Dates),
        Sub("EMAILDOMAINS", FieldType.EmailDomains), Sub("LINKS", FieldType.Links),
    ]) { Searchable = true };

    public static readonly CollectionSchema Contacts = new("Contacts", "Contact", "CONTACT_ID", 100_000, Access.Writable,
    [
        .. Text("SALUTATION", "FIRST_NAME", "LAST_NAME", "TITLE", "BACKGROUND", "IMAGE_URL"),
        new("DATE_OF_BIRTH", FieldType.Date),
        .. Text("SOCIAL_LINKEDIN", "SOCIAL_FACEBOOK", "SOCIAL_TWITTER", "PHONE", "PHONE_HOME", "PHONE_MOBILE", "PHONE_OTHER",
            "PHONE_ASSISTANT", "PHONE_FAX", "EMAIL_ADDRESS", "ASSISTANT_NAME"),
        .. Address("ADDRESS_MAIL_"), .. Address("ADDRESS_OTHER_"),
        Ref("ORGANISATION_ID", "Organisations"),
        Flag("EMAIL_OPTED_OUT", false),
        .. Ownership(), .. Stamps(), .. Activity(),
        Sub("CUSTOMFIELDS", FieldType.CustomFields), Sub("TAGS", FieldType.Tags), Sub("DATES", FieldType.Dates), Sub("LINKS", FieldType.Links),
    ]) { Searchable = true };

    public static readonly CollectionSchema Leads = new("Leads", "Lead", "LEAD_ID", 300_000, Access.Writable,
    [
        .. Text("SALUTATION", "FIRST_NAME"), Req("LAST_NAME"),
        .. Text("TITLE", "EMAIL", "PHONE", "MOBILE", "FAX", "WEBSITE", "ORGANISATION_NAME", "INDUSTRY"),
        new("EMPLOYEE_COUNT", FieldType.Integer) { Min = 0 },
        .. Text("LEAD_DESCRIPTION"),
        new("LEAD_RATING", FieldType.Integer) { Min = 0, Max = 5 },
        Ref("LEAD_SOURCE_ID", "LeadSources"), Ref("LEAD_STATUS_ID", "LeadStatuses"), Ref("RESPONSIBLE_USER_ID", "Users"),
        .. Text("ADDRESS_STREET", "ADDRESS_CITY", "ADDRESS_STATE", "ADDRESS_POSTCODE", "ADDRESS_COUNTRY"),
        new("CONVERTED", FieldType.Boolean) { ReadOnly = true, Default = false },
        Fixed("CONVERTED_CONTACT_ID", FieldType.Integer), Fixed("CONVERTED_ORGANISATION_ID", FieldType.Integer),
        Fixed("CONVERTED_OPPORTUNITY_ID", FieldType.Integer), Fixed("CONVERTED_DATE_UTC", FieldType.DateTime),
        .. Text("IMAGE_URL"), Flag("EMAIL_OPTED_OUT", false),
        .. Ownership(), .. Stamps(), .. Activity(),
        Sub("CUSTOMFIELDS", FieldType.CustomFields), Sub("TAGS", FieldType.Tags), Sub("LINKS", FieldType.Links),
    ]) { Searchable = true };

    public static readonly CollectionSchema Opportunities = new("Opportunities", "Opportunity", "OPPORTUNITY_ID", 400_000, Access.Writable,
    [
        Req("OPPORTUNITY_NAME"), .. Text("OPPORTUNITY_DETAILS"),
        State("OPPORTUNITY_STATE", "OPEN", ["OPEN", "WON", "LOST", "ABANDONED", "SUSPENDED"]),
        Ref("RESPONSIBLE_USER_ID", "Users"), new("CATEGORY_ID", FieldType.Integer), .. Text("IMAGE_URL", "BID_CURRENCY"),
        new("BID_AMOUNT", FieldType.Number),
        Choice("BID_TYPE", null, ["Fixed Bid", "Per Hour", "Per Day", "Per Week", "Per Month", "Per Year"]),
        new("BID_DURATION", FieldType.Integer) { Min = 0 },
        new("ACTUAL_CLOSE_DATE", FieldType.Date), new("FORECAST_CLOSE_DATE", FieldType.Date),
        Fixed("OPPORTUNITY_VALUE", FieldType.Number),
        new("PROBABILITY", FieldType.Integer) { Min = 0, Max = 100 },
        .. PipelineFields(),
        Ref("ORGANISATION_ID", "Organisations"), new("PRICEBOOK_ID", FieldType.Integer),
        .. Ownership(), .. Stamps(), .. Activity(),
        Sub("CUSTOMFIELDS", FieldType.CustomFields), Sub("TAGS", FieldType.Tags), Sub("LINKS", FieldType.Links),
    ]) { Searchable = true };

    public static readonly CollectionSchema Projects = new("Projects", "Project", "PROJECT_ID", 500_000, Access.Writable,
    [
        Req("PROJECT_NAME"),
        State("STATUS", "NOT STARTED", ["NOT STARTED", "IN PROGRESS", "DEFERRED", "CANCELLED", "ABANDONED", "COMPLETED"]),
        .. Text("PROJECT_DETAILS"), new("STARTED_DATE", FieldType.Date), new("COMPLETED_DATE", FieldType.Date),
        Ref("OPPORTUNITY_ID", "Opportunities"), new("CATEGORY_ID", FieldType.Integer),
        .. PipelineFields(),
        .. Text("IMAGE_URL"), Ref("RESPONSIBLE_USER_ID", "Users"),
        new("VISIBLE_TEAM_ID", FieldType.Integer), Choice("VISIBLE_TO", "EVERYONE", ["EVERYONE", "OWNER", "TEAM", "INDIVIDUALS"]),
        .. Ownership(), .. Stamps(), .. Activity(),
        Sub("CUSTOMFIELDS", FieldType.CustomFields), Sub("TAGS", FieldType.Tags), Sub("LINKS", FieldType.Links),
    ]) { Searchable = true };

    public static readonly CollectionSchema Tasks = new("Tasks", "Task", "TASK_ID", 600_000, Access.Writable,
    [
        Req("TITLE"), new("CATEGORY_ID", FieldType.Integer), new("DUE_DATE", FieldType.Date),
        new("COMPLETED_DATE_UTC", FieldType.DateTime), Flag("COMPLETED", false), .. Text("DETAILS"),
        State("STATUS", "NOT STARTED", ["NOT STARTED", "IN PROGRESS", "COMPLETED", "DEFERRED", "WAITING"]),
        new("PRIORITY", FieldType.Integer) { Min = 1, Max = 3 },
        new("PERCENT_COMPLETE", FieldType.Integer) { Min = 0, Max = 100 },
        new("START_DATE", FieldType.Date), new("MILESTONE_ID", FieldType.Integer),
        Ref("RESPONSIBLE_USER_ID", "Users"), new("EMAIL_ID", FieldType.Integer), Ref("PROJECT_ID", "Projects"),
        new("REMINDER_DATE_UTC", FieldType.DateTime), Flag("REMINDER_SENT", false), Flag("OWNER_VISIBLE", false),
        new("STAGE_ID", FieldType.Integer), Ref("ASSIGNED_BY_USER_ID", "Users"), Ref("PARENT_TASK_ID", "Tasks"),
        .. Text("RECURRENCE"), Ref("OPPORTUNITY_ID", "Opportunities"), new("ASSIGNED_TEAM_ID", FieldType.Integer),
        new("ASSIGNED_DATE_UTC", FieldType.DateTime),
        .. Ownership(), .. Stamps(),
        Sub("CUSTOMFIELDS", FieldType.CustomFields), Sub("LINKS", FieldType.Links),
    ]) { Searchable = true };

    public static readonly CollectionSchema Notes = new("Notes", "Note", "NOTE_ID", 700_000, Access.Writable,
    [
        Req("TITLE"), .. Text("BODY"), .. Stamps(), Ref("OWNER_USER_ID", "Users"), Sub("LINKS", FieldType.Links),
    ]) { Searchable = true, CreatedUnderParent = true };

    public static readonly CollectionSchema Users = new("Users", "User", "USER_ID", 1_000, Access.ReadOnly,
    [
        new("CONTACT_ID", FieldType.Integer), .. Text("FIRST_NAME", "LAST_NAME", "TIMEZONE_ID", "EMAIL_ADDRESS",
            "EMAIL_DROPBOX_IDENTIFIER", "EMAIL_DROPBOX_ADDRESS"),
        new("ADMINISTRATOR", FieldType.Boolean), new("ACCOUNT_OWNER", FieldType.Boolean), new("ACTIVE", FieldType.Boolean),
        .. Stamps(), .. Text("USER_CURRENCY", "CONTACT_DISPLAY", "CONTACT_ORDER"),
        new("TASK_WEEK_START", FieldType.Integer), new("INSTANCE_ID", FieldType.Integer),
        new("PROFILE_ID", FieldType.Integer), new("ROLE_ID", FieldType.Integer),
    ]) { Searchable = true };

    public static readonly CollectionSchema Pipelines = new("Pipelines", "Pipeline", "PIPELINE_ID", 900_000, Access.ReadOnly,
    [
        Req("PIPELINE_NAME"), new("FOR_OPPORTUNITIES", FieldType.Boolean), new("FOR_PROJECTS", FieldType.Boolean),
        Ref("OWNER_USER_ID", "Users"),
    ]);

    public static readonly CollectionSchema PipelineStages = new("PipelineStages", "PipelineStage", "STAGE_ID", 910_000, Access.ReadOnly,
    [
        Ref("PIPELINE_ID", "Pipelines"), Req("STAGE_NAME"), new("STAGE_ORDER", FieldType.Integer) { Min = 1 },
        new("ACTIVITYSET_ID", FieldType.Integer), Ref("OWNER_USER_ID", "Users"),
    ]);

    public static readonly CollectionSchema LeadStatuses = new("LeadStatuses", "LeadStatus", "LEAD_STATUS_ID", 920_000, Access.AdminWritable,
    [
        Req("LEAD_STATUS"), Flag("DEFAULT_STATUS", false),
        new("STATUS_TYPE", FieldType.Integer) { Min = LeadStatusType.Open, Max = LeadStatusType.Converted, Default = LeadStatusType.Open },
        new("FIELD_ORDER", FieldType.Integer),
    ]);

    public static readonly CollectionSchema LeadSources = new("LeadSources", "LeadSource", "LEAD_SOURCE_ID", 930_000, Access.AdminWritable,
    [
        Req("LEAD_SOURCE"), Flag("DEFAULT_VALUE", false), new("FIELD_ORDER", FieldType.Integer),
    ]);

    public static readonly CollectionSchema OpportunityStateReasons = new("OpportunityStateReasons", "OpportunityStateReason", "STATE_REASON_ID", 940_000, Access.ReadOnly,
    [
        Req("STATE_REASON"), State("FOR_OPPORTUNITY_STATE", null, Opportunities.Fields["OPPORTUNITY_STATE"].Choices!),
    ]);

    /// <summary>Item fields of the sub-collections that are replaced whole; the first field (if an <c>*_ID</c>) is the item id.</summary>
    public static readonly IReadOnlyDictionary<FieldType, Field[]> ItemFields = new Dictionary<FieldType, Field[]>
    {
        [FieldType.Tags] = [Req("TAG_NAME")],
        [FieldType.Dates] =
        [
            new("DATE_ID", FieldType.Integer), Req("OCCASION_NAME"), new("OCCASION_DATE", FieldType.Date) { Required = true },
            Flag("REPEAT_YEARLY", false), Flag("CREATE_TASK_YEARLY", false),
        ],
        [FieldType.EmailDomains] = [new("EMAIL_DOMAIN_ID", FieldType.Integer), Req("EMAIL_DOMAIN")],
        [FieldType.Links] =
        [
            new("LINK_ID", FieldType.Integer), .. Text("OBJECT_NAME"), new("OBJECT_ID", FieldType.Integer),
            Req("LINK_OBJECT_NAME"), new("LINK_OBJECT_ID", FieldType.Integer) { Required = true },
            .. Text("ROLE", "DETAILS"), new("RELATIONSHIP_ID", FieldType.Integer), new("IS_FORWARD", FieldType.Boolean),
        ],
    };

    public static readonly IReadOnlyList<CollectionSchema> All =
    [
        Organisations, Contacts, Leads, Opportunities, Projects, Tasks, Notes, Users, Pipelines, PipelineStages,
        LeadStatuses, LeadSources, OpportunityStateReasons,
    ];

    /// <summary>
    /// Collections that may appear as LINK_OBJECT_NAME (by singular name) and that own notes and tasks. A link
    /// between two of them shows at both ends.
    /// </summary>
    public static readonly IReadOnlyList<CollectionSchema> Linkable = [Contacts, Organisations, Leads, Opportunities, Projects];

    /// <summary>Collections that can carry custom fields.</summary>
    public static IEnumerable<CollectionSchema> WithCustomFields => All.Where(s => s.Has(FieldType.CustomFields));

    /// <summary>A collection by its route name, matched case-insensitively as ASP.NET routing does.</summary>
    public static CollectionSchema? Find(string name) =>
        All.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    public static bool IsNoteParent(CollectionSchema schema) => NoteParentNames.Contains(schema.Name);

    /// <summary>Has <c>/{C}/{id}/Links</c>: the linkable collections, tasks and notes.</summary>
    public static bool HasLinks(CollectionSchema schema) => schema.Has(FieldType.Links);

    private static IEnumerable<Field> Text(params string[] names) => names.Select(n => new Field(n, FieldType.Text));

    private static Field Req(string name) => new(name, FieldType.Text) { Required = true };

    private static Field Ref(string name, string collection) => new(name, FieldType.Integer) { References = collection };

    private static Field Flag(string name, bool defaultValue) => new(name, FieldType.Boolean) { Default = defaultValue };

    private static Field Fixed(string name, FieldType type) => new(name, type) { ReadOnly = true };

    private static Field Choice(string name, string? defaultValue, IReadOnlyList<string> values) =>
        new(name, FieldType.Text) { Choices = values, Default = defaultValue };

    private static Field State(string name, string? defaultValue, IReadOnlyList<string> values) =>
        Choice(name, defaultValue, values) with { SpeltByInstance = true };

    private static Field Sub(string name, FieldType type) => new(name, type);

    private static IEnumerable<Field> Address(string prefix) =>
        Text(prefix + "STREET", prefix + "CITY", prefix + "STATE", prefix + "POSTCODE", prefix + "COUNTRY");

    private static IEnumerable<Field> Ownership() => [Ref("OWNER_USER_ID", "Users"), Fixed("CREATED_USER_ID", FieldType.Integer)];

    private static IEnumerable<Field> Stamps() => [Fixed("DATE_CREATED_UTC", FieldType.DateTime), Fixed("DATE_UPDATED_UTC", FieldType.DateTime)];

    private static IEnumerable<Field> Activity() =>
        [Fixed("LAST_ACTIVITY_DATE_UTC", FieldType.DateTime), Fixed("NEXT_ACTIVITY_DATE_UTC", FieldType.DateTime)];

    private static IEnumerable<Field> PipelineFields() =>
        [new("PIPELINE_ID", FieldType.Integer) { PipelineOnly = true }, new("STAGE_ID", FieldType.Integer) { PipelineOnly = true }];
}

/// <summary>
/// LeadStatus <c>STATUS_TYPE</c> values. Insightly documents an integer (open or closed in v2.2); these three
/// values, and 3 meaning "converted" (hidden from <c>GET /LeadStatuses</c> unless <c>include_converted=true</c>),
/// are the fake's assumption.
/// </summary>
public static class LeadStatusType
{
    public const int Open = 1;
    public const int Closed = 2;
    public const int Converted = 3;
}
