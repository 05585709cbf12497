using Insightly.Unified.Unified.Mapping;

namespace Insightly.Unified.Unified.Resources;

/// <summary>CRM leads: Insightly's Leads, whose column names differ from contacts' (EMAIL, MOBILE, FAX, free-text ORGANISATION_NAME).</summary>
public static class Leads
{
    public const string Route = CrmResource.CrmRoutePrefix + "leads";

    public static readonly CrmResource Resource = new("leads", "lead", "Leads", "LEAD_ID", Route)
    {
        ObjectName = "Lead",
        HasCustomFields = true,
        Filters = [ListFilter.Field("email", "EMAIL"), ListFilter.Tag()],
        Fields =
        [
            Map.Text("first_name", "FIRST_NAME"),
            Map.Text("last_name", "LAST_NAME", required: true),
            Map.FullName(),
            Map.Text("title", "TITLE"),
            Map.Text("company_name", "ORGANISATION_NAME"),
            Map.Emails("EMAIL"),
            Map.Phones(("PHONE", "work"), ("MOBILE", "mobile"), ("FAX", "fax")),
            Map.Addresses(("ADDRESS_", "primary")),
            Map.Url("website", "WEBSITE"),
            Map.Text("industry", "INDUSTRY"),
            Map.Integer("number_of_employees", "EMPLOYEE_COUNT", min: 0),
            Map.LongText("description", "LEAD_DESCRIPTION"),
            Map.Integer("rating", "LEAD_RATING", min: 0),
            Map.NamedRef("status", "LEAD_STATUS_ID", "lead_status", LookupKinds.LeadStatuses),
            Map.NamedRef("source", "LEAD_SOURCE_ID", "lead_source", LookupKinds.LeadSources),
            Map.Owner(),
            Map.Assignee(),
            Map.Bool("is_converted", "CONVERTED", editable: false),
            Map.Ref("converted_contact", "CONVERTED_CONTACT_ID", "contact", editable: false),
            Map.Ref("converted_account", "CONVERTED_ORGANISATION_ID", "account", editable: false),
            Map.Ref("converted_opportunity", "CONVERTED_OPPORTUNITY_ID", "opportunity", editable: false),
            Map.Timestamp("converted_at", "CONVERTED_DATE_UTC", editable: false),
            Map.Tags(),
        ],
    };
}
