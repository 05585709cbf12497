using Insightly.Unified.Unified.Mapping;

namespace Insightly.Unified.Unified.Resources;

/// <summary>CRM contacts: Insightly's Contacts.</summary>
public static class Contacts
{
    public const string Route = CrmResource.CrmRoutePrefix + "contacts";

    public static readonly CrmResource Resource = new("contacts", "contact", "Contacts", "CONTACT_ID", Route)
    {
        ObjectName = "Contact",
        HasCustomFields = true,
        Filters = [ListFilter.Field("email", "EMAIL_ADDRESS"), ListFilter.IdField("account_id", "ORGANISATION_ID"), ListFilter.Tag()],
        Fields =
        [
            Map.Text("first_name", "FIRST_NAME"),
            Map.Text("last_name", "LAST_NAME"),
            Map.FullName(),
            Map.Text("title", "TITLE"),
            Map.LongText("description", "BACKGROUND"),
            Map.Ref("account", "ORGANISATION_ID", "account"),
            Map.Owner(),
            Map.Emails("EMAIL_ADDRESS"),
            Map.Phones(("PHONE", "work"), ("PHONE_MOBILE", "mobile"), ("PHONE_HOME", "home"), ("PHONE_FAX", "fax"),
                ("PHONE_ASSISTANT", "assistant"), ("PHONE_OTHER", "other")),
            Map.Addresses(("ADDRESS_MAIL_", "mailing"), ("ADDRESS_OTHER_", "other")),
            Map.Tags(),
            Map.LastActivity(),
        ],
    };
}
