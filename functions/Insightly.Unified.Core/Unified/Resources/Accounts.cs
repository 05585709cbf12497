using Insightly.Unified.Unified.Mapping;

namespace Insightly.Unified.Unified.Resources;

/// <summary>CRM accounts: Insightly's Organisations.</summary>
public static class Accounts
{
    public const string Route = CrmResource.CrmRoutePrefix + "accounts";

    public static readonly CrmResource Resource = new("accounts", "account", "Organisations", "ORGANISATION_ID", Route)
    {
        ObjectName = "Organisation",
        HasCustomFields = true,
        Filters = [ListFilter.Field("name", "ORGANISATION_NAME"), ListFilter.Tag()],
        Fields =
        [
            Map.Text("name", "ORGANISATION_NAME", required: true),
            Map.LongText("description", "BACKGROUND"),
            Map.Url("website", "WEBSITE"),
            Map.Owner(),
            Map.Phones(("PHONE", "work"), ("PHONE_FAX", "fax")),
            Map.Addresses(("ADDRESS_BILLING_", "billing"), ("ADDRESS_SHIP_", "shipping")),
            Map.Tags(),
            Map.LastActivity(),
        ],
    };
}
